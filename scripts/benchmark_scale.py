#!/usr/bin/env python3
"""Benchmark of every screen and action at regional scale.

    python3 scripts/benchmark_scale.py -c ODOO_CONF -d DATABASE [--repeat 15] [--pdf]

DATABASE holds a regional dataset (scripts/populate.py). Each user-facing call is
made as the web client makes it, with the fields its views ask for, as the user of
the role who makes it (a municipality's curator, executor and head from the
dataset), and timed on the server: the median and 95th percentile of ``--repeat``
runs, and the SQL queries of one run. Screens: the incidents' kanban (grouped by
state, with its search panel), the list, «Мои инциденты», the form, a new
incident's form (onchange), a text search, the analysis pivot. Actions: register,
route, accept, draft, submit, approve, publish, and the deletion and cancellation
of a deadline row. Jobs: the watchdog's batch. With ``--pdf``: one municipality's
monthly and disciplinary PDFs. Everything is rolled back. Run by hand; no test
asserts a time.

``--without-mail`` is a diagnosis, not a mode of the product: in this process only,
Odoo's mail calls (chatter notes, notifications, followers, activities) do nothing,
to show what the transitions cost without them.
"""

import argparse
import os
import statistics
import time
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from lxml import etree

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import dateutil as safe_dateutil
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import time as safe_time

COMPANY_NAME = "Нагрузочный МО {:02d}"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--municipality", type=int, default=1)
    parser.add_argument("--pdf", action="store_true")
    parser.add_argument("--only", help="run only the calls whose label contains this text")
    parser.add_argument(
        "--without-mail",
        action="store_true",
        help="diagnosis: Odoo's mail calls do nothing in this process (see above)",
    )
    return parser.parse_args()


MAIL_MODELS = ("social.incident", "social.incident.reply", "social.sla.violation")


def without_mail(registry):
    """Make Odoo's mail calls no-ops in this process's registry: chatter notes and
    notifications are not written, nobody is subscribed, activities are neither
    created nor marked done (they are removed). The database is not changed."""

    def no_message(self, *args, **kwargs):
        return self.env["mail.message"]

    for model in MAIL_MODELS:
        cls = registry[model]
        cls.message_post = no_message
        cls.message_notify = no_message
        cls.message_subscribe = lambda self, *args, **kwargs: True
    activity = registry["mail.activity"]
    activity.action_feedback = lambda self, *args, **kwargs: self.unlink()
    activity.create = lambda self, vals_list: self.browse()


# ----------------------------------------------------------------------------------------
# What the web client asks for: the fields of a view, the domain of a filter
# ----------------------------------------------------------------------------------------
def spec_of(env, model, node):
    """The ``specification`` the web client sends for the fields under ``node``."""
    spec = {}
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "field":
            name = child.get("name")
            field = env[model]._fields.get(name)
            if field is None:
                continue
            if field.type in ("one2many", "many2many"):
                sub = next((c for c in child if c.tag in ("list", "kanban")), None)
                if sub is not None:
                    spec[name] = {"fields": spec_of(env, field.comodel_name, sub), "limit": 40}
                else:
                    spec[name] = {"fields": {"display_name": {}}}
            elif field.type == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            else:
                spec[name] = {}
        else:
            for key, value in spec_of(env, model, child).items():
                spec.setdefault(key, value)
    return spec


def eval_context(env):
    return {
        "uid": env.uid,
        "context_today": date.today,
        "datetime": safe_datetime,
        "relativedelta": safe_dateutil.relativedelta.relativedelta,
        "time": safe_time,
    }


