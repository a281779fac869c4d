"""Publishing, moderation and polling against the fake VK and OK servers."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase

from odoo.addons.social_incidents.tools import clock

from .common import ConnectorMixin


class ConnectorCase(ConnectorMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()

    def setUp(self):
        super().setUp()
        self.clear_fakes()

    def vk_incident(self, text="Почему не вывезли мусор с Мостостроя?", from_id=305118722):
        post = self.fake_vk.add_post("Новости района")
        comment = self.fake_vk.add_comment(post["id"], from_id, text)
        incident = self.Event._vk_comments_to_incidents(
            self.vk, [dict(comment, post_id=post["id"], owner_id=-self.fake_vk.group_id)]
        )
        self.assertEqual(len(incident), 1)
        return incident, post, comment

    def calls(self, method):
        return [r for r in self.fake_vk.requests if r["method"] == method]


class TestPublishing(ConnectorCase):
    def test_approved_reply_is_posted_by_the_community_under_the_comment(self):
        incident, post, comment = self.vk_incident()
        reply = self.answer(incident)
        self.assertEqual(reply.publish_channel, "api")
        reply.with_user(self.executor_user).action_open_publish_wizard()
        [call] = self.calls("wall.createComment")
        params = call["params"]
        owner = -self.fake_vk.group_id
        self.assertEqual(params["owner_id"], str(owner))
        self.assertEqual(params["post_id"], str(post["id"]))
        self.assertEqual(params["from_group"], str(self.fake_vk.group_id))
        self.assertEqual(params["reply_to_comment"], str(comment["id"]))
        self.assertEqual(params["message"], "Здравствуйте! Фонарь починим до пятницы.")
        self.assertTrue(params["guid"].endswith(f"-{reply.id}"))
        self.assertEqual(call["token_type"], "community")
        self.assertEqual(reply.state, "published")
        self.assertEqual(incident.state, "answered")
        posted = [
            c
            for c in self.fake_vk.comments.values()
            if c["from_id"] == owner and c["post_id"] == post["id"]
        ]
        self.assertEqual(len(posted), 1)
        self.assertEqual(reply.external_id, str(posted[0]["id"]))
        self.assertEqual(
            reply.published_url,
            f"https://vk.com/wall{owner}_{post['id']}?reply={posted[0]['id']}&thread={comment['id']}",
        )

    def test_rate_limit_error_is_retried_without_a_second_post(self):
        incident, post, _comment = self.vk_incident()
        reply = self.answer(incident)
        self.fake_vk.fail_next("wall.createComment", error_code=6)
        reply.with_user(self.executor_user).action_open_publish_wizard()
        self.assertEqual(reply.state, "published")
        self.assertEqual(len(self.calls("wall.createComment")), 2)
        owner = -self.fake_vk.group_id
        self.assertEqual(
            len(
                [
                    c
                    for c in self.fake_vk.comments.values()
                    if c["from_id"] == owner and c["post_id"] == post["id"]
                ]
            ),
            1,
        )

    def test_timeout_fails_the_publication_then_the_retry_posts_once(self):
        incident, post, _comment = self.vk_incident()
        reply = self.answer(incident)
        # Odoo's test framework lifts any timeout under 10 s to 10 s: one attempt
        self.env["ir.config_parameter"].sudo().set_param("social_incidents_vk.max_retries", "0")
        self.fake_vk.fail_next("wall.createComment", delay=11)
        reply.with_user(self.executor_user).action_open_publish_wizard()
        self.assertEqual(reply.state, "publish_failed")
        self.assertIn("does not answer", reply.publish_error)
        self.assertEqual(reply.publish_attempts, 1)
        self.assertTrue(reply.publish_next_at)
        self.assertEqual(incident.current_reply_id, reply)
        publish_type = self.env.ref("social_incidents.mail_act_social_publish")
        self.assertEqual(
            incident.activity_ids.filtered(lambda a: a.activity_type_id == publish_type).user_id,
            self.executor_user,
            "the publisher is asked to publish again",
        )
        Reply = self.env["social.incident.reply"]
        self.assertEqual(Reply._cron_retry_publish(), 0, "not before its time")
        with freeze_time(clock.now() + timedelta(minutes=3)):
            Reply._cron_retry_publish()
        self.assertEqual(reply.state, "published")
        owner = -self.fake_vk.group_id
        self.assertEqual(
            len(
                [
                    c
                    for c in self.fake_vk.comments.values()
                    if c["from_id"] == owner and c["post_id"] == post["id"]
                ]
            ),
            1,
            "the requests that timed out did not post, or were posted once thanks to the guid",
        )

    def test_rejected_token_is_not_retried_and_the_administrator_is_told(self):
        incident, _post, _comment = self.vk_incident()
        reply = self.answer(incident)
        self.vk.vk_community_token = "revoked-token"
        reply.with_user(self.executor_user).action_open_publish_wizard()
        self.assertEqual(reply.state, "publish_failed")
        self.assertIn("rejected the token", reply.publish_error)
        self.assertFalse(reply.publish_next_at)
        self.assertEqual(
            self.vk.activity_ids.activity_type_id,
            self.env.ref("social_incidents_vk.mail_act_social_connector"),
        )
        self.assertNotIn("revoked-token", self.vk.sudo().last_error)
        self.assertFalse(
            self.env["mail.message"].search([("body", "ilike", "revoked-token")]),
            "a token never reaches the chatter",
        )

    def test_ok_reply_is_handed_to_a_person(self):
        self.fake_ok.add_topic("Объявление")
        incident = self.Incident.create(
            {
                "network": "ok",
                "account_id": self.ok.id,
                "text": "Когда починят дорогу?",
                "external_id": "1_1",
                "url": "https://ok.ru/group/1/topic/1",
            }
        )
        reply = self.answer(incident)
        self.assertEqual(reply.publish_channel, "manual")
        action = reply.with_user(self.executor_user).action_open_publish_wizard()
        self.assertEqual(action["res_model"], "social.incident.step.wizard")
        self.assertFalse(self.fake_ok.requests)


class TestModeration(ConnectorCase):
    def test_delete_and_ban_reach_vk_and_are_journalled(self):
        incident, post, comment = self.vk_incident(text="Оскорбление в адрес главы")
        wizard = (
            self.env["social.moderation.wizard"]
            .with_user(self.curator)
            .create(
                {
                    "incident_id": incident.id,
                    "delete_comment": True,
                    "ban_author": True,
                    "reason": "insult",
                    "comment": "Оскорбление должностного лица",
                }
            )
        )
        wizard.action_confirm()
        owner = -self.fake_vk.group_id
        self.assertIn((owner, comment["id"]), self.fake_vk.deleted_comments)
        self.assertEqual(self.fake_vk.banned[305118722]["reason"], 2)
        [delete] = self.calls("wall.deleteComment")
        self.assertEqual(delete["token_type"], "user")
        logs = incident.moderation_log_ids
        self.assertEqual(sorted(logs.mapped("action")), ["ban", "delete"])
        self.assertEqual(set(logs.mapped("result")), {"done"})
        self.assertEqual(set(logs.mapped("text_snapshot")), {"Оскорбление в адрес главы"})
        self.assertEqual(logs.user_id, self.curator)
        self.assertTrue(incident.author_id.blacklisted)
        self.assertTrue(incident.source_deleted)

    def test_failed_moderation_is_journalled_as_failed(self):
        incident, _post, _comment = self.vk_incident()
        self.fake_vk.fail_next("wall.deleteComment", error_code=15)
        self.env["social.moderation.wizard"].with_user(self.curator).create(
            {"incident_id": incident.id, "delete_comment": True, "reason": "spam"}
        ).action_confirm()
        log = incident.moderation_log_ids
        self.assertEqual(log.result, "failed")
        self.assertIn("denies access", log.error)
        self.assertFalse(incident.source_deleted)


class TestPolling(ConnectorCase):
    def test_vk_polling_backfills_and_deduplicates(self):
        incident, post, comment = self.vk_incident(text="Уже пришло через Callback API")
        second = self.fake_vk.add_comment(post["id"], 441920377, "А у нас во дворе тоже темно")
        own = self.fake_vk.add_comment(post["id"], -self.fake_vk.group_id, "Ответ администрации")
        other_post = self.fake_vk.add_post("Другой пост")
        third = self.fake_vk.add_comment(other_post["id"], 98231156, "Спасибо за ремонт!")
        self.env["social.account"]._cron_poll()
        incidents = self.incidents_of(self.vk)
        owner = -self.fake_vk.group_id
        self.assertEqual(
            sorted(incidents.mapped("external_id")),
            sorted(
                [
                    f"wall{owner}_{post['id']}_{comment['id']}",
                    f"wall{owner}_{post['id']}_{second['id']}",
                    f"wall{owner}_{other_post['id']}_{third['id']}",
                ]
            ),
        )
        self.assertNotIn(own["text"], incidents.mapped("text"))
        self.env["social.account"]._cron_poll()
        self.assertEqual(len(self.incidents_of(self.vk)), 3)
        self.assertTrue(self.vk.last_poll_at)

    def test_ok_polling_with_a_signed_request(self):
        topic = self.fake_ok.add_topic("Ремонт дорог в 2026 году")
        self.fake_ok.add_comment(
            topic["id"], "571203948812", "А нашу улицу когда?", author_name="Татьяна Михайлова"
        )
        self.env["social.account"]._cron_poll()
        incident = self.incidents_of(self.ok)
        self.assertEqual(len(incident), 1)
        self.assertEqual(incident.text, "А нашу улицу когда?")
        self.assertEqual(incident.author_id.name, "Татьяна Михайлова")
        self.assertTrue(incident.external_id.startswith(f"{topic['id']}_"))
        self.assertTrue(all(r["params"].get("sig") for r in self.fake_ok.requests))

    def test_ok_wrong_secret_is_reported(self):
        self.ok.ok_application_secret_key = "wrong-secret"
        self.env["social.account"]._cron_poll()
        self.assertIn("104", self.ok.sudo().last_error)
        self.assertTrue(self.ok.activity_ids)


class TestSecrets(ConnectorCase):
    def test_only_administrators_read_the_credentials(self):
        with self.assertRaises(AccessError):
            self.vk.with_user(self.curator).read(["vk_community_token"])
        with self.assertRaises(AccessError):
            self.vk.with_user(self.curator).read(["ok_access_token"])
        self.assertEqual(
            self.vk.with_user(self.admin).read(["vk_secret"])[0]["vk_secret"], "s3cr3t-callback"
        )
        # the curator still sees the page and its health
        self.assertEqual(self.vk.with_user(self.curator).name, "Test community")
