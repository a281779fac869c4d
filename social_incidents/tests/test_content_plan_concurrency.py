"""Two workers receive the same post of a page at the same moment (two webhook
deliveries, a webhook and the poll): it is recorded once. Separate database
cursors, as two HTTP workers would use; the data is committed, so the test
removes it after."""

import threading
from datetime import timedelta

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, new_test_user, tagged

from odoo.addons.social_incidents.tools import clock

URL = "https://vk.com/t_concurrent_network_post"


@tagged("post_install", "-at_install")
class TestConcurrentNetworkPost(BaseCase):
    def test_same_post_received_twice_at_once_is_recorded_once(self):
        registry = Registry(get_db_name())
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            account_id = (
                env["social.account"]
                .create({"name": "Concurrent page", "network": "vk", "url": URL})
                .id
            )
        first_created = threading.Event()
        second_started = threading.Event()
        outcome = {}

        def receive(cr):
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            account = env["social.account"].browse(account_id)
            return (
                env["social.account.post"]
                ._record_network_post(account, "777", clock.now(), "Поздравляем с праздником!")
                .id
            )

        def first():
            with registry.cursor() as cr:
                outcome["first"] = receive(cr)
                first_created.set()
                # commit only once the second one has its snapshot and meets the unique index
                second_started.wait(timeout=10)
                threading.Event().wait(0.5)

        def second():
            first_created.wait(timeout=10)
            try:
                with registry.cursor() as cr:
                    cr.execute("SELECT 1")  # the snapshot: taken before the first commits
                    second_started.set()
                    outcome["second"] = receive(cr)
            except psycopg2.errors.SerializationFailure:
                outcome["retry"] = True

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            # the second delivery is run again (as Odoo retries a serialization failure)
            self.assertTrue(outcome.get("retry"), outcome)
            with registry.cursor() as cr:
                self.assertEqual(receive(cr), outcome["first"])
                cr.execute(
                    "SELECT count(*) FROM social_account_post WHERE account_id = %s",
                    (account_id,),
                )
                self.assertEqual(cr.fetchone()[0], 1)
        finally:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["social.account"].browse(account_id).unlink()


@tagged("post_install", "-at_install")
class TestCancelWhilePublishing(BaseCase):
    def test_no_cancel_while_the_connector_holds_the_post(self):
        registry = Registry(get_db_name())
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            curator = new_test_user(
                env, login="t_cancel_lock_curator", groups="social_incidents.group_social_curator"
            )
            account = env["social.account"].create(
                {"name": "Lock page", "network": "vk", "url": URL + "_lock"}
            )
            post = (
                env["social.account.post"]
                .with_user(curator)
                .create(
                    {
                        "name": "Locked",
                        "account_id": account.id,
                        "planned_at": clock.now() + timedelta(days=1),
                    }
                )
            )
            ids = (curator.id, account.id, post.id)
        curator_id, account_id, post_id = ids
        try:
            with registry.cursor() as publishing, registry.cursor() as cr:
                # the connector's worker holds the post
                publishing.execute(
                    "SELECT id FROM social_account_post WHERE id = %s FOR UPDATE", (post_id,)
                )
                env = api.Environment(cr, curator_id, {"lang": "en_US"})
                with self.assertRaisesRegex(UserError, "being published right now"):
                    env["social.account.post"].browse(post_id).action_cancel()
                cr.rollback()
                publishing.rollback()
            with registry.cursor() as cr:
                env = api.Environment(cr, curator_id, {"lang": "en_US"})
                env["social.account.post"].browse(post_id).action_cancel()
                self.assertEqual(env["social.account.post"].browse(post_id).state, "cancelled")
        finally:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["social.account"].browse(account_id).unlink()
                env["res.users"].browse(curator_id).unlink()
