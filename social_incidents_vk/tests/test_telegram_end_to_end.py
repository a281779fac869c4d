"""A comment posted under a post of the (fake) Telegram channel reaches Odoo over
the webhook (a real HTTP POST, as Telegram delivers it), becomes an incident,
is routed, answered and approved; the reply appears in the discussion group
as the bot's reply to the comment; then the comment is moderated."""

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from ..clients import telegram
from .common import ConnectorMixin
from .common_telegram import TelegramMixin

COMMENT = "На Агурина, 3 огромная яма у подъезда, машины бьют колёса."
ANSWER = "Здравствуйте! Яму заделаем на этой неделе."


@tagged("post_install", "-at_install")
class TestTelegramEndToEnd(ConnectorMixin, TelegramMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()
        cls.setup_telegram()

    def setUp(self):
        super().setUp()
        self.clear_telegram()
        telegram.reset_rate_limiters()
        self.addCleanup(telegram.reset_rate_limiters)

    def test_comment_to_incident_to_reply_to_moderation(self):
        fake = self.fake_tg
        # the page's bot is told where to send the updates (the fake accepts http://)
        url = f"{self.base_url()}/social_incidents_vk/telegram/{self.tg.id}"
        self.tg._telegram_client().set_webhook(
            url, secret_token=self.tg._tg_secret(), allowed_updates=self.tg._tg_allowed_updates()
        )
        self.assertEqual(fake.webhook["url"], url)

        post_id = fake.channel_post("Благоустройство дворов: план на лето")
        comment = fake.comment(post_id, self.citizen, COMMENT)
        # a message the bot must not register: someone writing as the channel
        fake.channel_message_in_group("Администрация на связи", post_id=post_id)
        statuses = fake.deliver()
        self.assertEqual(
            statuses, [200, 200, 200, 200], "channel post, forward, comment, channel's message"
        )
        self.assertFalse(fake.pending_updates, "Telegram's queue is confirmed")
        self.env["social.inbound.event"]._cron_process()
        self.env.invalidate_all()
        incident = self.tg_incidents()
        self.assertEqual(len(incident), 1)
        self.assertEqual(incident.text, COMMENT)
        self.assertEqual(incident.author_id.name, "Мария Иванова")
        self.assertEqual(incident.url, fake.comment_link(post_id, comment))
        self.assertEqual(incident.external_id, f"korenovsk_news/{post_id}/{comment['message_id']}")

        reply = self.answer(incident, body=ANSWER)
        self.assertEqual(reply.publish_channel, "api")
        reply.with_user(self.executor_user).action_open_publish_wizard()
        [sent] = fake.sent
        self.assertEqual(sent["chat"]["id"], fake.group["id"])
        self.assertEqual(sent["text"], ANSWER)
        self.assertEqual(sent["reply_to_message"]["message_id"], comment["message_id"])
        self.assertEqual(sent["message_thread_id"], comment["message_thread_id"])
        [request] = fake.requests_of("sendMessage")
        self.assertEqual(request["params"]["message_thread_id"], comment["message_thread_id"])
        self.assertEqual(reply.state, "published")
        self.assertEqual(
            reply.published_url,
            f"https://t.me/korenovsk_news/{post_id}?comment={sent['message_id']}",
        )
        self.assertEqual(incident.state, "answered")

        # the citizen edits the comment: the incident follows, no second incident
        fake.edit(comment, COMMENT + " Фото приложу.")
        self.assertEqual(fake.deliver(), [200])
        self.env["social.inbound.event"]._cron_process()
        self.env.invalidate_all()
        self.assertEqual(len(self.tg_incidents()), 1)

        # an executor may not moderate, even calling the server directly
        self.authenticate(self.executor_user.login, self.executor_user.login)
        with self.assertRaises(JsonRpcException) as refused:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "social.moderation.wizard",
                    "method": "create",
                    "args": [{"incident_id": incident.id, "delete_comment": True}],
                    "kwargs": {"context": {"lang": "en_US"}},
                },
            )
        self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError")
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "social.incident",
                    "method": "action_open_moderation_wizard",
                    "args": [[incident.id]],
                    "kwargs": {},
                },
            )
        self.assertFalse(fake.requests_of("deleteMessage"))

        # the curator deletes the comment and bans its author
        self.env["social.moderation.wizard"].with_user(self.curator).create(
            {
                "incident_id": incident.id,
                "delete_comment": True,
                "ban_author": True,
                "reason": "spam",
            }
        ).action_confirm()
        self.assertIn((fake.group["id"], comment["message_id"]), fake.deleted)
        self.assertIn((fake.group["id"], self.citizen["id"]), fake.banned)
        self.assertEqual(set(incident.moderation_log_ids.mapped("result")), {"done"})
        self.assertEqual(incident.moderation_log_ids.user_id, self.curator)
        self.assertTrue(incident.source_deleted)