class Screen:
    """An action's views as one user gets them."""

    def __init__(self, env, action_xmlid):
        self.env = env
        action = env["ir.actions.act_window"]._for_xml_id(action_xmlid)
        self.model = action["res_model"]
        context = safe_eval(action.get("context") or "{}", eval_context(env))
        views = [(view_id, kind) for view_id, kind in action["views"]]
        result = env[self.model].get_views(
            views + [(action.get("search_view_id") and action["search_view_id"][0], "search")]
        )
        self.views = {
            kind: etree.fromstring(result["views"][kind]["arch"]) for kind in result["views"]
        }
        self.fields = {kind: spec_of(env, self.model, arch) for kind, arch in self.views.items()}
        self.domain = self._default_domain(context)
        self.context = {k: v for k, v in context.items() if not k.startswith("search_default")}

    def _default_domain(self, context):
        search = self.views["search"]
        domains = []
        for node in search.iter("filter"):
            if context.get(f"search_default_{node.get('name')}") and node.get("domain"):
                domains.append(safe_eval(node.get("domain"), eval_context(self.env)))
        return [term for domain in domains for term in domain]

    def kanban(self):
        arch = self.views["kanban"]
        group_by = arch.get("default_group_by")
        Model = self.env[self.model].with_context(self.context)
        calls = self.search_panel("kanban")
        groups = Model.web_read_group(self.domain, [], [group_by], lazy=True)
        for group in groups["groups"]:
            if group.get("__fold"):
                continue
            domain = group["__domain"]
            Model.web_search_read(domain, self.fields["kanban"], limit=40)
            calls += 1
        return calls + 1

    def list(self, domain=None, limit=80):
        self.search_panel("list")
        return (
            self.env[self.model]
            .with_context(self.context)
            .web_search_read(
                self.domain if domain is None else domain,
                self.fields["list"],
                limit=limit,
                count_limit=10001,
            )
        )

    def search_panel(self, view_type):
        search = self.views["search"]
        panel = next(search.iter("searchpanel"), None)
        if panel is None or view_type not in (panel.get("view_types") or "kanban,list").split(","):
            return 0
        Model = self.env[self.model].with_context(self.context)
        for node in panel.iter("field"):
            name = node.get("name")
            counters = node.get("enable_counters") == "1"
            if node.get("select") == "multi":
                Model.search_panel_select_multi_range(
                    name, search_domain=self.domain, enable_counters=counters, limit=200
                )
            else:
                Model.search_panel_select_range(
                    name, search_domain=self.domain, enable_counters=counters, limit=200
                )
        return 1

    def form(self, record_id):
        return (
            self.env[self.model]
            .with_context(self.context)
            .browse(record_id)
            .web_read(self.fields["form"])
        )

    def new(self):
        return self.env[self.model].with_context(self.context).onchange({}, [], self.fields["form"])


# ----------------------------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------------------------
class Bench:
    def __init__(self, env, repeat, only=None):
        self.env = env
        self.repeat = repeat
        self.only = only
        self.rows = []

    def run(self, label, call, repeat=None, setup=None):
        if self.only and self.only not in label:
            return
        cr = self.env.cr
        times, queries = [], []
        for _index in range(repeat or self.repeat):
            argument = setup() if setup else None
            self.env.flush_all()
            self.env.invalidate_all()
            before = cr.sql_log_count
            started = time.perf_counter()
            call(argument) if setup else call()
            self.env.flush_all()
            times.append(time.perf_counter() - started)
            queries.append(cr.sql_log_count - before)
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
        row = (label, statistics.median(times) * 1000, p95 * 1000, statistics.median(queries))
        self.rows.append(row)
        print(f"{row[0]:48} {row[1]:9.1f} {row[2]:9.1f} {row[3]:8.0f}", flush=True)


def as_user(env, user, company):
    return api.Environment(
        env.cr,
        user.id,
        {"lang": "ru_RU", "tz": "Europe/Moscow", "allowed_company_ids": [company.id]},
    )


