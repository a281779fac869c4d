"""The Callback API endpoint under concurrent deliveries, through Odoo's real
HTTP server with real (committed) transactions, as in production: each
request in its own cursor. The data is committed, so each test removes it.

- Concurrent duplicate deliveries of the same events: one event stored each,
  every delivery answered "ok", and nothing logged carries the secret (no
  failing statement whose query Odoo logs as "bad query").
- A steady stream of events: each becomes an incident within 5 s, woken by
  the scheduler's own mechanism (trigger + NOTIFY), not left for the minute.
"""

import contextlib
import json
import logging
import os
import secrets
import select
import threading
import time

import requests

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import config

GROUP_ID = 987650077


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001
            text = str(record.msg)
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name} {record.levelname} {text}")


class _CronRunner:
    """What Odoo's cron thread does (odoo/service/server.py cron_thread), for
    the incoming events' job only: LISTEN on cron_trigger, sleep until
    notified (or a minute), then run the job if it is due."""

    def __init__(self, db_name, cron_id):
        self.db_name = db_name
        self.cron_id = cron_id
        self.wake_r, self.wake_w = os.pipe()
        self.stopped = False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.listening = threading.Event()
        self.thread.start()
        self.listening.wait(10)
        return self

    def stop(self):
        self.stopped = True
        os.write(self.wake_w, b"x")
        self.thread.join(30)
        os.close(self.wake_r)
        os.close(self.wake_w)

    def _run(self):
        from odoo.addons.base.models.ir_cron import ir_cron

        # a registry changed by an update is reloaded now, not on the first event
        Registry(self.db_name).check_signaling()
        conn = odoo.sql_db.db_connect("postgres")
        with contextlib.closing(conn.cursor()) as cr:
            cr.execute("LISTEN cron_trigger")
            cr.commit()  # pylint: disable=invalid-commit  # LISTEN takes effect on commit
            pg_conn = cr._cnx
            self.listening.set()
            while not self.stopped:
                select.select([pg_conn, self.wake_r], [], [], 60)
                if self.stopped:
                    break
                pg_conn.poll()
                pg_conn.notifies.clear()
                db = odoo.sql_db.db_connect(self.db_name)
                with db.cursor() as cron_cr:
                    job = ir_cron._acquire_one_job(cron_cr, self.cron_id)
                    if job:
                        Registry(self.db_name)["ir.cron"]._process_job(db, cron_cr, job)
            cr._cnx.close()


