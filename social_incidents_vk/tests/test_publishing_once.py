"""Publishing: each reply posted once and recorded on its own, whatever fails
around it, and whichever worker runs the retry job."""

import threading
import time
from datetime import timedelta

from odoo import SUPERUSER_ID, api
from odoo.modules import module as odoo_module
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, TransactionCase, get_db_name, tagged

from odoo.addons.social_incidents.tools import clock, guard
from odoo.addons.social_incidents_vk.tests.fake_networks import FakeVk

from .common import ConnectorMixin


class TestPublishingRecordedPerReply(ConnectorMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()

    def setUp(self):
        super().setUp()
        self.fake_vk.requests.clear()
        self.fake_vk.clear_failures()

    def approved_reply(self, text, from_id):
        post = self.fake_vk.add_post("Новости района")
        comment = self.fake_vk.add_comment(post["id"], from_id, text)
        incident = self.Event._vk_comments_to_incidents(
            self.vk, [dict(comment, post_id=post["id"], owner_id=-self.fake_vk.group_id)]
        )
        return self.answer(incident), post

    def due_reply(self, text, from_id, minutes_ago):
        """An approved reply whose first publication failed and whose retry is due."""
        reply, post = self.approved_reply(text, from_id)
        with guard.system_write():
            reply.write(
                {
                    "state": "publish_failed",
                    "publish_error": "VK is failing (10): it will be retried.",
                    "publish_attempts": 1,
                    "publish_next_at": clock.now() - timedelta(minutes=minutes_ago),
                }
            )
        return reply, post

    def community_comments(self, post):
        owner = -self.fake_vk.group_id
        return [
            c
            for c in self.fake_vk.comments.values()
            if c["from_id"] == owner and c["post_id"] == post["id"]
        ]

    def test_an_answer_without_comment_id_is_recorded_on_that_reply_only(self):
        first, first_post = self.due_reply("Когда починят лифт?", 771000001, minutes_ago=10)
        second, second_post = self.due_reply("Когда уберут листья?", 771000002, minutes_ago=5)
        # VK takes the first post and answers without its comment id
        self.fake_vk.fail_next("wall.createComment", body={"response": {}})

        self.assertEqual(self.env["social.incident.reply"]._cron_retry_publish(), 2)

        self.assertEqual(second.state, "published")
        self.assertEqual(second.incident_id.state, "answered")
        self.assertEqual(len(self.community_comments(second_post)), 1)
        self.assertEqual(first.state, "publish_failed")
        self.assertIn(
            "VK accepted the post but did not say which comment it is", first.publish_error
        )
        self.assertEqual(first.publish_attempts, 2)
        self.assertTrue(first.publish_next_at, "sent again later, under the same guid")
        self.assertIn(
            "VK accepted the post but did not say which comment it is",
            first.incident_id.message_ids[:1].body,
        )
        self.assertNotEqual(first.incident_id.state, "answered")
        # the retry posts it, once
        with guard.system_write():
            first.write({"publish_next_at": clock.now() - timedelta(minutes=1)})
        self.env["social.incident.reply"]._cron_retry_publish()
        self.assertEqual(first.state, "published")
        self.assertEqual(len(self.community_comments(first_post)), 1)

    def test_publishing_by_hand_shows_an_answer_without_comment_id(self):
        reply, _post = self.approved_reply("Почему не вывезли мусор?", 771000003)
        self.fake_vk.fail_next("wall.createComment", body={"response": {}})
        action = reply.with_user(self.executor_user).action_open_publish_wizard()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn(
            "VK accepted the post but did not say which comment it is", action["params"]["message"]
        )
        self.assertEqual(reply.state, "publish_failed")


GROUP_ID = 987650002


@tagged("post_install", "-at_install")
class TestPublishingWithTwoWorkers(BaseCase):
    """The retry job run by two workers at once, each with its own database
    cursor, as Odoo's multi-process server runs it. The data is committed, so
    the test removes it after."""

    def setUp(self):
        super().setUp()
        self.fake = FakeVk(group_id=GROUP_ID).start()
        self.addCleanup(self.fake.stop)
        self.registry = Registry(get_db_name())
        self.addCleanup(self.remove_data)
        self.account_id = None
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            env["ir.config_parameter"].set_param("social_incidents_vk.max_retries", "0")
            account = env["social.account"].create(
                {
                    "name": "Two workers community",
                    "network": "vk",
                    "url": "https://vk.com/two_workers_test",
                    "vk_group_id": str(GROUP_ID),
                    "vk_community_token": self.fake.community_token,
                    "vk_service_token": self.fake.service_token,
                    "vk_api_url": self.fake.url,
                    "connector_enabled": True,
                }
            )
            self.account_id = account.id
            post = self.fake.add_post("Новости района")
            comments = [
                dict(
                    self.fake.add_comment(post["id"], 772000001 + n, f"Вопрос {n}"),
                    post_id=post["id"],
                    owner_id=-GROUP_ID,
                )
                for n in range(3)
            ]
            incidents = env["social.inbound.event"]._vk_comments_to_incidents(account, comments)
            with guard.system_write():
                # fabricated history: worked on, a reply approved, its first publication failed
                incidents.write({"state": "in_progress"})
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

    def remove_data(self):
        if not self.account_id:
            return
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param("social_incidents_vk.max_retries", False)
            cr.execute("DELETE FROM social_incident WHERE account_id = %s", (self.account_id,))
            cr.execute(
                "DELETE FROM social_author WHERE network = 'vk' AND external_id LIKE '772000%%'"
            )
            cr.execute("DELETE FROM social_account WHERE id = %s", (self.account_id,))

    def run_job(self, barrier=None, errors=None):
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                if barrier:
                    barrier.wait(timeout=10)
                env["social.incident.reply"]._cron_retry_publish()
        except Exception as error:  # noqa: BLE001 - reported by the test
            if errors is None:
                raise
            errors.append(error)

    def states(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT id, state FROM social_incident_reply WHERE id IN %s ORDER BY id",
                (tuple(self.reply_ids),),
            )
            return dict(cr.fetchall())

    def posts_by_guid(self):
        guids = [r["params"].get("guid") for r in self.fake.requests_of("wall.createComment")]
        return {guid: guids.count(guid) for guid in guids}

    def in_production(self):
        """Outside a test the job commits each reply: let it (the data here is committed)."""
        current = odoo_module.current_test
        odoo_module.current_test = False
        self.addCleanup(setattr, odoo_module, "current_test", current)

    def test_two_workers_never_post_the_same_reply(self):
        self.in_production()
        # each post takes a moment: the two jobs overlap
        self.fake.fail_next("wall.createComment", delay=0.5, times=10)
        barrier, errors = threading.Barrier(2), []
        workers = [threading.Thread(target=self.run_job, args=(barrier, errors)) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        posts = self.posts_by_guid()
        self.assertEqual(set(posts.values()), {1}, f"no reply sent twice: {posts}")
        self.assertEqual(len(posts), 3, "each reply posted")
        self.assertFalse(errors)
        self.assertEqual(set(self.states().values()), {"published"})

    def test_a_post_that_succeeded_is_committed_before_the_next(self):
        self.in_production()
        self.fake.fail_next("wall.createComment", delay=1.5, times=10)
        worker = threading.Thread(target=self.run_job)
        worker.start()
        try:
            deadline = time.monotonic() + 20
            while (
                len(self.fake.requests_of("wall.createComment")) < 2 and time.monotonic() < deadline
            ):
                time.sleep(0.05)
            # the second reply is being posted: the first is already recorded for everyone
            states = self.states()
        finally:
            worker.join(timeout=60)
        self.assertEqual(states[self.reply_ids[0]], "published")
        self.assertEqual(states[self.reply_ids[1]], "publish_failed")
        self.assertEqual(set(self.states().values()), {"published"})
