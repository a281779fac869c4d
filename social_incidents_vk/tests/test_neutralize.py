"""A database restored as a copy (odoo-bin neutralize, or a restore with
"neutralize") neither posts to nor receives from the real communities."""

import json

from odoo.modules.neutralize import neutralize_database
from odoo.tests import HttpCase, tagged

from .common import ConnectorMixin


@tagged("post_install", "-at_install")
class TestNeutralizedCopy(ConnectorMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()

    def setUp(self):
        super().setUp()
        self.clear_fakes()

    def test_a_neutralized_copy_switches_the_connectors_off(self):
        post = self.fake_vk.add_post("Новости района")
        comment = self.fake_vk.add_comment(post["id"], 771000009, "Когда откроют поликлинику?")
        incident = self.Event._vk_comments_to_incidents(
            self.vk, [dict(comment, post_id=post["id"], owner_id=-self.fake_vk.group_id)]
        )
        reply = self.answer(incident)
        self.fake_vk.requests.clear()

        self.assertTrue(self.vk.sudo().vk_community_token and self.vk.sudo().vk_secret)
        self.assertTrue(self.ok.sudo().ok_access_token)
        neutralize_database(self.env.cr)
        self.env.invalidate_all()

        for page in (self.vk, self.ok):
            self.assertFalse(page.sudo().connector_enabled, page.name)
            self.assertEqual(page.connector_state, "off")
        # the production credentials are gone: the copy cannot be switched back on with them
        credentials = (
            "vk_community_token",
            "vk_user_token",
            "vk_service_token",
            "vk_secret",
            "ok_application_secret_key",
            "ok_access_token",
        )
        for page in (self.vk, self.ok):
            for field in credentials:
                self.assertFalse(page.sudo()[field], f"{page.name}: {field}")
        # what identifies the pages stays
        self.assertTrue(self.vk.sudo().vk_group_id and self.ok.sudo().ok_group_id)
        # nothing is fetched
        self.env["social.account"]._cron_poll()
        # the approved reply is handed to a person, not posted by the community
        self.assertEqual(reply.publish_channel, "manual")
        action = reply.with_user(self.executor_user).action_open_publish_wizard()
        self.assertEqual(action["res_model"], "social.incident.step.wizard")
        # the Callback API endpoint refuses the real community's events
        new_comment = self.fake_vk.add_comment(post["id"], 771000010, "А во дворе темно")
        response = self.url_open(
            f"/social_incidents_vk/vk/{self.vk.id}/{self.vk.sudo().webhook_token}",
            data=json.dumps(self.fake_vk.comment_event(new_comment, secret="s3cr3t-callback")),
            headers={"Content-Type": "application/json"},
        )
        self.assertNotEqual(response.status_code, 200)
        self.assertNotEqual(response.text, "ok")
        self.assertFalse(self.Event.search([("account_id", "=", self.vk.id)]))
        self.assertFalse(self.fake_vk.requests, "no call reached VK")
        self.assertFalse(self.fake_ok.requests, "no call reached OK")
