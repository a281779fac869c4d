"""The VK Callback API endpoint, through Odoo's real HTTP server."""

import json

from odoo.tests import HttpCase, tagged

from .common import ConnectorMixin


@tagged("post_install", "-at_install")
class TestVkCallback(ConnectorMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()

    def post(self, payload, account=None, raw=None):
        account = account or self.vk
        return self.url_open(
            f"/social_incidents_vk/vk/{account.id}/{account.webhook_token}",
            data=raw if raw is not None else json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )

    def events(self):
        return self.Event.search([("account_id", "=", self.vk.id)])

    def comment(self, text="У дома 12 по Жуковского не горит фонарь.", from_id=214578903):
        post = self.fake_vk.add_post("Новости района")
        return self.fake_vk.add_comment(post["id"], from_id, text)

    def event(self, comment, event_type="wall_reply_new", secret="s3cr3t-callback"):
        return self.fake_vk.comment_event(comment, event_type=event_type, secret=secret)

    # ------------------------------------------------------------------
    def test_confirmation_answers_the_string(self):
        response = self.post(
            {"type": "confirmation", "group_id": self.fake_vk.group_id, "secret": "s3cr3t-callback"}
        )
        self.assertEqual((response.status_code, response.text), (200, "a1b2c3d4"))
        self.assertFalse(self.events())

    def test_wrong_or_missing_secret_is_refused_and_nothing_stored(self):
        comment = self.comment()
        for secret in ("wrong", None, "секрет"):
            payload = self.event(comment, secret=secret)
            if secret is None:
                payload.pop("secret", None)
            response = self.post(payload)
            self.assertEqual(response.status_code, 403)
            self.assertIn("секретный ключ", response.text)
        self.assertFalse(self.events())
        self.assertFalse(self.incidents_of(self.vk))
        # counted on the page, without a log row each
        self.assertEqual(self.vk.webhook_refused_count, 3)
        self.assertFalse(self.vk.connector_log_ids.filtered(lambda log: log.operation == "webhook"))

    def test_malformed_body_is_refused(self):
        for raw in ("{not json", "[1, 2]", json.dumps({"no_type": 1}), " "):
            response = self.post(None, raw=raw)
            self.assertEqual(response.status_code, 400, raw)
        payload = self.event(self.comment())
        payload.pop("event_id")
        self.assertEqual(self.post(payload).status_code, 400)
        self.assertFalse(self.events())

    def test_new_comment_becomes_an_incident_once(self):
        comment = self.comment()
        payload = self.event(comment)
        response = self.post(payload)
        self.assertEqual((response.status_code, response.text), (200, "ok"))
        self.assertEqual(self.events().state, "pending")
        self.Event._cron_process()
        incident = self.incidents_of(self.vk)
        self.assertEqual(len(incident), 1)
        owner = -self.fake_vk.group_id
        self.assertEqual(incident.external_id, f"wall{owner}_{comment['post_id']}_{comment['id']}")
        self.assertEqual(
            incident.url, f"https://vk.com/wall{owner}_{comment['post_id']}?reply={comment['id']}"
        )
        self.assertEqual(incident.text, "У дома 12 по Жуковского не горит фонарь.")
        self.assertEqual(incident.author_id.external_id, "214578903")
        self.assertEqual(incident.curator_id, self.curator)
        self.assertEqual(incident.state, "new")
        self.assertEqual(self.events().incident_id, incident)
        # a re-delivery answers "ok" and makes nothing new
        response = self.post(payload)
        self.assertEqual((response.status_code, response.text), (200, "ok"))
        self.Event._cron_process()
        self.assertEqual(len(self.events()), 1)
        self.assertEqual(len(self.incidents_of(self.vk)), 1)
        self.assertTrue(self.vk.last_event_at)

    def test_edit_delete_restore_and_post(self):
        comment = self.comment()
        self.post(self.event(comment))
        self.Event._cron_process()
        incident = self.incidents_of(self.vk)
        edited = dict(comment, text="Исправлено: у дома 14.")
        self.post(self.event(edited, event_type="wall_reply_edit"))
        self.Event._cron_process()
        self.assertEqual(incident.text, "Исправлено: у дома 14.")
        note = incident.message_ids.filtered(
            lambda m: "The author edited the comment" in (m.body or "")
        )
        self.assertIn("У дома 12", note.body)
        self.post(self.event(comment, event_type="wall_reply_delete"))
        self.Event._cron_process()
        self.assertTrue(incident.source_deleted)
        self.assertTrue(
            incident.message_ids.filtered(lambda m: "deleted the comment" in (m.body or ""))
        )
        self.post(self.event(comment, event_type="wall_reply_restore"))
        self.Event._cron_process()
        self.assertFalse(incident.source_deleted)
        post = self.fake_vk.add_post("Расписание приёма граждан")
        self.post(self.fake_vk.callback_event("wall_post_new", post, secret="s3cr3t-callback"))
        self.Event._cron_process()
        self.assertEqual(
            len(self.incidents_of(self.vk)), 1, "a post of the page is not an incident"
        )
        self.assertTrue(self.vk.last_post_at)
        self.assertEqual(set(self.events().mapped("state")), {"done"})

    def test_unknown_event_and_own_comment_are_ignored(self):
        response = self.post(
            self.fake_vk.callback_event(
                "group_join", {"user_id": 5, "join_type": "join"}, secret="s3cr3t-callback"
            )
        )
        self.assertEqual((response.status_code, response.text), (200, "ok"))
        own = self.comment(text="Ответ администрации", from_id=-self.fake_vk.group_id)
        self.post(self.event(own))
        self.Event._cron_process()
        self.assertEqual(sorted(self.events().mapped("state")), ["ignored", "ignored"])
        self.assertFalse(self.incidents_of(self.vk))

    def test_failure_keeps_the_event_for_a_retry(self):
        payload = self.event(self.comment())
        payload["object"]["post_id"] = "not-a-number"
        self.assertEqual(self.post(payload).status_code, 200)
        self.Event._cron_process()
        event = self.events()
        self.assertEqual((event.state, event.attempts), ("error", 1))
        self.assertTrue(event.error)
        self.assertTrue(event.next_try_at)
        self.assertEqual(json.loads(event.payload)["object"]["post_id"], "not-a-number")
        self.assertFalse(self.incidents_of(self.vk))
