#!/usr/bin/env python3
"""Benchmark of the VK Callback API and Telegram webhook endpoints against a running Odoo server.

    scripts/serve --workers 2 &           # or any running server with social_incidents_vk
    python3 scripts/benchmark_webhook.py -c .local/odoo-serve.conf -d DATABASE --url http://127.0.0.1:8069
    python3 scripts/benchmark_webhook.py ... --network telegram

Sends EVENTS deliveries: VK Callback API events (wall_reply_new), or with
``--network telegram`` Bot API updates (a citizen's comment in the channel's
discussion group, replying to a post's automatic forward, with the secret
header), REDELIVER of them being re-deliveries of events already sent (same
event_id / update_id), from SENDERS concurrent senders; reports events per
second, the median and 95th-percentile response time, then waits for the
server's background job to turn them into incidents, reports the processing
time per event (from the first event received to the last processed, divided
by the events) and checks that exactly one incident exists per distinct event:
none lost, none doubled. A page "Benchmark VK" (or "Benchmark Telegram") is
created for the run and removed after (with its incidents) unless --keep. The
machine's load averages are printed before and after: the senders share the
machine with the server. Run by hand; no test asserts a time.
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
TG_CHANNEL_ID = -1009900012345
TG_GROUP_ID = -1009900054321
TG_CHANNEL = "benchmark_channel"


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
    parser.add_argument("--network", choices=("vk", "telegram"), default="vk")
    return parser.parse_args()


def setup_telegram(registry):
    """A connected Telegram page; returns (its id, the webhook secret)."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        account = env["social.account"].create(
            {
                "name": "Benchmark Telegram",
                "network": "telegram",
                "url": f"https://t.me/{TG_CHANNEL}{secrets.token_hex(3)}",
                "tg_channel_id": str(TG_CHANNEL_ID),
                "tg_channel_username": TG_CHANNEL,
                "tg_group_id": str(TG_GROUP_ID),
                "connector_enabled": True,
            }
        )
        # sudo: the benchmark (run by hand, as the superuser) reads the secret it sends
        return account.id, account.sudo().tg_webhook_secret


def telegram_update(index, rng):
    """A Bot API update: a citizen's comment on one of 40 channel posts."""
    post = 500 + index % 40
    forward = 90000 + post
    channel = {"id": TG_CHANNEL_ID, "title": "Benchmark", "username": TG_CHANNEL, "type": "channel"}
    group = {"id": TG_GROUP_ID, "title": "Benchmark chat", "type": "supergroup"}
    now = int(time.time())
    user_id = 5000000000 + rng.randrange(300)
    return {
        "update_id": 700000000 + index,
        "message": {
            "message_id": 100000 + index,
            "from": {
                "id": user_id,
                "is_bot": False,
                "first_name": "Житель",
                "last_name": str(user_id),
            },
            "chat": group,
            "date": now - rng.randrange(3600),
            "message_thread_id": forward,
            "reply_to_message": {
                "message_id": forward,
                "from": {"id": 777000, "is_bot": False, "first_name": "Telegram"},
                "sender_chat": channel,
                "chat": group,
                "date": now - 7200,
                "is_automatic_forward": True,
                "forward_origin": {
                    "type": "channel",
                    "chat": channel,
                    "message_id": post,
                    "date": now - 7200,
                },
                "text": f"Пост № {post}",
            },
            "text": f"Комментарий жителя № {index}: на улице Ленина не горят фонари.",
        },
    }


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
            "SELECT extract(epoch FROM max(processed_at) - min(received_at)) FROM "
            "social_inbound_event WHERE account_id = %s",
            (account_id,),
        )
        span = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*), count(DISTINCT external_id) FROM social_incident WHERE account_id = "
            "%s",
            (account_id,),
        )
        incidents, distinct = cr.fetchone()
    return pending, done, failed, total, incidents, distinct, float(span or 0)


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
    rng = random.Random(11)
    unique = int(args.events * (1 - args.redeliver))
    headers = {"Content-Type": "application/json"}
    if args.network == "telegram":
        account_id, secret = setup_telegram(registry)
        url = f"{args.url.rstrip('/')}/social_incidents_vk/telegram/{account_id}"
        shown_url = url
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        payloads = [telegram_update(index, rng) for index in range(unique)]
    else:
        secret = secrets.token_hex(16)
        account_id, token = setup(registry, secret)
        url = f"{args.url.rstrip('/')}/social_incidents_vk/vk/{account_id}/{token}"
        shown_url = f"{url.rsplit('/', 1)[0]}/<token>"
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
        response = session.post(url, data=body, headers=headers, timeout=30)
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            statuses.append((response.status_code, response.text))

    print("load averages before: " + " ".join(f"{load:.2f}" for load in os.getloadavg()))
    print(
        f"sending {len(deliveries)} deliveries ({unique} distinct events, "
        f"{len(deliveries) - unique} re-deliveries) from {args.senders} senders to "
        f"{shown_url}"
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
        pending, done, failed, total, incidents, distinct, span = count(registry, account_id)
        if not pending or time.perf_counter() - waited > args.wait:
            break
        time.sleep(1)
    print(
        f"  processed by the background job in {time.perf_counter() - waited:.0f} s after the last "
        f"delivery; {span:.1f} s from the first event received to the last processed: "
        f"{span / max(total, 1) * 1e3:.1f} ms per event"
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
