#!/usr/bin/env python3
"""How often the routing dialog suggests the right executor: leave-one-out on the demo history.

    python3 scripts/benchmark_triage.py -c ODOO_CONF -d DATABASE

DATABASE must hold the demo (scripts/serve builds one; all the addons, so the two months of
history of social_incidents_reports are there). For every routed incident of the demo's
administration, the dialog's suggestions are computed as when it was new (its text only, no
executor, no topic) from the keyword rules and from the other routed incidents (the incident
itself left out). A hit: its lead executor (the one it was routed to) is the first suggestion
(top-1) or among the three (top-3). Measured four ways: rules and history together (what the
dialog does), each alone, and with the author's other messages also left out (the demo's
"Пишу повторно" messages otherwise find their own first message); against the baseline of
always guessing the most frequent executors. Prints the hit rates and the time per
suggestion (the first call warms the caches: read the median). Read only: everything is
rolled back. No test asserts it.
"""

import argparse
import statistics
import time

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    return parser.parse_args()


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "--log-level", "warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "ru_RU"})
        curator = env.ref("social_incidents.user_demo_curator")
        company = curator.company_id
        env = env(user=curator)
        Incident = env["social.incident"]
        routed = Incident.search(
            [("company_id", "=", company.id), ("lead_executor_id", "!=", False)], order="id"
        )
        print(
            f"{len(routed)} routed incidents, {len(routed.lead_executor_id)} executors, "
            f"{env['social.triage.rule'].search_count([('company_id', '=', company.id)])} "
            "keyword rules"
        )
        # what guessing does: always the most frequent executor(s) of the history
        counts = sorted(
            (
                len(routed.filtered(lambda i, e=e: i.lead_executor_id == e))
                for e in routed.lead_executor_id
            ),
            reverse=True,
        )
        count = len(routed) or 1
        print(
            f"{'baseline: the most frequent executors':40s} top-1 {counts[0] / count:6.1%}  "
            f"top-3 {sum(counts[:3]) / count:6.1%}"
        )
        ways = {
            "rules + history (the dialog)": {"rules": True, "history": True, "author": False},
            "rules + history, author's others out": {
                "rules": True,
                "history": True,
                "author": True,
            },
            "keyword rules alone": {"rules": True, "history": False, "author": False},
            "history alone": {"rules": False, "history": True, "author": False},
            "history alone, author's others out": {
                "rules": False,
                "history": True,
                "author": True,
            },
        }
        for label, way in ways.items():
            top1 = top3 = 0
            times = []
            for incident in routed:
                exclude = {incident.id}
                if way["author"] and incident.author_id:
                    exclude |= set(
                        routed.filtered(lambda i, a=incident.author_id: i.author_id == a).ids
                    )
                new = Incident.new({"text": incident.text, "company_id": company.id})
                env.flush_all()
                started = time.perf_counter()
                neighbours = new._triage_neighbours(exclude_ids=exclude) if way["history"] else []
                found = new._triage_suggestions(neighbours=neighbours, use_rules=way["rules"])
                times.append(time.perf_counter() - started)
                executors = [executor for executor, _score, _reason in found["executors"]]
                top1 += incident.lead_executor_id in executors[:1]
                top3 += incident.lead_executor_id in executors[:3]
            print(
                f"{label:40s} top-1 {top1 / count:6.1%}  top-3 {top3 / count:6.1%}  "
                f"median {statistics.median(times) * 1000:5.1f} ms, "
                f"max {max(times) * 1000:5.1f} ms per suggestion"
            )
        cr.rollback()


if __name__ == "__main__":
    main()
