import contextvars
import threading
from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.worktime import WorkTime
from .constants import ADMIN_GROUP, OPEN_STATES

# Working-time tables are built once per calendar and kept until the calendar,
# its time off or the production calendar changes (see _get_worktime).
_WORKTIME_CACHE = {}
_WORKTIME_LOCK = threading.Lock()

IMPORTANCE = [("normal", "Normal"), ("high", "High")]

# Set while server code rewrites several policies at once (a regulation applied
# from the settings): the open deadlines are recomputed once, at the end. An
# in-process flag, not a context key: a client can send any context.
_RECOMPUTE_DEFERRED = contextvars.ContextVar("social_sla_recompute_deferred", default=False)


def recompute_is_deferred():
    return _RECOMPUTE_DEFERRED.get()


@contextmanager
def recompute_deferred():
    """Within this block, editing policies and their lines recomputes nothing;
    the caller recomputes once afterwards."""
    token = _RECOMPUTE_DEFERRED.set(True)
    try:
        yield
    finally:
        _RECOMPUTE_DEFERRED.reset(token)


class SocialSlaPolicy(models.Model):
    """The deadlines of one company for incidents of one importance."""

    _name = "social.sla.policy"
    _description = "Deadline Policy"
    _order = "company_id, importance"

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    importance = fields.Selection(IMPORTANCE, required=True, default="normal")
    active = fields.Boolean(default=True)
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="Working hours of the administration; the Russian production calendar "
        "(holidays, moved days off, shortened days) is applied on top of them.",
    )
    pause_on_clarification = fields.Boolean(
        string="Clock Stops While Waiting for the Author",
        default=True,
        help="While a clarification request waits for the author's answer, the total "
        "deadline does not run (KOR 13, AKH 3.5).",
    )
    at_risk_percent = fields.Integer(
        string="At Risk When Left (%)",
        default=25,
        help="A step is shown at risk when less than this share of its time is left.",
    )
    line_ids = fields.One2many("social.sla.policy.line", "policy_id", string="Deadlines", copy=True)

    _sql_constraints = [
        (
            "at_risk_percent_range",
            "CHECK (at_risk_percent >= 0 AND at_risk_percent <= 100)",
            "The at-risk share is between 0 and 100 %.",
        ),
    ]

    @api.constrains("company_id", "importance", "active")
    def _check_unique_policy(self):
        for policy in self.filtered("active"):
            if self.search_count(
                [
                    ("company_id", "=", policy.company_id.id),
                    ("importance", "=", policy.importance),
                    ("id", "!=", policy.id),
                ]
            ):
                raise ValidationError(
                    self.env._(
                        "%(company)s already has a deadline policy for this importance.",
                        company=policy.company_id.name,
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        if {"calendar_id", "pause_on_clarification", "at_risk_percent", "active"} & set(vals):
            if "active" in vals:
                # a policy switched on or off changes which rules apply: re-sync
                self._check_recompute_access()
                self._recompute_after_lines_change()
            else:
                self.action_recompute_deadlines()
        return result

    @api.model
    def _get_policies(self, companies):
        """{(company id, importance): policy} of the given companies."""
        policies = (
            self.sudo().with_context(active_test=True).search([("company_id", "in", companies.ids)])
        )
        return {(p.company_id.id, p.importance): p for p in policies}

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """The deadlines of incidents were set by this policy: archive it instead."""
        # sudo: only counts the rows that name the policy, whoever deletes it (ACL: administrators)
        used = (
            self.env["social.incident.deadline"]
            .sudo()
            .search_count([("policy_id", "in", self.ids)], limit=1)
        )
        if used:
            raise UserError(
                self.env._(
                    "Incidents' deadlines were set by this policy: archive it instead of deleting "
                    "it."
                )
            )

    def _check_recompute_access(self):
        if not (self.env.su or self.env.user.has_group(ADMIN_GROUP)):
            raise AccessError(
                self.env._("Only an administrator of the incidents changes deadline policies.")
            )

    def action_recompute_deadlines(self):
        """Recompute the open deadlines that follow these policies."""
        self._check_recompute_access()
        if _RECOMPUTE_DEFERRED.get():
            return True
        rows = (
            self.env["social.incident.deadline"]
            .sudo()
            .search([("state", "=", "open"), ("policy_id", "in", self.ids)])
        )
        rows._recompute(reason=self.env._("the deadline policy changed"))
        return True

    # ------------------------------------------------------------------
    # Working time
    # ------------------------------------------------------------------
    @api.model
    def _get_worktime(self, calendar):
        """The WorkTime of ``calendar`` plus the loaded production calendar."""
        cr = self.env.cr
        cr.execute(
            """
            SELECT (SELECT ROW(max(write_date), count(*))::text
                      FROM resource_calendar_attendance WHERE calendar_id = %(cal)s),
                   (SELECT ROW(max(write_date), count(*))::text
                      FROM resource_calendar_leaves
                     WHERE resource_id IS NULL AND (calendar_id = %(cal)s OR calendar_id IS NULL)),
                   (SELECT ROW(max(write_date), count(*))::text FROM social_production_day),
                   (SELECT ROW(max(write_date), count(*))::text
                      FROM social_production_year WHERE state = 'loaded'),
                   (SELECT ROW(write_date, tz)::text FROM resource_calendar WHERE id = %(cal)s)
            """,
            {"cal": calendar.id},
        )
        signature = cr.fetchone()
        key = (cr.dbname, calendar.id)
        cached = _WORKTIME_CACHE.get(key)
        if cached and cached[0] == signature:
            return cached[1]
        worktime = self._build_worktime(calendar)
        with _WORKTIME_LOCK:
            _WORKTIME_CACHE[key] = (signature, worktime)
        return worktime

    @api.model
    def _build_worktime(self, calendar):
        calendar = calendar.sudo()
        attendance = {}
        for line in calendar.attendance_ids:
            if line.display_type or line.resource_id or line.day_period == "lunch":
                continue
            if calendar.two_weeks_calendar and line.week_type == "1":
                continue
            attendance.setdefault(int(line.dayofweek), []).append((line.hour_from, line.hour_to))
        years = self.env["social.production.year"].sudo().search([("state", "=", "loaded")])
        days = (
            self.env["social.production.day"]
            .sudo()
            .search_read(
                [("date", ">=", f"{min(years.mapped('year') or [1])}-01-01")], ["date", "day_type"]
            )
        )
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_read(
                [
                    ("resource_id", "=", False),
                    "|",
                    ("calendar_id", "=", calendar.id),
                    ("calendar_id", "=", False),
                ],
                ["date_from", "date_to"],
            )
        )
        return WorkTime.build(
            calendar.tz or "UTC",
            attendance,
            {day["date"]: day["day_type"] for day in days},
            years.mapped("year"),
            [(leave["date_from"], leave["date_to"]) for leave in leaves],
        )

    def _recompute_after_lines_change(self):
        """The rules of these policies changed: bring the open deadlines of
        their incidents in line (nothing is closed, see ``_sync``)."""
        if _RECOMPUTE_DEFERRED.get() or not self:
            return
        incidents = (
            self.env["social.incident"]
            .sudo()
            .search(
                [
                    ("company_id", "in", self.company_id.ids),
                    ("importance", "in", self.mapped("importance")),
                    "|",
                    ("state", "in", OPEN_STATES),
                    ("on_control", "=", True),
                ]
            )
        )
        self.env["social.incident.deadline"]._sync(
            incidents, force=True, reason=self.env._("the deadline policy changed")
        )
