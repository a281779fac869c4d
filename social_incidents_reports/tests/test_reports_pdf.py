from odoo.tests import tagged

from .common import ReportsCase
from .pdf import pdf_text


@tagged("post_install", "-at_install")
class TestReportsPdf(ReportsCase):
    """Each PDF rendered by wkhtmltopdf, in Russian, its text read back."""

    def render(self, xmlid, res_ids, data=None, user=None):
        env = self.env(
            user=user or self.head,
            context=dict(self.env.context, lang="ru_RU", force_report_rendering=True),
        )
        pdf, kind = env["ir.actions.report"]._render_qweb_pdf(
            f"social_incidents_reports.{xmlid}", res_ids, data=data
        )
        self.assertEqual(kind, "pdf")
        return pdf_text(pdf)

    def data(self, **extra):
        return {"date_from": "2025-03-01", "date_to": "2025-03-31", **extra}

    def test_monthly_pdf_says_the_figures_in_russian(self):
        text = self.render("report_monthly", self.company.ids, self.data())
        self.assertIn("Анализ сообщений граждан в социальных сетях", text)
        self.assertIn("март 2025", text)
        self.assertIn("Выявлено сообщений 7", text)
        self.assertIn("Доля ответов в срок 80,0 %", text)
        self.assertIn("медиана 2,0", text)
        self.assertIn("90-й процентиль 7,2", text)
        self.assertIn("с опозданием 1", text)
        self.assertIn("Сообщения повышенной важности", text)
        self.assertIn(self.dataset["D"].name, text)
        self.assertIn("Десять самых длительных просрочек ответа", text)
        # C: due Thursday 10:00, answered 12:00, two working hours late
        # (the cells of a row are read in order; the rows' order in the text may vary)
        self.assertRegex(text, r"06\.03\.2025 10:00 06\.03\.2025 12:00 2 ?ч")
        self.assertIn(
            self.dataset["C"].name, text.split("Десять самых длительных просрочек ответа")[1]
        )
        self.assertNotIn(self.dataset["H"].name, text)
        self.assertIn("Инциденты по неделям", text)

    def test_disciplinary_pdf_lists_each_missed_deadline(self):
        violation = self.Violation.search(
            [("incident_id", "=", self.dataset["C"].id), ("step", "=", "total")]
        )
        self.assertEqual(violation.delay_minutes, 120)
        violation.with_user(self.head).action_excuse("авария на сетях")
        text = self.render("report_disciplinary", self.company.ids, self.data(include_excused=True))
        self.assertIn("Нарушения сроков для принятия дисциплинарных решений", text)
        self.assertIn(self.housing.name, text)
        self.assertIn(self.housing_user.name, text)
        self.assertIn(self.dataset["C"].name, text)
        self.assertIn("Размещение ответа (общий срок)", text)
        self.assertIn("06.03.2025 10:00", text)  # the deadline, Moscow time
        self.assertIn("06.03.2025 12:00", text)  # done
        self.assertIn("Да: авария на сетях", text)
        without = self.render(
            "report_disciplinary", self.company.ids, self.data(include_excused=False)
        )
        self.assertNotIn("авария на сетях", without)

    def test_incident_card_has_the_whole_history_escaped(self):
        incident = self.dataset["A"]
        html = (
            self.env["ir.actions.report"]
            .with_context(lang="ru_RU")
            ._render_qweb_html("social_incidents_reports.report_incident_card", incident.ids)[0]
            .decode()
        )
        self.assertNotIn("<script>alert(1)</script>", html)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html)
        text = self.render("report_incident_card", incident.ids)
        self.assertIn(f"Карточка инцидента {incident.name}", text)
        self.assertIn("<b>жирный</b>", text)  # shown as typed, not as markup
        self.assertIn(self.housing.name, text)
        self.assertIn("Возвращён на доработку", text)
        self.assertIn("орфографических", text)  # the reason (its cell may wrap)
        self.assertIn("запятые", text)
        self.assertIn("https://vk.com/wall-1_1?reply=7", text)
        # each step with its deadline and when it was done
        self.assertIn("03.03.2025 10:00 03.03.2025 10:30 03.03.2025 10:10", text)  # routing
        self.assertIn("03.03.2025 10:00 04.03.2025 10:00 03.03.2025 11:20", text)  # total

    def test_executor_prints_only_what_they_see(self):
        text = self.render("report_monthly", self.company.ids, self.data(), user=self.roads_user)
        self.assertIn("Выявлено сообщений 2", text)
