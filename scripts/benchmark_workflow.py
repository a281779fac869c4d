#!/usr/bin/env python3
"""Benchmark of one incident's day as its users live it, notifications included.

    python3 scripts/benchmark_workflow.py -c ODOO_CONF -d DATABASE [--incidents 30]

DATABASE must hold the demo (scripts/serve builds one). As the demo's curator
and the ЖКХ executor, N incidents are registered, routed, taken into work,
drafted, submitted, returned, resubmitted, approved and published, each step
through its action as the web client calls it. For every step: the median and
95th percentile time, the SQL queries, and the notifications it sent (inbox
and email). Everything is rolled back: the database is left as it was. Run by
hand; no test asserts a time.
"""

import argparse
import statistics
import time
from collections import defaultdict

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--incidents", type=int, default=30)
    return parser.parse_args()


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "--log-level", "warn"])
    registry = odoo.modules.registry.Registry(args.database)
    timings = defaultdict(list)
    queries = defaultdict(list)
    notified = defaultdict(list)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "ru_RU", "tz": "Europe/Moscow"})
        ref = env.ref
        curator = ref("social_incidents.user_demo_curator")
        executor_user = ref("social_incidents.user_demo_executor")
        housing = ref("social_incidents.social_executor_demo_zhkh")
        return_reason = ref("social_incidents.return_reason_spelling")
        Notification = env["mail.notification"]

        def step(name, call):
            env.flush_all()
            before_notes = Notification.search_count([])
            before_queries = cr.sql_log_count
            started = time.perf_counter()
            result = call()
            env.flush_all()
            timings[name].append(time.perf_counter() - started)
            queries[name].append(cr.sql_log_count - before_queries)
            notified[name].append(Notification.search_count([]) - before_notes)
            return result

        as_curator = env["social.incident"].with_user(curator).with_context(lang="ru_RU")
        Reply = env["social.incident.reply"].with_user(executor_user).with_context(lang="ru_RU")
        for index in range(args.incidents):
            incident = step(
                "register",
                lambda i=index: as_curator.create(
                    {
                        "network": "vk",
                        "text": f"Бенчмарк {i}: на Волгоградской яма у дома {i}.",
                        "url": f"https://vk.com/wall-187654321_{90000 + i}",
                        "external_id": f"bench-workflow-{i}",
                    }
                ),
            )
            step("route", lambda inc=incident: inc.action_route(housing))
            line = incident.assignment_ids.with_user(executor_user)
            step("accept", lambda line=line: line.action_accept())
            reply = step(
                "draft",
                lambda inc=incident: Reply.create(
                    {"incident_id": inc.id, "kind": "final", "body": "Яму заделаем до пятницы."}
                ),
            )
            step("submit", lambda r=reply: r.action_submit())
            as_reviewer = reply.with_user(curator)
            step("return", lambda r=as_reviewer: r.action_return(return_reason, "Уточните срок."))
            step("resubmit", lambda r=reply: r.action_submit())
            step("approve", lambda r=as_reviewer: r.action_approve())
            step(
                "publish",
                lambda r=reply, i=index: r.action_mark_published(
                    f"https://vk.com/wall-187654321_{90000 + i}?reply={i + 1}"
                ),
            )
        cr.rollback()

    print(f"{args.incidents} incidents, each step through its action (rolled back)")
    print(f"{'step':10} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'notified':>9}")
    for name, values in timings.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
        print(
            f"{name:10} {statistics.median(values) * 1000:10.1f} {p95 * 1000:8.1f} "
            f"{statistics.median(queries[name]):8.0f} {statistics.median(notified[name]):9.0f}"
        )


if __name__ == "__main__":
    main()
