"""A Telegram page's settings: the connection test, the webhook, the polling
fallback and the health, against the fake Bot API server."""

import json

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError
from odoo.modules.neutralize import neutralize_database
from odoo.tests import HttpCase, TransactionCase, tagged

from ..models.social_account_telegram import TG_POLL_LOCK_CLASS, tg_bot_key
from .common import ConnectorMixin
from .common_telegram import TelegramMixin


@tagged("post_install", "-at_install")
class TestTelegramSettings(ConnectorMixin, TelegramMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()
        cls.setup_telegram()

    def setUp(self):
        super().setUp()
        self.clear_telegram()
        self.fake_tg.webhook = None
        self.fake_tg.set_bot_rights(self.fake_tg.channel["id"])
        self.fake_tg.set_bot_rights(self.fake_tg.group["id"])
        self.fake_tg.linked[self.fake_tg.channel["id"]] = self.fake_tg.group["id"]

    def test(self):
        return self.tg.action_test_connection()["params"]

    # ------------------------------------------------------------------
    # Secrets and fields
    # ------------------------------------------------------------------
    def test_the_webhook_secret_is_generated_and_for_administrators_only(self):
        secret = self.tg.sudo().tg_webhook_secret
        self.assertRegex(secret, r"^[A-Za-z0-9_-]{32,256}$")
        other = self.env["social.account"].create(
            {"name": "Other", "network": "telegram", "url": "https://t.me/other_channel"}
        )
        self.assertNotEqual(other.sudo().tg_webhook_secret, secret)
        for field in ("tg_bot_token", "tg_webhook_secret", "tg_api_url", "tg_update_offset"):
            self.assertEqual(
                self.tg._fields[field].groups, "social_incidents.group_social_admin", field
            )
        with self.assertRaises(AccessError):
            _token = self.tg.with_user(self.curator).tg_bot_token
        with self.assertRaises(UserError):
            self.tg.write({"tg_webhook_secret": "mine"})
        with self.assertRaises(UserError):
            self.tg.write({"tg_update_offset": 5})
        self.assertEqual(
            self.tg.webhook_url,
            f"{self.env['ir.config_parameter'].get_param('web.base.url')}"
            f"/social_incidents_vk/telegram/{self.tg.id}",
        )

    def test_a_neutralized_copy_forgets_the_bot(self):
        self.assertTrue(self.tg.sudo().tg_bot_token and self.tg.sudo().tg_webhook_secret)
        neutralize_database(self.env.cr)
        self.env.invalidate_all()
        page = self.tg.sudo()
        self.assertFalse(page.connector_enabled)
        self.assertFalse(page.tg_bot_token)
        self.assertFalse(page.tg_webhook_secret)
        self.assertEqual(self.tg.connector_state, "off")

    # ------------------------------------------------------------------
    # Connection test
    # ------------------------------------------------------------------
    def test_connection_test_with_every_right(self):
        params = self.test()
        self.assertEqual(params["type"], "success")
        self.assertIn("@korenovsk_incidents_bot answers", params["message"])
        self.assertIn("the connection works", params["message"])
        calls = [(r["method"], r["params"].get("chat_id")) for r in self.fake_tg.requests]
        channel, group = self.fake_tg.channel["id"], self.fake_tg.group["id"]
        self.assertEqual(
            calls,
            [
                ("getMe", None),
                ("getChat", str(channel)),
                ("getChatMember", str(channel)),
                ("getChat", str(group)),
                ("getChatMember", str(group)),
            ],
        )
        self.assertEqual(self.tg.connector_state, "ok")
        self.assertTrue(self.tg.last_success_at)

    def test_connection_test_says_what_is_missing_in_one_message(self):
        self.fake_tg.set_bot_rights(self.fake_tg.channel["id"], status="member")
        self.fake_tg.set_bot_rights(
            self.fake_tg.group["id"], can_delete_messages=False, can_restrict_members=False
        )
        self.fake_tg.linked[self.fake_tg.channel["id"]] = -1005555555555
        params = self.test()
        self.assertEqual(params["type"], "warning")
        message = params["message"]
        self.assertIn("the bot is not an administrator of the channel", message)
        self.assertIn("cannot delete messages in the discussion group", message)
        self.assertIn("cannot ban users in the discussion group", message)
        self.assertIn("is not the channel's linked discussion group", message)
        self.assertIn("-1005555555555", message)
        self.assertEqual(self.tg.connector_state, "error")
        self.assertIn("What is missing", self.tg.last_error)

    def test_connection_test_with_a_wrong_token_alerts_the_administrators(self):
        self.tg.tg_bot_token = "123:wrong"
        params = self.test()
        self.assertEqual(params["type"], "warning")
        self.assertIn("Telegram rejected the bot token (error 401)", params["message"])
        self.assertNotIn("123:wrong", params["message"])
        self.assertNotIn("123:wrong", self.tg.last_error)
        self.assertEqual(
            self.tg.activity_ids.activity_type_id,
            self.env.ref("social_incidents_vk.mail_act_social_connector"),
        )

    def test_a_curator_cannot_test_connect_or_poll(self):
        for method in ("action_test_connection", "action_tg_set_webhook", "action_poll_now"):
            with self.assertRaises(AccessError, msg=method):
                getattr(self.tg.with_user(self.curator), method)()
        self.assertFalse(self.fake_tg.requests)

    # ------------------------------------------------------------------
    # Webhook
    # ------------------------------------------------------------------
    def test_connect_the_webhook_sends_the_address_secret_and_updates(self):
        self.env["ir.config_parameter"].set_param("web.base.url", "https://city.example.org")
        params = self.tg.action_tg_set_webhook()["params"]
        self.assertEqual(params["type"], "success")
        (request,) = self.fake_tg.requests_of("setWebhook")
        self.assertEqual(
            request["params"]["url"],
            f"https://city.example.org/social_incidents_vk/telegram/{self.tg.id}",
        )
        self.assertEqual(request["params"]["secret_token"], self.tg.sudo().tg_webhook_secret)
        self.assertEqual(
            request["params"]["allowed_updates"], ["message", "edited_message", "channel_post"]
        )
        self.assertEqual(self.fake_tg.webhook["secret_token"], self.tg.sudo().tg_webhook_secret)
        self.assertTrue(self.tg.last_success_at)

    def test_polling_mode_removes_the_webhook(self):
        self.fake_tg.webhook = {"url": "https://old.example.org/hook"}
        self.tg.tg_intake_mode = "polling"
        params = self.tg.action_tg_set_webhook()["params"]
        self.assertEqual(params["type"], "success")
        self.assertEqual([r["method"] for r in self.fake_tg.requests], ["deleteWebhook"])
        self.assertIsNone(self.fake_tg.webhook)

    def test_an_http_address_is_refused_by_telegram_with_a_hint(self):
        self.env["ir.config_parameter"].set_param("web.base.url", "http://192.168.0.10:8069")
        self.fake_tg.allow_http = False
        try:
            params = self.tg.action_tg_set_webhook()["params"]
        finally:
            self.fake_tg.allow_http = True
        self.assertEqual(params["type"], "danger")
        self.assertIn("Telegram error 400", params["message"])
        self.assertIn("only to a public HTTPS address", params["message"])
        self.assertIn("http://192.168.0.10:8069/social_incidents_vk/telegram/", params["message"])
        self.assertIsNone(self.fake_tg.webhook)
        self.assertEqual(self.tg.connector_state, "error")

    def test_a_new_secret_is_given_to_telegram_at_once(self):
        self.env["ir.config_parameter"].set_param("web.base.url", "https://city.example.org")
        old = self.tg.sudo().tg_webhook_secret
        self.tg.action_tg_new_secret()
        new = self.tg.sudo().tg_webhook_secret
        self.assertNotEqual(new, old)
        (request,) = self.fake_tg.requests_of("setWebhook")
        self.assertEqual(request["params"]["secret_token"], new)
        self.assertTrue(
            self.tg.message_ids.filtered(lambda m: "new webhook secret" in (m.body or ""))
        )
        self.assertNotIn(new, " ".join(self.tg.message_ids.mapped("body")))
        # Telegram refusing it: nothing changes
        self.fake_tg.fail_next(
            "setWebhook",
            error_code=400,
            description="Bad Request: bad webhook: Failed to resolve host",
        )
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.tg.action_tg_new_secret()
        self.tg.invalidate_recordset()
        self.assertEqual(self.tg.sudo().tg_webhook_secret, new)
        with self.assertRaises(AccessError):
            self.tg.with_user(self.curator).action_tg_new_secret()

    # ------------------------------------------------------------------
    # Polling
    # ------------------------------------------------------------------
    def poll(self):
        self.env["social.account"]._cron_poll()
        self.env.invalidate_all()

    def test_polling_stores_the_updates_and_keeps_the_offset(self):
        self.tg.tg_intake_mode = "polling"
        post = self.fake_tg.channel_post("Новости")
        comment = self.fake_tg.comment(post, self.citizen, "Комментарий из опроса")
        last_update = self.fake_tg.pending_updates[-1]["update_id"]
        self.poll()
        (request,) = self.fake_tg.requests_of("getUpdates")
        self.assertNotIn("offset", request["params"])
        self.assertEqual(request["params"]["timeout"], 0)
        self.assertEqual(
            request["params"]["allowed_updates"], ["message", "edited_message", "channel_post"]
        )
        incident = self.tg_incidents()
        self.assertEqual(incident.tg_message_id, comment["message_id"])
        self.assertEqual(incident.text, "Комментарий из опроса")
        self.assertEqual(self.tg.sudo().tg_update_offset, last_update + 1)
        self.assertTrue(self.tg.last_poll_at)
        self.assertEqual(
            len(self.tg_events()), 3, "the channel post (the quota), its forward, the comment"
        )
        # a fresh environment (a restart) reads the offset from the database
        self.env.flush_all()
        fresh = api.Environment(self.env.cr, SUPERUSER_ID, {})
        fresh.invalidate_all()
        page = fresh["social.account"].browse(self.tg.id)
        self.assertEqual(page.tg_update_offset, last_update + 1)
        self.fake_tg.requests.clear()
        self.fake_tg.comment(post, self.citizen2, "Ещё один")
        fresh["social.account"]._cron_poll()
        (request,) = self.fake_tg.requests_of("getUpdates")
        self.assertEqual(request["params"]["offset"], last_update + 1)
        self.env.invalidate_all()
        self.assertEqual(len(self.tg_incidents()), 2)
        self.assertEqual(len(self.tg_events()), 4)
        # polling again with nothing new stores nothing
        self.poll()
        self.assertEqual(len(self.tg_events()), 4)

    def test_polling_now_says_what_came_in(self):
        self.tg.tg_intake_mode = "polling"
        post = self.fake_tg.channel_post("Новости")
        self.fake_tg.comment(post, self.citizen, "Первый")
        params = self.tg.action_poll_now()["params"]
        self.assertEqual((params["type"], params["message"]), ("success", "1 new incidents."))

    def test_a_set_webhook_makes_polling_fail_with_a_clear_error(self):
        self.tg.tg_intake_mode = "polling"
        self.fake_tg.webhook = {"url": "https://elsewhere.example.org/hook", "secret_token": "x"}
        self.fake_tg.channel_post("Новости")
        self.poll()
        self.assertEqual(self.tg.connector_state, "error")
        self.assertIn("a webhook is set for this bot", self.tg.last_error)
        self.assertIn("error 409", self.tg.last_error)
        self.assertFalse(self.tg_events())
        self.assertEqual(self.tg.sudo().tg_update_offset, 0)

    def test_a_page_in_webhook_mode_is_not_polled(self):
        self.assertEqual(self.tg.sudo().tg_intake_mode, "webhook")
        self.fake_tg.channel_post("Новости")
        self.poll()
        self.assertFalse(self.fake_tg.requests_of("getUpdates"))
        with self.assertRaises(UserError):
            self.tg.action_poll_now()

    def test_two_workers_never_poll_the_same_bot(self):
        self.tg.tg_intake_mode = "polling"
        self.fake_tg.channel_post("Новости")
        self.env.flush_all()
        with self.env.registry.cursor() as other_cr:
            other_cr.execute(
                "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))",
                (TG_POLL_LOCK_CLASS, tg_bot_key(self.fake_tg.token)),
            )
            self.assertTrue(other_cr.fetchone()[0])
            self.poll()
            self.assertFalse(self.fake_tg.requests_of("getUpdates"), "the other worker polls it")
            other_cr.rollback()
        self.poll()
        self.assertEqual(len(self.fake_tg.requests_of("getUpdates")), 1)


@tagged("post_install", "-at_install")
class TestTelegramSettingsOverRpc(ConnectorMixin, TelegramMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()
        cls.setup_telegram()

    def call_kw(self, login, method):
        self.authenticate(login, login)
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": "social.account",
                "method": method,
                "args": [self.tg.ids],
                "kwargs": {},
            },
        }
        response = self.url_open(
            f"/web/dataset/call_kw/social.account/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_a_curator_is_refused_over_rpc(self):
        self.fake_tg.requests.clear()
        for method in ("action_test_connection", "action_tg_set_webhook"):
            body = self.call_kw("vk_curator", method)
            self.assertIn(
                "Only an administrator of the incidents manages the connector",
                body["error"]["data"]["message"],
            )
        self.assertFalse(self.fake_tg.requests)
        self.assertFalse(self.fake_tg.webhook)
