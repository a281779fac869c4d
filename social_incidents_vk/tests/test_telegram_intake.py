"""Telegram updates through the page's webhook (Odoo's real HTTP server, the
fake Bot API server POSTing them as Telegram does), and what the processing
job makes of them."""

import json
from datetime import UTC, datetime

import requests

from odoo.tests import HttpCase, tagged

from odoo.addons.social_incidents.models.helpers import in_company_lang
from odoo.addons.social_incidents.tools import links

from .common import ConnectorMixin
from .common_telegram import TelegramMixin

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@tagged("post_install", "-at_install")
class TestTelegramWebhook(ConnectorMixin, TelegramMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()
        cls.setup_telegram()

    def setUp(self):
        super().setUp()
        self.clear_telegram()
        # what "Connect the Webhook" asks Telegram for
        self.fake_tg.allowed_updates = ["message", "edited_message"]
        self.url = f"{self.base_url()}/social_incidents_vk/telegram/{self.tg.id}"
        self.secret = self.tg.sudo().tg_webhook_secret

    def deliver(self, secret=None):
        """Telegram POSTs the pending updates to the page's address."""
        return self.fake_tg.deliver(url=self.url, secret_token=secret or self.secret)

    def post(self, body, secret=None, raw=None):
        headers = {"Content-Type": "application/json"}
        if secret is not False:
            headers[SECRET_HEADER] = secret or self.secret
        return self.url_open(
            f"/social_incidents_vk/telegram/{self.tg.id}",
            data=raw if raw is not None else json.dumps(body),
            headers=headers,
        )

    def process(self):
        self.env["social.inbound.event"]._cron_process()
        self.env.invalidate_all()

    # ------------------------------------------------------------------
    # The endpoint
    # ------------------------------------------------------------------
    def test_wrong_or_missing_secret_is_refused_nothing_stored_and_counted(self):
        post = self.fake_tg.channel_post("Отключение воды 5 июня")
        self.fake_tg.comment(post, self.citizen, "Опять без воды!")
        statuses = self.deliver(secret="wrong-secret")
        self.assertEqual(statuses, [403], "Telegram stops at the first refused update")
        self.assertEqual(len(self.fake_tg.pending_updates), 2, "kept by Telegram for later")
        update = self.fake_tg.pending_updates[0]
        response = self.post(update, secret=False)
        self.assertEqual(response.status_code, 403)
        self.assertIn("секретный токен", response.text)
        self.assertEqual(self.post(update, secret=self.secret[:-1] + "x").status_code, 403)
        self.assertFalse(self.tg_events())
        self.assertEqual(self.tg.webhook_refused_count, 3)
        self.assertTrue(self.tg.webhook_refused_last_at)
        # another page's secret does not open this one
        other = self.env["social.account"].create(
            {
                "name": "Other channel",
                "network": "telegram",
                "url": "https://t.me/other_channel",
                "connector_enabled": True,
            }
        )
        self.assertEqual(self.post(update, secret=other.sudo().tg_webhook_secret).status_code, 403)
        self.assertFalse(self.tg_events())

    def test_unknown_or_disconnected_page_is_not_found(self):
        update = {"update_id": 1, "message": {"message_id": 1}}
        response = self.url_open(
            "/social_incidents_vk/telegram/999999",
            data=json.dumps(update),
            headers={"Content-Type": "application/json", SECRET_HEADER: self.secret},
        )
        self.assertEqual(response.status_code, 404)
        self.tg.connector_enabled = False
        self.assertEqual(self.post(update).status_code, 404)
        self.tg.connector_enabled = True
        self.assertFalse(self.tg_events())

    def test_malformed_and_oversized_bodies_are_refused(self):
        for raw in ("{not json", "[1, 2]", json.dumps({"message": {}}), " ", '{"update_id": "7"}'):
            response = self.post(None, raw=raw)
            self.assertEqual(response.status_code, 400, raw)
        self.assertEqual(self.post({"update_id": -5, "message": {}}).status_code, 400)
        self.assertEqual(self.post({"update_id": True, "message": {}}).status_code, 400)
        deep = {"update_id": 5}
        node = deep
        for _level in range(40):
            node["x"] = {}
            node = node["x"]
        self.assertEqual(self.post(deep).status_code, 400)
        big = {"update_id": 6, "message": {"text": "а" * 70000}}
        self.assertEqual(self.post(big).status_code, 413)
        self.assertFalse(self.tg_events())

    def test_a_redelivered_update_is_stored_once(self):
        post = self.fake_tg.channel_post("Ремонт дороги")
        self.fake_tg.comment(post, self.citizen, "Когда закончат?")
        updates = self.fake_tg.pending_updates
        self.assertEqual(self.deliver(), [200, 200])
        for update in updates:
            response = self.post(update)
            self.assertEqual((response.status_code, response.text), (200, "ok"))
        events = self.tg_events()
        self.assertEqual(len(events), 2)
        self.assertEqual(
            events.mapped("event_id"), [f"{self.tg.id}:{u['update_id']}" for u in updates]
        )
        self.process()
        self.assertEqual(len(self.tg_incidents()), 1)
        self.assertTrue(self.tg.last_event_at)

    # ------------------------------------------------------------------
    # Comments → incidents
    # ------------------------------------------------------------------
    def test_a_comment_on_a_channel_post_becomes_an_incident(self):
        post = self.fake_tg.channel_post("График приёма граждан")
        comment = self.fake_tg.comment(post, self.citizen, "Почему не вывозят мусор на Мира, 5?")
        self.assertEqual(self.deliver(), [200, 200])
        events = self.tg_events()
        self.assertEqual(events.mapped("state"), ["pending", "pending"])
        before = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        self.process()
        incident = self.tg_incidents()
        self.assertEqual(len(incident), 1)
        link = links.parse_link(self.fake_tg.comment_link(post, comment))
        self.assertEqual(incident.external_id, link.external_id)
        self.assertEqual(incident.external_id, f"korenovsk_news/{post}/{comment['message_id']}")
        self.assertEqual(
            incident.url, f"https://t.me/korenovsk_news/{post}?comment={comment['message_id']}"
        )
        self.assertEqual(incident.network, "telegram")
        self.assertEqual(incident.source, "own_page")
        self.assertEqual(incident.text, "Почему не вывозят мусор на Мира, 5?")
        self.assertEqual(incident.author_id.name, "Мария Иванова")
        self.assertEqual(incident.author_id.external_id, "5123456789")
        self.assertEqual(incident.author_id.network, "telegram")
        self.assertEqual(incident.author_id.profile_url, "https://t.me/maria_iv")
        self.assertEqual(incident.curator_id, self.curator)
        self.assertEqual(incident.state, "new")
        self.assertEqual(
            incident.published_at, datetime.fromtimestamp(comment["date"], UTC).replace(tzinfo=None)
        )
        self.assertGreaterEqual(incident.detected_at, before)
        self.assertEqual(incident.tg_chat_id, str(self.fake_tg.group["id"]))
        self.assertEqual(incident.tg_message_id, comment["message_id"])
        self.assertEqual(incident.tg_thread_id, self.fake_tg.forwards[post])
        forward, registered = events
        self.assertEqual(
            (forward.state, forward.note), ("ignored", "Automatic forward of a channel post")
        )
        self.assertEqual((registered.state, registered.incident_id), ("done", incident))

    def test_a_photo_comment_keeps_its_caption_and_an_author_without_user_name(self):
        post = self.fake_tg.channel_post("Фото дня")
        self.fake_tg.comment(post, self.citizen2, "Яма у школы", photo=True)
        self.fake_tg.comment(post, self.citizen2, "", photo=True)
        self.deliver()
        self.process()
        first, second = self.tg_incidents()
        self.assertEqual(first.text, "Яма у школы")
        self.assertEqual(second.text, "(сообщение без текста: только вложения)")
        self.assertEqual(first.author_id.name, "Пётр")
        self.assertFalse(first.author_id.profile_url)
        self.assertEqual(first.author_id, second.author_id, "one author per Telegram user")

    def test_a_reply_to_a_comment_belongs_to_the_same_post(self):
        post = self.fake_tg.channel_post("Благоустройство парка")
        other_post = self.fake_tg.channel_post("Другая новость")
        first = self.fake_tg.comment(post, self.citizen, "Где скамейки?")
        reply = self.fake_tg.comment(post, self.citizen2, "Согласен, нет скамеек", reply_to=first)
        self.fake_tg.comment(other_post, self.citizen2, "Комментарий к другой новости")
        self.deliver()
        self.process()
        incidents = self.tg_incidents()
        self.assertEqual(len(incidents), 3)
        second = incidents.filtered(lambda i: i.tg_message_id == reply["message_id"])
        self.assertEqual(
            second.url, f"https://t.me/korenovsk_news/{post}?comment={reply['message_id']}"
        )
        self.assertEqual(second.tg_reply_to_message_id, first["message_id"])
        self.assertEqual(second.author_id.name, "Пётр")

    def test_without_the_posts_forward_a_reply_finds_its_post_by_the_comment_it_answers(self):
        """The bot came after the post: its automatic forward never reached
        Odoo. A comment still names it (it replies to the forward); a reply to
        that comment finds the post through the comment's incident."""
        post = self.fake_tg.channel_post("Старый пост")
        self.fake_tg.updates.clear()  # the forward was sent before the bot was there
        first = self.fake_tg.comment(post, self.citizen, "Первый комментарий")
        self.deliver()
        self.process()
        reply = self.fake_tg.comment(post, self.citizen2, "Ответ на первый", reply_to=first)
        self.deliver()
        self.process()
        incidents = self.tg_incidents()
        self.assertEqual(
            incidents.mapped("external_id"),
            [
                f"korenovsk_news/{post}/{first['message_id']}",
                f"korenovsk_news/{post}/{reply['message_id']}",
            ],
        )

    def test_a_comment_whose_post_is_unknown_gets_its_link_in_the_group(self):
        post = self.fake_tg.channel_post("Пост")
        # the forward and the first comment came before the bot was there
        first = self.fake_tg.comment(post, self.citizen2, "Комментарий до подключения")
        reply = self.fake_tg.comment(post, self.citizen, "Ответ на него", reply_to=first)
        self.fake_tg.updates[:] = [
            u for u in self.fake_tg.updates if u["message"]["message_id"] == reply["message_id"]
        ]
        self.deliver()
        self.process()
        incident = self.tg_incidents()
        group = str(self.fake_tg.group["id"]).removeprefix("-100")
        # the message's own link in the group (t.me/c/<group>/<thread>/<id>, normalized)
        self.assertEqual(incident.url, f"https://t.me/c/{group}/{reply['message_id']}")
        self.assertEqual(incident.external_id, f"-100{group}/{reply['message_id']}")
        self.assertEqual(incident.text, "Ответ на него")

    def test_a_failing_update_does_not_hold_back_the_others(self):
        post = self.fake_tg.channel_post("Пост")
        good = self.fake_tg.comment(post, self.citizen, "Хороший комментарий")
        bad_update = json.loads(json.dumps(self.fake_tg.pending_updates[-1]))
        bad_update["update_id"] += 1000
        bad_update["message"]["message_id"] += 1000
        bad_update["message"]["date"] = "вчера"  # not what Telegram sends
        self.deliver()
        self.assertEqual(self.post(bad_update).status_code, 200)
        # the same message delivered under a second update id (in one batch)
        again = json.loads(json.dumps(self.fake_tg.deliveries[-1]))
        twice = {"update_id": again["update_id"] + 2000, "message": good}
        self.assertEqual(self.post(twice).status_code, 200)
        self.process()
        events = self.tg_events()
        self.assertEqual(
            events.mapped("state"), ["ignored", "done", "error", "done"], events.mapped("note")
        )
        incident = self.tg_incidents()
        self.assertEqual(incident.text, "Хороший комментарий")
        self.assertEqual(events[1].incident_id, incident)
        self.assertEqual(events[3].incident_id, incident)
        self.assertEqual(events[3].note, f"Already registered as incident {incident.name}")
        self.assertTrue(events[2].error)
        self.assertEqual(events[2].attempts, 1)

    def test_direct_messages_become_incidents_only_when_enabled(self):
        self.fake_tg.direct_message(self.citizen, "Добрый день, у нас нет света")
        self.deliver()
        self.process()
        event = self.tg_events()
        self.assertEqual(
            (event.state, event.note), ("ignored", "Direct messages to the bot are not registered")
        )
        self.assertFalse(self.tg_incidents())
        self.tg.tg_direct_messages = True
        message = self.fake_tg.direct_message(self.citizen, "Света нет третий день")
        self.deliver()
        self.process()
        incident = self.tg_incidents()
        self.assertEqual(incident.text, "Света нет третий день")
        self.assertEqual(incident.external_id, f"dm{self.citizen['id']}/{message['message_id']}")
        self.assertFalse(incident.url)
        self.assertEqual(incident.author_id.name, "Мария Иванова")
        self.assertEqual(incident.tg_chat_id, str(self.citizen["id"]))

    def test_an_edit_updates_the_text_and_notes_it(self):
        post = self.fake_tg.channel_post("Новости")
        comment = self.fake_tg.comment(post, self.citizen, "Не горит фонарь у дома 12")
        self.deliver()
        self.process()
        incident = self.tg_incidents()
        self.fake_tg.edit(comment, "Не горит фонарь у дома 14")
        self.deliver()
        self.process()
        self.assertEqual(incident.text, "Не горит фонарь у дома 14")
        note = incident.message_ids.filtered(
            lambda m: "The author edited the message" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn("у дома 12", note.body)
        self.assertIn("у дома 14", note.body)
        self.assertEqual(self.tg_events()[-1].note, "Text updated")
        # a finished incident keeps its text; the edit is noted
        reason = self.env["social.no_reply.reason"].search([], limit=1)
        incident.with_user(self.curator).action_no_reply(reason)
        self.assertEqual(incident.state, "no_reply")
        self.fake_tg.edit(comment, "Уже починили, спасибо")
        self.deliver()
        self.process()
        self.assertEqual(incident.text, "Не горит фонарь у дома 14")
        self.assertTrue(
            incident.message_ids.filtered(
                lambda m: "after the incident was finished" in (m.body or "")
                and "Уже починили" in (m.body or "")
            )
        )
        self.assertEqual(len(self.tg_incidents()), 1)

    def test_no_citizen_messages_are_ignored_with_a_note(self):
        post = self.fake_tg.channel_post("Пост канала")
        self.fake_tg.channel_message_in_group("Ответ от имени канала", post_id=post)
        self.fake_tg.bot_message("Я бот", post_id=post)
        self.fake_tg.service_message("new_chat_members", user=self.citizen2)
        self.deliver()
        other_chat = {
            "update_id": 900000001,
            "message": {
                "message_id": 5,
                "from": {"id": 5123456789, "is_bot": False, "first_name": "Мария"},
                "chat": {"id": -1001111111111, "type": "supergroup", "title": "Other"},
                "date": 1767225600,
                "text": "Сообщение в чужом чате",
            },
        }
        self.assertEqual(self.post(other_chat).status_code, 200)
        plain = {
            "update_id": 900000002,
            "message": {
                "message_id": 7,
                "from": {"id": 5123456789, "is_bot": False, "first_name": "Мария"},
                "chat": dict(self.fake_tg.group),
                "date": 1767225600,
                "text": "Просто сообщение в чате, не комментарий",
            },
        }
        self.assertEqual(self.post(plain).status_code, 200)
        # (a channel_post counts for the posting quota: test_content_plan_telegram.py)
        reaction = {"update_id": 900000003, "message_reaction": {"message_id": 99}}
        self.assertEqual(self.post(reaction).status_code, 200)
        self.process()
        self.assertFalse(self.tg_incidents())
        notes = self.tg_events().mapped(lambda e: (e.state, e.note))
        self.assertEqual(
            notes,
            [
                ("ignored", "Automatic forward of a channel post"),
                ("ignored", "The channel's own message"),
                ("ignored", "A bot's message"),
                ("ignored", "Service message"),
                ("ignored", "A message of another chat"),
                ("ignored", "Not a comment on a channel post"),
                # noted by the webhook, in the company's language
                (
                    "ignored",
                    in_company_lang(self.tg.with_context(lang=None)).env._("Unknown event type"),
                ),
            ],
        )

    def test_a_pasted_link_and_the_webhook_comment_are_one_incident(self):
        post = self.fake_tg.channel_post("Новости")
        comment = self.fake_tg.comment(post, self.citizen, "Нет горячей воды")
        manual = (
            self.env["social.incident"]
            .with_user(self.curator)
            .create(
                {
                    "url": self.fake_tg.comment_link(post, comment),
                    "text": "Жалоба из Telegram (ссылка)",
                }
            )
        )
        self.assertEqual(manual.network, "telegram")
        self.deliver()
        self.process()
        self.assertEqual(
            self.env["social.incident"]
            .with_context(active_test=False)
            .search_count([("url", "=", self.fake_tg.comment_link(post, comment))]),
            1,
        )
        event = self.tg_events()[-1]
        self.assertEqual(event.state, "done")
        self.assertEqual(event.incident_id, manual)
        self.assertEqual(event.note, f"Already registered as incident {manual.name}")

    def test_a_live_telegram_delivery_over_http(self):
        """The fake POSTs with requests, as Telegram does, to the address the
        page shows."""
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", self.base_url())
        self.tg.invalidate_recordset(["webhook_url"])
        self.assertEqual(self.tg.webhook_url, self.url)
        post = self.fake_tg.channel_post("Новости")
        self.fake_tg.comment(post, self.citizen, "Тест доставки")
        response = requests.post(
            self.url,
            data=json.dumps(self.fake_tg.pending_updates[-1]),
            headers={"Content-Type": "application/json", SECRET_HEADER: self.secret},
            timeout=10,
        )
        self.assertEqual((response.status_code, response.text), (200, "ok"))
