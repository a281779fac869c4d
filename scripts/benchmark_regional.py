#!/usr/bin/env python3
"""Benchmark of the regional view («Анализ» → «По муниципалитетам»).

    python3 scripts/benchmark_regional.py -c ODOO_CONF -d DATABASE [--repeat 15] [--month 2026-11]
        [--months 10]

DATABASE holds a regional dataset (scripts/populate.py). A user with the head's
rights in every populated municipality, all of them ticked in the company switcher,
opens the regional action: its pivot (the total and one row per municipality, the
action's measures) and its graph (municipality × timeliness), for the previous
month as the action's default filter gives it (or ``--month``; ``--months`` periods of
several months from it hold as many incidents as one month of a larger region). For
comparison: the
same with one municipality ticked, and the figures of one municipality's monthly
report (``_figures``, the queries of the PDF without its rendering). Timed on the
server like scripts/benchmark_scale.py (median, 95th percentile, queries of a run);
the user is created for the run and everything is rolled back. Run by hand; no test
asserts a time.
"""

import argparse
import os
import sys
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from lxml import etree

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config
from odoo.tools.safe_eval import safe_eval

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchmark_scale import COMPANY_NAME, Bench, eval_context  # noqa: E402

ACTION = "social_incidents_reports.social_incident_report_action_regional"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--month", help="YYYY-MM; the previous month by default")
    parser.add_argument("--months", type=int, default=1, help="length of the period")
    return parser.parse_args()


def month_bounds(value, months=1):
    if value:
        first = date.fromisoformat(f"{value}-01")
    else:
        first = date.today().replace(day=1) - relativedelta(months=1)
    return first, first + relativedelta(months=months) - timedelta(days=1)


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "--log-level", "warn"])
    registry = odoo.modules.registry.Registry(args.database)
    date_from, date_to = month_bounds(args.month, args.months)
    with registry.cursor() as cr:
        su = api.Environment(cr, SUPERUSER_ID, {"lang": "ru_RU", "tz": "Europe/Moscow"})
        companies = su["res.company"].search(
            [("name", "=like", COMPANY_NAME.replace("{:02d}", "%"))], order="name"
        )
        if not companies:
            raise SystemExit("No populated municipality: run scripts/populate.py first.")
        regional = (
            su["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": "benchmark-regional-head",
                    "name": "Регион",
                    "company_id": companies[0].id,
                    "company_ids": [(6, 0, companies.ids)],
                    "groups_id": [
                        (4, su.ref("base.group_user").id),
                        (4, su.ref("social_incidents.group_social_head").id),
                    ],
                }
            )
        )
        su.flush_all()
        cr.execute("SELECT count(*), count(DISTINCT company_id) FROM social_incident")
        total, in_companies = cr.fetchone()
        print(
            f"{total} incidents in {in_companies} companies; {len(companies)} ticked; "
            f"{date_from} – {date_to}; load average {os.getloadavg()[0]:.2f}"
        )
        print(f"{'call':56} {'median ms':>9} {'p95 ms':>9} {'queries':>8}")

        def env_of(ticked):
            return api.Environment(
                cr,
                regional.id,
                {"lang": "ru_RU", "tz": "Europe/Moscow", "allowed_company_ids": ticked.ids},
            )

        env = env_of(companies)
        action = env["ir.actions.act_window"]._for_xml_id(ACTION)
        context = safe_eval(action["context"], eval_context(env))
        views = env["social.incident.report"].get_views(action["views"])["views"]
        pivot = etree.fromstring(views["pivot"]["arch"])
        rows = [f.get("name") for f in pivot.iterfind("field[@type='row']")]
        measures = [
            f"{name}:{su['social.incident.report']._fields[name].aggregator}"
            for name in context["pivot_measures"]
            if name != "__count"
        ]
        graph = etree.fromstring(views["graph"]["arch"])
        graph_groups = [f.get("name") for f in graph.iterfind("field")]
        domain = [
            ("detected_date", ">=", date_from.isoformat()),
            ("detected_date", "<=", date_to.isoformat()),
        ]
        report_context = {k: v for k, v in context.items() if not k.startswith("search_default")}

        def pivot_calls(ticked):
            Report = env_of(ticked)["social.incident.report"].with_context(report_context)

            def call():
                # the pivot asks for the total, then for its rows
                Report.read_group(domain, measures, [], lazy=False)
                Report.read_group(domain, measures, rows, lazy=False)

            return call

        def graph_call(ticked):
            Report = env_of(ticked)["social.incident.report"].with_context(report_context)
            return lambda: Report.web_read_group(domain, ["__count"], graph_groups, lazy=False)

        bench = Bench(su, args.repeat)
        try:
            bench.run(f"regional: pivot, {len(companies)} municipalities", pivot_calls(companies))
            bench.run(f"regional: graph, {len(companies)} municipalities", graph_call(companies))
            bench.run("regional: pivot, one municipality", pivot_calls(companies[:1]))
            monthly = env_of(companies[:1])["report.social_incidents_reports.report_monthly"]
            bench.run(
                "one municipality's monthly report figures (no PDF)",
                lambda: monthly._figures(companies[0], date_from, date_to),
            )
            groups = (
                env["social.incident.report"]
                .with_context(report_context)
                .read_group(domain, measures, rows, lazy=False)
            )
            print()
            for group in groups:
                print(
                    f"{group['company_id'][1]:24} {group['__count']:6} incidents, "
                    f"{group['on_time_rate'] or 0:5.1f} % on time, "
                    f"{group['overdue_count']:4} overdue, {group['violation_count']:4} missed"
                )
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
