"""A comment delivered by the VK webhook and the same comment's link pasted
by a curator are one incident, whichever comes first (issue #15, dedupe)."""

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from . import test_webhook
from .common import ConnectorMixin


@tagged("post_install", "-at_install")
class TestWebhookAndPastedLink(ConnectorMixin, HttpCase):
    # the webhook calls of the callback tests (not their tests: not collected twice)
    post = test_webhook.TestVkCallback.post
    comment = test_webhook.TestVkCallback.comment
    event = test_webhook.TestVkCallback.event

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()

    def paste(self, url):
        return self.Incident.with_user(self.curator).create(
            {"text": "У дома 12 по Жуковского не горит фонарь.", "url": url}
        )

    def test_delivered_then_pasted_is_refused_naming_the_incident(self):
        comment = self.comment()
        for _delivery in range(2):  # VK re-delivers when it gets no "ok" in time
            self.assertEqual(self.post(self.event(comment)).text, "ok")
            self.Event._cron_process()
        incident = self.incidents_of(self.vk)
        self.assertEqual(len(incident), 1)
        group = self.fake_vk.group_id
        with self.assertRaises(UserError) as caught:
            self.paste(
                f"https://vk.com/club{group}?w=wall-{group}_{comment['post_id']}_r{comment['id']}"
            )
        self.assertEqual(
            str(caught.exception),
            f"This message is already registered as incident {incident.name}.",
        )

    def test_pasted_then_delivered_stays_one_incident(self):
        comment = self.comment()
        group = self.fake_vk.group_id
        pasted = self.paste(
            f"https://m.vk.com/wall-{group}_{comment['post_id']}?reply={comment['id']}"
        )
        self.assertEqual(pasted.account_id, self.vk)
        self.post(self.event(comment))
        self.Event._cron_process()
        self.assertEqual(self.incidents_of(self.vk), pasted)
        self.assertEqual(self.Event.search([("account_id", "=", self.vk.id)]).incident_id, pasted)
