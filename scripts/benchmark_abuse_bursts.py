#!/usr/bin/env python3
"""Benchmark of the abusive-words matcher and of the burst detection, on a real Odoo database.

    python3 scripts/benchmark_abuse_bursts.py -c ODOO_CONF -d DATABASE [--incidents 2000]

DATABASE must have social_incidents installed. Everything happens in one transaction that is
rolled back. Run by hand; the figures go in the closing note, no test asserts a time.

1. Matcher alone (tools/abuse.py, the shipped list): 10,000 messages of ~300 characters.
2. Registration: N incidents created in one batch (as an import does), on 20 topics and 10
   locations, detected over 48 hours: with the abusive-words flag and the burst detection,
   against the same batch without topics and locations (no burst work).
"""

import argparse
import random
import sys
import time
from datetime import datetime, timedelta

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config

WORDS = (
    "на улице Ленина третий месяц яма машины бьют колёса когда починят дорогу во дворе дома "
    "нет света отопления воды мусор не вывозят администрация обещала ответа нет дети идут в "
    "школу по темноте тротуар остановка автобус опаздывает спасибо за помощь прошу разобраться"
).split()
ABUSIVE = ["о***ели", "б**дь", "дебилы", "xyйня", "убью", "сууука"]


def message(rng, abusive):
    words = [rng.choice(WORDS) for _ in range(45)]
    if abusive:
        words[rng.randrange(len(words))] = rng.choice(ABUSIVE)
    return " ".join(words).capitalize() + "."


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--incidents", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=15)
    return parser.parse_args()


def benchmark_matcher(env, rng):
    from odoo.addons.social_incidents.tools import abuse

    index = env["social.abuse.term"]._terms_index(env.company)
    texts = [message(rng, rng.random() < 0.05) for _ in range(10000)]
    started = time.perf_counter()
    flagged = sum(1 for text in texts if abuse.find_abuse(text, index))
    took = time.perf_counter() - started
    print(
        f"matcher: 10,000 messages ({sum(map(len, texts)) // len(texts)} chars each) in "
        f"{took:.2f} s ({took / len(texts) * 1e6:.0f} µs a message), {flagged} flagged"
    )


def benchmark_registration(env, args, rng):
    Topic = env["social.incident.topic"]
    Location = env["social.incident.location"]
    topics = Topic.create([{"name": f"BENCH topic {i}"} for i in range(20)])
    places = Location.create([{"name": f"BENCH place {i}", "kind": "street"} for i in range(10)])
    start = datetime(2025, 3, 3, 6, 0)

    def batch(prefix, with_subjects):
        vals = []
        for i in range(args.incidents):
            vals.append(
                {
                    "network": "vk",
                    "text": message(rng, rng.random() < 0.05),
                    "external_id": f"{prefix}-{i}",
                    "detected_at": start + timedelta(minutes=rng.randrange(48 * 60)),
                    "topic_ids": [(6, 0, [rng.choice(topics).id])] if with_subjects else [],
                    "location_id": rng.choice(places).id if with_subjects else False,
                }
            )
        started = time.perf_counter()
        incidents = env["social.incident"].create(vals)
        env.flush_all()
        return incidents, time.perf_counter() - started

    plain, plain_time = batch("BENCH-PLAIN", False)
    counted, counted_time = batch("BENCH-BURST", True)
    bursts = env["social.incident.burst"].search([("topic_id", "in", topics.ids)]) | env[
        "social.incident.burst"
    ].search([("location_id", "in", places.ids)])
    print(
        f"registration of {args.incidents} incidents in one batch: {plain_time:.2f} s without "
        f"topics and locations, {counted_time:.2f} s with them and the burst detection "
        f"({len(bursts)} bursts opened, {sum(bursts.mapped('incident_count'))} incidents in them); "
        f"flagged abusive: {len((plain | counted).filtered('abuse_flag'))}"
    )


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    rng = random.Random(args.seed)
    with registry.cursor() as cr:
        env = api.Environment(
            cr,
            SUPERUSER_ID,
            {"lang": "en_US", "tracking_disable": True, "mail_notify_force_send": False},
        )
        try:
            benchmark_matcher(env, rng)
            benchmark_registration(env, args, rng)
        finally:
            cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
