"""The head, in the browser: the print wizard from the menu opens the analysis of
the month, whose pivot and list show the incidents; and the PDFs download
through the same route the web client uses."""

import json
import re
from datetime import timedelta
from urllib.parse import quote

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.social_incidents.tools import clock, guard

from .pdf import pdf_text


@tagged("post_install", "-at_install")
class TestReportsInTheBrowser(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a municipality of its own: the demo's incidents stay out of the figures
        cls.company = cls.env["res.company"].create({"name": "Tour Municipality"})
        cls.company.resource_calendar_id.tz = "Europe/Moscow"
        cls.company._apply_social_sla_preset("kor")

        def user(login, groups):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=cls.company.id,
                company_ids=[(6, 0, cls.company.ids)],
                lang="ru_RU",
                tz="Europe/Moscow",
            )

        cls.head = user("tour_head", "social_incidents.group_social_head")
        cls.curator = user("tour_rep_curator", "social_incidents.group_social_curator")
        cls.member = user("tour_rep_executor", "social_incidents.group_social_executor")
        cls.executor = cls.env["social.executor"].create(
            {
                "name": "Tour Roads",
                "company_id": cls.company.id,
                "member_ids": [(6, 0, cls.member.ids)],
            }
        )
        Incident = cls.env["social.incident"].with_user(cls.curator).with_company(cls.company)
        cls.incidents = {}
        for key in ("TOUR-ON-TIME", "TOUR-LATE", "TOUR-OPEN"):
            incident = Incident.create(
                {
                    "network": "vk",
                    "text": f"{key}: <b>яма</b> на дороге",
                    "external_id": key,
                    "company_id": cls.company.id,
                }
            )
            incident.action_route(cls.executor)
            cls.incidents[key] = incident
        late = cls.incidents["TOUR-LATE"]
        # its reply is due an hour ago (the total deadline moved into the past)
        with guard.system_write():  # the test stands in for the engine
            late.deadline_ids.filtered(lambda d: d.step == "total").sudo().deadline = (
                clock.now() - timedelta(hours=1)
            )
        for key in ("TOUR-ON-TIME", "TOUR-LATE"):
            reply = (
                cls.env["social.incident.reply"]
                .with_user(cls.member)
                .create(
                    {
                        "incident_id": cls.incidents[key].id,
                        "kind": "final",
                        "body": "Отремонтируем.",
                    }
                )
            )
            reply.with_user(cls.member).action_submit()
            reply.with_user(cls.curator).action_approve()
            reply.with_user(cls.member).action_mark_published(
                f"https://vk.com/wall-1_1?reply={key}"
            )

    def test_head_opens_the_analysis_of_the_month(self):
        rows = self.env["social.incident.report"].search([("company_id", "=", self.company.id)])
        self.assertEqual(
            {row.incident_id.external_id: row.timeliness for row in rows},
            {"TOUR-ON-TIME": "on_time", "TOUR-LATE": "late", "TOUR-OPEN": "pending"},
        )
        self.start_tour(
            "/odoo/action-social_incidents_reports.social_report_wizard_action_monthly",
            "social_incidents_reports_analysis_tour",
            login=self.head.login,
        )

    def test_pdfs_download_as_the_web_client_asks(self):
        # wkhtmltopdf would ask this test server for the stylesheets while the
        # download holds the test's cursor: point it where nothing answers (the
        # reports carry their own styles)
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        self.authenticate(self.head.login, self.head.login)
        csrf = re.search(r'csrf_token: "([^"]+)"', self.url_open("/odoo").text).group(1)
        today = clock.now().date().isoformat()
        # the wizard's action, as the web client turns it into a download: a
        # report with data goes without record ids, its data as "options"
        wizard = (
            self.env["social.report.wizard"]
            .with_user(self.head)
            .create(
                {
                    "report": "monthly",
                    "period": "custom",
                    "company_id": self.company.id,
                    "date_from": today[:8] + "01",
                    "date_to": today,
                }
            )
        )
        action = wizard.action_print()
        self.assertEqual(action["data"]["company_ids"], self.company.ids)
        options = quote(json.dumps(action["data"]))
        card = self.incidents["TOUR-LATE"]
        second = self.incidents["TOUR-ON-TIME"]
        for url, expected in (
            (
                f"/report/pdf/social_incidents_reports.report_monthly?options={options}",
                "Выявлено сообщений 3",
            ),
            (
                f"/report/pdf/social_incidents_reports.report_disciplinary?options={options}",
                "Нарушения сроков для принятия дисциплинарных решений",
            ),
            (
                f"/report/pdf/social_incidents_reports.report_incident_card/{card.id}",
                f"Карточка инцидента {card.name}",
            ),
            # two incidents selected in the list, Print → Incident Card
            (
                f"/report/pdf/social_incidents_reports.report_incident_card/{card.id},{second.id}",
                f"Карточка инцидента {second.name}",
            ),
        ):
            response = self.url_open(
                "/report/download",
                data={
                    "data": json.dumps([url, "qweb-pdf"]),
                    "context": json.dumps({"lang": "ru_RU", "force_report_rendering": True}),
                    "csrf_token": csrf,
                },
                timeout=120,
            )
            self.assertEqual(response.status_code, 200, response.text[:500])
            self.assertEqual(response.headers["Content-Type"], "application/pdf")
            self.assertIn(expected, pdf_text(response.content))
