from collections import defaultdict

from markupsafe import Markup
from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.sql import create_index
from odoo.tools.translate import LazyGettext

from ..tools import clock
from ..tools.deadline_placement import is_missed
from ..tools.guard import system_method, workflow_action
from ..tools.worktime import WORKING_UNITS
from .constants import CURATOR_GROUP, HEAD_GROUP
from .helpers import in_company_lang, scheduled_job
from .social_incident_deadline import format_duration
from .social_sla_policy_line import SLA_STEPS


class SocialSlaViolation(models.Model):
    """A missed deadline, recorded once per step, for the head's disciplinary
    decisions (AKH 3.9, BAT 12, LYA 12, KOR 22)."""

    _name = "social.sla.violation"
    _description = "Missed Deadline"
    _inherit = ["mail.thread", "social.protected.mixin"]
    _order = "deadline desc, id desc"
    # What the head judges people by: written by the watchdog and the excuse only.
    _protected_fields = "__all__"
    _mail_post_access = "read"

    name = fields.Char(compute="_compute_name", store=True)
    incident_id = fields.Many2one(
        "social.incident", required=True, ondelete="cascade", index=True, readonly=True
    )
    deadline_id = fields.Many2one(
        "social.incident.deadline",
        string="Step Deadline",
        required=True,
        ondelete="cascade",
        readonly=True,
    )
    step = fields.Selection(SLA_STEPS, required=True, readonly=True)
    executor_id = fields.Many2one("social.executor", readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True, index=True)
    escalated_user_ids = fields.Many2many(
        "res.users",
        string="Escalated To",
        readonly=True,
        help="Heads told of the missed deadline.",
    )
    company_id = fields.Many2one(related="incident_id.company_id", store=True, index=True)
    importance = fields.Selection(related="incident_id.importance", store=True)
    network = fields.Selection(related="incident_id.network", store=True)
    deadline = fields.Datetime(required=True, readonly=True, index=True)
    done_at = fields.Datetime(string="Done", readonly=True)
    delay_minutes = fields.Integer(
        string="Delay (min)",
        readonly=True,
        aggregator="sum",
        help="How late, in the step's kind of time: working minutes for steps counted "
        "in working time.",
    )
    delay_display = fields.Char(string="Delay", compute="_compute_delay_display")
    excused = fields.Boolean(readonly=True, tracking=True)
    excuse_comment = fields.Text(string="Excuse", readonly=True)
    excused_by_id = fields.Many2one("res.users", readonly=True)
    excused_at = fields.Datetime(readonly=True)
    can_excuse = fields.Boolean(compute="_compute_can_excuse")
    voided = fields.Boolean(
        readonly=True,
        tracking=True,
        help="The deadline was recomputed under new rules and is no longer missed: "
        "the delay does not count.",
    )
    void_reason = fields.Text(string="Why Voided", readonly=True)
    voided_at = fields.Datetime(readonly=True)
    count = fields.Integer(default=1, readonly=True, aggregator="sum")
    # False while the people who answer for the step are still to be told: the watchdog's
    # batches record, its last batch of a run tells each person once (``_tell_untold``)
    told = fields.Boolean(string="People Told", default=True, readonly=True, copy=False)

    _sql_constraints = [
        ("deadline_uniq", "UNIQUE (deadline_id)", "This missed deadline is already recorded."),
    ]

    def init(self):
        # the violations still to be told, read by each run of the watchdog
        create_index(
            self.env.cr,
            "social_sla_violation_untold_idx",
            self._table,
            ["id"],
            where="told IS NOT TRUE",
        )

    @api.depends("incident_id.name", "step")
    def _compute_name(self):
        for violation in self:
            env = in_company_lang(violation).env
            steps = dict(self._fields["step"]._description_selection(env))
            violation.name = f"{violation.incident_id.name or ''} — {steps.get(violation.step, '')}"

    @api.depends("delay_minutes", "deadline_id.unit")
    def _compute_delay_display(self):
        for violation in self:
            violation.delay_display = format_duration(
                self.env,
                violation.delay_minutes * 60,
                working=violation.deadline_id.unit in WORKING_UNITS,
            )

    @api.depends("excused", "voided", "executor_id", "user_id")
    @api.depends_context("uid")
    def _compute_can_excuse(self):
        for violation in self:
            violation.can_excuse = violation._allowed("_check_excuse")

    # ------------------------------------------------------------------
    # Recording
    # ------------------------------------------------------------------
    @api.model
    @system_method
    def _record(self, rows, tell=True):
        """Record a violation for each deadline row (open and overdue, or done
        late) that has none, and notify. A step keeps one violation ever: one
        voided earlier is reinstated. ``tell=False`` (the watchdog's batches):
        the notes and activities now, the messages to people by
        ``_tell_untold`` once the run's batches are done."""
        rows = rows.sudo().filtered(
            lambda r: r.deadline and (not r.violation_id or r.violation_id.voided)
        )
        if not rows:
            return self.browse()
        now = clock.now()
        delays = self._delays([(row, row.done_at or now) for row in rows])
        again = rows.filtered("violation_id")
        reinstated = again.violation_id
        for row in again:
            row.violation_id._reinstate(row.deadline, row.done_at, delays[row.id])
        rows -= again
        vals_list = []
        absences = (
            rows.incident_id.assignment_ids.executor_id | rows.reply_id.executor_id
        )._get_absences()
        for row in rows:
            executor, user = row._get_responsible(absences=absences)
            vals_list.append(
                {
                    "incident_id": row.incident_id.id,
                    "deadline_id": row.id,
                    "step": row.step,
                    "executor_id": executor.id,
                    "user_id": user.id,
                    "deadline": row.deadline,
                    "done_at": row.done_at,
                    "delay_minutes": delays[row.id],
                    "told": tell,
                }
            )
        violations = (
            self.sudo()
            .with_context(mail_create_nolog=True, tracking_disable=True)
            .create(vals_list)
        )
        violations |= reinstated
        execute_values(
            self.env.cr._obj,
            """
            UPDATE social_incident_deadline d SET violation_id = v.vid, watch_at = NULL
              FROM (VALUES %s) AS v(id, vid) WHERE d.id = v.id
            """,
            [(violation.deadline_id.id, violation.id) for violation in violations],
            page_size=1000,
        )
        (rows | again).invalidate_recordset(["violation_id", "watch_at"])
        if reinstated and not tell:
            self.env.cr.execute(
                "UPDATE social_sla_violation SET told = false WHERE id = ANY(%s)",
                [reinstated.ids],
            )
            reinstated.invalidate_recordset(["told"])
        violations._notify(tell=tell)
        return violations

    @api.model
    @scheduled_job
    @system_method
    def _tell_untold(self, limit=500):
        """Tell whoever answers for the steps recorded and not told yet: each
        person once, of all their incidents (``_notify_missed``). A violation
        voided in the meantime is not told. Returns (how many were told, how
        many are left for the next call, beyond ``limit``)."""
        self.env.cr.execute(
            "SELECT id FROM social_sla_violation WHERE told IS NOT TRUE ORDER BY id LIMIT %s",
            (limit + 1,),
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if not ids:
            return 0, 0
        # sudo: scheduled_job refused any caller but the scheduler and administrators
        violations = self.sudo().browse(ids[:limit])
        by_incident = defaultdict(lambda: violations.browse())
        for violation in violations.filtered(lambda v: not v.voided):
            by_incident[violation.incident_id] |= violation
        if by_incident:
            self.env["social.incident"].browse(
                [incident.id for incident in by_incident]
            )._notify_missed(by_incident)
        self.env.cr.execute(
            "UPDATE social_sla_violation SET told = true WHERE id = ANY(%s)", [violations.ids]
        )
        violations.invalidate_recordset(["told"])
        return len(violations), max(len(ids) - limit, 0)

    @api.model
    def _revise(self, rows, values, reason):
        """The deadlines of these open rows are placed anew under changed
        rules (``values``, as ``_place`` returns them; ``reason``: what
        changed). A violation whose step is no longer missed is voided, one
        still missed keeps its record with the new deadline and delay, one
        voided earlier and missed again is reinstated. Returns ``values`` with
        the watch moments that follow."""
        rows = rows.sudo().filtered("violation_id")
        if not rows:
            return values
        now = clock.now()
        values = dict(values)
        missed = self.env["social.incident.deadline"]
        for row in rows:
            deadline, risk_at, _watch, missing_year = values[row.id]
            violation = row.violation_id
            if missing_year:
                continue  # not known yet: nothing is judged on a guess
            if is_missed(deadline, None, now):
                missed |= row
                values[row.id] = (deadline, risk_at, None, missing_year)
            else:
                if not violation.voided:
                    violation._void(reason, deadline)
                watch = None if (row.optional or row.paused_since or not deadline) else deadline
                values[row.id] = (deadline, risk_at, watch, missing_year)
        if missed:
            worktimes = {}
            for row in missed:
                deadline = values[row.id][0]
                delay = max(int(row._elapsed_seconds(deadline, now, worktimes) // 60), 0)
                violation = row.violation_id
                if violation.voided:
                    violation._reinstate(deadline, False, delay)
                elif violation.deadline != deadline or violation.delay_minutes != delay:
                    violation.write({"deadline": deadline, "delay_minutes": delay})
        rows.violation_id._clear_alerts_of_voided()
        return values

    def _clear_alerts_of_voided(self):
        """Remove the “deadline missed” activities of the incidents whose
        recorded misses are all voided now: nothing is overdue there."""
        incidents = self.filtered("voided").incident_id
        if not incidents:
            return
        standing = self.search([("incident_id", "in", incidents.ids), ("voided", "=", False)])
        cleared = incidents - standing.incident_id
        if cleared:
            self.env["mail.activity"].sudo().search(
                [
                    ("res_model", "=", "social.incident"),
                    ("res_id", "in", cleared.ids),
                    (
                        "activity_type_id",
                        "in",
                        [
                            self.env.ref("social_incidents.mail_act_social_overdue").id,
                            self.env.ref("social_incidents.mail_act_social_escalation").id,
                        ],
                    ),
                ]
            ).unlink()

    def _void(self, reason, deadline):
        """The step is no longer missed under the recomputed deadline."""
        self.ensure_one()
        self = in_company_lang(self)  # noqa: PLW0642 - a job has no user's language
        if isinstance(reason, LazyGettext):
            reason = self.env._(reason)
        now = clock.now()
        self.write({"voided": True, "void_reason": reason, "voided_at": now})
        row = self.deadline_id
        when = row._format_when(deadline) if deadline else self.env._("no deadline")
        self._post_note(
            self.env._(
                "Voided: %(reason)s; the new deadline (%(deadline)s) is not missed.",
                reason=reason,
                deadline=when,
            )
        )

    def _reinstate(self, deadline, done_at, delay):
        """A voided violation whose step is missed again: the same record counts again."""
        self.ensure_one()
        self = in_company_lang(self)  # noqa: PLW0642 - a job has no user's language
        self.write(
            {
                "voided": False,
                "void_reason": False,
                "voided_at": False,
                "deadline": deadline,
                "done_at": done_at or False,
                "delay_minutes": delay,
            }
        )
        self._post_note(
            self.env._(
                "Missed again under the recomputed deadline %s: counted again.",
                self.deadline_id._format_when(deadline),
            )
        )

    def _post_note(self, text):
        self.sudo().message_post(
            body=Markup("<p>%s</p>") % text,
            author_id=self.env.ref("base.partner_root").id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    @api.model
    def _delays(self, pairs):
        """{row id: minutes late} for (deadline row, moment) pairs, in each
        step's kind of time."""
        worktimes = {}
        return {
            row.id: max(int(row._elapsed_seconds(row.deadline, moment, worktimes) // 60), 0)
            for row, moment in pairs
        }

    @system_method
    def _set_done(self, when):
        """The step of these violations finished at ``when``: its delay is final."""
        violations = self.sudo()
        delays = self._delays([(violation.deadline_id, when) for violation in violations])
        for violation in violations:
            violation.write({"done_at": when, "delay_minutes": delays[violation.deadline_id.id]})

    @api.model
    @system_method
    def _refresh_open_delays(self):
        """Bring the delay of the steps still unfinished up to now."""
        open_violations = self.sudo().search([("done_at", "=", False), ("voided", "=", False)])
        if not open_violations:
            return
        now = clock.now()
        delays = self._delays([(v.deadline_id, now) for v in open_violations])
        execute_values(
            self.env.cr._obj,
            """
            UPDATE social_sla_violation s SET delay_minutes = v.delay
              FROM (VALUES %s) AS v(id, delay) WHERE s.id = v.id AND s.delay_minutes <> v.delay
            """,
            [(v.id, delays[v.deadline_id.id]) for v in open_violations],
            page_size=1000,
        )
        open_violations.invalidate_recordset(["delay_minutes"])

    def _notify(self, tell=True):
        """Tell the responsible people, the curator and the heads: one note per
        incident in its chatter (logged in one batch), an activity for each of
        them, not twice, and, unless ``tell`` is False, their messages
        (``_notify_missed``)."""
        overdue_type = self.env.ref("social_incidents.mail_act_social_overdue")
        escalation_type = self.env.ref("social_incidents.mail_act_social_escalation")
        by_incident = defaultdict(lambda: self.browse())
        for violation in self:
            by_incident[violation.incident_id] |= violation
        incidents = self.incident_id
        existing = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "social.incident"),
                    ("res_id", "in", incidents.ids),
                    ("activity_type_id", "in", [overdue_type.id, escalation_type.id]),
                ]
            )
        )
        have = {(a.res_id, a.activity_type_id.id, a.user_id.id) for a in existing}
        model_id = self.env["ir.model"]._get_id("social.incident")
        activities = []
        bodies = {}
        today = clock.now().date()
        for incident, violations in by_incident.items():
            # jobs carry no user language: the note in the company's, each
            # activity in its recipient's
            lang = in_company_lang(incident).env.lang
            curators = incident._get_curators()
            responsible = violations.user_id
            heads = violations.executor_id.head_user_id - responsible
            if incident.importance == "high":
                heads |= incident.company_id._get_social_heads()
            heads = heads.filtered("active")
            violations.escalated_user_ids = [(6, 0, heads.ids)]
            texts = {lang: violations._texts(lang)}
            env, lines, _summary = texts[lang]
            body = Markup("<p>%s</p><ul>%s</ul>") % (env._("Deadline missed:"), lines)
            body += Markup("<p>%s %s</p>") % (
                env._("Told:"),
                ", ".join((responsible | curators).mapped("name")),
            )
            if heads:
                body += Markup("<p>%s %s</p>") % (
                    env._("Escalated to:"),
                    ", ".join(heads.mapped("name")),
                )
            bodies[incident.id] = body
            for user, activity_type in [(u, overdue_type) for u in (responsible | curators)] + [
                (u, escalation_type) for u in heads
            ]:
                key = (incident.id, activity_type.id, user.id)
                if key in have or not user.active:
                    continue
                have.add(key)
                user_lang = user.lang or lang
                if user_lang not in texts:
                    texts[user_lang] = violations._texts(user_lang)
                _env, user_lines, summary = texts[user_lang]
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": incident.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "summary": summary,
                        "note": Markup("<ul>%s</ul>") % user_lines,
                        "date_deadline": today,
                    }
                )
        incidents.sudo()._message_log_batch(
            bodies, author_id=self.env.ref("base.partner_root").id, message_type="comment"
        )
        if tell:
            incidents._notify_missed(by_incident)
        if activities:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                activities
            )

    def _texts(self, lang):
        """(environment, list items, activity summary) telling of these
        violations in ``lang``."""
        localized = self.with_context(lang=lang)
        lines = Markup("").join(
            Markup("<li>%s</li>") % violation._describe() for violation in localized
        )
        return localized.env, lines, localized.sorted("deadline")[:1]._describe_short()

    def _describe(self):
        self.ensure_one()
        row = self.deadline_id
        text = self.env._(
            "%(step)s: due %(deadline)s, responsible %(user)s",
            step=row._step_label(),
            deadline=row._format_when(self.deadline),
            user=self.user_id.name or "—",
        )
        if self.executor_id:
            text += f" ({self.executor_id.name})"
        return text

    def _describe_short(self):
        self.ensure_one()
        return self.env._(
            "Missed: %(step)s (due %(deadline)s)",
            step=self.deadline_id._step_label(),
            deadline=self.deadline_id._format_when(self.deadline),
        )

    # ------------------------------------------------------------------
    # Excusing
    # ------------------------------------------------------------------
    def _check_excuse(self):
        """The head excuses a missed deadline, or a curator where the company
        allows it; never one's own: not the responsible person, nor a member,
        the head or a substitute of the executor at fault."""
        user = self.env.user
        is_head = user.has_group(HEAD_GROUP)
        for violation in self:
            company = violation.sudo().company_id
            curator_may = user.has_group(CURATOR_GROUP) and company.social_curators_may_excuse
            if not (is_head or curator_may):
                raise UserError(
                    self.env._(
                        "Only the head excuses a missed deadline (or a curator, where the settings "
                        "allow it)."
                    )
                )
            if violation.excused:
                raise UserError(self.env._("This missed deadline is already excused."))
            if violation.voided:
                raise UserError(
                    self.env._("This missed deadline is voided: there is nothing to excuse.")
                )
            executor = violation.sudo().executor_id
            if violation.sudo().user_id == user or (executor and executor._user_acts_for(user)):
                raise UserError(
                    self.env._(
                        "You cannot excuse a missed deadline you are answerable for: "
                        "it is yours or your unit's."
                    )
                )

    @workflow_action
    def action_excuse(self, comment):
        """The head (or a curator, where allowed) accepts the reason of the delay."""
        self._check_excuse()
        if not isinstance(comment, str) or not comment.strip():
            raise UserError(self.env._("Say why the delay is excused."))
        user = self.env.user
        self._write_system(
            {
                "excused": True,
                "excuse_comment": comment,
                "excused_by_id": user.id,
                "excused_at": clock.now(),
            }
        )
        for violation in self:
            violation.sudo().message_post(
                body=Markup("<p>%s</p><p>%s</p>")
                % (self.env._("Excused by %s.", user.name), comment),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            violation.incident_id._post(
                self.env._("Missed deadline excused: %s.") + "<br/>%s",
                violation.deadline_id._step_label(),
                comment,
            )
        return True

    def action_open_excuse_wizard(self):
        self._check_excuse()
        return {
            "type": "ir.actions.act_window",
            "res_model": "social.sla.violation.excuse.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_violation_ids": [(6, 0, self.ids)]},
            "name": self.env._("Excuse the Delay"),
        }

    def action_open_incident(self):
        self.ensure_one()
        return self.incident_id._action_open_form()
