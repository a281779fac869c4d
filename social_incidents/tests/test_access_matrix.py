"""The access matrix: every role × every model × read/write/create/unlink, on real records,
through access rights, record rules and the workflow's protected fields together. The
expected matrix is ``access_matrix_data.EXPECTED`` (rendered in docs/access-matrix.md)."""

from datetime import date, datetime, timedelta

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.social_incidents.tools import clock
from odoo.addons.social_incidents.tools.guard import system_write

from .access_matrix_data import EXPECTED, OPERATIONS, ROLES
from .common import JsonRpcMixin


class _Rollback(Exception):
    pass


# IntegrityError: a record still referenced (the web client says so in words).
REFUSED = (AccessError, MissingError, UserError, ValidationError, IntegrityError)


class AccessMatrixCase(TransactionCase):
    """Two municipalities: A with every role, B with a curator; an incident of A routed to
    the housing department, its draft returned once, a missed deadline recorded."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US", mail_notify_force_send=False))
        cls.company = cls.env.company
        cls.company.social_reply_publisher = "executor"
        cls.company_b = cls.env["res.company"].create({"name": "Municipality B"})

        def user(login, groups, company=None):
            company = company or cls.company
            return new_test_user(
                cls.env,
                login=login,
                groups=",".join(["base.group_user"] + [f"social_incidents.{g}" for g in groups]),
                name=login.replace("_", " ").title(),
                company_id=company.id,
                company_ids=[(6, 0, company.ids)],
            )

        cls.users = {
            "executor": user("m_executor", ["group_social_executor"]),
            "executor_other": user("m_executor_other", ["group_social_executor"]),
            "curator": user("m_curator", ["group_social_curator"]),
            "head": user("m_head", ["group_social_head"]),
            "admin": user("m_admin", ["group_social_admin"]),
            "no_group": user("m_no_group", []),
            "curator_b": user("m_curator_b", ["group_social_curator"], cls.company_b),
        }
        cls.curator = cls.users["curator"]
        cls.executor_user = cls.users["executor"]
        Executor = cls.env["social.executor"]
        cls.housing = Executor.create(
            {"name": "Housing M", "member_ids": [(6, 0, cls.executor_user.ids)]}
        )
        cls.roads = Executor.create(
            {"name": "Roads M", "member_ids": [(6, 0, cls.users["executor_other"].ids)]}
        )
        cls.account = cls.env["social.account"].create(
            {"name": "Page M", "network": "vk", "url": "https://vk.com/m", "external_id": "-42"}
        )
        cls.author = cls.env["social.author"].create(
            {"name": "Author M", "network": "vk", "external_id": "77"}
        )
        cls.location = cls.env["social.incident.location"].create(
            {"name": "Street M", "kind": "street"}
        )
        detected = clock.now() - timedelta(days=10)
        with clock.frozen_at(detected):
            cls.incident = (
                cls.env["social.incident"]
                .with_user(cls.curator)
                .create(
                    {
                        "network": "vk",
                        "text": "Яма на улице",
                        "external_id": "m-1",
                        "detected_at": detected,
                        "author_id": cls.author.id,
                        "account_id": cls.account.id,
                    }
                )
            )
            cls.incident.with_user(cls.curator).action_route(cls.housing)
        with clock.frozen_at(detected + timedelta(days=3)):
            cls.reply = (
                cls.env["social.incident.reply"]
                .with_user(cls.executor_user)
                .create({"incident_id": cls.incident.id, "body": "Заделаем."})
            )
            cls.reply.with_user(cls.executor_user).action_submit()
            cls.reply.with_user(cls.curator).action_return(
                cls.env.ref("social_incidents.return_reason_spelling"), "Проверьте запятые."
            )
            cls.env["social.incident.deadline"]._cron_watchdog(batch_size=10000)
        # a second incident routed to housing, without a draft: where drafts are created
        cls.incident2 = (
            cls.env["social.incident"]
            .with_user(cls.curator)
            .create({"network": "vk", "text": "Нет света", "external_id": "m-2"})
        )
        cls.incident2.with_user(cls.curator).action_route(cls.housing)
        cls.policy = cls.env["social.sla.policy"].search(
            [("company_id", "=", cls.company.id), ("importance", "=", "normal")], limit=1
        )
        cls.year = cls.env["social.production.year"].search([], limit=1)
        cls.env.flush_all()

    def samples(self):
        """{model: (record, field to write, value, create values)}."""
        counter = iter(range(1, 1000))
        violation = self.incident.violation_ids[:1]
        return {
            "social.incident": (
                self.incident,
                "text",
                "Яма на улице Ленина",
                lambda: {"network": "vk", "text": "Новое", "external_id": f"m-new-{next(counter)}"},
            ),
            "social.incident.assignment": (
                self.incident.assignment_ids[:1],
                "note",
                "x",
                lambda: {"incident_id": self.incident2.id, "executor_id": self.roads.id},
            ),
            "social.incident.reply": (
                self.reply,
                "body",
                "Заделаем до пятницы.",
                lambda: {"incident_id": self.incident2.id, "body": "Черновик"},
            ),
            "social.incident.reply.review": (
                self.reply.review_ids[:1],
                "comment",
                "x",
                lambda: {"reply_id": self.reply.id, "decision": "approved"},
            ),
            "social.incident.deadline": (
                self.incident.deadline_ids[:1],
                "deadline",
                clock.now(),
                lambda: {
                    "incident_id": self.incident.id,
                    "step": "total",
                    "started_at": clock.now(),
                },
            ),
            "social.sla.violation": (
                violation,
                "excused",
                True,
                lambda: {
                    "incident_id": self.incident.id,
                    "deadline_id": self.incident.deadline_ids[-1:].id,
                    "step": "total",
                    "deadline": clock.now(),
                },
            ),
            "social.sla.policy": (
                self.policy,
                "at_risk_percent",
                30,
                lambda: {
                    "name": "P",
                    "importance": "normal",
                    "calendar_id": self.policy.calendar_id.id,
                },
            ),
            "social.sla.policy.line": (
                self.policy.line_ids[:1],
                "duration",
                self.policy.line_ids[:1].duration,
                lambda: {
                    "policy_id": self.policy.id,
                    "step": "control",
                    "duration": 1.0,
                    "unit": "hours",
                    "anchor": "start",
                },
            ),
            "social.executor": (
                self.housing,
                "name",
                "Housing M2",
                lambda: {"name": f"Unit {next(counter)}"},
            ),
            "social.executor.substitute": (
                self._substitute(),
                "note",
                "Отпуск",
                lambda: {
                    "executor_id": self.housing.id,
                    "user_id": self.executor_user.id,
                    "substitute_user_id": self.curator.id,
                    "date_from": date(2030, 1, 1),
                    "date_to": date(2030, 1, 5),
                },
            ),
            "social.author": (
                self.author,
                "name",
                "Author M2",
                lambda: {
                    "name": "Новый автор",
                    "network": "vk",
                    "external_id": f"9{next(counter)}",
                },
            ),
            "social.account": (
                self.account,
                "service_phone",
                "+7 000",
                lambda: {"name": "Page", "network": "ok", "url": f"https://ok.ru/{next(counter)}"},
            ),
            "social.incident.topic": (
                self.env.ref(
                    "social_incidents.social_topic_demo_potholes", raise_if_not_found=False
                )
                or self.env["social.incident.topic"].search([], limit=1),
                "color",
                3,
                lambda: {"name": f"Topic {next(counter)}"},
            ),
            "social.incident.location": (
                self.location,
                "name",
                "Street M2",
                lambda: {"name": f"Place {next(counter)}", "kind": "street"},
            ),
            "social.return.reason": (
                self.env.ref("social_incidents.return_reason_spelling"),
                "sequence",
                11,
                lambda: {"name": "R"},
            ),
            "social.no_reply.reason": (
                self.env.ref("social_incidents.no_reply_reason_obscene"),
                "sequence",
                11,
                lambda: {"name": "N"},
            ),
            "social.production.year": (
                self.year,
                "year",
                self.year.year,
                lambda: {"year": 2090 + next(counter)},
            ),
            "social.production.day": (
                self.year.day_ids[:1],
                "name",
                "День",
                lambda: {
                    "year_id": self.year.id,
                    "date": date(self.year.year, 7, 7),
                    "day_type": "day_off",
                },
            ),
            "social.abuse.term": (
                self.env.ref("social_incidents.abuse_term_obscenity_khuy"),
                "category",
                "obscenity",
                lambda: {"name": "тест" + "абвгд"[next(counter) % 5] * 3, "category": "insult"},
            ),
            "social.reply.phrase": (
                self.env.ref("social_incidents.reply_phrase_01"),
                "suggestion",
                "для",
                lambda: {"name": "тестовый оборот " + "абвгд"[next(counter) % 5] * 3},
            ),
            "social.account.post": (
                self._planned_post(),
                "name",
                "Пост M2",
                lambda: {
                    "name": f"Post {next(counter)}",
                    "account_id": self.account.id,
                    "planned_at": clock.now() + timedelta(days=1),
                },
            ),
            "social.account.week": (
                self._week(),
                "quota",
                7,
                lambda: {
                    "account_id": self.account.id,
                    "company_id": self.company.id,
                    "week_date": date(2031, 1, 6) + timedelta(weeks=next(counter)),
                    "week_start": datetime(2031, 1, 5, 21, 0),
                    "week_end": datetime(2031, 1, 12, 21, 0),
                    "quota": 1,
                },
            ),
            "social.spelling.word": (
                self.env.ref("social_incidents.spelling_word_01"),
                "name",
                "ямочно-щебёночный",
                lambda: {"name": "тестслово" + "абвгд"[next(counter) % 5] * 3},
            ),
            "social.incident.burst": (
                self._burst(),
                "state",
                "closed",
                lambda: {
                    "company_id": self.company.id,
                    "kind": "location",
                    "location_id": self.location.id,
                },
            ),
            "social.triage.rule": (
                self._triage_rule(),
                "keywords",
                "подъезд",
                lambda: {
                    "topic_id": self._triage_rule().topic_id.id,
                    "keywords": f"слово{next(counter)}",
                },
            ),
            "social.incident.repeat.candidate": (
                self._repeat_candidate(),
                "state",
                "dismissed",
                lambda: {
                    "incident_id": self.incident2.id,
                    "earlier_id": self.incident.id,
                    "reason": "author",
                },
            ),
        }

    def _planned_post(self):
        if not getattr(type(self), "_planned_post_record", None):
            type(self)._planned_post_record = (
                self.env["social.account.post"]
                .with_user(self.executor_user)
                .create(
                    {
                        "name": "Post M",
                        "account_id": self.account.id,
                        "planned_at": clock.now() + timedelta(days=2),
                    }
                )
            )
        return type(self)._planned_post_record

    def _triage_rule(self):
        if not getattr(type(self), "_triage_rule_record", None):
            topic = self.env["social.incident.topic"].create({"name": "Topic of the rule M"})
            type(self)._triage_rule_record = self.env["social.triage.rule"].create(
                {"topic_id": topic.id, "executor_id": self.housing.id, "keywords": "лифт"}
            )
        return type(self)._triage_rule_record

    def _repeat_candidate(self):
        if not getattr(type(self), "_repeat_candidate_record", None):
            with system_write():
                type(self)._repeat_candidate_record = (
                    self.env["social.incident.repeat.candidate"]
                    .sudo()
                    .create(
                        {
                            "incident_id": self.incident2.id,
                            "earlier_id": self.incident.id,
                            "reason": "author",
                            "score": 0.5,
                        }
                    )
                )
        return type(self)._repeat_candidate_record

    def _burst(self):
        if not getattr(type(self), "_burst_record", None):
            # a place of its own: the sample location stays deletable
            place = self.env["social.incident.location"].create(
                {"name": "Square M", "kind": "object"}
            )
            with system_write():
                type(self)._burst_record = (
                    self.env["social.incident.burst"]
                    .sudo()
                    .create(
                        {
                            "company_id": self.company.id,
                            "kind": "location",
                            "location_id": place.id,
                            "incident_ids": [(6, 0, self.incident.ids)],
                            "first_incident_at": clock.now(),
                            "last_incident_at": clock.now(),
                        }
                    )
                )
        return type(self)._burst_record

    def _week(self):
        if not getattr(type(self), "_week_record", None):
            with system_write():
                type(self)._week_record = (
                    self.env["social.account.week"]
                    .sudo()
                    .create(
                        {
                            "account_id": self.account.id,
                            "company_id": self.company.id,
                            "week_date": date(2030, 12, 30),
                            "week_start": datetime(2030, 12, 29, 21, 0),
                            "week_end": datetime(2031, 1, 5, 21, 0),
                            "quota": 2,
                        }
                    )
                )
        return type(self)._week_record

    def _substitute(self):
        if not getattr(type(self), "_substitute_record", None):
            type(self)._substitute_record = self.env["social.executor.substitute"].create(
                {
                    "executor_id": self.housing.id,
                    "user_id": self.executor_user.id,
                    "substitute_user_id": self.curator.id,
                    "date_from": date(2031, 1, 1),
                    "date_to": date(2031, 1, 5),
                }
            )
        return type(self)._substitute_record

    def attempt(self, operation):
        """True when ``operation()`` succeeds; its effects are rolled back."""
        try:
            with self.env.cr.savepoint():
                operation()
                self.env.flush_all()
                raise _Rollback
        except _Rollback:
            return True
        except REFUSED:
            return False
        finally:
            self.env.invalidate_all()

    def actual_cell(self, model, role):
        record, field, value, create_vals = self.samples()[model]
        self.assertTrue(record, f"no sample record of {model}")
        user = self.users[role]
        mine = record.with_user(user).with_company(user.company_id)
        Model = self.env[model].with_user(user).with_company(user.company_id)
        done = {
            "r": self.attempt(lambda: mine.read([field])),
            "w": self.attempt(lambda: mine.write({field: value})),
            "c": self.attempt(lambda: Model.create(create_vals())),
            "u": self.attempt(lambda: mine.unlink()),
        }
        return "".join(op for op in OPERATIONS if done[op]) or "-"


class TestAccessMatrix(AccessMatrixCase):
    def test_every_cell_of_the_matrix(self):
        """Every role on every model: what it can do is what the matrix says."""
        wrong = []
        checked = 0
        for model, cells in EXPECTED.items():
            for role in ROLES:
                actual = self.actual_cell(model, role)
                checked += len(OPERATIONS)
                if actual != cells[role]:
                    wrong.append(f"{model} / {role}: expected {cells[role]!r}, got {actual!r}")
        self.assertFalse(wrong, "\n".join(wrong))
        self.assertEqual(checked, len(EXPECTED) * len(ROLES) * len(OPERATIONS))

    def test_scheduled_jobs_refuse_other_callers(self):
        """The jobs behind the scheduled actions run as the scheduler (or an
        administrator triggering them by hand), never as anyone else."""
        jobs = [
            ("social.incident.deadline", "_cron_watchdog"),
            ("social.sla.violation", "_tell_untold"),
            ("social.production.year", "_cron_load_years"),
        ]
        jobs += [
            (model, method)
            for model, method in (
                ("social.inbound.event", "_cron_process"),
                ("social.account", "_cron_poll"),
                ("social.incident.reply", "_cron_retry_publish"),
                ("social.report.monthly", "_cron_send_monthly"),
            )
            if model in self.env
        ]
        for role in ("executor", "curator", "head", "admin"):
            for model, method in jobs:
                with self.assertRaises(AccessError, msg=f"{role} ran {model}.{method}"):
                    getattr(self.env[model].with_user(self.users[role]), method)()

    def test_no_role_writes_history(self):
        """State and history fields: refused to every role, whatever the context."""
        hostile = {
            "social_incidents_transition": True,
            "install_mode": True,
            "tracking_disable": True,
            "default_state": "approved",
        }
        cases = [
            (self.incident, {"state": "closed"}),
            (self.incident, {"answered_at": clock.now()}),
            (self.incident, {"registered_at": clock.now()}),
            (self.incident, {"closed_at": clock.now()}),
            (self.incident, {"name": "ИНЦ-ПОДМЕНА"}),
            (self.reply, {"state": "approved"}),
            (self.reply, {"reviewer_id": self.curator.id}),
            (self.reply, {"rework_count": 0}),
            (self.reply, {"published_url": "https://vk.com/x", "published_at": clock.now()}),
            (self.incident.deadline_ids[:1], {"done_at": clock.now(), "state": "done"}),
            (self.incident.violation_ids[:1], {"excused": True, "excuse_comment": "так надо"}),
        ]
        for role in ("executor", "curator", "admin"):
            user = self.users[role]
            for record, vals in cases:
                before = record.read(list(vals))[0]
                ok = self.attempt(
                    lambda record=record, vals=vals, user=user: record.with_user(user)
                    .with_context(**hostile)
                    .write(vals)
                )
                self.assertFalse(ok, f"{role} wrote {vals} on {record}")
                self.assertEqual(record.read(list(vals))[0], before)


HOSTILE_CONTEXT = {
    "social_incidents_transition": True,
    "install_mode": True,
    "tracking_disable": True,
    "mail_notrack": True,
    "active_test": False,
    "default_state": "approved",
    "default_published_url": "https://vk.com/fake",
    "default_answered_at": "2020-01-01 00:00:00",
    "default_rework_count": 0,
}
# Models whose public methods the attackers call, and the fields that are history.
PROTECTED_SNAPSHOT = {
    "social.incident": [
        "state",
        "answered_at",
        "closed_at",
        "on_control",
        "merged_into_id",
        "name",
    ],
    "social.incident.assignment": ["state", "is_lead", "date_accepted", "decline_reason"],
    "social.incident.reply": [
        "state",
        "reviewer_id",
        "rework_count",
        "published_url",
        "published_at",
    ],
    "social.incident.deadline": ["state", "deadline", "done_at"],
    "social.sla.violation": ["excused", "done_at", "delay_minutes"],
    "social.account.post": ["state", "author_id", "reviewer_id", "rework_count", "published_url"],
}


@tagged("post_install", "-at_install")
class TestHostileRpc(JsonRpcMixin, HttpCase, AccessMatrixCase):
    """What a client can send over the web client's JSON-RPC: every public
    method of the addons' models, with a hostile context."""

    def snapshot(self):
        self.env.invalidate_all()
        state = {}
        for model, fields_ in PROTECTED_SNAPSHOT.items():
            records = self.env[model].sudo().with_context(active_test=False).search([])
            state[model] = sorted(map(repr, records.read(fields_)))
        return state

    def public_methods(self, model):
        cls = type(self.env[model])
        names = []
        for name in dir(cls):
            if name.startswith("_"):
                continue
            method = getattr(cls, name, None)
            module = getattr(method, "__module__", "") or ""
            if (
                callable(method)
                and module.startswith("odoo.addons.social_incidents")
                and not getattr(method, "_api_private", False)
            ):
                names.append(name)
        return names

    def test_attackers_change_nothing_through_any_public_method(self):
        """Executors of another unit, the head, users without the module's
        groups and curators of another municipality call every public method of
        every model on the incident's records, with a hostile context and with
        an argument: nothing of the history changes."""
        targets = {
            "social.incident": (self.incident | self.incident2).ids,
            "social.incident.assignment": self.incident.assignment_ids.ids,
            "social.incident.reply": self.reply.ids,
            "social.sla.violation": self.incident.violation_ids.ids,
            "social.sla.policy": self.policy.ids,
            "social.account": self.account.ids,
            "social.production.year": self.year.ids,
            "social.account.post": self._planned_post().ids,
        }
        before = self.snapshot()
        calls = 0
        for role in ("executor_other", "head", "no_group", "curator_b"):
            login = self.users[role].login
            for model, ids in targets.items():
                if role == "head" and model == "social.sla.violation":
                    continue  # the head excuses missed deadlines: test_sla_truthful covers who may
                for method in self.public_methods(model):
                    for args in ([ids], [ids, "x"]):
                        self.call_kw(login, model, method, args, {"context": HOSTILE_CONTEXT})
                        calls += 1
        self.assertGreater(calls, 100)
        self.assertEqual(self.snapshot(), before)

    def test_executor_cannot_approve_own_draft_over_rpc(self):
        login = self.executor_user.login
        self.reply.with_user(self.executor_user).action_submit()
        _result, error = self.call_kw(
            login,
            "social.incident.reply",
            "write",
            [self.reply.ids, {"state": "approved"}],
            {"context": HOSTILE_CONTEXT},
        )
        self.assertIn("only through the workflow", error)
        _result, error = self.call_kw(
            login,
            "social.incident.reply",
            "action_approve",
            [self.reply.ids],
            {"context": HOSTILE_CONTEXT},
        )
        self.assertIn("Only a curator approves or returns drafts", error)
        _result, error = self.call_kw(
            login,
            "social.incident.reply",
            "action_mark_published",
            [self.reply.ids, "https://vk.com/x"],
            {"context": HOSTILE_CONTEXT},
        )
        self.assertIn("cannot be called remotely", error)
        self.env.invalidate_all()
        self.assertEqual(self.reply.state, "submitted")
        self.assertFalse(self.reply.published_url)

    def test_sudo_helpers_of_notifications_and_demo_refused_over_rpc(self):
        """The helpers that read or write with sudo() after a transition's check
        (the notifications) or at installation only (the demo) are private: no
        client reaches them, whatever its role."""
        notifications_before = self.env["mail.notification"].sudo().search_count([])
        messages_before = self.env["mail.message"].sudo().search_count([])
        calls = [
            ("social.incident", "_notify_kind", [self.incident.ids, "routed", []]),
            ("social.incident", "_notify_approved", [self.incident.ids, self.reply.ids]),
            ("social.incident", "_notify_recipients", [self.incident.ids, "routed", {}]),
            ("social.incident", "_notify_missed_digest", [self.incident.ids, {}, []]),
            ("social.sla.violation", "_tell_untold", [[]]),
            ("social.incident.demo", "_read_notifications_of_finished", [self.incident.ids]),
            ("social.incident.demo", "_remove_stock_demo_chatter", []),
        ]
        for login in (self.executor_user.login, self.curator.login):
            for model, method, args in calls:
                with self.subTest(login=login, method=method):
                    _result, error = self.call_kw(
                        login, model, method, args, {"context": HOSTILE_CONTEXT}
                    )
                    self.assertIn("cannot be called remotely", error or "")
        self.env.invalidate_all()
        self.assertEqual(
            self.env["mail.notification"].sudo().search_count([]), notifications_before
        )
        self.assertEqual(self.env["mail.message"].sudo().search_count([]), messages_before)

    def test_hostile_defaults_do_not_reach_a_new_draft(self):
        reply_id, error = self.call_kw(
            self.executor_user.login,
            "social.incident.reply",
            "create",
            [{"incident_id": self.incident2.id, "body": "Черновик"}],
            {"context": HOSTILE_CONTEXT},
        )
        self.assertIsNone(error)
        reply = self.env["social.incident.reply"].browse(reply_id)
        self.assertEqual(reply.state, "draft")
        self.assertFalse(reply.published_url)
        _result, error = self.call_kw(
            self.executor_user.login,
            "social.incident.reply",
            "create",
            [{"incident_id": self.incident2.id, "body": "x", "state": "approved"}],
        )
        self.assertIn("only through the workflow", error)

    def test_curator_cannot_rewrite_read_only_history(self):
        answered = self.incident.answered_at
        _result, error = self.call_kw(
            self.curator.login,
            "social.incident",
            "write",
            [
                self.incident.ids,
                {"answered_at": "2020-01-01 00:00:00", "registered_at": "2020-01-01 00:00:00"},
            ],
            {"context": HOSTILE_CONTEXT},
        )
        self.assertIn("only through the workflow", error)
        self.env.invalidate_all()
        self.assertEqual(self.incident.answered_at, answered)

    def test_only_own_new_uploads_are_attached(self):
        """An executor cannot move someone else's file (here: another
        municipality's) onto a draft or into the information of a routing."""
        foreign = (
            self.env["ir.attachment"]
            .with_user(self.users["curator_b"])
            .create({"name": "чужое.pdf", "raw": b"secret"})
        )
        _result, error = self.call_kw(
            self.executor_user.login,
            "social.incident.reply",
            "write",
            [self.reply.ids, {"attachment_ids": [(6, 0, foreign.ids)]}],
        )
        self.assertTrue(error)
        self.env.invalidate_all()
        self.assertFalse(self.reply.attachment_ids)
        own = (
            self.env["ir.attachment"]
            .with_user(self.executor_user)
            .create({"name": "фото.jpg", "raw": b"jpg"})
        )
        _result, error = self.call_kw(
            self.executor_user.login,
            "social.incident.reply",
            "write",
            [self.reply.ids, {"attachment_ids": [(6, 0, own.ids)]}],
        )
        self.assertIsNone(error)
        self.env.invalidate_all()
        self.assertEqual(self.reply.attachment_ids, own)
