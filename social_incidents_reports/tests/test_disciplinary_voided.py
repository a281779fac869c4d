from datetime import date

from odoo.tests import tagged

from odoo.addons.social_incidents.tests.test_sla import at, msk

from .common import ReportsCase
from .pdf import pdf_text

APRIL = (date(2025, 4, 1), date(2025, 4, 30))


@tagged("post_install", "-at_install")
class TestDisciplinaryVoided(ReportsCase):
    """A miss voided by a recomputation is listed with its reason, never counted."""

    def test_voided_miss_listed_with_its_reason_not_counted(self):
        g = self.dataset["G"]
        Report = self.env["report.social_incidents_reports.report_disciplinary"]
        before = Report._figures(self.company, *APRIL)
        total = self.Violation.search([("incident_id", "=", g.id), ("step", "=", "total")])
        self.assertEqual(len(total), 1)
        self.assertIn(total, self.Violation.search(Report._violation_domain(self.company, *APRIL)))
        minutes = total.delay_minutes
        # the message was in fact detected on Wednesday noon: the reply is not late
        with at(2025, 4, 2, 12, 30):
            g.with_user(self.curator).detected_at = msk(2025, 4, 2, 12, 0)
        self.assertTrue(total.voided)
        after = Report._figures(self.company, *APRIL)
        voided = [
            r for ex in after["executors"] for p in ex["people"] for r in p["rows"] if r["voided"]
        ]
        self.assertIn(g.name, [r["incident"] for r in voided])
        self.assertTrue(all("detection time" in r["void_reason"] for r in voided))
        self.assertEqual(after["count"], before["count"] - len(voided))
        self.assertEqual(after["voided_count"], len(voided))
        self.assertLess(after["unexcused_count"], before["unexcused_count"])
        self.assertGreater(minutes, 0)
        env = self.env(
            user=self.head,
            context=dict(self.env.context, lang="ru_RU", force_report_rendering=True),
        )
        pdf, _kind = env["ir.actions.report"]._render_qweb_pdf(
            "social_incidents_reports.report_disciplinary",
            self.company.ids,
            data={"date_from": "2025-04-01", "date_to": "2025-04-30", "include_excused": True},
        )
        text = pdf_text(pdf)
        self.assertIn("Аннулировано, не учитывается", text)
        self.assertIn("аннулировано после пересчёта, не учитывается", text)
