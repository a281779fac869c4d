#!/usr/bin/env python3
"""Benchmark of the VK Callback API endpoint against a running Odoo server.

    scripts/serve --workers 2 &           # or any running server with social_incidents_vk
    python3 scripts/benchmark_webhook.py -c .local/odoo-serve.conf -d DATABASE --url http://127.0.0.1:8069

Sends EVENTS Callback API deliveries (wall_reply_new), REDELIVER of them being
re-deliveries of events already sent (same event_id), from SENDERS concurrent
senders; reports events per second, the median and 95th-percentile response
time, then waits for the server's background job to turn them into incidents
and checks that exactly one incident exists per distinct event: none lost,
none doubled. A page "Benchmark VK" is created for the run and removed after
(with its incidents) unless --keep. The machine's load averages are printed before and
after: the senders share the machine with the server. Run by hand; no test asserts a time.
"""

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config

GROUP_ID = 990001234


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--redeliver", type=float, default=0.2)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--wait", type=int, default=900, help="seconds to wait for the processing")
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args()


def setup(registry, secret):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        account = env["social.account"].create(
            {
                "name": "Benchmark VK",
                "network": "vk",
                "url": f"https://vk.com/club{GROUP_ID}-{secrets.token_hex(3)}",
                "external_id": str(GROUP_ID),
                "vk_group_id": str(GROUP_ID),
                "vk_secret": secret,
                "vk_confirmation": "bench",
                "connector_enabled": True,
            }
        )
        return account.id, account.webhook_token


def count(registry, account_id):
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = "
            "'done'), count(*) FILTER (WHERE state = 'error'), count(*) FROM social_inbound_event "
            "WHERE account_id = %s",
            (account_id,),
        )
        pending, done, failed, total = cr.fetchone()
        cr.execute(
            "SELECT count(*), count(DISTINCT external_id) FROM social_incident WHERE account_id = "
            "%s",
            (account_id,),
        )
        incidents, distinct = cr.fetchone()
    return pending, done, failed, total, incidents, distinct


def cleanup(registry, account_id):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["social.incident"].with_context(active_test=False).search(
            [("account_id", "=", account_id)]
        ).unlink()
        env["social.inbound.event"].search([("account_id", "=", account_id)]).unlink()
        env["social.account"].browse(account_id).unlink()


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    secret = secrets.token_hex(16)
    account_id, token = setup(registry, secret)
    url = f"{args.url.rstrip('/')}/social_incidents_vk/vk/{account_id}/{token}"
    rng = random.Random(11)
    unique = int(args.events * (1 - args.redeliver))
    payloads = []
    for index in range(unique):
        payloads.append(
            {
                "type": "wall_reply_new",
                "event_id": secrets.token_hex(20),
                "v": "5.199",
                "group_id": GROUP_ID,
                "secret": secret,
                "object": {
                    "id": 100000 + index,
                    "from_id": 1000 + rng.randrange(300),
                    "post_id": 500 + index % 40,
                    "owner_id": -GROUP_ID,
                    "date": int(time.time()) - rng.randrange(3600),
                    "text": f"Комментарий жителя № {index}: на улице Ленина не горят фонари.",
                    "parents_stack": [],
                },
            }
        )
    deliveries = payloads + [rng.choice(payloads) for _ in range(args.events - unique)]
    rng.shuffle(deliveries)
    local = threading.local()
    latencies, statuses = [], []
    lock = threading.Lock()

    def send(payload):
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        body = json.dumps(payload, ensure_ascii=False).encode()
        started = time.perf_counter()
        response = session.post(
            url, data=body, headers={"Content-Type": "application/json"}, timeout=30
        )
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            statuses.append((response.status_code, response.text))

    print("load averages before: " + " ".join(f"{load:.2f}" for load in os.getloadavg()))
    print(
        f"sending {len(deliveries)} deliveries ({unique} distinct events, "
        f"{len(deliveries) - unique} re-deliveries) from {args.senders} senders to "
        f"{url.rsplit('/', 1)[0]}/<token>"
    )
    started = time.perf_counter()
    with ThreadPoolExecutor(args.senders) as pool:
        list(pool.map(send, deliveries))
    wall = time.perf_counter() - started
    latencies.sort()
    bad = [s for s in statuses if s != (200, "ok")]
    print(
        f"  {len(deliveries) / wall:.0f} events/s ({wall:.1f} s); response time median "
        f"{statistics.median(latencies) * 1e3:.1f} ms, 95th percentile "
        f"{latencies[int(len(latencies) * 0.95) - 1] * 1e3:.1f} ms, max {latencies[-1] * 1e3:.0f} "
        "ms; "
        f"answers other than 200 ok: {len(bad)}"
    )
    waited = time.perf_counter()
    while True:
        pending, done, failed, total, incidents, distinct = count(registry, account_id)
        if not pending or time.perf_counter() - waited > args.wait:
            break
        time.sleep(1)
    print(
        f"  processed by the background job in {time.perf_counter() - waited:.0f} s after the last "
        "delivery"
    )
    print(
        f"  raw events stored: {total} (expected {unique}); processed {done}, failed {failed}, "
        f"pending {pending}"
    )
    print(
        f"  incidents: {incidents} for {distinct} distinct comments (expected {unique}): "
        f"{'none lost, none doubled' if incidents == distinct == unique else 'MISMATCH'}"
    )
    print("load averages after: " + " ".join(f"{load:.2f}" for load in os.getloadavg()))
    if not args.keep:
        cleanup(registry, account_id)
    return 0 if incidents == distinct == unique and not bad else 1


if __name__ == "__main__":
    sys.exit(main())
