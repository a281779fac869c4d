"""The disciplinary PDF says when a listed deadline rests on a provisional
year of the production calendar (2028: the holidays package has no decree,
the days off are moved by Labour Code art. 112)."""

from odoo.tests import tagged

from odoo.addons.social_incidents.tests.test_sla import SlaCase, at

from .pdf import pdf_text


@tagged("post_install", "-at_install")
class TestProvisionalCalendarPdf(SlaCase):
    def render(self, date_from, date_to):
        env = self.env(
            user=self.head,
            context=dict(self.env.context, lang="ru_RU", force_report_rendering=True),
        )
        pdf, _kind = env["ir.actions.report"]._render_qweb_pdf(
            "social_incidents_reports.report_disciplinary",
            self.company.ids,
            data={"date_from": date_from, "date_to": date_to, "include_excused": True},
        )
        return pdf_text(pdf)

    def test_disciplinary_pdf_marks_deadlines_on_a_provisional_year(self):
        Year = self.env["social.production.year"]
        Year.search([("year", "=", 2028)]).unlink()
        Year._load_years([2028])
        self.assertTrue(Year.search([("year", "=", 2028)]).provisional)
        with at(2028, 11, 2, 10, 0):  # Thursday
            incident = self.register()
        with at(2028, 11, 3, 12, 0):  # the reply was due Friday 10:00
            self.watchdog()
        total = self.violations(incident).filtered(lambda v: v.step == "total")
        self.assertTrue(total.deadline_id.provisional)
        text = self.render("2028-11-01", "2028-11-30")
        self.assertIn("Предварительный производственный календарь.", text)
        self.assertIn("Сроки, отмеченные *, рассчитаны по году", text)
        self.assertIn(
            f"{incident.name} (Размещение ответа (общий срок), Предварительный календарь: 2028)",
            text,
        )
        self.assertIn("03.11.2028 10:00 *", text)
        # a month on a confirmed calendar has no such note
        with at(2025, 3, 3, 10, 0):
            confirmed = self.register()
        with at(2025, 3, 4, 12, 0):
            self.watchdog()
        self.assertTrue(self.violations(confirmed))
        march = self.render("2025-03-01", "2025-03-31")
        self.assertIn(confirmed.name, march)
        self.assertNotIn("Предварительный производственный календарь", march)
        self.assertNotIn("*", march)
