import base64

from odoo.tests import tagged

from odoo.addons.social_incidents.tests.test_sla import at

from .common import ReportsCase
from .pdf import pdf_text


@tagged("post_install", "-at_install")
class TestMonthlyDispatch(ReportsCase):
    def test_first_of_the_month_sends_the_head_one_pdf(self):
        self.head.lang = "ru_RU"
        Monthly = self.env["social.report.monthly"]
        with at(2025, 4, 1, 6, 0):
            Monthly._cron_send_monthly()
            Monthly._cron_send_monthly()  # a second run sends nothing more
        report = Monthly.search(
            [("company_id", "=", self.company.id), ("date_from", "=", "2025-03-01")]
        )
        self.assertEqual(len(report), 1)
        self.assertEqual(str(report.date_to), "2025-03-31")
        self.assertEqual(report.head_ids, self.head)
        self.assertEqual(report.incident_count, 7)
        messages = report.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages.partner_ids, self.head.partner_id)
        self.assertIn("март 2025", messages.body)
        self.assertIn("80,0 %", messages.body)
        self.assertEqual(messages.attachment_ids, report.attachment_id)
        self.assertEqual(messages.attachment_ids.mimetype, "application/pdf")
        text = pdf_text(base64.b64decode(report.attachment_id.datas))
        self.assertIn("Выявлено сообщений 7", text)
        self.assertIn("март 2025", text)
        # the head is told in their inbox
        notified = self.env["mail.notification"].search(
            [
                ("mail_message_id", "=", messages.id),
                ("res_partner_id", "=", self.head.partner_id.id),
            ]
        )
        self.assertEqual(len(notified), 1)

    def test_a_company_without_a_head_gets_nothing(self):
        self.company.social_head_user_id = False
        self.env.ref("social_incidents.group_social_head").users = [(5, 0, 0)]
        with at(2025, 4, 1, 6, 0):
            self.env["social.report.monthly"]._cron_send_monthly()
        self.assertFalse(
            self.env["social.report.monthly"].search(
                [("company_id", "=", self.company.id), ("date_from", "=", "2025-03-01")]
            )
        )
