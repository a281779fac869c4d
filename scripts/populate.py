#!/usr/bin/env python3
"""Generate a regional dataset: many municipalities and up to millions of incidents.

    python3 scripts/populate.py -c ODOO_CONF -d DATABASE --incidents 1000000 [--companies 20]
    python3 scripts/populate.py -c ODOO_CONF -d DATABASE --cleanup
    python3 scripts/populate.py ... --rollback      (build it, count it, roll it all back)

DATABASE must have the addons installed (demo data or not). Run by hand, for the
benchmarks (scripts/benchmark_scale.py); never in tests.

Phase 1, through the ORM: ``--companies`` municipalities (companies "Нагрузочный МО
NN"), each with a curator, three executors with a member each, a head, two pages and
the Korenovsk deadlines. In each, template incidents are registered and walked
through the real transitions as those users (route, accept, draft, submit, return,
approve, publish, close, clarification, no reply), the clock frozen at each step so
that deadlines are met or missed as they would be, and the watchdog run when the
deadlines pass. Everything the ORM writes for them (routing lines, replies, reviews,
deadline rows, violations, activities, followers, chatter with tracking values,
notifications) is the template.

Phase 2, in PostgreSQL: the template rows are copied server-side (one INSERT …
SELECT over generate_series per table and pool: no row goes through Python, which
is faster than COPY from a client) until the total is reached. Each copy's ids are
shifted into a fresh range and every reference between copied rows is shifted
alike, so a copy is exactly what the ORM wrote, renumbered. The closed incidents'
copies are spread back over ``--years`` years (all their dates shifted); the open
ones (``--open-share`` of the total) are copied at their own dates, as a live
region's work in progress. Foreign keys are not checked while copying
(session_replication_role = replica: the role must be a superuser), which is what
lets the copies keep their cycles (an incident's current reply, a reply's incident).

``--cleanup`` deletes everything the generator created (every row newer than the
marks it stored before it began, in every table; then the rows left pointing at
them), so the database is as before, except what others wrote meanwhile in the same
tables (also deleted: use a database of its own) and the administrator's membership of
the multi-company group that the new companies gave them.
"""

import argparse
import json
import random
import sys
import time
from datetime import timedelta

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config

MARKS_PARAM = "social_incidents.populate_marks"
MODULE = "__populate__"
COMPANY_NAME = "Нагрузочный МО {:02d}"

TEXTS = [
    "На улице {street} третий день не горят фонари у дома {n}, вечером страшно идти.",
    "Во дворе дома {n} по улице {street} не вывозят мусор уже неделю, контейнеры переполнены.",
    "Яма на дороге на {street} у дома {n}, вчера пробили колесо. Когда отремонтируют?",
    "На детской площадке у дома {n} ({street}) сломаны качели, дети могут пострадать.",
    "В доме {n} на {street} нет горячей воды с понедельника, управляющая компания молчит.",
    "Автобус №{n} по {street} не ходит по расписанию, ждём по сорок минут на остановке.",
    "Снег на тротуаре вдоль {street} не убран, пожилые люди падают, дом {n}.",
    "Подтопило подвал дома {n} на {street}, пахнет сыростью, просим откачать воду.",
    "Когда начнут ремонт поликлиники на {street}? Обещали ещё весной, дом {n} рядом.",
    "Бродячие собаки у школы на {street}, {n} штук, дети боятся ходить мимо.",
]
STREETS = [
    "Ленина",
    "Мира",
    "Садовая",
    "Школьная",
    "Красная",
    "Гагарина",
    "Советская",
    "Набережная",
    "Победы",
    "Молодёжная",
]
REPLIES = [
    "Добрый день! Работы выполнены, проблема устранена. Спасибо за обращение.",
    "Здравствуйте! Заявка передана подрядчику, работы будут выполнены до конца недели.",
    "Добрый день! Проверка проведена, нарушения устранены управляющей организацией.",
]

