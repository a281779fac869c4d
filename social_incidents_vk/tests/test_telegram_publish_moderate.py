"""Publishing approved replies in a Telegram channel's discussion group and
moderating its comments, against the fake Bot API server on 127.0.0.1."""

import io
import threading
from datetime import timedelta

from freezegun import freeze_time
from PIL import Image

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules import module as odoo_module
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, TransactionCase, get_db_name, tagged

from odoo.addons.social_incidents.tools import clock, guard
from odoo.addons.social_incidents.tools.guard import system_write

from ..clients import telegram
from .common import ConnectorMixin
from .common_telegram import TelegramMixin
from .fake_networks import FakeTelegram

REPLY = "Здравствуйте! Яму на Ленина, 5 заделают до пятницы."


def image_bytes(fmt="JPEG", color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), color).save(buffer, fmt)
    return buffer.getvalue()


class TelegramPublishCase(ConnectorMixin, TelegramMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()
        cls.setup_telegram()

    def setUp(self):
        super().setUp()
        self.clear_telegram()
        self.fake_tg.sent.clear()
        for chat in (self.fake_tg.channel, self.fake_tg.group):
            self.fake_tg.set_bot_rights(chat["id"])
        # the process-wide limits (20 sends a minute per group) count every test's sends
        telegram.reset_rate_limiters()
        self.addCleanup(telegram.reset_rate_limiters)

    def tg_incident(self, text="Яма на Ленина, 5 — уже неделю!", user=None):
        """A citizen's comment on a channel post, registered as the intake
        registers it (chat, message and thread ids)."""
        fake = self.fake_tg
        post_id = fake.channel_post("Ремонт дорог: график на неделю")
        comment = fake.comment(post_id, user or self.citizen, text)
        author = self.env["social.author"].create(
            {
                "name": "Мария Иванова",
                "network": "telegram",
                "external_id": str(comment["from"]["id"]),
            }
        )
        with system_write():
            incident = self.Incident.create(
                {
                    "network": "telegram",
                    "account_id": self.tg.id,
                    "source": "own_page",
                    "text": text,
                    "external_id": f"{fake.channel['username']}/{post_id}/{comment['message_id']}",
                    "url": fake.comment_link(post_id, comment),
                    "author_id": author.id,
                    "tg_chat_id": str(fake.group["id"]),
                    "tg_message_id": comment["message_id"],
                    "tg_thread_id": comment["message_thread_id"],
                    "tg_reply_to_message_id": comment["reply_to_message"]["message_id"],
                }
            )
        return incident, post_id, comment

    def publish(self, reply, user=None):
        return reply.with_user(user or self.executor_user).action_open_publish_wizard()

    def photo(self, name="yama.jpg", fmt="JPEG", color=(200, 30, 30)):
        return (
            self.env["ir.attachment"]
            .with_user(self.executor_user)
            .create(
                {
                    "name": name,
                    "raw": image_bytes(fmt, color),
                    "mimetype": f"image/{fmt.lower()}",
                }
            )
        )

    def answer_with(self, incident, body=REPLY, attachments=None):
        incident.with_user(self.curator).action_route(self.executor)
        reply = (
            self.env["social.incident.reply"]
            .with_user(self.executor_user)
            .create(
                {
                    "incident_id": incident.id,
                    "kind": "final",
                    "body": body,
                    "attachment_ids": [(6, 0, attachments.ids)] if attachments else False,
                }
            )
        )
        reply.with_user(self.executor_user).action_submit()
        reply.with_user(self.curator).action_approve()
        return reply

    def sends(self):
        return [
            r
            for r in self.fake_tg.requests
            if r["method"] in ("sendMessage", "sendPhoto", "sendMediaGroup")
        ]


class TestTelegramPublishing(TelegramPublishCase):
    def test_approved_reply_is_posted_as_a_reply_to_the_comment(self):
        incident, post_id, comment = self.tg_incident()
        reply = self.answer(incident, REPLY)
        self.assertEqual(reply.publish_channel, "api")
        action = self.publish(reply)
        self.assertEqual(action["params"]["message"], "The reply is posted in Telegram.")
        self.assertEqual(action["params"]["type"], "success")
        [request] = self.sends()
        self.assertEqual(request["method"], "sendMessage")
        self.assertEqual(
            request["params"],
            {
                "chat_id": self.fake_tg.group["id"],
                "text": REPLY,
                "message_thread_id": comment["message_thread_id"],
                "reply_parameters": {
                    "message_id": comment["message_id"],
                    "allow_sending_without_reply": False,
                },
            },
        )
        [sent] = self.fake_tg.sent
        self.assertEqual(sent["from"]["id"], self.fake_tg.bot["id"])
        self.assertEqual(sent["reply_to_message"]["message_id"], comment["message_id"])
        self.assertEqual(sent["message_thread_id"], comment["message_thread_id"])
        self.assertEqual(reply.state, "published")
        self.assertEqual(reply.publisher_id, self.executor_user)
        self.assertEqual(reply.external_id, str(sent["message_id"]))
        self.assertEqual(
            reply.published_url,
            f"https://t.me/korenovsk_news/{post_id}?comment={sent['message_id']}",
        )
        self.assertEqual(incident.state, "answered")
        self.assertTrue(
            incident.message_ids.filtered(lambda m: reply.published_url in (m.body or "")),
            "the link is in the incident's chatter",
        )
        self.assertTrue(self.tg.last_success_at)

    def test_a_pasted_link_incident_of_the_channel_is_answered_too(self):
        post_id = self.fake_tg.channel_post("Новости")
        comment = self.fake_tg.comment(post_id, self.citizen2, "А когда свет дадут?")
        incident = self.Incident.create(
            {
                "network": "telegram",
                "account_id": self.tg.id,
                "text": "А когда свет дадут?",
                "url": self.fake_tg.comment_link(post_id, comment),
            }
        )
        self.assertEqual(incident.external_id, f"korenovsk_news/{post_id}/{comment['message_id']}")
        reply = self.answer(incident)
        self.publish(reply)
        [request] = self.sends()
        self.assertEqual(request["params"]["reply_parameters"]["message_id"], comment["message_id"])
        self.assertNotIn("message_thread_id", request["params"])
        [sent] = self.fake_tg.sent
        self.assertEqual(sent["message_thread_id"], comment["message_thread_id"])
        self.assertEqual(reply.state, "published")

    def test_one_photo_goes_with_send_photo_and_the_text_as_caption(self):
        incident, post_id, comment = self.tg_incident()
        reply = self.answer_with(incident, attachments=self.photo())
        self.publish(reply)
        [request] = self.sends()
        self.assertEqual(request["method"], "sendPhoto")
        self.assertTrue(request["content_type"].startswith("multipart/form-data"))
        self.assertEqual(request["params"]["caption"], REPLY)
        self.assertEqual(request["params"]["chat_id"], str(self.fake_tg.group["id"]))
        upload = request["files"]["photo"]
        self.assertEqual((upload["filename"], upload["content_type"]), ("yama.jpg", "image/jpeg"))
        self.assertEqual(upload["data"], image_bytes())
        [sent] = self.fake_tg.sent
        self.assertEqual(sent["caption"], REPLY)
        self.assertEqual(sent["reply_to_message"]["message_id"], comment["message_id"])
        self.assertEqual(reply.state, "published")
        self.assertEqual(
            reply.published_url,
            f"https://t.me/korenovsk_news/{post_id}?comment={sent['message_id']}",
        )

    def test_two_photos_go_as_an_album(self):
        incident, _post_id, comment = self.tg_incident()
        photos = self.photo("before.jpg") | self.photo("after.png", "PNG", (10, 200, 10))
        reply = self.answer_with(incident, attachments=photos)
        self.publish(reply)
        [request] = self.sends()
        self.assertEqual(request["method"], "sendMediaGroup")
        self.assertEqual(
            sorted((f["filename"], f["content_type"]) for f in request["files"].values()),
            [("after.png", "image/png"), ("before.jpg", "image/jpeg")],
        )
        album = self.fake_tg.sent
        self.assertEqual(len(album), 2)
        self.assertEqual(album[0]["caption"], REPLY)
        self.assertEqual(album[0]["media_group_id"], album[1]["media_group_id"])
        self.assertEqual(reply.external_id, str(album[0]["message_id"]))
        self.assertTrue(
            all(m["reply_to_message"]["message_id"] == comment["message_id"] for m in album)
        )

    def test_a_text_too_long_for_a_caption_goes_first_then_the_photo(self):
        incident, _post_id, _comment = self.tg_incident()
        body = "Ответ администрации. " * 60  # > 1024 characters
        reply = self.answer_with(incident, body=body, attachments=self.photo())
        self.publish(reply)
        self.assertEqual([r["method"] for r in self.sends()], ["sendMessage", "sendPhoto"])
        text, photo = self.fake_tg.sent
        self.assertEqual(text["text"], body.strip())
        self.assertNotIn("caption", photo)
        self.assertEqual(reply.external_id, str(text["message_id"]))

    def test_429_reschedules_after_retry_after_and_posts_once(self):
        incident, _post_id, _comment = self.tg_incident()
        reply = self.answer(incident)
        self.fake_tg.fail_next("sendMessage", error_code=429, retry_after=30)
        now = clock.now()
        action = self.publish(reply)
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(reply.state, "publish_failed")
        self.assertIn("429", reply.publish_error)
        self.assertIn("30", reply.publish_error)
        self.assertEqual(action["params"]["message"], reply.publish_error)
        self.assertAlmostEqual((reply.publish_next_at - now).total_seconds(), 30, delta=2)
        self.assertFalse(self.fake_tg.sent)
        Reply = self.env["social.incident.reply"]
        self.assertEqual(Reply._cron_retry_publish(), 0, "not before Telegram's retry_after")
        with freeze_time(now + timedelta(seconds=31)):
            self.assertEqual(Reply._cron_retry_publish(), 1)
        self.assertEqual(reply.state, "published")
        self.assertEqual(len(self.fake_tg.sent), 1)
        self.assertEqual(len(self.sends()), 2)

    def test_kicked_bot_stops_and_alerts_the_administrators(self):
        incident, _post_id, _comment = self.tg_incident()
        reply = self.answer(incident)
        self.fake_tg.kick_bot()
        self.publish(reply)
        self.assertEqual(reply.state, "publish_failed")
        self.assertIn("bot was kicked from the supergroup chat", reply.publish_error)
        self.assertIn("403", reply.publish_error)
        self.assertFalse(reply.publish_next_at, "no retry: an administrator must act")
        self.assertFalse(self.fake_tg.sent)
        activity = self.tg.activity_ids
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("social_incidents_vk.mail_act_social_connector"),
        )
        self.assertIn(self.admin, activity.user_id)
        self.assertEqual(self.tg.sudo().last_error, reply.publish_error)
        self.assertEqual(self.tg.connector_state, "error")
        log = self.env["social.connector.log"].search([("account_id", "=", self.tg.id)])
        self.assertEqual(log.operation, "publish")
        token = self.fake_tg.token
        self.assertFalse(self.env["mail.message"].search([("body", "ilike", token[-12:])]))
        with freeze_time(clock.now() + timedelta(days=1)):
            self.assertEqual(self.env["social.incident.reply"]._cron_retry_publish(), 0)

    def test_a_bot_that_may_not_post_in_the_channel_chat_is_refused(self):
        incident, _post_id, _comment = self.tg_incident()
        reply = self.answer(incident)
        self.fake_tg.set_bot_rights(self.fake_tg.group["id"], status="left")
        self.publish(reply)
        self.assertIn("bot is not a member of the supergroup chat", reply.publish_error)
        self.assertFalse(reply.publish_next_at)
        self.assertTrue(self.tg.activity_ids)

    def test_a_deleted_comment_is_said_plainly_and_not_retried(self):
        incident, _post_id, comment = self.tg_incident()
        reply = self.answer(incident)
        self.fake_tg.deleted.add((self.fake_tg.group["id"], comment["message_id"]))
        self.publish(reply)
        self.assertEqual(reply.state, "publish_failed")
        self.assertIn("no longer in the discussion group", reply.publish_error)
        self.assertIn("message to be replied not found", reply.publish_error)
        self.assertFalse(reply.publish_next_at)
        self.assertFalse(self.tg.activity_ids, "nothing for an administrator to fix")

    def test_a_server_error_is_retried_later(self):
        incident, _post_id, _comment = self.tg_incident()
        reply = self.answer(incident)
        # refused before any byte was sent: the connection could not be made
        self.tg.sudo().tg_api_url = "http://127.0.0.1:9"
        self.publish(reply)
        self.assertEqual(reply.state, "publish_failed")
        self.assertIn("does not answer", reply.publish_error)
        self.assertTrue(reply.publish_next_at)
        self.tg.sudo().tg_api_url = self.fake_tg.url.rstrip("/")
        with freeze_time(clock.now() + timedelta(minutes=3)):
            self.env["social.incident.reply"]._cron_retry_publish()
        self.assertEqual(reply.state, "published")
        self.assertEqual(len(self.fake_tg.sent), 1)

    def test_nothing_is_posted_twice(self):
        incident, _post_id, _comment = self.tg_incident()
        reply = self.answer(incident)
        self.publish(reply)
        self.assertEqual(reply.state, "published")
        with self.assertRaises(UserError):
            self.publish(reply)
        with freeze_time(clock.now() + timedelta(hours=1)):
            self.assertEqual(self.env["social.incident.reply"]._cron_retry_publish(), 0)
        self.assertEqual(len(self.fake_tg.sent), 1)
        self.assertEqual(len(self.sends()), 1)

    def test_a_run_rolled_back_after_the_send_is_recorded_not_sent_again(self):
        """Odoo runs a request again when its transaction fails at commit (a
        serialization failure): that run records what Telegram accepted."""
        incident, post_id, _comment = self.tg_incident()
        reply = self.answer(incident)

        class RolledBack(Exception):
            pass

        with self.assertRaises(RolledBack), self.env.cr.savepoint():
            self.publish(reply)
            self.assertEqual(reply.state, "published")
            raise RolledBack
        self.env.invalidate_all()
        self.assertEqual(reply.state, "approved")
        [sent] = self.fake_tg.sent
        self.publish(reply)
        self.assertEqual(len(self.sends()), 1, "not sent a second time")
        self.assertEqual(reply.state, "published")
        self.assertEqual(reply.external_id, str(sent["message_id"]))
        self.assertEqual(
            reply.published_url,
            f"https://t.me/korenovsk_news/{post_id}?comment={sent['message_id']}",
        )

    def test_a_timed_out_send_is_not_sent_again_without_a_person(self):
        incident, _post_id, _comment = self.tg_incident()
        reply = self.answer(incident)
        # Odoo's test framework lifts any timeout under 10 s to 10 s: one slow answer
        self.env["ir.config_parameter"].sudo().set_param("social_incidents_vk.max_retries", "0")
        self.fake_tg.fail_next("sendMessage", delay=11)
        self.publish(reply)
        self.assertTrue(self.fake_tg.wait_idle(timeout=5))
        self.assertEqual(reply.state, "publish_failed")
        self.assertIn("may already be in the discussion group", reply.publish_error)
        self.assertFalse(reply.publish_next_at, "the retry job does not send it again")
        with freeze_time(clock.now() + timedelta(hours=1)):
            self.assertEqual(self.env["social.incident.reply"]._cron_retry_publish(), 0)
        self.assertEqual(len(self.sends()), 1)
        self.assertEqual(len(self.fake_tg.sent), 1, "the slow server did post it, once")

    def test_a_direct_message_is_answered_by_hand(self):
        incident, _post_id, _comment = self.tg_incident()
        with system_write():
            incident.write({"tg_chat_id": str(self.citizen["id"]), "tg_thread_id": 0})
        reply = self.answer(incident)
        self.assertEqual(reply.publish_channel, "manual")
        action = self.publish(reply)
        self.assertEqual(action["res_model"], "social.incident.step.wizard")
        self.assertFalse(self.sends())

    def test_a_disconnected_page_is_answered_by_hand(self):
        incident, _post_id, _comment = self.tg_incident()
        reply = self.answer(incident)
        self.tg.connector_enabled = False
        reply.invalidate_recordset(["publish_channel"])
        self.assertEqual(reply.publish_channel, "manual")


