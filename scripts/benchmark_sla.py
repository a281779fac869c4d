#!/usr/bin/env python3
"""Benchmark of the deadline engine and the watchdog, on a real Odoo database.

    python3 scripts/benchmark_sla.py -c ODOO_CONF -d DATABASE [--incidents 10000] [--open 100000]

DATABASE must have social_incidents installed (the demo database of
scripts/serve will do). Everything happens in one transaction that is rolled
back: the database is left as it was. Run by hand; the figures go in the
closing note of the issue, no test asserts a time.

1. Watchdog: M open incidents, 1 % of them just past a deadline: the plan and
   time of its query, then one whole run (violations, messages, activities).
2. Placement: every step deadline of N incidents (6 steps each) placed in one
   batch by the engine, against resource.calendar.plan_hours record by record on
   a sample (the holidays given to plan_hours as global time off); both timed,
   the ratio, and the results compared to the second. Then the same rows
   recomputed through the ORM path with the bulk writes.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--incidents", type=int, default=10000)
    parser.add_argument(
        "--sample", type=int, default=1000, help="placements checked with plan_hours"
    )
    parser.add_argument("--open", type=int, default=100000, help="open incidents for the watchdog")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def insert_incidents(env, count, company, curator, start, span_hours, rng, state="new"):
    """Plain INSERTs (the ORM would add minutes of mail work that is not measured here)."""
    cr = env.cr
    rows = []
    for index in range(count):
        detected = start + timedelta(minutes=rng.randrange(span_hours * 60))
        rows.append(
            (
                f"BENCH-{index:06d}",
                "vk",
                "own_page",
                "Бенчмарк",
                "Бенчмарк",
                detected,
                detected,
                "high" if index % 10 == 0 else "normal",
                state,
                company.id,
                curator.id,
            )
        )
    ids = []
    for offset in range(0, len(rows), 5000):
        chunk = rows[offset : offset + 5000]
        args = ",".join(
            cr.mogrify(
                "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s, now() at time zone 'UTC', now() at time zone "
                "'UTC', 1, 1)",
                row,
            ).decode()
            for row in chunk
        )
        cr.execute(
            "INSERT INTO social_incident (name, network, source, text, summary, detected_at, "
            "registered_at, importance, state, company_id, curator_id, create_date, write_date, "
            "create_uid, write_uid) VALUES " + args + " RETURNING id, detected_at, importance"
        )
        ids.extend(cr.fetchall())
    return ids


def insert_rows(env, rows):
    """rows: (incident_id, company_id, step, started_at, policy_id, line_id, deadline, watch_at)."""
    cr = env.cr
    ids = []
    for offset in range(0, len(rows), 5000):
        chunk = rows[offset : offset + 5000]
        args = ",".join(
            cr.mogrify(
                "(%s,%s,%s,%s,%s,%s,%s,%s,'open',false,0, now() at time zone 'UTC', now() at time "
                "zone 'UTC', 1, 1)",
                row,
            ).decode()
            for row in chunk
        )
        cr.execute(
            "INSERT INTO social_incident_deadline (incident_id, company_id, step, started_at, "
            "policy_id, line_id, deadline, watch_at, state, optional, paused_seconds, create_date, "
            "write_date, create_uid, write_uid) VALUES " + args + " RETURNING id"
        )
        ids.extend(row[0] for row in cr.fetchall())
    return ids


def benchmark_placement(env, args, rng):
    company = env.company
    curator = env.ref("base.user_admin")
    policies = env["social.sla.policy"]._get_policies(company)
    Deadline = env["social.incident.deadline"]
    steps = ("route", "total", "draft", "review", "publish", "final")
    # detections spread over January-April 2026 (no working Saturday, no
    # shortened day before 30 April: plan_hours knows neither)
    incidents = insert_incidents(
        env, args.incidents, company, curator, datetime(2026, 1, 12, 5), 24 * 95, rng
    )
    rows = []
    for incident_id, detected, importance in incidents:
        lines = {line.step: line for line in policies[(company.id, importance)].line_ids}
        for index, step in enumerate(steps):
            started = detected + timedelta(minutes=17 * index)
            rows.append(
                (
                    incident_id,
                    company.id,
                    step,
                    started,
                    lines[step].policy_id.id,
                    lines[step].id,
                    None,
                    None,
                )
            )
    row_ids = insert_rows(env, rows)
    print(f"placement: {len(incidents)} incidents, {len(row_ids)} step deadlines to place")

    # --- the engine, one batch ---------------------------------------------
    started = time.perf_counter()
    values = Deadline._place(row_ids)
    engine_total = time.perf_counter() - started
    # the pure computing part: the same tuples placed again, without the query
    env.cr.execute(
        """
        SELECT d.id, d.step, d.started_at, d.paused_seconds, d.paused_since IS NOT NULL,
               d.optional, d.violation_id IS NOT NULL, l.duration, l.unit, l.anchor,
               p.calendar_id, p.at_risk_percent, i.detected_at, tl.duration, tl.unit, 0
          FROM social_incident_deadline d
          JOIN social_sla_policy_line l ON l.id = d.line_id
          JOIN social_sla_policy p ON p.id = l.policy_id
          JOIN social_incident i ON i.id = d.incident_id
     LEFT JOIN social_sla_policy_line tl ON tl.policy_id = p.id AND tl.step = 'total'
         WHERE d.id = ANY(%s)
        """,
        [row_ids],
    )
    records = env.cr.fetchall()
    from odoo.addons.social_incidents.models.social_incident_deadline import place_row

    calendar = policies[(company.id, "normal")].calendar_id
    worktime = env["social.sla.policy"]._get_worktime(calendar)
    started = time.perf_counter()
    for record in records:
        place_row(worktime, record)
    engine_compute = time.perf_counter() - started
    print(
        f"  engine: {len(records)} placements computed in {engine_compute:.3f} s "
        f"({engine_compute / len(records) * 1e6:.1f} µs each); with the query {engine_total:.3f} s"
    )

    # --- plan_hours, record by record, on a sample -------------------------
    # the production calendar handed to plan_hours as the calendar's time off
    days = env["social.production.day"].search([("day_type", "in", ("holiday", "day_off"))])
    tz = calendar.tz
    import pytz

    zone = pytz.timezone(tz)
    leaves = []
    for day in days:
        start = zone.localize(datetime.combine(day.date, datetime.min.time())).astimezone(pytz.utc)
        leaves.append(
            {
                "name": day.name or "holiday",
                "calendar_id": calendar.id,
                "resource_id": False,
                "date_from": start.replace(tzinfo=None),
                "date_to": (start + timedelta(days=1)).replace(tzinfo=None),
            }
        )
    env["resource.calendar.leaves"].create(leaves)
    by_id = {record[0]: record for record in records}
    working = [
        rid
        for rid in row_ids
        if by_id[rid][8] in ("minutes", "hours") and by_id[rid][9] != "before_total"
    ]
    sample = rng.sample(working, min(args.sample, len(working)))
    started = time.perf_counter()
    planned = {}
    for rid in sample:
        record = by_id[rid]
        hours = record[7] / 60 if record[8] == "minutes" else record[7]
        base = record[12] if record[9] == "detection" else record[2]
        planned[rid] = calendar.plan_hours(hours, base, compute_leaves=True)
    plan_time = time.perf_counter() - started
    per_plan = plan_time / len(sample)
    per_engine = engine_compute / len(records)
    mismatches = [rid for rid in sample if planned[rid] != values[rid][0]]
    print(
        f"  plan_hours: {len(sample)} placements in {plan_time:.2f} s ({per_plan * 1e3:.2f} ms "
        "each); "
        f"for all {len(records)}: about {per_plan * len(records):.1f} s"
    )
    print(
        f"  engine is {per_plan / per_engine:.0f}x faster; identical to the second on the sample: "
        f"{len(sample) - len(mismatches)}/{len(sample)}"
    )
    for rid in mismatches[:5]:
        print("    differs:", by_id[rid][1:4], planned[rid], values[rid][0])

    # --- the same rows through the ORM path, with the bulk writes ----------
    rows = Deadline.browse(row_ids)
    started = time.perf_counter()
    rows._recompute()
    with_writes = time.perf_counter() - started
    print(
        "  recompute with writes to the database (and the incidents' stored deadlines): "
        f"{with_writes:.2f} s"
    )
    env.cr.execute(
        "SELECT count(*) FROM social_incident_deadline WHERE id = ANY(%s) AND deadline IS NOT NULL",
        [row_ids],
    )
    print(f"  rows with a deadline after the write: {env.cr.fetchone()[0]}/{len(row_ids)}")

    return {
        "engine": engine_compute,
        "plan_hours_each": per_plan,
        "with_writes": with_writes,
        "mismatches": len(mismatches),
    }


def benchmark_watchdog(env, args, rng):
    company = env.company
    curator = company.social_curator_id or env.ref("base.user_admin")
    policy = env["social.sla.policy"]._get_policies(company)[(company.id, "normal")]
    total_line = policy.line_ids.filtered(lambda line: line.step == "total")
    now = datetime.now().replace(microsecond=0)
    incidents = insert_incidents(
        env, args.open, company, curator, now - timedelta(hours=30), 24, rng, state="assigned"
    )
    overdue = set(rng.sample(range(len(incidents)), len(incidents) // 100))
    rows = []
    for index, (incident_id, detected, _importance) in enumerate(incidents):
        deadline = (
            now - timedelta(minutes=rng.randrange(1, 5))
            if index in overdue
            else now + timedelta(hours=rng.randrange(1, 40))
        )
        rows.append(
            (
                incident_id,
                company.id,
                "total",
                detected,
                policy.id,
                total_line.id,
                deadline,
                deadline,
            )
        )
    insert_rows(env, rows)
    env.cr.execute("ANALYZE social_incident_deadline")
    print(f"watchdog: {len(incidents)} open incidents, {len(overdue)} just past their deadline")
    env.cr.execute(
        "EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM social_incident_deadline "
        "WHERE watch_at <= %s ORDER BY watch_at, id LIMIT %s",
        (now, 1001),
    )
    plan = [line[0] for line in env.cr.fetchall()]
    print("  query plan:")
    for line in plan:
        print("    " + line)
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        env.cr.execute(
            "SELECT id FROM social_incident_deadline WHERE watch_at <= %s ORDER BY watch_at, id "
            "LIMIT %s",
            (now, 1001),
        )
        env.cr.fetchall()
        timings.append(time.perf_counter() - started)
    print(
        f"  query: median {statistics.median(timings) * 1e3:.2f} ms over 20 runs; index used: "
        f"{any('social_incident_deadline_watch_idx' in line for line in plan)}"
    )
    started = time.perf_counter()
    done = (
        env["social.incident.deadline"]
        .with_context(mail_notify_force_send=False)
        ._cron_watchdog(batch_size=len(overdue) + 10)
    )
    run = time.perf_counter() - started
    env.cr.execute(
        "SELECT count(*) FROM social_sla_violation s JOIN social_incident i ON i.id = "
        "s.incident_id WHERE i.name LIKE 'BENCH-%%'"
    )
    recorded = env.cr.fetchone()[0]
    again = env["social.incident.deadline"]._cron_watchdog(batch_size=len(overdue) + 10)
    print(
        f"  one run: {done} violations recorded, notified and escalated in {run:.2f} s; "
        f"violations in the database: {recorded}; a second run records {again}"
    )
    return {"query_ms": statistics.median(timings) * 1e3, "run": run}


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    rng = random.Random(args.seed)
    # dead index entries of earlier (rolled back) runs would blur the plan
    with odoo.sql_db.db_connect(args.database).cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute("VACUUM ANALYZE social_incident_deadline")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US", "tracking_disable": True})
        try:
            benchmark_watchdog(env, args, rng)
            env.cr.execute("DELETE FROM social_incident WHERE name LIKE 'BENCH-%%'")
            env.invalidate_all()
            benchmark_placement(env, args, rng)
        finally:
            cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