# The template histories: (share of the closed templates, steps). Steps as in
# social.incident.demo._advance; "wait" minutes let deadlines pass (the watchdog
# runs then). Open templates stop at every open state.
CLOSED_SCENARIOS = [
    (50, ["route", "accept", "draft", "submit", "approve", "publish", "close"]),
    (15, ["route", "accept", "draft", "submit", "return", "submit", "approve", "publish", "close"]),
    (15, ["route", "wait:900", "accept", "draft", "submit", "approve", "publish", "close"]),
    (10, ["route", "accept", "wait:3000", "draft", "submit", "approve", "publish", "close"]),
    (5, ["no_reply"]),
    (
        5,
        [
            "route",
            "accept",
            "draft",
            "submit",
            "approve",
            "publish",
            "control",
            "wait:600",
            "control_report",
            "lift",
            "close",
        ],
    ),
]
OPEN_SCENARIOS = [
    (20, []),
    (20, ["route"]),
    (20, ["route", "accept"]),
    (15, ["route", "accept", "draft", "submit"]),
    (10, ["route", "accept", "draft", "submit", "approve"]),
    (10, ["route", "wait:900", "accept"]),
    (5, ["route", "accept", "draft", "submit", "approve", "publish"]),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--incidents", type=int, default=100000)
    parser.add_argument("--companies", type=int, default=20)
    parser.add_argument(
        "--templates", type=int, default=40, help="template incidents per municipality"
    )
    parser.add_argument("--open-share", type=float, default=0.02)
    parser.add_argument("--years", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--cleanup", action="store_true")
    parser.add_argument("--rollback", action="store_true")
    return parser.parse_args()


def log(message, started=None):
    suffix = f" ({time.perf_counter() - started:.1f} s)" if started is not None else ""
    print(message + suffix, flush=True)


# ----------------------------------------------------------------------------------------
# Marks: the max id of every table before the generator wrote anything
# ----------------------------------------------------------------------------------------
def id_tables(cr):
    cr.execute(
        """
        SELECT c.table_name FROM information_schema.columns c
          JOIN information_schema.tables t
            ON t.table_name = c.table_name AND t.table_schema = c.table_schema
         WHERE c.table_schema = 'public' AND c.column_name = 'id'
           AND t.table_type = 'BASE TABLE' AND c.data_type IN ('integer', 'bigint')
        """
    )
    return sorted(row[0] for row in cr.fetchall())


def max_ids(cr, tables):
    """{table: the last id given}: its sequence's, which may be ahead of the rows (ids
    of deleted rows are not given again), else its greatest id."""
    marks = {}
    for table in tables:
        cr.execute("SELECT pg_get_serial_sequence(%s, 'id')", (f'"{table}"',))
        sequence = cr.fetchone()[0]
        last = 0
        if sequence:
            cr.execute(f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {sequence}")  # noqa: S608
            last = cr.fetchone()[0]
        cr.execute(f'SELECT COALESCE(max(id), 0) FROM "{table}"')  # noqa: S608 - table names from the catalogue
        marks[table] = max(last, cr.fetchone()[0])
    return marks


# ----------------------------------------------------------------------------------------
# Phase 1: municipalities and their template incidents, through the ORM
# ----------------------------------------------------------------------------------------
def make_xmlid(env, name, record):
    env["ir.model.data"].create(
        {"module": MODULE, "name": name, "model": record._name, "res_id": record.id}
    )
    return f"{MODULE}.{name}"


def make_company(env, index):
    company = env["res.company"].create({"name": COMPANY_NAME.format(index)})
    # the Korenovsk deadlines, copied into the company's policies as Settings does
    company.write({"social_sla_preset": "kor"})
    group = env.ref

    def user(login, name, group_xmlid):
        return (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": f"populate-{index:02d}-{login}",
                    "name": f"{name} МО {index:02d}",
                    "company_id": company.id,
                    "company_ids": [(6, 0, [company.id])],
                    "groups_id": [(6, 0, [group("base.group_user").id, group(group_xmlid).id])],
                    "lang": "ru_RU",
                    "tz": "Europe/Moscow",
                }
            )
        )

    curator = user("curator", "Куратор", "social_incidents.group_social_curator")
    head = user("head", "Глава", "social_incidents.group_social_head")
    executors = []
    for number, title in enumerate(("ЖКХ", "Дороги и транспорт", "Благоустройство"), start=1):
        member = user(
            f"executor{number}", f"Исполнитель {title}", "social_incidents.group_social_executor"
        )
        executor = env["social.executor"].create(
            {
                "name": f"{title} (МО {index:02d})",
                "company_id": company.id,
                "member_ids": [(6, 0, [member.id])],
            }
        )
        executors.append((make_xmlid(env, f"executor_{index}_{number}", executor), executor))
    pages = env["social.account"].create(
        [
            {
                "name": f"Администрация МО {index:02d}",
                "network": "vk",
                "url": f"https://vk.com/populate_mo_{index:02d}",
                "external_id": str(900000 + index),
                "company_id": company.id,
                "executor_id": executors[0][1].id,
            },
            {
                "name": f"Глава МО {index:02d}",
                "network": "ok",
                "kind": "head",
                "url": f"https://ok.ru/group/{700000 + index}",
                "external_id": str(700000 + index),
                "company_id": company.id,
                "executor_id": executors[0][1].id,
            },
        ]
    )
    authors = env["social.author"].create(
        [
            {
                "name": f"Житель {number} МО {index:02d}",
                "network": network,
                "external_id": f"{index}{number:05d}",
                "company_id": company.id,
            }
            for number in range(1, 41)
            for network in ("vk", "ok")
        ]
    )
    company.write({"social_curator_id": curator.id, "social_head_user_id": head.id})
    return {
        "company": company,
        "curator": curator,
        "executors": executors,
        "pages": pages,
        "authors": authors,
    }


def pick(rng, scenarios):
    total = sum(weight for weight, _steps in scenarios)
    point = rng.uniform(0, total)
    for weight, steps in scenarios:
        point -= weight
        if point <= 0:
            return steps
    return scenarios[-1][1]


def demo_steps(rng, steps, executors):
    """The scenario's steps in social.incident.demo._step's words."""
    result = []
    for step in steps:
        if step.startswith("wait:"):
            result.append(("wait", int(step[5:])))
        elif step == "route":
            chosen = rng.sample(executors, rng.choice((1, 1, 1, 2)))
            result.append(("route", [xmlid for xmlid, _e in chosen], chosen[0][0]))
        elif step == "draft":
            result.append(("draft", "final", rng.choice(REPLIES)))
        elif step == "return":
            result.append(("return", "social_incidents.return_reason_spelling", "Уточните срок."))
        elif step == "publish":
            result.append(("publish", None))
        elif step == "no_reply":
            reason = "social_incidents.no_reply_reason_obscene"
            result.append(("no_reply", reason, "Нецензурная брань."))
        elif step == "control":
            result.append(("control", "Проверить результат через неделю."))
        elif step == "control_report":
            result.append(("control_report", "Проверено: работы выполнены."))
        else:
            result.append((step,))
    return result


def walk(env, incident, steps, curator, real_now):
    """Play ``steps`` on ``incident`` at its own past moments; the watchdog runs
    at each moment, so the deadlines passed meanwhile are recorded as missed."""
    Demo = env["social.incident.demo"]
    Deadline = env["social.incident.deadline"]
    from odoo.addons.social_incidents.tools import clock

    moment = min(incident.registered_at + timedelta(minutes=5), real_now)

    def as_curator(record):
        return Demo._as(record, curator)

    def as_executor(record, executor=None):
        executor = executor or incident.lead_executor_id or incident.executor_ids[:1]
        return Demo._as(record, executor._get_responsible_users()[:1])

    for step in steps:
        name, args = step[0], step[1:]
        incident.invalidate_recordset()
        if name == "wait":
            moment = min(moment + timedelta(minutes=args[0]), real_now)
            with clock.frozen_at(moment):
                Deadline._cron_watchdog(batch_size=100000)
            continue
        if name == "publish":
            reply = incident.current_reply_id
            args = (
                f"https://vk.com/wall-{incident.account_id.external_id}_{incident.id}"
                f"?reply={reply.id}",
            )
        with Demo._dated(moment):
            Demo._step(incident, name, args, as_curator, as_executor)
        moment = min(moment + timedelta(minutes=20), real_now)
    with clock.frozen_at(moment):
        Deadline._cron_watchdog(batch_size=100000)


def make_templates(env, towns, per_town, rng, scenarios, days_back):
    from odoo.addons.social_incidents.tools import clock

    real_now = clock.now()
    count = 0
    # as a curator's triage leaves them: one or two topics of the catalogue and, for
    # most, a street of the municipality (what repeat detection pairs incidents by)
    topics = env["social.incident.topic"].search([("child_ids", "=", False)]).ids
    for town in towns:
        company, curator = town["company"], town["curator"]
        streets = (
            env["social.incident.location"]
            .create(
                [
                    {"name": f"ул. {street}", "kind": "street", "company_id": company.id}
                    for street in STREETS
                ]
            )
            .ids
        )
        Incident = (
            env["social.incident"]
            .with_user(curator)
            .with_context(allowed_company_ids=[company.id], lang="ru_RU", tz="Europe/Moscow")
        )
        for _index in range(per_town):
            detected = real_now - timedelta(
                days=rng.uniform(*days_back), minutes=rng.randint(0, 600)
            )
            page = rng.choice(town["pages"])
            text = rng.choice(TEXTS).format(street=rng.choice(STREETS), n=rng.randint(1, 120))
            with clock.frozen_at(detected):
                incident = Incident.create(
                    {
                        "network": page.network,
                        "account_id": page.id,
                        "text": text,
                        "detected_at": detected,
                        "author_id": rng.choice(
                            town["authors"].filtered(lambda a, p=page: a.network == p.network)
                        ).id,
                        "importance": "high" if rng.random() < 0.1 else "normal",
                        "external_id": f"populate-{company.id}-{rng.getrandbits(48)}",
                        "topic_ids": [(6, 0, rng.sample(topics, rng.choice((1, 1, 2))))],
                        "location_id": rng.choice(streets) if rng.random() < 0.7 else False,
                    }
                )
            steps = demo_steps(rng, pick(rng, scenarios), town["executors"])
            walk(env, incident.with_user(SUPERUSER_ID), steps, curator, real_now)
            count += 1
    env.flush_all()
    return count


# ----------------------------------------------------------------------------------------
# Phase 2: copies in PostgreSQL
# ----------------------------------------------------------------------------------------
def copied_models(env):
    """The models whose rows belong to incidents: social.incident and every social.*
    model with a stored many2one to one of them (the closure), with their tables."""
    models = {"social.incident"}
    changed = True
    while changed:
        changed = False
        for name, model in env.registry.items():
            if name in models or not name.startswith("social.") or model._abstract:
                continue
            if model._transient:
                continue
            if not model._auto or model._table_query:
                continue
            for field in model._fields.values():
                if field.type == "many2one" and field.store and field.comodel_name in models:
                    models.add(name)
                    changed = True
                    break
    return {name: env[name]._table for name in sorted(models)}


def columns(cr, table):
    cr.execute(
        """
        SELECT column_name, data_type FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position
        """,
        (table,),
    )
    return cr.fetchall()


def foreign_keys(cr, table):
    """{column: referenced table} of the table's single-column foreign keys."""
    cr.execute(
        """
        SELECT a.attname, r.relname
          FROM pg_constraint c
          JOIN pg_class t ON t.oid = c.conrelid
          JOIN pg_class r ON r.oid = c.confrelid
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         WHERE c.contype = 'f' AND t.relname = %s AND array_length(c.conkey, 1) = 1
        """,
        (table,),
    )
    return dict(cr.fetchall())


def unique_text_columns(cr, table):
    cr.execute(
        """
        SELECT DISTINCT a.attname
          FROM pg_index i
          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
         WHERE i.indrelid = %s::regclass AND i.indisunique AND NOT i.indisprimary
           AND a.atttypid IN ('varchar'::regtype, 'text'::regtype)
        """,
        (table,),
    )
    return {row[0] for row in cr.fetchall()}


# the chatter, followers and activities of the copied records, copied with them
MAIL_TABLES = (
    "mail_message",
    "mail_tracking_value",
    "mail_notification",
    "mail_followers",
    "mail_activity",
)
MAIL_RELATIONS = {
    # relation table: (column of the copied side, its table)
    "mail_message_res_partner_rel": ("mail_message_id", "mail_message"),
    "mail_followers_mail_message_subtype_rel": ("mail_followers_id", "mail_followers"),
}


class Pool:
    """One pool of template rows (closed or open incidents) and how it is copied:
    the id range of its rows in each table (lo < id <= hi), ``copies`` times, each
    copy's dates shifted back ``shift`` more than the last one's."""

    def __init__(self, name, before, after, copies, shift):
        self.name = name
        self.ranges = {table: (before.get(table, 0), after[table]) for table in after}
        self.copies = copies
        self.shift = shift
        self.bases = {}

    def in_range(self, column, table):
        lo, hi = self.ranges[table]
        return f"{column} > {lo} AND {column} <= {hi}"

    def remap(self, column, table):
        """SQL: the value of ``column`` (an id of ``table``) in copy ``k``."""
        lo, hi = self.ranges[table]
        if hi <= lo:
            return column
        return (
            f"CASE WHEN {self.in_range(column, table)} "
            f"THEN {column} + {self.bases[table]} + (k - 1) * {hi - lo} ELSE {column} END"
        )


class Copier:
    def __init__(self, env, models):
        self.env = env
        self.cr = env.cr
        self.models = models  # {model: table}
        self.tables = set(models.values()) | set(MAIL_TABLES)
        self.relations = dict(MAIL_RELATIONS)
        for name in models:
            for field in env[name]._fields.values():
                if field.type == "many2many" and field.store and field.relation:
                    self.relations.setdefault(field.relation, (field.column1, env[name]._table))

    def model_list(self):
        return ", ".join(f"'{model}'" for model in self.models)

    def res_id(self, pool, model_column):
        cases = " ".join(
            f"WHEN '{model}' THEN {pool.remap('t.res_id', table)}"
            for model, table in self.models.items()
        )
        return f'CASE t."{model_column}" {cases} ELSE t.res_id END'

    def owned(self, pool, model_column, alias="t"):
        """SQL: the row's record is one of the pool's copied records."""
        return (
            "("
            + " OR ".join(
                f"({alias}.\"{model_column}\" = '{model}' AND "
                f"{pool.in_range(f'{alias}.res_id', table)})"
                for model, table in self.models.items()
            )
            + ")"
        )

    def message_copied(self, pool, column="t.mail_message_id"):
        return (
            f"{pool.in_range(column, 'mail_message')} AND EXISTS (SELECT 1 FROM mail_message m "
            f"WHERE m.id = {column} AND {self.owned(pool, 'model', 'm')})"
        )

    def where(self, pool, table, fks):
        if table in self.models.values():
            clauses = [pool.in_range("t.id", table)]
            # a row the watchdog wrote for another incident meanwhile is not a template's
            if fks.get("incident_id") == "social_incident":
                clauses.append(pool.in_range("t.incident_id", "social_incident"))
            return " AND ".join(clauses)
        if table == "mail_message":
            return f"{pool.in_range('t.id', table)} AND {self.owned(pool, 'model')}"
        if table in ("mail_tracking_value", "mail_notification"):
            return self.message_copied(pool)
        if table in ("mail_followers", "mail_activity"):
            return f"{pool.in_range('t.id', table)} AND {self.owned(pool, 'res_model')}"
        raise ValueError(table)

    def copy(self, pool, table, relation_of=None):
        fks = {
            column: target
            for column, target in foreign_keys(self.cr, table).items()
            if target in self.tables
        }
        unique = set()
        if relation_of is None:
            model = next((m for m, t in self.models.items() if t == table), None)
            fields = self.env[model]._fields if model else {}
            # a selection's value (the network, say) is kept: its other columns are renamed
            unique = {
                name
                for name in unique_text_columns(self.cr, table)
                if name not in fields or fields[name].type in ("char", "text")
            }
        shift = pool.shift.total_seconds() if pool.shift else 0
        names, select = [], []
        for name, data_type in columns(self.cr, table):
            column = f't."{name}"'
            names.append(f'"{name}"')
            if relation_of is None and name == "id":
                select.append(pool.remap(column, table))
            elif name in fks:
                select.append(pool.remap(column, fks[name]))
            elif name == "res_id" and table in ("mail_message",):
                select.append(self.res_id(pool, "model"))
            elif name == "res_id" and table in ("mail_followers", "mail_activity"):
                select.append(self.res_id(pool, "res_model"))
            elif name in unique:
                select.append(f"{column} || '~{pool.name}' || k")
            elif data_type.startswith("timestamp") and shift:
                select.append(f"{column} - k * interval '{shift:.0f} seconds'")
            elif data_type == "date" and shift:
                select.append(f"({column} - k * interval '{shift:.0f} seconds')::date")
            else:
                select.append(column)
        if relation_of is None:
            where = self.where(pool, table, fks)
        else:
            column, target = relation_of
            if target == "mail_message":
                where = self.message_copied(pool, f't."{column}"')
            else:
                where = pool.in_range(f't."{column}"', target)
        self.cr.execute(
            f'INSERT INTO "{table}" ({", ".join(names)}) '  # noqa: S608 - catalogue names, computed numbers
            f'SELECT {", ".join(select)} FROM "{table}" t, generate_series(1, {pool.copies}) k '
            f"WHERE {where}"
        )
        return self.cr.rowcount

    def run(self, pool):
        if pool.copies <= 0:
            return {}
        id_tables = sorted(self.tables)
        current = max_ids(self.cr, id_tables)
        for table in id_tables:
            lo, _hi = pool.ranges[table]
            pool.bases[table] = current[table] - lo
        counts = {}
        for table in id_tables:
            counts[table] = self.copy(pool, table)
        for relation, spec in self.relations.items():
            counts[relation] = self.copy(pool, relation, relation_of=spec)
        for table in id_tables:
            self.cr.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
                f'(SELECT max(id) FROM "{table}"))'
            )
        return counts


