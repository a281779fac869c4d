from odoo import api, fields, models

from ..tools import clock
from .social_incident_assignment import ACTIVE_STATES
from .social_sla_mixin import SLA_STATUS, deadline_status
from .social_sla_policy_line import SLA_STEPS

# Steps of an executor's own routing line or draft: what its members do next.
EXECUTOR_STEPS = ("draft", "info", "rework")

_EMPTY = {"my_deadline": False, "my_sla_status": False, "my_remaining": False, "my_step": False}


class SocialIncident(models.Model):
    """«My Incidents»: the deadline of the current user's own step (their
    executor's routing line, draft, rework, publication, final reply, control
    report), not
    the incident's nearest one, which may be another department's."""

    _inherit = "social.incident"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    my_deadline = fields.Datetime(
        compute="_compute_my_deadline",
        help="The deadline of the step your executor acts on; the incident's nearest "
        "deadline when you are not one of its executors.",
    )
    my_sla_status = fields.Selection(
        SLA_STATUS, string="My Deadline Status", compute="_compute_my_deadline"
    )
    my_remaining = fields.Char(string="My Time Left", compute="_compute_my_deadline")
    my_step = fields.Selection(SLA_STEPS, compute="_compute_my_deadline")

    @api.depends_context("uid")
    @api.depends("sla_deadline", "assignment_ids.state")
    def _compute_my_deadline(self):
        """Three searches for the whole batch: the executors the user acts for
        today, their active routing lines on these incidents, and those
        incidents' open steps; each incident then takes its nearest step of
        the user's executors."""
        incidents = self.filtered("id")
        for incident in self - incidents:
            incident.update(_EMPTY)
        if not incidents:
            return
        # sudo: these incidents are already readable by the user (they are in
        # ``self``); only the lines and steps of the executors the user acts
        # for are kept, and nothing is written
        executors = (
            self.env["social.executor"]
            .sudo()
            .search([("responsible_user_ids", "in", [self.env.uid])])
        )
        assignments = (
            self.env["social.incident.assignment"]
            .sudo()
            .search(
                [
                    ("incident_id", "in", incidents.ids),
                    ("executor_id", "in", executors.ids),
                    ("state", "in", ACTIVE_STATES),
                ]
            )
            if executors
            else self.env["social.incident.assignment"]
        )
        routed = set(assignments.incident_id.ids)
        rows = (
            self.env["social.incident.deadline"]
            .sudo()
            .search(
                [
                    ("incident_id", "in", list(routed)),
                    ("state", "=", "open"),
                    ("optional", "=", False),
                ],
                order="deadline, id",
            )
            if routed
            else self.env["social.incident.deadline"]
        )
        by_incident = {}
        for row in rows:
            if self._is_my_step(row, assignments, executors):
                by_incident.setdefault(row.incident_id.id, []).append(row)
        now = clock.now()
        # the time left of every open step at once: one query, one engine per calendar
        texts = rows._remaining_texts(now)
        for incident in incidents:
            if incident.id not in routed:
                # not one of its executors (a curator, the head): the incident's own deadline
                incident.update(
                    {
                        "my_deadline": incident.sla_deadline,
                        "my_sla_status": incident.sla_status,
                        "my_remaining": incident.sla_remaining,
                        "my_step": incident.sla_step,
                    }
                )
                continue
            mine = by_incident.get(incident.id, [])
            running = [row for row in mine if row.deadline and not row.paused_since]
            if running:
                row = running[0]
                incident.update(
                    {
                        "my_deadline": row.deadline,
                        "my_sla_status": deadline_status(now, row.deadline, row.risk_at),
                        "my_remaining": texts.get(row.id, False),
                        "my_step": row.step,
                    }
                )
            elif any(row.paused_since for row in mine):
                incident.update(
                    dict(
                        _EMPTY,
                        my_sla_status="paused",
                        my_remaining=self.env._("stopped: waiting for the author"),
                    )
                )
            elif any(row.missing_year for row in mine):
                year = max(row.missing_year for row in mine)
                incident.update(
                    dict(
                        _EMPTY,
                        my_sla_status="missing",
                        my_remaining=self.env._("Production calendar of %s not loaded", year),
                    )
                )
            else:
                # nothing of the user's is due now (the draft is on review, say)
                incident.update(_EMPTY)

    @api.model
    def _is_my_step(self, row, assignments, executors):
        """Whether the open step ``row`` is acted on by the user's executors:
        their routing line (draft, information), their returned draft, their
        approved one when executors publish, the lead's final reply after an
        intermediate one and control report."""
        if row.assignment_id:
            return row.assignment_id in assignments and row.step in EXECUTOR_STEPS
        incident = row.incident_id
        if row.step == "rework":
            return row.reply_id.executor_id in executors
        if row.step == "publish":
            return (
                incident.company_id.social_reply_publisher == "executor"
                and row.reply_id.executor_id in executors
            )
        if row.step in ("final", "control"):
            # the final reply after an intermediate one, the control report: the lead's
            return incident.lead_executor_id in executors
        return False