class TestTelegramModeration(TelegramPublishCase):
    def moderate(self, incident, user=None, **values):
        wizard = (
            self.env["social.moderation.wizard"]
            .with_user(user or self.curator)
            .create({"incident_id": incident.id, "reason": "insult", **values})
        )
        return wizard, wizard.action_confirm()

    def test_delete_and_ban_reach_telegram_and_are_journalled(self):
        incident, _post_id, comment = self.tg_incident(text="Оскорбление в адрес главы")
        wizard, action = self.moderate(
            incident,
            delete_comment=True,
            ban_author=True,
            comment="Оскорбление должностного лица",
        )
        self.assertTrue(wizard.by_api)
        self.assertEqual(action["params"]["message"], "Done in Telegram.")
        group_id = self.fake_tg.group["id"]
        [delete] = self.fake_tg.requests_of("deleteMessage")
        self.assertEqual(
            delete["params"], {"chat_id": group_id, "message_id": comment["message_id"]}
        )
        [ban] = self.fake_tg.requests_of("banChatMember")
        self.assertEqual(ban["params"], {"chat_id": group_id, "user_id": self.citizen["id"]})
        self.assertIn((group_id, comment["message_id"]), self.fake_tg.deleted)
        self.assertIn((group_id, self.citizen["id"]), self.fake_tg.banned)
        logs = incident.moderation_log_ids
        self.assertEqual(sorted(logs.mapped("action")), ["ban", "delete"])
        self.assertEqual(set(logs.mapped("result")), {"done"})
        self.assertEqual(logs.user_id, self.curator)
        self.assertEqual(set(logs.mapped("text_snapshot")), {"Оскорбление в адрес главы"})
        self.assertEqual(set(logs.mapped("comment_url")), {incident.url})
        self.assertEqual(set(logs.mapped("network")), {"telegram"})
        self.assertTrue(all(logs.mapped("date")))
        self.assertTrue(incident.author_id.blacklisted)
        self.assertTrue(incident.source_deleted)
        self.assertTrue(
            incident.message_ids.filtered(lambda m: "Moderation" in (m.body or "")),
        )

    def test_missing_rights_are_journalled_as_failed_in_words(self):
        incident, _post_id, comment = self.tg_incident()
        self.fake_tg.set_bot_rights(
            self.fake_tg.group["id"], can_delete_messages=False, can_restrict_members=False
        )
        _wizard, action = self.moderate(incident, delete_comment=True, ban_author=True)
        logs = incident.moderation_log_ids
        self.assertEqual(set(logs.mapped("result")), {"failed"})
        delete = logs.filtered(lambda log: log.action == "delete")
        ban = logs.filtered(lambda log: log.action == "ban")
        self.assertIn("Bad Request: message can't be deleted", delete.error)
        self.assertIn("not enough rights to restrict/unrestrict chat member", ban.error)
        self.assertEqual(action["params"]["type"], "danger")
        self.assertFalse(incident.source_deleted)
        self.assertNotIn((self.fake_tg.group["id"], comment["message_id"]), self.fake_tg.deleted)
        self.assertEqual(self.tg.sudo().last_error, ban.error)

    def test_a_kicked_bot_fails_the_moderation_and_alerts(self):
        incident, _post_id, _comment = self.tg_incident()
        self.fake_tg.kick_bot()
        self.moderate(incident, delete_comment=True)
        log = incident.moderation_log_ids
        self.assertEqual(log.result, "failed")
        self.assertIn("bot was kicked", log.error)
        self.assertTrue(self.tg.activity_ids)

    def test_only_a_curator_moderates(self):
        incident, _post_id, _comment = self.tg_incident()
        wizard = (
            self.env["social.moderation.wizard"]
            .with_user(self.curator)
            .create({"incident_id": incident.id, "reason": "spam", "delete_comment": True})
        )
        with self.assertRaisesRegex(UserError, "Only a curator can do this."):
            wizard.with_user(self.executor_user).action_confirm()
        self.assertFalse(self.fake_tg.requests_of("deleteMessage"))
        self.assertFalse(incident.moderation_log_ids)


