"""A comment posted on the (fake) VK community arrives in Odoo as an incident,
its approved reply appears on VK as the community's answer under that comment,
and a moderation action reaches VK."""

import json

from odoo.tests import HttpCase, tagged

from .common import ConnectorMixin


@tagged("post_install", "-at_install")
class TestEndToEnd(ConnectorMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()

    def test_comment_to_incident_to_reply_to_moderation(self):
        fake = self.fake_vk
        post = fake.add_post("Благоустройство дворов: план на лето")
        comment = fake.add_comment(post["id"], 187334520, "На Агурина, 3 огромная яма у подъезда.")
        response = self.url_open(
            f"/social_incidents_vk/vk/{self.vk.id}/{self.vk.webhook_token}",
            data=json.dumps(fake.comment_event(comment, secret="s3cr3t-callback")),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.text, "ok")
        self.env["social.inbound.event"]._cron_process()
        incident = self.incidents_of(self.vk)
        self.assertEqual(incident.text, "На Агурина, 3 огромная яма у подъезда.")

        reply = self.answer(incident, body="Здравствуйте! Яму заделаем на этой неделе.")
        reply.with_user(self.executor_user).action_open_publish_wizard()
        owner = -fake.group_id
        answers = [
            c
            for c in fake.comments.values()
            if c["from_id"] == owner and c["post_id"] == post["id"]
        ]
        self.assertEqual(len(answers), 1)
        self.assertEqual(answers[0]["text"], "Здравствуйте! Яму заделаем на этой неделе.")
        self.assertEqual(answers[0].get("reply_to_comment"), comment["id"])
        self.assertEqual(incident.state, "answered")

        # our own answer comes back as an event: it is not an incident
        self.url_open(
            f"/social_incidents_vk/vk/{self.vk.id}/{self.vk.webhook_token}",
            data=json.dumps(fake.comment_event(answers[0], secret="s3cr3t-callback")),
            headers={"Content-Type": "application/json"},
        )
        self.env["social.inbound.event"]._cron_process()
        self.assertEqual(len(self.incidents_of(self.vk)), 1)

        self.env["social.moderation.wizard"].with_user(self.curator).create(
            {"incident_id": incident.id, "delete_comment": True, "reason": "spam"}
        ).action_confirm()
        self.assertIn((owner, comment["id"]), fake.deleted_comments)
        self.assertEqual(incident.moderation_log_ids.result, "done")
