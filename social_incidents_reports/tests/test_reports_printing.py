import io

from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from odoo.addons.social_incidents.tests.test_sla import at

from .common import MARCH, ReportsCase
from .pdf import pdf_text


@tagged("post_install", "-at_install")
class TestReportsOfSeveralRecords(ReportsCase):
    """The PDFs printed for several records at once, the weekly chart in each
    language's week, and a merged incident in the monthly figures."""

    def render_pdf(self, xmlid, res_ids, data=None, env=None):
        env = env or self.env(user=self.head)
        env = env(context=dict(env.context, lang="ru_RU", force_report_rendering=True))
        pdf, kind = env["ir.actions.report"]._render_qweb_pdf(
            f"social_incidents_reports.{xmlid}", res_ids, data=data
        )
        self.assertEqual(kind, "pdf")
        return pdf_text(pdf), len(PdfFileReader(io.BytesIO(pdf)).pages)

    def test_incident_cards_of_two_and_three_incidents_print(self):
        # Debian's wkhtmltopdf refused the several input files Odoo made of
        # several cards: no PDF ("EmptyFileError"). Each card starts a page.
        for keys in ("AC", "ABD"):
            incidents = [self.dataset[key] for key in keys]
            text, pages = self.render_pdf("report_incident_card", [i.id for i in incidents])
            for incident in incidents:
                self.assertIn(f"Карточка инцидента {incident.name}", text)
            self.assertEqual(text.count("Карточка инцидента"), len(keys))
            # the cards in the order asked for
            positions = [text.index(f"Карточка инцидента {i.name}") for i in incidents]
            self.assertEqual(positions, sorted(positions))
            self.assertIn("Ответ дан", text)  # each card's state, in Russian
            self.assertGreaterEqual(pages, len(keys))
            self.assertLessEqual(pages, 2 * len(keys))

    def test_monthly_report_of_two_companies_prints(self):
        other = self.env["res.company"].create({"name": "Администрация Тестового района"})
        text, pages = self.render_pdf(
            "report_monthly",
            [self.company.id, other.id],
            {"date_from": "2025-03-01", "date_to": "2025-03-31"},
            env=self.env,
        )
        self.assertEqual(text.count("Анализ сообщений граждан в социальных сетях"), 2)
        self.assertIn(self.company.name, text)
        self.assertIn("Администрация Тестового района", text)
        self.assertIn("Выявлено сообщений 7", text)
        self.assertIn("Выявлено сообщений 0", text)
        self.assertGreaterEqual(pages, 2)

    def weekly_chart(self, lang):
        self.env["res.lang"]._activate_lang(lang)
        report = self.env["report.social_incidents_reports.report_monthly"].with_context(lang=lang)
        values = report._get_report_values(
            self.company.ids, {"date_from": "2025-03-01", "date_to": "2025-03-31"}
        )
        return [(bar["label"], bar["count"]) for bar in values["reports"][0]["chart"]["bars"]]

    def test_weekly_chart_counts_in_the_language_week(self):
        # March 2025: A-E Monday 3 to Friday 7, F Monday 10, G Monday 31
        self.assertEqual(self.env["res.lang"]._lang_get("ru_RU").week_start, "1")
        self.assertEqual(
            self.weekly_chart("ru_RU"),
            [
                ("01.03–02.03", 0),
                ("03.03–09.03", 5),
                ("10.03–16.03", 1),
                ("17.03–23.03", 0),
                ("24.03–30.03", 0),
                ("31.03–31.03", 1),
            ],
        )
        # US English weeks start on Sunday, and so does Odoo's ":week" grouping
        chart = self.weekly_chart("en_US")
        self.assertEqual(self.env["res.lang"]._lang_get("en_US").week_start, "7")
        self.assertEqual(
            chart,
            [
                ("01.03–01.03", 0),
                ("02.03–08.03", 5),
                ("09.03–15.03", 1),
                ("16.03–22.03", 0),
                ("23.03–29.03", 0),
                ("30.03–31.03", 1),
            ],
        )

    def test_weekly_chart_of_the_pdf_in_english(self):
        self.env["res.lang"]._activate_lang("en_US")
        env = self.env(user=self.head, context=dict(self.env.context, lang="en_US"))
        html = (
            env["ir.actions.report"]
            ._render_qweb_html(
                "social_incidents_reports.report_monthly",
                self.company.ids,
                data={"date_from": "2025-03-01", "date_to": "2025-03-31"},
            )[0]
            .decode()
        )
        chart = html.split("<svg", 1)[1].split("</svg>", 1)[0]
        self.assertIn(">5</text>", chart)  # the week of 2 to 8 March
        self.assertIn("02.03–08.03", chart)

    def test_a_merged_incident_is_not_left_without_a_reply_by_rule(self):
        with at(2025, 3, 11, 10, 0):
            duplicate = self.Incident.with_user(self.curator).create(
                {
                    "network": "vk",
                    "text": "Опять фонари не горят, сколько можно",
                    "external_id": "reports-M",
                    "url": "https://vk.com/wall-1_100?reply=M",
                    "importance": "high",
                }
            )
        with at(2025, 3, 11, 10, 10):
            duplicate.with_user(self.curator).action_merge(self.dataset["D"])
        self.assertEqual(duplicate.state, "merged")

        rows = {row.incident_id: row for row in self.march_rows()}
        self.assertEqual(rows[duplicate].timeliness, "merged")
        self.assertEqual(rows[self.dataset["E"]].timeliness, "not_applicable")
        by_timeliness = dict(
            self.Report._read_group(
                self.Report._period_domain(self.company, *MARCH), ["timeliness"], ["__count"]
            )
        )
        self.assertEqual(by_timeliness["not_applicable"], 1)  # E only
        self.assertEqual(by_timeliness["merged"], 1)

        text, _pages = self.render_pdf(
            "report_monthly", self.company.ids, {"date_from": "2025-03-01", "date_to": "2025-03-31"}
        )
        self.assertIn("Оставлено без ответа по основаниям регламента 1", text)
        self.assertIn("Объединено как дубли 1", text)
        high = text.split("Сообщения повышенной важности", 1)[1].split(
            "Десять самых длительных", 1
        )[0]
        self.assertIn(duplicate.name, high)
        self.assertIn("Объединён с другим инцидентом", high)
        self.assertNotIn("Без ответа по регламенту", high)