def renumber(cr, marks):
    """The copies' numbers: the template's, with the copy's year and its own id."""
    cr.execute(
        """
        UPDATE social_incident
           SET name = split_part(name, '-', 1) || '-' || to_char(detected_at, 'YYYY') || '-'
                      || lpad(id::text, 7, '0')
         WHERE id > %s AND name LIKE %s
        """,
        (marks, "%~%"),
    )


def build(env, args):
    cr = env.cr
    rng = random.Random(args.seed)
    tables = id_tables(cr)
    params = env["ir.config_parameter"].sudo()
    marks = json.loads(params.get_param(MARKS_PARAM) or "null") or max_ids(cr, tables)
    started = time.perf_counter()
    towns = [make_company(env, index) for index in range(1, args.companies + 1)]
    params.set_param(MARKS_PARAM, json.dumps(marks))
    env.flush_all()
    log(f"{args.companies} municipalities with their users, executors and pages", started)

    models = copied_models(env)
    copier_tables = sorted(set(models.values()) | set(MAIL_TABLES))
    open_per_town = max(1, round(args.templates * 0.25))
    closed_per_town = args.templates - open_per_town
    started = time.perf_counter()
    before_closed = max_ids(cr, copier_tables)
    closed = make_templates(env, towns, closed_per_town, rng, CLOSED_SCENARIOS, (20, 60))
    after_closed = max_ids(cr, copier_tables)
    opened = make_templates(env, towns, open_per_town, rng, OPEN_SCENARIOS, (0, 2))
    after_open = max_ids(cr, copier_tables)
    log(f"{closed} closed and {opened} open template incidents, walked through the ORM", started)

    open_total = round(args.incidents * args.open_share)
    open_copies = max(0, round(open_total / max(opened, 1)) - 1)
    closed_copies = max(0, round((args.incidents - open_total) / max(closed, 1)) - 1)
    shift = timedelta(days=args.years * 365 / (closed_copies + 1))
    pools = [
        Pool("c", before_closed, after_closed, closed_copies, shift),
        Pool("o", after_closed, after_open, open_copies, None),
    ]
    copier = Copier(env, models)
    cr.execute("SET LOCAL session_replication_role = replica")
    for pool in pools:
        started = time.perf_counter()
        counts = copier.run(pool)
        rows = sum(counts.values())
        log(f"pool {pool.name}: {pool.copies} copies, {rows} rows", started)
        for table, count in sorted(counts.items()):
            if count:
                log(f"    {table}: {count}")
    renumber(cr, before_closed["social_incident"])
    cr.execute("SET LOCAL session_replication_role = origin")
    cr.execute("SELECT count(*), count(DISTINCT company_id) FROM social_incident")
    total, companies = cr.fetchone()
    log(f"social_incident: {total} rows in {companies} companies")
    return set(copier_tables) | set(copier.relations)


