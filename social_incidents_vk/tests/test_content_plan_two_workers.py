"""The publishing job of the content plan run by two workers at once, each
with its own database cursor, as Odoo's multi-process server runs it: each
planned post reaches the wall once. The data is committed, so the test
removes it after."""

import threading
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.modules import module as odoo_module
from odoo.modules.registry import Registry
from odoo.osv import expression
from odoo.tests import BaseCase, get_db_name, tagged

from odoo.addons.social_incidents.tools import clock, guard
from odoo.addons.social_incidents_vk.tests.fake_networks import FakeVk

GROUP_ID = 987650017


@tagged("post_install", "-at_install")
class TestContentPlanTwoWorkers(BaseCase):
    def setUp(self):
        super().setUp()
        self.fake = FakeVk(group_id=GROUP_ID).start()
        self.addCleanup(self.fake.stop)
        self.registry = Registry(get_db_name())
        self.account_id = None
        self.addCleanup(self.remove_data)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            env["ir.config_parameter"].set_param("social_incidents_vk.max_retries", "0")
            account = env["social.account"].create(
                {
                    "name": "Two workers content plan",
                    "network": "vk",
                    "url": "https://vk.com/two_workers_plan_test",
                    "vk_group_id": str(GROUP_ID),
                    "vk_user_token": self.fake.user_token,
                    "vk_api_url": self.fake.url,
                    "connector_enabled": True,
                }
            )
            self.account_id = account.id
            with guard.system_write():
                # fabricated history: three posts approved, their time come
                posts = env["social.account.post"].create(
                    [
                        {
                            "name": f"Новость {n}",
                            "account_id": account.id,
                            "body": f"Текст новости {n}",
                            "planned_at": clock.now() - timedelta(minutes=10 - n),
                            "state": "approved",
                        }
                        for n in range(3)
                    ]
                )
            self.post_ids = posts.ids

    def remove_data(self):
        if not self.account_id:
            return
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param("social_incidents_vk.max_retries", False)
            cr.execute("DELETE FROM social_account_post WHERE account_id = %s", (self.account_id,))
            cr.execute("DELETE FROM social_account WHERE id = %s", (self.account_id,))

    def run_job(self, barrier, errors):
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                barrier.wait(timeout=10)
                env["social.account.post"]._cron_publish_due()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    def states(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT id, state, external_id FROM social_account_post WHERE id IN %s",
                (tuple(self.post_ids),),
            )
            return {row[0]: row[1:] for row in cr.fetchall()}

    def test_two_workers_never_post_the_same_planned_post(self):
        # outside a test the job commits each post: let it (the data here is committed)
        current = odoo_module.current_test
        odoo_module.current_test = False
        self.addCleanup(setattr, odoo_module, "current_test", current)
        # the job looks at this test's page only: the other pages' posts (the
        # demo's) are not published for real by a test that commits
        Post = self.registry["social.account.post"]
        due_domain = Post._publish_due_domain

        def this_page_only(model):
            return expression.AND([due_domain(model), [("account_id", "=", self.account_id)]])

        self.startPatcher(patch.object(Post, "_publish_due_domain", this_page_only))
        # each post takes a moment: the two jobs overlap
        self.fake.fail_next("wall.post", delay=0.5, times=10)
        barrier, errors = threading.Barrier(2), []
        workers = [threading.Thread(target=self.run_job, args=(barrier, errors)) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        self.assertFalse(errors)
        guids = [r["params"]["guid"] for r in self.fake.requests_of("wall.post")]
        self.assertEqual(len(guids), 3, f"each post sent once: {guids}")
        self.assertEqual(len(set(guids)), 3)
        self.assertEqual(len(self.fake.wall_posts(from_id=-GROUP_ID)), 3)
        states = self.states()
        self.assertEqual({state for state, _id in states.values()}, {"published"})
        self.assertEqual(
            sorted(int(external_id) for _state, external_id in states.values()),
            sorted(post["id"] for post in self.fake.wall_posts()),
        )