@tagged("post_install", "-at_install")
class TestWebhookLive(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.secret = secrets.token_hex(16)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            account = env["social.account"].create(
                {
                    "name": "Live webhook test community",
                    "network": "vk",
                    "url": f"https://vk.com/live_webhook_{secrets.token_hex(3)}",
                    "vk_group_id": str(GROUP_ID),
                    "vk_secret": cls.secret,
                    "connector_enabled": True,
                }
            )
            cls.account_id = account.id
            cls.url = f"http://127.0.0.1:{config['http_port']}/social_incidents_vk/vk/{account.id}/{account.webhook_token}"
            cls.cron_id = env.ref("social_incidents_vk.ir_cron_social_inbound_process").id
        cls.addClassCleanup(cls._remove)
        # One request first, alone: a fresh server builds its routing map and
        # reads the modules' manifests on its first request; six at once would
        # meet CPython 3.11.7's concurrent ast.parse bug (gh-106905), not ours.
        requests.post(cls.url, data=b"{}", timeout=60)

    @classmethod
    def _remove(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            incidents = (
                env["social.incident"]
                .with_context(active_test=False)
                .search([("account_id", "=", cls.account_id)])
            )
            authors = incidents.author_id
            incidents.unlink()
            authors.unlink()
            env["social.account"].browse(cls.account_id).unlink()

    def payload(self, index, event_id=None):
        return {
            "type": "wall_reply_new",
            "event_id": event_id or secrets.token_hex(20),
            "v": "5.199",
            "group_id": GROUP_ID,
            "secret": self.secret,
            "object": {
                "id": 500000 + index,
                "from_id": 7000 + index,
                "post_id": 12,
                "owner_id": -GROUP_ID,
                "date": 1763800000,
                "text": f"Живой поток: обращение № {index}",
            },
        }

    def query(self, sql, params):
        with self.registry.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall()

    # ------------------------------------------------------------------
    def test_concurrent_duplicate_deliveries_log_no_secret(self):
        capture = _Capture()
        root = logging.getLogger()
        root.addHandler(capture)
        previous = root.level
        root.setLevel(logging.INFO)
        logging.getLogger("odoo.sql_db").setLevel(logging.INFO)
        answers = []
        try:
            for round_no in range(8):
                body = json.dumps(self.payload(round_no)).encode()
                barrier = threading.Barrier(6)

                def deliver(body=body, barrier=barrier):
                    barrier.wait(10)
                    response = requests.post(
                        self.url,
                        data=body,
                        headers={"Content-Type": "application/json"},
                        timeout=30,
                    )
                    answers.append((response.status_code, response.text))

                threads = [threading.Thread(target=deliver) for _ in range(6)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(30)
        finally:
            root.removeHandler(capture)
            root.setLevel(previous)
        self.assertEqual(answers, [(200, "ok")] * 48)
        rows = self.query(
            "SELECT count(*), count(DISTINCT event_id), bool_or(payload LIKE %s) FROM "
            "social_inbound_event WHERE account_id = %s",
            (f"%{self.secret}%", self.account_id),
        )
        self.assertEqual(rows, [(8, 8, False)], "one event stored per delivery, without its secret")
        leaked = [line for line in capture.lines if self.secret in line]
        self.assertFalse(leaked, "the secret was logged:\n" + "\n".join(leaked[:3]))
        self.assertFalse([line for line in capture.lines if "bad query" in line])

    def test_steady_stream_becomes_incidents_within_5_seconds(self):
        # warm up: the first incident of a fresh database pays one-time costs
        # (the year's production calendar, the runner's first job); the stream
        # is timed after it
        seen = {}

        def look():
            rows = self.query(
                "SELECT external_id FROM social_incident WHERE account_id = %s",
                (self.account_id,),
            )
            now = time.monotonic()
            for (external_id,) in rows:
                seen.setdefault(external_id, now)

        runner = _CronRunner(self.registry.db_name, self.cron_id).start()
        sent = {}
        try:
            warm_up = f"wall{-GROUP_ID}_12_{500000 + 999}"
            response = requests.post(self.url, data=json.dumps(self.payload(999)), timeout=30)
            self.assertEqual(response.text, "ok")
            deadline = time.monotonic() + 60
            while warm_up not in seen and time.monotonic() < deadline:
                look()
                time.sleep(0.1)
            session = requests.Session()
            for index in range(40):
                payload = self.payload(1000 + index)
                response = session.post(
                    self.url,
                    data=json.dumps(payload),
                    headers={"Content-Type": "application/json"},
                    timeout=30,
                )
                self.assertEqual(response.text, "ok")
                sent[f"wall{-GROUP_ID}_12_{500000 + 1000 + index}"] = time.monotonic()
                # watched while the stream goes on: an incident is seen when
                # it appears, not when the stream has ended
                look()
                time.sleep(0.1)
            deadline = time.monotonic() + 10
            while not sent.keys() <= seen.keys() and time.monotonic() < deadline:
                look()
                time.sleep(0.1)
        finally:
            runner.stop()
        late = {key: round(seen[key] - at, 1) if key in seen else None for key, at in sent.items()}
        late = {key: delay for key, delay in late.items() if delay is None or delay > 5}
        self.assertFalse(late, f"events not an incident within 5 s (None: not at all): {late}")
