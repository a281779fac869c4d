#!/usr/bin/env python3
"""Benchmark of the monitoring systems' push registration, in process (no HTTP).

    python3 scripts/benchmark_monitoring_push.py -c .local/odoo-test.conf -d DATABASE

Registers MESSAGES new messages (VK comment links, AUTHORS distinct authors) as
one push of a monitoring system would, then the same messages again (a
re-delivery); prints the time of each and what the answers said. Everything
is rolled back at the end. The machine's load averages are printed: the
figure depends on what else runs. Run by hand; no test asserts a time.
"""

import argparse
import os
import time

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--authors", type=int, default=50)
    args = parser.parse_args()
    config.parse_config(["-c", args.config])
    registry = odoo.modules.registry.Registry(args.database)
    print("load averages before:", os.getloadavg())
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        source = env["social.monitoring.source"].create(
            {"name": "Benchmark push", "push_enabled": True}
        )
        messages = [
            {
                "text": f"Сообщение № {index}: во дворе не вывезен мусор.",
                "url": f"https://vk.com/wall-990077_{index + 1}?reply={index + 1}",
                "author_id": str(880000 + index % args.authors),
                "author_name": f"Автор {index % args.authors}",
                "published_at": "2026-11-30T10:00:00+03:00",
            }
            for index in range(args.messages)
        ]
        for label in ("new", "re-delivered"):
            started = time.monotonic()
            results = source._push_register(messages)
            env.flush_all()
            elapsed = time.monotonic() - started
            statuses = {}
            for result in results:
                statuses[result["status"]] = statuses.get(result["status"], 0) + 1
            print(
                f"{args.messages} {label}: {elapsed:.1f} s "
                f"({args.messages / elapsed:.0f} messages/s) {statuses}"
            )
        cr.rollback()
    print("load averages after:", os.getloadavg())


if __name__ == "__main__":
    main()