class TestTelegramAnswerWithoutId(TelegramPublishCase):
    def test_an_answer_without_message_id_is_not_sent_again_by_the_job(self):
        incident, _post_id, _comment = self.tg_incident()
        reply = self.answer(incident)
        # Telegram takes the message and answers without it
        self.fake_tg.fail_next("sendMessage", body={"ok": True, "result": {}})
        action = self.publish(reply)
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(reply.state, "publish_failed")
        self.assertIn("did not say which message it is", reply.publish_error)
        self.assertFalse(reply.publish_next_at, "a person checks the group first")
        with freeze_time(clock.now() + timedelta(hours=1)):
            self.assertEqual(self.env["social.incident.reply"]._cron_retry_publish(), 0)
        self.assertEqual(len(self.sends()), 1)


GROUP_ID = -1009876500001
CHANNEL_ID = -1001234500001


@tagged("post_install", "-at_install")
class TestTelegramPublishingWithTwoWorkers(BaseCase):
    """The retry job run by two workers at once, each with its own cursor, as
    Odoo's multi-process server runs it (test_publishing_once.py does it for
    VK). The data is committed, so the test removes it after."""

    def setUp(self):
        super().setUp()
        telegram.reset_rate_limiters()
        self.addCleanup(telegram.reset_rate_limiters)
        self.fake = FakeTelegram(
            channel_id=CHANNEL_ID, channel_username="two_workers_test", group_id=GROUP_ID
        ).start()
        self.addCleanup(self.fake.stop)
        self.registry = Registry(get_db_name())
        self.addCleanup(self.remove_data)
        self.account_id = None
        post_id = self.fake.channel_post("Новости района")
        comments = [self.fake.comment(post_id, 773000001 + n, f"Вопрос {n}") for n in range(3)]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            env["ir.config_parameter"].set_param("social_incidents_vk.max_retries", "0")
            account = env["social.account"].create(
                {
                    "name": "Two workers channel",
                    "network": "telegram",
                    "url": "https://t.me/two_workers_test",
                    "tg_bot_token": self.fake.token,
                    "tg_api_url": self.fake.url.rstrip("/"),
                    "tg_channel_id": str(CHANNEL_ID),
                    "tg_channel_username": "two_workers_test",
                    "tg_group_id": str(GROUP_ID),
                    "connector_enabled": True,
                }
            )
            self.account_id = account.id
            with guard.system_write():
                incidents = env["social.incident"].create(
                    [
                        {
                            "network": "telegram",
                            "account_id": account.id,
                            "source": "own_page",
                            "text": comment["text"],
                            "url": self.fake.comment_link(post_id, comment),
                            "tg_chat_id": str(GROUP_ID),
                            "tg_message_id": comment["message_id"],
                            "tg_thread_id": comment["message_thread_id"],
                            "state": "in_progress",
                        }
                        for comment in comments
                    ]
                )
                # fabricated history: a reply approved, its first publication failed
                replies = env["social.incident.reply"].create(
                    [
                        {
                            "incident_id": incident.id,
                            "kind": "final",
                            "body": f"Ответ на {incident.text}",
                            "state": "publish_failed",
                            "publish_attempts": 1,
                            "publish_next_at": clock.now() - timedelta(minutes=10 - n),
                        }
                        for n, incident in enumerate(incidents.sorted("id"))
                    ]
                )
            self.reply_ids = replies.ids
        self.comment_ids = {c["message_id"] for c in comments}

    def remove_data(self):
        if not self.account_id:
            return
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param("social_incidents_vk.max_retries", False)
            cr.execute("DELETE FROM social_incident WHERE account_id = %s", (self.account_id,))
            cr.execute("DELETE FROM social_account WHERE id = %s", (self.account_id,))

    def run_job(self, barrier, errors):
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                barrier.wait(timeout=10)
                env["social.incident.reply"]._cron_retry_publish()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    def test_two_workers_never_post_the_same_reply(self):
        # outside a test the job commits each reply: let it (the data here is committed)
        current = odoo_module.current_test
        odoo_module.current_test = False
        self.addCleanup(setattr, odoo_module, "current_test", current)
        # each post takes a moment: the two jobs overlap
        self.fake.fail_next("sendMessage", delay=0.5, times=10)
        barrier, errors = threading.Barrier(2), []
        workers = [threading.Thread(target=self.run_job, args=(barrier, errors)) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        answered = [
            r["params"]["reply_parameters"]["message_id"]
            for r in self.fake.requests_of("sendMessage")
        ]
        self.assertEqual(sorted(answered), sorted(self.comment_ids), "each reply posted once")
        self.assertEqual(len(self.fake.sent), 3)
        self.assertFalse(errors)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state, published_url FROM social_incident_reply WHERE id IN %s",
                (tuple(self.reply_ids),),
            )
            rows = cr.fetchall()
        self.assertEqual({state for state, _url in rows}, {"published"})
        self.assertTrue(all(url.startswith("https://t.me/two_workers_test/") for _s, url in rows))
