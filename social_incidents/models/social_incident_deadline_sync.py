from collections import defaultdict

from odoo import api, models

from ..tools import clock, deadline_placement
from ..tools.guard import system_method
from ..tools.worktime import CalendarMissing, to_ts
from .constants import OPEN_STATES, WORK_STATES


class SocialIncidentDeadline(models.Model):
    """Keeping the step rows in step with the incidents' workflow: which
    steps are open, and how a step that is no longer needed is closed. Only
    the workflow closes a step; a change of the rules re-places deadlines."""

    _inherit = "social.incident.deadline"

    # ------------------------------------------------------------------
    # Which steps an incident has open now
    # ------------------------------------------------------------------
    @api.model
    def _required_for(self, incident, open_keys=()):  # noqa: C901 - one table: state -> open steps
        """{(step, assignment id, reply id): (start, optional)} of the steps
        the incident's workflow is in now, whatever the rules: a step whose
        rule is removed stays open without a deadline, it is not finished.
        ``open_keys``: the keys of the incident's open rows."""
        required = {}

        def need(step, start, assignment=None, reply=None, optional=False):
            if start:
                key = (step, assignment.id if assignment else 0, reply.id if reply else 0)
                required[key] = (start, optional)

        state = incident.state
        if state not in OPEN_STATES:
            if incident.on_control and not incident.control_report:
                need("control", incident.control_set_at)
            return required
        published = incident.reply_ids.filtered(
            lambda r: r.state == "published" and r.kind in ("final", "intermediate")
        )
        if state == "new":
            declined = incident.assignment_ids.filtered(lambda a: a.state == "declined")
            if declined:
                need("reroute", max(declined.mapped("date_declined")))
            else:
                need("route", incident.detected_at)
        if state == "intermediate":
            last = published.filtered(lambda r: r.kind == "intermediate").sorted("published_at")[
                -1:
            ]
            need("final", last.published_at)
        elif not published:
            need("total", incident.detected_at)
        reply = incident.current_reply_id
        if state in WORK_STATES:
            lead = incident.lead_executor_id
            for assignment in incident.assignment_ids.filtered(lambda a: a._is_active()):
                # declining and asking for clarification have a deadline until
                # the executor accepts the incident: then they no longer apply
                if assignment.state == "sent":
                    need("decline", assignment.date_sent, assignment, optional=True)
                if assignment.executor_id == lead:
                    if state != "intermediate" and (not reply or reply.state == "draft"):
                        start = max(
                            assignment.date_sent,
                            incident.clarification_answered_at or assignment.date_sent,
                        )
                        need("draft", start, assignment)
                        if not incident.clarification_answered_at and (
                            assignment.state == "sent"
                            or self._clarification_in_progress(incident, assignment, open_keys)
                        ):
                            need("clarification", assignment.date_sent, assignment, optional=True)
                elif assignment.state in ("sent", "accepted") and incident.is_consolidated:
                    need("info", assignment.date_sent, assignment)
        if reply.state == "submitted":
            need("review", reply.submitted_at, reply=reply)
        elif reply.state == "returned":
            need("rework", reply.reviewed_at, reply=reply)
        elif reply.state in ("approved", "publish_failed"):
            need("publish", reply.reviewed_at, reply=reply)
        if incident.on_control and not incident.control_report:
            need("control", incident.control_set_at)
        return required

    @api.model
    def _clarification_in_progress(self, incident, assignment, open_keys):
        """The executor's clarification request is being prepared while its
        window is open (drafting it accepted the incident)."""
        if ("clarification", assignment.id, 0) not in open_keys:
            return False
        return bool(
            incident.reply_ids.filtered(
                lambda r: r.kind == "clarification"
                and r.executor_id == assignment.executor_id
                and r.state != "cancelled"
            )
        )

    def _closing_outcome(self):
        """('done', when) | ('cancelled', when) | ('not_needed', None) for an
        open row its incident's workflow no longer needs. The rows follow the
        workflow only: a change of the rules never closes a step."""
        self.ensure_one()
        now = clock.now()
        incident = self.incident_id
        if self.optional:
            if self.step == "decline" and self.assignment_id.state == "declined":
                return "done", self.assignment_id.date_declined or now
            if self.step == "clarification":
                asked = incident.reply_ids.filtered(
                    lambda r: r.kind == "clarification"
                    and r.executor_id == self.assignment_id.executor_id
                    and r.submitted_at
                    and r.submitted_at >= self.started_at
                )
                if asked:
                    return "done", min(asked.mapped("submitted_at"))
            # not taken, and no longer possible in its window: nothing was late
            return "not_needed", None
        if (
            incident.state in ("no_reply", "merged")
            or self.assignment_id.state in ("cancelled", "declined")
            or self.reply_id.state == "cancelled"
            or (
                self.step == "draft" and self.assignment_id.executor_id != incident.lead_executor_id
            )
            or (self.step == "control" and not incident.control_report)
            or (self.step in ("route", "reroute") and incident.state == "new")
        ):
            return "cancelled", now
        return "done", now

    # ------------------------------------------------------------------
    # Keeping the rows in step with the incidents
    # ------------------------------------------------------------------
    @api.model
    @system_method
    def _sync(self, incidents, force=False, reason=None):
        """Open the steps the incidents need now, close the others, and place
        the deadlines of what is new or changed (all of them with ``force``:
        the rules changed). A step whose rule is gone stays open without a
        deadline; only the workflow finishes a step."""
        self = self.sudo()  # noqa: PLW0642 - the rows follow the incidents, whoever acts
        incidents = incidents.sudo().exists()
        if not incidents:
            return self.browse()
        now = clock.now()
        Policy = self.env["social.sla.policy"]
        policies = Policy._get_policies(incidents.company_id)
        # the rows with the fields the loop reads, in one query
        existing = self.search_fetch(
            [("incident_id", "in", incidents.ids), ("state", "=", "open")],
            [
                "incident_id",
                "step",
                "assignment_id",
                "reply_id",
                "started_at",
                "line_id",
                "paused_since",
                "paused_seconds",
                "missing_year",
                "deadline",
                "optional",
                "state",
                "violation_id",
            ],
        )
        by_incident = defaultdict(lambda: self.browse())
        for row in existing:
            by_incident[row.incident_id.id] |= row
        to_create, to_place, closing = [], self.browse(), []
        for incident in incidents:
            policy = policies.get((incident.company_id.id, incident.importance))
            lines = {line.step: line for line in policy.line_ids} if policy else {}
            required = self._required_for(
                incident,
                {
                    (row.step, row.assignment_id.id, row.reply_id.id)
                    for row in by_incident[incident.id]
                },
            )
            paused = bool(
                policy and policy.pause_on_clarification and incident.state == "clarification"
            )
            for row in by_incident[incident.id]:
                key = (row.step, row.assignment_id.id, row.reply_id.id)
                if key not in required:
                    closing.append((row, row._closing_outcome()))
                    continue
                start, _optional = required.pop(key)
                line = lines.get(row.step) or self.env["social.sla.policy.line"]
                changes = {}
                if row.started_at != start:
                    changes["started_at"] = start
                if row.line_id != line:
                    changes.update(line_id=line.id, policy_id=policy.id if policy else False)
                if row.step == "total" and line:
                    if paused and not row.paused_since:
                        changes["paused_since"] = now
                    elif not paused and row.paused_since:
                        worktime = Policy._get_worktime(policy.calendar_id)
                        try:
                            elapsed = worktime.elapsed_ts(
                                to_ts(row.paused_since), to_ts(now), line.unit
                            )
                        except CalendarMissing:
                            elapsed = (now - row.paused_since).total_seconds()
                        changes.update(
                            paused_since=False, paused_seconds=row.paused_seconds + max(elapsed, 0)
                        )
                if changes:
                    row.write(changes)
                if changes or force or row.missing_year or (line and not row.deadline):
                    to_place |= row
            for (step, assignment_id, reply_id), (start, optional) in required.items():
                if step not in lines:
                    continue  # no rule, no deadline to watch
                to_create.append(
                    {
                        "incident_id": incident.id,
                        "step": step,
                        "assignment_id": assignment_id or False,
                        "reply_id": reply_id or False,
                        "started_at": start,
                        "optional": optional,
                        "policy_id": policy.id,
                        "line_id": lines[step].id,
                        "paused_since": now if step == "total" and paused else False,
                    }
                )
        self._close_rows(closing)
        created = self.sudo().create(to_create) if to_create else self.browse()
        (created | to_place)._recompute(reason=reason if force else None)
        return created

    def _close_rows(self, closing):
        """Close rows: done (a late one is recorded as a violation), cancelled,
        or not needed (an optional step never taken: no completion time, never
        late). Rows closed alike are written together."""
        groups = defaultdict(lambda: self.browse())
        for row, (outcome, when) in closing:
            groups[(outcome, when)] |= row
        late = self.browse()
        finished = defaultdict(lambda: self.env["social.sla.violation"])
        Violation = self.env["social.sla.violation"]
        for (outcome, when), rows in groups.items():
            rows.write(
                {
                    "state": outcome,
                    "done_at": when or False,
                    "watch_at": False,
                    "paused_since": False,
                }
            )
            if outcome == "not_needed":
                continue
            overdue = rows.filtered(
                lambda r, w=when: deadline_placement.is_missed(r.deadline, w, w)
            )
            if outcome == "done":
                late |= overdue
            # a step recorded as missed, now finished (or withdrawn): its delay is final
            finished[when] |= (rows - late).violation_id.filtered(
                lambda v: not v.done_at and not v.voided
            )
            finished[when] |= (late & rows).violation_id
        for when, violations in finished.items():
            violations._set_done(when)
        if late:
            Violation._record(late.filtered(lambda r: not r.violation_id or r.violation_id.voided))
        self.flush_model()
