#!/usr/bin/env python3
"""Benchmark of the monthly analysis PDF, on a real Odoo database.

    python3 scripts/benchmark_reports.py -c ODOO_CONF -d DATABASE [--incidents 10000]

DATABASE must have social_incidents_reports installed (the demo database of
scripts/serve will do). N incidents are inserted in one month (March 2026) with
their routing, reply times, total deadlines, replies and missed deadlines; the
monthly report of that month is then computed and rendered to PDF by
wkhtmltopdf, exactly as the monthly action and the print wizard do. Everything
happens in one transaction that is rolled back: the database is left as it was.
Run by hand (a running server on the configured port gives wkhtmltopdf its
stylesheets); the figures go in the closing note, no test asserts a time.

Measured: the figures (SQL on the analysis view), the HTML rendering, the whole
PDF; the peak memory of this process and of wkhtmltopdf; the pages and size.
"""

import argparse
import random
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import date, datetime, timedelta

import psutil

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config

MONTH = (date(2026, 3, 1), date(2026, 3, 31))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--incidents", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep-pdf", help="write the PDF to this path")
    return parser.parse_args()


def values(cr, template, rows):
    return ",".join(cr.mogrify(template, row).decode() for row in rows)


def insert_month(env, count, rng):
    """Plain INSERTs of ``count`` incidents of March 2026 and what the report
    reads about them (the ORM would add minutes of mail work not measured here)."""
    cr = env.cr
    company = env.company
    curator = env.ref("base.user_admin")
    executors = env["social.executor"].search([("company_id", "=", company.id)]).ids
    topics = env["social.incident.topic"].search([]).ids
    locations = env["social.incident.location"].search([]).ids
    accounts = env["social.account"].search([("company_id", "=", company.id)])
    reasons = env["social.no_reply.reason"].search([]).ids
    policy = env["social.sla.policy"]._get_policies(company)[(company.id, "normal")]
    total_line = policy.line_ids.filtered(lambda line: line.step == "total")
    networks = ["vk", "vk", "vk", "ok", "ok", "telegram"]
    start = datetime(2026, 3, 1, 5, 0)  # 08:00 Moscow
    incidents, kinds = [], []
    for index in range(count):
        detected = start + timedelta(minutes=rng.randrange(30 * 24 * 60))
        kind = rng.choices(
            ["on_time", "late", "open", "no_reply", "intermediate"], [70, 15, 8, 2, 5]
        )[0]
        hours = (
            rng.uniform(0.3, 7.5) if kind in ("on_time", "intermediate") else rng.uniform(8.5, 40)
        )
        first_reply = (
            detected + timedelta(hours=hours) if kind != "open" and kind != "no_reply" else None
        )
        state = {"open": "in_progress", "no_reply": "no_reply", "intermediate": "intermediate"}.get(
            kind, "closed"
        )
        network = rng.choice(networks)
        account = accounts.filtered(lambda a, n=network: a.network == n)[:1]
        incidents.append(
            (
                f"BENCH-{index:06d}",
                network,
                account.id or None,
                "own_page",
                "Бенчмарк <b>текст</b>",
                "Бенчмарк: сообщение гражданина",
                detected,
                detected,
                "high" if index % 20 == 0 else "normal",
                state,
                company.id,
                curator.id,
                rng.choice(locations),
                rng.choice(executors),
                first_reply,
                first_reply if kind in ("on_time", "late") else None,
                int(hours * 60) if first_reply else 0,
                rng.choice([0, 0, 0, 1, 2]),
                index % 33 == 0,
                3 if kind == "late" else 0,
                rng.choice(reasons) if kind == "no_reply" else None,
            )
        )
        kinds.append((kind, detected, first_reply))
    ids = []
    for offset in range(0, len(incidents), 5000):
        cr.execute(
            "INSERT INTO social_incident (name, network, account_id, source, text, summary, "
            "detected_at, registered_at, importance, state, company_id, curator_id, location_id, "
            "lead_executor_id, first_reply_at, answered_at, reply_work_minutes, rework_count, "
            "is_repeat, violation_count, no_reply_reason_id, create_date, write_date, create_uid, "
            "write_uid) VALUES "
            + values(
                cr,
                "("
                + ",".join(["%s"] * 21)
                + ", now() at time zone 'UTC', now() at time zone 'UTC', 1, 1)",
                incidents[offset : offset + 5000],
            )
            + " RETURNING id"
        )
        ids.extend(row[0] for row in cr.fetchall())
    lead = {incident_id: row[13] for incident_id, row in zip(ids, incidents, strict=True)}
    cr.execute(
        "INSERT INTO social_executor_social_incident_rel (social_incident_id, social_executor_id) "
        "VALUES " + values(cr, "(%s,%s)", [(i, lead[i]) for i in ids])
    )
    cr.execute(
        "INSERT INTO social_incident_social_incident_topic_rel (social_incident_id, "
        "social_incident_topic_id) VALUES "
        + values(cr, "(%s,%s)", [(i, rng.choice(topics)) for i in ids])
    )
    deadlines, replies = [], []
    for incident_id, (kind, detected, first_reply) in zip(ids, kinds, strict=True):
        if kind == "no_reply":
            continue
        due = detected + timedelta(hours=8)
        deadlines.append(
            (
                incident_id,
                company.id,
                "total",
                detected,
                policy.id,
                total_line.id,
                due,
                first_reply,
                "done" if first_reply else "open",
            )
        )
        if kind == "intermediate":
            replies.append(
                (
                    incident_id,
                    company.id,
                    "intermediate",
                    "Промежуточный ответ",
                    "published",
                    first_reply,
                )
            )
    for offset in range(0, len(deadlines), 5000):
        cr.execute(
            "INSERT INTO social_incident_deadline (incident_id, company_id, step, started_at, "
            "policy_id, line_id, deadline, done_at, state, optional, paused_seconds, create_date, "
            "write_date, create_uid, write_uid) VALUES "
            + values(
                cr,
                "(%s,%s,%s,%s,%s,%s,%s,%s,%s, false, 0, now() at time zone 'UTC', now() at time "
                "zone 'UTC', 1, 1)",
                deadlines[offset : offset + 5000],
            )
            + " RETURNING id, incident_id, deadline, done_at"
        )
        late = [
            (incident_id, row_id, "total", deadline, done_at, rng.randrange(30, 2400), company.id)
            for row_id, incident_id, deadline, done_at in cr.fetchall()
            if done_at is None or done_at > deadline
        ]
        if late:
            cr.execute(
                "INSERT INTO social_sla_violation (incident_id, deadline_id, step, deadline, "
                "done_at, delay_minutes, company_id, excused, count, create_date, write_date, "
                "create_uid, write_uid) VALUES "
                + values(
                    cr,
                    "(%s,%s,%s,%s,%s,%s,%s, false, 1, now() at time zone 'UTC', now() at time zone "
                    "'UTC', 1, 1)",
                    late,
                )
            )
    if replies:
        cr.execute(
            "INSERT INTO social_incident_reply (incident_id, company_id, kind, body, state, "
            "published_at, rework_count, create_date, write_date, create_uid, write_uid) VALUES "
            + values(
                cr,
                "(%s,%s,%s,%s,%s,%s, 0, now() at time zone 'UTC', now() at time zone 'UTC', 1, 1)",
                replies,
            )
        )
    cr.execute("ANALYZE social_incident")
    env.invalidate_all()
    return ids