def main():  # noqa: C901 - one flat list of measurements
    args = parse_args()
    config.parse_config(["-c", args.config, "--log-level", "warn"])
    registry = odoo.modules.registry.Registry(args.database)
    if args.without_mail:
        without_mail(registry)
        print("diagnosis: Odoo's mail calls do nothing in this run")
    with registry.cursor() as cr:
        su = api.Environment(cr, SUPERUSER_ID, {"lang": "ru_RU", "tz": "Europe/Moscow"})
        company = su["res.company"].search(
            [("name", "=", COMPANY_NAME.format(args.municipality))], limit=1
        )
        if not company:
            raise SystemExit("No populated municipality: run scripts/populate.py first.")
        curator = company.social_curator_id
        head = company.social_head_user_id
        # the municipality's busiest executor: the one whose lists have the most to show
        cr.execute(
            """
            SELECT e.id FROM social_executor e
              LEFT JOIN social_incident_assignment a ON a.executor_id = e.id
             WHERE e.company_id = %s
             GROUP BY e.id ORDER BY count(a.id) DESC, e.id LIMIT 1
            """,
            (company.id,),
        )
        executor = su["social.executor"].browse(cr.fetchone()[0])
        member = executor.member_ids[:1]
        cr.execute("SELECT count(*), count(DISTINCT company_id) FROM social_incident")
        total, companies = cr.fetchone()
        cr.execute("SELECT count(*) FROM social_incident WHERE company_id = %s", (company.id,))
        own = cr.fetchone()[0]
        print(
            f"{total} incidents in {companies} companies; {company.name}: {own}; "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        print(f"{'call':48} {'median ms':>9} {'p95 ms':>9} {'queries':>8}")
        bench = Bench(su, args.repeat, args.only)
        from odoo.addons.social_incidents.tools import clock, guard

        try:
            cur = as_user(su, curator, company)
            exe = as_user(su, member, company)
            hd = as_user(su, head, company)
            incidents = Screen(cur, "social_incidents.social_incident_action")
            mine_cur = Screen(cur, "social_incidents.social_incident_action_mine")
            mine_exe = Screen(exe, "social_incidents.social_incident_action_mine")
            incidents_exe = Screen(exe, "social_incidents.social_incident_action")
            incidents_head = Screen(hd, "social_incidents.social_incident_action")
            open_ids = (
                su["social.incident"]
                .search(
                    [
                        ("company_id", "=", company.id),
                        ("state", "in", ("assigned", "in_progress", "review")),
                    ],
                    limit=50,
                )
                .ids
            )
            closed_ids = (
                su["social.incident"]
                .search([("company_id", "=", company.id), ("state", "=", "closed")], limit=50)
                .ids
            )

            bench.run("curator: incidents kanban (first screen)", incidents.kanban)
            bench.run("curator: incidents list (first page)", incidents.list)
            bench.run("curator: «Мои инциденты» list", mine_cur.list)
            bench.run("executor: «Мои инциденты» list", mine_exe.list)
            bench.run("executor: incidents list", incidents_exe.list)
            # without the default filter: every incident the executor was ever routed
            bench.run("executor: all their incidents, no filter", lambda: incidents_exe.list([]))
            bench.run("head: incidents list", incidents_head.list)
            bench.run(
                "curator: all incidents, text search",
                lambda: incidents.list(domain=[("text", "ilike", "фонари")]),
            )
            bench.run(
                "curator: all incidents, number search",
                lambda: incidents.list(domain=[("name", "ilike", "0001")]),
            )
            bench.run("curator: open incident's form", lambda: incidents.form(open_ids[0]))
            bench.run("curator: closed incident's form", lambda: incidents.form(closed_ids[0]))
            bench.run("curator: new incident's form (onchange)", incidents.new)
            if "social.incident.report" in su:
                report = Screen(hd, "social_incidents_reports.social_incident_report_action")
                for kind in ("pivot", "graph"):
                    if kind in report.views:
                        row_groups = [
                            node.get("name")
                            for node in report.views[kind].iter("field")
                            if node.get("type") in ("row", "col") or kind == "graph"
                        ][:2] or ["company_id"]
                        bench.run(
                            f"head: analysis {kind}",
                            lambda rg=row_groups: report.env[report.model]
                            .with_context(report.context)
                            .web_read_group(report.domain, ["__count"], rg, lazy=False),
                        )

            # Actions, each on a fresh record, as its user
            executor_ids = executor
            counter = iter(range(10**6))

            def register():
                index = next(counter)
                return cur["social.incident"].create(
                    {
                        "network": "vk",
                        "text": f"Бенчмарк {index}: не горит фонарь у дома {index} на Мира.",
                        "external_id": f"bench-scale-{index}",
                    }
                )

            bench.run("curator: register an incident", register)

            def registered():
                incident = register()
                su.flush_all()
                return incident

            bench.run(
                "curator: route an incident",
                lambda incident: incident.action_route(executor_ids),
                setup=registered,
            )

            def routed():
                incident = registered()
                incident.action_route(executor_ids)
                su.flush_all()
                return incident

            bench.run(
                "executor: accept",
                lambda incident: incident.assignment_ids.with_env(exe).action_accept(),
                setup=routed,
            )

            def accepted():
                incident = routed()
                incident.assignment_ids.with_env(exe).action_accept()
                su.flush_all()
                return incident

            def draft(incident):
                return exe["social.incident.reply"].create(
                    {"incident_id": incident.id, "kind": "final", "body": "Фонарь заменён."}
                )

            bench.run("executor: draft a reply", draft, setup=accepted)

            def drafted():
                reply = draft(accepted())
                su.flush_all()
                return reply

            bench.run("executor: submit", lambda reply: reply.action_submit(), setup=drafted)

            def submitted():
                reply = drafted()
                reply.action_submit()
                su.flush_all()
                return reply

            bench.run(
                "curator: approve",
                lambda reply: reply.with_env(cur).action_approve(),
                setup=submitted,
            )

            def approved():
                reply = submitted()
                reply.with_env(cur).action_approve()
                su.flush_all()
                return reply

            def publish(reply):
                publisher = reply.incident_id._get_publishers(reply)[:1]
                reply.with_user(publisher).action_mark_published(
                    f"https://vk.com/wall-1_{reply.id}?reply={reply.id}"
                )

            bench.run("publisher: mark published", publish, setup=approved)

            Deadline = su["social.incident.deadline"]

            def open_row():
                incident = routed()
                return Deadline.search(
                    [("incident_id", "=", incident.id), ("state", "=", "open")], limit=1
                )

            def delete_row(row):
                with guard.system_write():
                    row.unlink()

            bench.run("server: delete a deadline row", delete_row, setup=open_row)

            def cancel_row(row):
                with guard.system_write():
                    row.write({"state": "cancelled", "watch_at": False})

            bench.run("server: cancel a deadline row", cancel_row, setup=open_row)

            recorded = []

            def watchdog(batch_size=None):
                with clock.frozen_at(clock.now() + timedelta(days=3)):
                    if batch_size:
                        recorded.append(Deadline._cron_watchdog(batch_size))
                    else:
                        recorded.append(Deadline._cron_watchdog())

            # the larger batch first, while the most rows are due; a batch records the steps,
            # their notes and activities, the people are told after a run's last batch
            bench.run("job: watchdog, 50 due rows at once", lambda: watchdog(50), repeat=3)
            bench.run("job: watchdog batch (the job's 10 due rows)", watchdog, repeat=5)
            if recorded:
                print(f"{'':48} steps recorded a run: {recorded}")
            told = []
            bench.run(
                "job: watchdog, telling the steps of those runs",
                lambda: told.append(su["social.sla.violation"]._tell_untold()[0]),
                repeat=1,
            )
            if told:
                print(f"{'':48} missed steps told: {told[0]}")

            if args.pdf:
                Report = su["ir.actions.report"].with_context(force_report_rendering=True)
                today = date.today().replace(day=1)
                month = today - relativedelta(months=2)
                data = {
                    "date_from": month.isoformat(),
                    "date_to": (month + relativedelta(months=1, days=-1)).isoformat(),
                }
                for name in ("report_monthly", "report_disciplinary"):
                    bench.run(
                        f"head: {name} PDF ({month:%m.%Y})",
                        lambda n=name: Report.with_env(hd)._render_qweb_pdf(
                            f"social_incidents_reports.{n}", company.ids, data=data
                        ),
                        repeat=1,
                    )
        finally:
            cr.rollback()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
