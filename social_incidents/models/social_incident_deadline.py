import contextlib
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.misc import format_datetime
from odoo.tools.translate import LazyGettext

from ..tools import clock, deadline_placement
from ..tools.deadline_placement import place_row
from ..tools.guard import system_method
from ..tools.worktime import (
    WORKING_UNITS,
    CalendarMissing,
    to_ts,
)
from .helpers import in_company_lang, scheduled_job
from .social_sla_mixin import deadline_status
from .social_sla_policy_line import SLA_STEPS

# Steps whose lateness counts only when the action is taken: declining and
# asking for clarification are not mandatory, but if done, done in time.
OPTIONAL_STEPS = ("decline", "clarification")
# Activity of the next actor → steps whose deadline it carries.
ACTIVITY_STEPS = {
    "route": ("route", "reroute"),
    "draft": ("draft",),
    "info": ("info",),
    "rework": ("rework",),
    "review": ("review",),
    "publish": ("publish",),
    "control_report": ("control",),
}
SQL_BATCH = 1000
# rows written by one UPDATE: the arrays of a chunk travel as one statement
SQL_CHUNK = 20000


class SocialIncidentDeadline(models.Model):
    """One step of one incident with its deadline: set when the step starts,
    closed when it is done. The watchdog reads this table with one indexed
    query; the incident card and the disciplinary report read its history."""

    _name = "social.incident.deadline"
    _inherit = ["social.protected.mixin"]
    _description = "Step Deadline"
    _order = "started_at, id"
    # A step's times and state are history: written by the engine only.
    _protected_fields = "__all__"
    _rec_name = "step"

    incident_id = fields.Many2one("social.incident", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="incident_id.company_id", store=True, index=True)
    step = fields.Selection(SLA_STEPS, required=True)
    assignment_id = fields.Many2one(
        "social.incident.assignment", string="Routing", ondelete="cascade", index="btree_not_null"
    )
    reply_id = fields.Many2one("social.incident.reply", ondelete="cascade", index="btree_not_null")
    executor_id = fields.Many2one("social.executor", compute="_compute_executor_id", store=True)
    policy_id = fields.Many2one("social.sla.policy", ondelete="set null")
    line_id = fields.Many2one("social.sla.policy.line", string="Rule", ondelete="set null")
    calendar_id = fields.Many2one("resource.calendar", related="policy_id.calendar_id")
    unit = fields.Selection(related="line_id.unit")
    optional = fields.Boolean(
        help="Late only if the action is taken: declining, asking for clarification."
    )
    started_at = fields.Datetime(string="Started", required=True)
    # not indexed: the watchdog reads watch_at, views read the mirrored
    # (indexed) deadline of the incident, routing and reply
    deadline = fields.Datetime()
    risk_at = fields.Datetime(string="At Risk From")
    done_at = fields.Datetime(string="Done")
    state = fields.Selection(
        [
            ("open", "Open"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
            ("not_needed", "Not Needed"),
        ],
        default="open",
        required=True,
    )
    paused_since = fields.Datetime(help="The clock stopped while waiting for the author.")
    paused_seconds = fields.Float(help="Time the clock stood still, in the step's kind of time.")
    missing_year = fields.Integer(
        help="The production calendar of this year is not loaded: the deadline is not computed."
    )
    # = deadline while the step is open, watched, running and not yet recorded as
    # missed; the watchdog's partial index covers only these rows.
    watch_at = fields.Datetime(readonly=True)
    violation_id = fields.Many2one("social.sla.violation", readonly=True, index="btree_not_null")
    status = fields.Selection(
        [
            ("on_time", "On Time"),
            ("at_risk", "At Risk"),
            ("overdue", "Overdue"),
            ("paused", "Paused"),
            ("missing", "Calendar Not Loaded"),
            ("done", "Done in Time"),
            ("late", "Done Late"),
            ("cancelled", "Cancelled"),
            ("not_needed", "Not Needed"),
        ],
        compute="_compute_status",
    )
    remaining = fields.Char(string="Time Left", compute="_compute_status")
    provisional = fields.Boolean(
        string="Provisional Calendar",
        compute="_compute_provisional",
        help="The deadline is counted through a year of the production calendar not yet confirmed "
        "by the official file (days off moved by Labour Code art. 112): it may change.",
    )
    provisional_note = fields.Char(string="Calendar", compute="_compute_provisional")

    def init(self):
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS social_incident_deadline_watch_idx
                ON social_incident_deadline (watch_at) WHERE watch_at IS NOT NULL
            """
        )
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS social_incident_deadline_open_uniq
                ON social_incident_deadline
                   (incident_id, step, COALESCE(assignment_id, 0), COALESCE(reply_id, 0))
             WHERE state = 'open'
            """
        )

    @api.depends("assignment_id.executor_id", "reply_id.executor_id")
    def _compute_executor_id(self):
        for row in self:
            row.executor_id = row.assignment_id.executor_id or row.reply_id.executor_id

    @api.depends_context("lang")
    def _compute_provisional(self):
        years = self.env["social.production.year"]._provisional_years_of(self)
        for row in self:
            row.provisional = bool(years[row])
            row.provisional_note = (
                self.env._("Provisional calendar: %s", ", ".join(map(str, years[row])))
                if years[row]
                else False
            )

    def _compute_status(self):
        now = clock.now()
        running = []
        for row in self:
            row.remaining = False
            if row.state in ("cancelled", "not_needed"):
                row.status = row.state
            elif row.state == "done":
                row.status = "late" if row.deadline and row.done_at > row.deadline else "done"
            elif row.paused_since:
                row.status = "paused"
            elif row.missing_year:
                row.status = "missing"
            elif not row.deadline:
                row.status = False
            else:
                row.status = deadline_status(now, row.deadline, row.risk_at)
                running.append(row)
        if running:
            texts = self.concat(*running)._remaining_texts(now)
            for row in running:
                row.remaining = texts.get(row._origin.id, False)

    def _elapsed_seconds(self, start, end, worktimes):
        """Seconds from ``start`` to ``end`` in the step's kind of time: working
        seconds for a step counted in working time (plain seconds where the
        production calendar of the span is not loaded). ``worktimes`` caches
        the engine of each calendar for the caller's batch."""
        self.ensure_one()
        worktime = None
        if self.unit in WORKING_UNITS and self.calendar_id:
            if self.calendar_id.id not in worktimes:
                worktimes[self.calendar_id.id] = self.env["social.sla.policy"]._get_worktime(
                    self.calendar_id
                )
            worktime = worktimes[self.calendar_id.id]
        return _span_seconds(worktime, start, end)

    def _remaining_texts(self, now):
        """{row id: “2 h 15 min left” / “overdue by 1 h 5 min”} of these rows
        with a deadline, each in its own step's kind of time, as
        ``_elapsed_seconds`` counts it: the time left of a whole list at once.
        One query reads the rows' deadlines, units and calendars; each
        calendar's working-time engine is taken once and serves all its rows
        (a list of incidents under several calendars counts each row in its own).

        Keyed by the rows' ids in the database (a form's rows being edited are
        new records of them). Reads the rows whatever the user's rights: callers
        pass the steps of records the user already reads."""
        ids = [row_id for row_id in self._origin._ids if row_id]
        if not ids:
            return {}
        self.flush_model(["deadline", "line_id", "policy_id"])
        self.env["social.sla.policy.line"].flush_model(["unit"])
        self.env["social.sla.policy"].flush_model(["calendar_id"])
        self.env.cr.execute(
            """
            SELECT d.id, d.deadline, l.unit, p.calendar_id
              FROM social_incident_deadline d
         LEFT JOIN social_sla_policy_line l ON l.id = d.line_id
         LEFT JOIN social_sla_policy p ON p.id = d.policy_id
             WHERE d.id = ANY(%s) AND d.deadline IS NOT NULL
            """,
            [ids],
        )
        rows = self.env.cr.fetchall()
        Policy = self.env["social.sla.policy"]
        calendars = {calendar for _id, _d, unit, calendar in rows if unit in WORKING_UNITS}
        worktimes = {
            calendar_id: Policy._get_worktime(self.env["resource.calendar"].browse(calendar_id))
            for calendar_id in calendars
            if calendar_id
        }
        return {
            row_id: format_remaining(
                self.env,
                _span_seconds(
                    worktimes.get(calendar_id) if unit in WORKING_UNITS else None, now, deadline
                ),
                working=unit in WORKING_UNITS,
                overdue=now >= deadline,
            )
            for row_id, deadline, unit, calendar_id in rows
        }

    # ------------------------------------------------------------------
    # Placing deadlines, in one batch
    # ------------------------------------------------------------------
    @system_method
    def _recompute(self, reason=None):
        """Place the deadlines of these open rows with the working-time engine
        and write them in bulk. With ``reason`` (the rules changed; a text, or a
        lazy one translated in each company's language when no user's language
        is at hand): revise the violations of the moved steps, tell each
        incident whose deadlines moved and move its activities to the new
        deadlines."""
        rows = self.filtered(lambda r: r.state == "open")
        if not rows:
            return {}
        # what _place reads in SQL; the records that mirror the deadlines are
        # computed once, after the placements are written
        for model in ("social.incident.deadline", "social.sla.violation", "social.sla.policy"):
            self.env[model].flush_model()
        self.env["social.sla.policy.line"].flush_model()
        self.env["social.incident"].flush_model(["detected_at"])
        values = self._place(rows.ids)
        moved = defaultdict(list)
        if reason:
            for row in rows:
                new = values.get(row.id)
                if row.deadline and new and new[0] != row.deadline:
                    moved[row.incident_id].append((row, row.deadline, new[0]))
        if reason:
            values = self.env["social.sla.violation"]._revise(rows, values, reason)
        self._write_placements(values)
        missing = {value[3] for value in values.values() if value[3]}
        if missing:
            self.env["social.production.year"]._request_years(missing)
        for incident, changes in moved.items():
            # in the user's language, or the company's in a job
            env = in_company_lang(incident).env
            items = Markup("").join(
                Markup("<li>%s: %s → %s</li>")
                % (
                    row.with_env(env)._step_label(),
                    row._format_when(old),
                    row._format_when(new) if new else env._("no deadline"),
                )
                for row, old, new in changes
            )
            incident._post(
                env._("Deadlines recomputed: %s.") + "<ul>%s</ul>",
                env._(reason) if isinstance(reason, LazyGettext) else reason,
                items,
            )
        if reason:
            rows.incident_id._update_activities()
        return values

    @api.model
    def _place(self, row_ids):
        """{row id: (deadline, risk_at, watch_at, missing_year)} placed from
        the rows' rules; one query to read, one engine per calendar."""
        cr = self.env.cr
        result = {}
        Policy = self.env["social.sla.policy"]
        worktimes = {}
        for chunk in _chunks(row_ids, 20000):
            cr.execute(
                """
                SELECT d.id, d.step, d.started_at, d.paused_seconds, d.paused_since IS NOT NULL,
                       d.optional, v.id IS NOT NULL,
                       l.duration, l.unit, l.anchor, p.calendar_id, p.at_risk_percent,
                       i.detected_at, tl.duration, tl.unit, COALESCE(tot.paused_seconds, 0)
                  FROM social_incident_deadline d
                  JOIN social_sla_policy_line l ON l.id = d.line_id
                  JOIN social_sla_policy p ON p.id = l.policy_id
                  JOIN social_incident i ON i.id = d.incident_id
             LEFT JOIN social_sla_violation v ON v.id = d.violation_id AND v.voided IS NOT TRUE
             LEFT JOIN social_sla_policy_line tl ON tl.policy_id = p.id AND tl.step = 'total'
             LEFT JOIN social_incident_deadline tot
                       ON tot.incident_id = d.incident_id AND tot.step = 'total'
                      AND tot.state = 'open'
                 WHERE d.id = ANY(%s)
                """,
                [list(chunk)],
            )
            for record in cr.fetchall():
                calendar_id = record[10]
                if calendar_id not in worktimes:
                    worktimes[calendar_id] = Policy._get_worktime(
                        self.env["resource.calendar"].browse(calendar_id)
                    )
                result[record[0]] = place_row(worktimes[calendar_id], record)
        # rows without a rule (its line was removed): no deadline
        for row_id in row_ids:
            result.setdefault(row_id, (None, None, None, 0))
        return result

    @api.model
    def _write_placements(self, values):
        """Write the placed deadlines with one UPDATE a chunk, then have the
        records that mirror them (incident, routing, reply) recomputed. The
        rows come as arrays: the planner knows how many there are and reads
        each by its primary key (a temporary table has no statistics: guessed
        at 1,360 rows, it was joined by a scan of the whole table whenever
        that looked cheaper, 150 ms at 150,000 rows)."""
        if not values:
            return
        cr = self.env.cr
        touched = []
        for chunk in _chunks(sorted(values), SQL_CHUNK):
            cr.execute(
                """
                UPDATE social_incident_deadline d
                   SET deadline = v.deadline, risk_at = v.risk_at, watch_at = v.watch_at,
                       missing_year = NULLIF(v.missing_year, 0),
                       write_date = now() at time zone 'UTC'
                  FROM unnest(%s::int[], %s::timestamp[], %s::timestamp[], %s::timestamp[],
                              %s::int[]) AS v(id, deadline, risk_at, watch_at, missing_year)
                 WHERE d.id = v.id
                RETURNING d.incident_id, d.assignment_id, d.reply_id
                """,
                [
                    chunk,
                    [values[row_id][0] for row_id in chunk],
                    [values[row_id][1] for row_id in chunk],
                    [values[row_id][2] for row_id in chunk],
                    [values[row_id][3] or 0 for row_id in chunk],
                ],
            )
            touched += cr.fetchall()
        rows = self.browse(list(values))
        rows.invalidate_recordset(["deadline", "risk_at", "watch_at", "missing_year"])
        self._mark_mirrors(
            {incident for incident, _a, _r in touched},
            {assignment for _i, assignment, _r in touched if assignment},
            {reply for _i, _a, reply in touched if reply},
        )
        self.env.flush_all()

    @api.model
    def _mark_mirrors(self, incident_ids, assignment_ids, reply_ids):
        """Schedule the recomputation of the stored deadline of these records
        (cheaper than ``modified`` on every row written in bulk)."""
        for model, ids in (
            ("social.incident", incident_ids),
            ("social.incident.assignment", assignment_ids),
            ("social.incident.reply", reply_ids),
        ):
            if not ids:
                continue
            records = self.env[model].browse(sorted(ids))
            names = [
                name
                for name, field in records._fields.items()
                if field.compute in ("_compute_sla_deadline", "_compute_total_deadline")
            ]
            # not the mirrored fields themselves: invalidating them would flush
            # (compute) those already due, and they would be computed twice
            records.invalidate_recordset(["deadline_ids"])
            for name in names:
                self.env.add_to_compute(records._fields[name], records)

    # ------------------------------------------------------------------
    # Watchdog
    # ------------------------------------------------------------------
    @api.model
    @scheduled_job
    @system_method
    def _cron_watchdog(self, batch_size=10):
        """Record each step that has just passed its deadline unfinished, once,
        with its chatter note and activities; then, after the run's last batch,
        tell each person once of all their missed steps (a burst of them, the
        Monday after a long weekend, is a message a person, not one an
        incident). One indexed query a batch; progress is reported so that the
        scheduler runs the next batch at once, in a transaction of its own:
        batches of 10 keep each transaction, and the locks it holds on the steps
        it records, under a tenth of a second in a burst."""
        now = clock.now()
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT id FROM social_incident_deadline
             WHERE watch_at <= %s
             ORDER BY watch_at, id
             LIMIT %s
            """,
            (now, batch_size + 1),
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        rows = self.sudo().browse(ids[:batch_size])
        Violation = self.env["social.sla.violation"]
        if rows:
            Violation._record(rows, tell=False)
        done, remaining = len(rows), 0
        if len(ids) > batch_size:
            self.env.cr.execute(
                "SELECT count(*) FROM social_incident_deadline WHERE watch_at <= %s", (now,)
            )
            remaining = self.env.cr.fetchone()[0]
        if not remaining:
            # once a run, after its last batch: the open delays are brought up
            # to now over every open violation, which a burst's batches need not
            # each repeat, and the people are told
            Violation._refresh_open_delays()
            told, remaining = Violation._tell_untold()
            done += told
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return len(rows)

    # ------------------------------------------------------------------
    # Display helpers
    # ------------------------------------------------------------------
    def _step_label(self):
        self.ensure_one()
        return dict(self._fields["step"]._description_selection(self.env))[self.step]

    def _format_when(self, value):
        tz = self.calendar_id.tz or self.env.user.tz or "UTC"
        return format_datetime(self.env, value, tz=tz, dt_format="dd.MM.yyyy HH:mm")

    def _get_responsible(self, absences=None):
        """(executor, user) answerable for this step; ``absences``: the
        substitutions in force, when the caller fetched them for a batch."""
        self.ensure_one()
        incident = self.incident_id
        curator = incident._get_curators()[:1]
        if self.step in ("route", "reroute", "review"):
            return self.env["social.executor"], curator
        if self.reply_id:
            reply = self.reply_id
            if self.step == "publish":
                publishers = incident._get_publishers(reply, absences)
                user = reply.author_id if reply.author_id in publishers else publishers[:1]
                executor = reply.executor_id if user != curator else self.env["social.executor"]
                return executor, user or curator
            return reply.executor_id, reply.author_id or curator
        assignment = self.assignment_id
        if not assignment:
            assignment = incident.assignment_ids.filtered(
                lambda a: a.executor_id == incident.lead_executor_id
            ).sorted("id")[-1:]
        if not assignment:
            return self.env["social.executor"], curator
        executor = assignment.executor_id
        author = (
            incident.reply_ids.filtered(lambda r: r.executor_id == executor)
            .sorted("id")[-1:]
            .author_id
        )
        user = (
            author
            or assignment.accepted_by_id
            or executor.head_user_id
            or executor._get_responsible_users(absences=absences)[:1]
        )
        return executor, user or curator


def format_duration(env, seconds, working=False):
    """“2 h 15 min”, in the language of ``env``."""
    return deadline_placement.format_duration(seconds, working, env._)


def format_remaining(env, seconds, working=False, overdue=None):
    """“2 h 15 min left” / “overdue by 1 h 5 min”, in the language of ``env``."""
    return deadline_placement.format_remaining(seconds, working, overdue, env._)


def _span_seconds(worktime, start, end):
    """Seconds from ``start`` to ``end``: working seconds of ``worktime`` when
    given, plain seconds without it or where the production calendar of the span
    is not loaded (the plain time rather than a guess)."""
    seconds = (end - start).total_seconds()
    if worktime is not None:
        with contextlib.suppress(CalendarMissing):
            worktime._check_years(to_ts(start), to_ts(end))
            seconds = worktime.between_ts(to_ts(start), to_ts(end))
    return seconds


def _chunks(items, size):
    items = list(items)
    for index in range(0, len(items), size):
        yield items[index : index + size]
