"""Two deliveries of the same event at the same moment store one event and
make one incident. Separate database cursors, as two HTTP workers would use;
the data is committed, so the test removes it after."""

import json
import threading

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged

GROUP_ID = 987650001


@tagged("post_install", "-at_install")
class TestConcurrentDelivery(BaseCase):
    def test_simultaneous_redelivery_makes_one_incident(self):
        registry = Registry(get_db_name())
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            account = env["social.account"].create(
                {
                    "name": "Concurrency test community",
                    "network": "vk",
                    "url": "https://vk.com/concurrency_test",
                    "vk_group_id": str(GROUP_ID),
                    "vk_secret": "concurrency-secret",
                    "connector_enabled": True,
                }
            )
            account_id = account.id
        payload = {
            "type": "wall_reply_new",
            "event_id": "f3c1a9d2e4b5concurrent",
            "v": "5.199",
            "group_id": GROUP_ID,
            "secret": "concurrency-secret",
            "object": {
                "id": 77,
                "from_id": 555,
                "post_id": 9,
                "owner_id": -GROUP_ID,
                "date": 1763800000,
                "text": "Одновременная доставка",
            },
        }
        barrier = threading.Barrier(2)
        results, retries = [], []

        def deliver():
            # what Odoo's HTTP layer does: retry the request on a serialization failure
            for attempt in range(5):
                try:
                    with registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        if attempt == 0:
                            barrier.wait(timeout=10)
                        stored = env["social.inbound.event"]._store(
                            env["social.account"].browse(account_id),
                            "vk",
                            payload["event_id"],
                            payload["type"],
                            payload,
                        )
                    results.append(stored)
                    return
                except psycopg2.errors.SerializationFailure:
                    retries.append(attempt)

        try:
            threads = [threading.Thread(target=deliver) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            self.assertEqual(len(results), 2, "both deliveries were answered")
            self.assertEqual(sum(1 for r in results if r), 1, "one stored, the other found it")
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["social.inbound.event"]._cron_process()
                cr.execute(
                    "SELECT count(*) FROM social_inbound_event WHERE account_id = %s", (account_id,)
                )
                self.assertEqual(cr.fetchone()[0], 1)
                cr.execute(
                    "SELECT count(*), min(text) FROM social_incident WHERE account_id = %s",
                    (account_id,),
                )
                self.assertEqual(cr.fetchone(), (1, "Одновременная доставка"))
        finally:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["social.incident"].with_context(active_test=False).search(
                    [("account_id", "=", account_id)]
                ).unlink()
                env["social.author"].search(
                    [("network", "=", "vk"), ("external_id", "=", "555")]
                ).unlink()
                env["social.account"].browse(account_id).unlink()
        self.assertTrue(json.dumps(payload))
