"""The content plan on Telegram: an approved post goes out in the channel
(text, one photo with its caption, an album); the channel's own posts
received from Telegram count for the weekly quota once."""

from odoo.tests import TransactionCase, tagged

from .common_content_plan import PNG, ContentPlanMixin
from .common_telegram import TelegramMixin


@tagged("post_install", "-at_install")
class TestContentPlanTelegram(TelegramMixin, ContentPlanMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_content_plan()
        cls.setup_telegram()
        cls.tg.executor_id = cls.executor

    def setUp(self):
        super().setUp()
        self.clear_telegram()
        self.fake_tg.sent.clear()  # the fake lives for the class: each test its own channel
        self.fake_tg.set_bot_rights(self.fake_tg.channel["id"])

    def channel_posts(self):
        return [m for m in self.fake_tg.sent if m["chat"]["id"] == self.fake_tg.channel["id"]]

    def test_a_text_post_goes_out_once_in_the_channel(self):
        post = self.planned_post(self.tg)
        self.run_job()
        self.run_job(hours=3)
        (message,) = self.channel_posts()
        self.assertEqual(message["text"], "Субботник во дворах в эту субботу.")
        self.assertEqual(message["sender_chat"]["id"], self.fake_tg.channel["id"])
        (request,) = self.fake_tg.requests_of("sendMessage")
        self.assertEqual(str(request["params"]["chat_id"]), str(self.fake_tg.channel["id"]))
        self.assertEqual(post.state, "published")
        self.assertEqual(post.external_id, str(message["message_id"]))
        self.assertEqual(
            post.published_url,
            f"https://t.me/{self.fake_tg.channel['username']}/{message['message_id']}",
        )

    def test_one_photo_goes_with_the_text_as_its_caption(self):
        post = self.planned_post(self.tg, photos=[PNG])
        self.run_job()
        (message,) = self.channel_posts()
        self.assertEqual(message["caption"], "Субботник во дворах в эту субботу.")
        self.assertTrue(message["photo"])
        self.assertFalse(self.fake_tg.requests_of("sendMessage"))
        self.assertEqual(post.external_id, str(message["message_id"]))

    def test_several_photos_go_as_an_album(self):
        post = self.planned_post(self.tg, photos=[PNG, PNG + b"\0", PNG + b"\0\0"])
        self.run_job()
        messages = self.channel_posts()
        self.assertEqual(len(messages), 3)
        self.assertEqual(len({m["media_group_id"] for m in messages}), 1)
        self.assertEqual(messages[0]["caption"], "Субботник во дворах в эту субботу.")
        self.assertEqual(post.state, "published")
        self.assertEqual(post.external_id, str(messages[0]["message_id"]))

    def test_a_text_too_long_for_a_caption_goes_first_then_the_photo(self):
        body = "Длинный текст. " * 80
        post = self.planned_post(self.tg, body=body, photos=[PNG])
        self.run_job()
        text, photo = self.channel_posts()
        self.assertEqual(text["text"], body.strip())
        self.assertNotIn("caption", photo)
        self.assertEqual(post.external_id, str(text["message_id"]))

    def test_a_bot_without_the_right_to_post_goes_to_a_person(self):
        self.fake_tg.set_bot_rights(self.fake_tg.channel["id"], can_post_messages=False)
        post = self.planned_post(self.tg)
        self.run_job()
        self.assertFalse(self.channel_posts())
        self.assertEqual(post.state, "publish_failed")
        self.assertFalse(post.publish_next_at, "a person gives the bot its rights")
        self.assertIn("need administrator rights in the channel chat", post.publish_error)
        self.assertIn(self.executor_user, post.activity_ids.user_id)
        self.assertEqual(self.tg.connector_state, "error")

    def test_a_timeout_is_not_sent_again(self):
        self.env["ir.config_parameter"].sudo().set_param("social_incidents_vk.max_retries", "2")
        post = self.planned_post(self.tg)
        # Odoo's test framework lifts any timeout under 10 s to 10 s
        self.fake_tg.fail_next("sendMessage", delay=11)
        self.run_job()
        self.assertTrue(self.fake_tg.wait_idle())
        self.assertEqual(len(self.fake_tg.requests_of("sendMessage")), 1, "no idempotency key")
        self.assertEqual(post.state, "publish_failed")
        self.assertFalse(post.publish_next_at)
        self.assertIn("it may already be in the channel", post.publish_error)

    def test_the_channel_posts_count_once(self):
        self.tg.tg_intake_mode = "polling"
        first = self.fake_tg.channel_post("Новости недели")
        album = self.fake_tg.channel_album("Фото с субботника", count=3)
        self.env["social.account"]._cron_poll()
        self.env["social.account"]._cron_poll()
        self.Event._cron_process()
        self.env.invalidate_all()
        (request, _again) = self.fake_tg.requests_of("getUpdates")
        self.assertIn("channel_post", request["params"]["allowed_updates"])
        posts = self.Post.search([("account_id", "=", self.tg.id)], order="id")
        self.assertEqual(posts.mapped("external_id"), [str(first), str(album[0])])
        self.assertEqual(set(posts.mapped("origin")), {"network"})
        self.assertEqual(posts[1].body, "Фото с субботника")
        self.assertEqual(
            posts[0].published_url, f"https://t.me/{self.fake_tg.channel['username']}/{first}"
        )
        self.assertFalse(self.tg_incidents(), "a channel post is not an incident")

    def test_a_run_rolled_back_after_sending_does_not_send_again(self):
        post = self.planned_post(self.tg)
        self.env.flush_all()
        # the job's run sends the post, then its transaction fails (a
        # serialization failure at the commit) and Odoo runs it again
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            self.run_job()
            self.assertEqual(post.state, "published")
            raise RuntimeError("serialization failure at the commit")
        self.env.invalidate_all()
        self.assertEqual(post.state, "approved")
        self.run_job()
        self.assertEqual(len(self.channel_posts()), 1, "sent once")
        self.assertEqual(post.state, "published")
        self.assertEqual(post.external_id, str(self.channel_posts()[0]["message_id"]))