def pages(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(
            ["pdfinfo", handle.name], capture_output=True, text=True, check=False
        ).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


class ChildMemory(threading.Thread):
    """Peak resident memory of this process's children (wkhtmltopdf), sampled
    every 20 ms while the PDF is rendered."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = 0
        self.running = True

    def run(self):
        me = psutil.Process()
        while self.running:
            for child in me.children(recursive=True):
                try:
                    self.peak = max(self.peak, child.memory_info().rss)
                except psutil.Error:
                    pass
            time.sleep(0.02)


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    rng = random.Random(args.seed)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "ru_RU", "tz": "Europe/Moscow"})
        try:
            started = time.perf_counter()
            ids = insert_month(env, args.incidents, rng)
            print(
                f"inserted {len(ids)} incidents of March 2026 in "
                f"{time.perf_counter() - started:.1f} s"
            )
            company = env.company
            Monthly = env["report.social_incidents_reports.report_monthly"]
            started = time.perf_counter()
            figures = Monthly._figures(company, *MONTH)
            print(
                f"figures (SQL on the analysis view): {time.perf_counter() - started:.2f} s; "
                f"{figures['totals']['__count']} incidents, on time "
                f"{figures['totals']['on_time_share']}, "
                f"median {figures['median']} h, 90th percentile {figures['p90']} h"
            )
            env.invalidate_all()
            data = {"date_from": "2026-03-01", "date_to": "2026-03-31"}
            Report = env["ir.actions.report"].with_context(force_report_rendering=True)
            started = time.perf_counter()
            html, _kind = Report._render_qweb_html(
                "social_incidents_reports.report_monthly", company.ids, data=data
            )
            print(f"HTML: {time.perf_counter() - started:.2f} s, {len(html) / 1e6:.1f} MB")
            env.invalidate_all()
            rss_before = psutil.Process().memory_info().rss
            watcher = ChildMemory()
            watcher.start()
            tracemalloc.start()
            started = time.perf_counter()
            pdf, _kind = Report._render_qweb_pdf(
                "social_incidents_reports.report_monthly", company.ids, data=data
            )
            elapsed = time.perf_counter() - started
            _current, python_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            watcher.running = False
            watcher.join()
            print(
                f"PDF (figures + HTML + wkhtmltopdf): {elapsed:.2f} s, {pages(pdf)} pages, "
                f"{len(pdf) / 1e3:.0f} kB"
            )
            print(
                f"peak memory: Python allocations during the render {python_peak / 1e6:.0f} MB "
                f"(process resident {rss_before / 1e6:.0f} MB before, "
                f"{psutil.Process().memory_info().rss / 1e6:.0f} MB after); "
                f"wkhtmltopdf {watcher.peak / 1e6:.0f} MB"
            )
            if args.keep_pdf:
                with open(args.keep_pdf, "wb") as handle:
                    handle.write(pdf)
        finally:
            cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