def vacuum(registry, tables):
    """VACUUM (ANALYZE) what the copies wrote, as after any bulk load: the planner's
    statistics, the relation tables' included (without them it estimates one row for each
    incident's executors or topics and walks an index of 20,000 entries for a page of
    incidents), and the visibility map that index-only scans need."""
    started = time.perf_counter()
    with registry.cursor() as cr:
        cr._cnx.autocommit = True  # VACUUM runs outside a transaction
        for table in sorted(tables):
            cr.execute(f'VACUUM (ANALYZE) "{table}"')
    log(f"vacuumed and analyzed {len(tables)} tables", started)


def cleanup(env):
    cr = env.cr
    params = env["ir.config_parameter"].sudo()
    marks = json.loads(params.get_param(MARKS_PARAM) or "null")
    if not marks:
        sys.exit("Nothing to clean up: the generator's marks are not in this database.")
    started = time.perf_counter()
    cr.execute("SET LOCAL session_replication_role = replica")
    cr.execute(
        "SELECT id FROM ir_sequence WHERE id > %s AND implementation = 'standard'",
        (marks.get("ir_sequence", 0),),
    )
    sequences = [row[0] for row in cr.fetchall()]
    deleted = 0
    for table in id_tables(cr):
        cr.execute(f'DELETE FROM "{table}" WHERE id > %s', (marks.get(table, 0),))  # noqa: S608
        deleted += cr.rowcount
    # relation tables: the rows that name a deleted record
    cr.execute(
        """
        SELECT t.relname, a.attname, r.relname
          FROM pg_constraint c
          JOIN pg_class t ON t.oid = c.conrelid
          JOIN pg_class r ON r.oid = c.confrelid
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1
           AND NOT EXISTS (SELECT 1 FROM pg_attribute i WHERE i.attrelid = t.oid
                            AND i.attname = 'id' AND NOT i.attisdropped)
        """
    )
    for table, column, target in cr.fetchall():
        if target in marks:
            cr.execute(f'DELETE FROM "{table}" WHERE "{column}" > %s', (marks[target],))  # noqa: S608
            deleted += cr.rowcount
    for sequence_id in sequences:
        cr.execute(f"DROP SEQUENCE IF EXISTS ir_sequence_{sequence_id:03d}")
    cr.execute("SET LOCAL session_replication_role = origin")
    cr.execute("DELETE FROM ir_config_parameter WHERE key = %s", (MARKS_PARAM,))
    log(f"deleted {deleted} rows", started)


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "--log-level", "warn"])
    registry = odoo.modules.registry.Registry(args.database)
    started = time.perf_counter()
    written = set()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "ru_RU", "tz": "Europe/Moscow"})
        if args.cleanup:
            cleanup(env)
        else:
            written = build(env, args)
        if args.rollback:
            cr.rollback()
            log("rolled back: the database is as it was")
            written = set()
        else:
            cr.commit()
    if written:
        vacuum(registry, written)
    log("done", started)


if __name__ == "__main__":
    main()
