from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import UserError

from ..tools import clock
from ..tools.guard import workflow_action
from .constants import (
    CURATOR_GROUP,
    OPEN_STATES,
    ROUTE_STATES,
)


class SocialIncident(models.Model):
    """The workflow of an incident: who may act, and every transition."""

    _inherit = "social.incident"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    # ------------------------------------------------------------------
    # Who may act
    # ------------------------------------------------------------------
    def _is_curator(self):
        return self.env.user.has_group(CURATOR_GROUP)

    def _check_curator(self):
        if not self._is_curator():
            raise UserError(self.env._("Only a curator can do this."))

    def _check_state(self, states, message):
        for incident in self:
            if incident.state not in states:
                raise UserError(
                    message
                    + "\n"
                    + self.env._(
                        "Incident %(number)s is “%(state)s”.",
                        number=incident.name,
                        state=dict(self._fields["state"]._description_selection(self.env))[
                            incident.state
                        ],
                    )
                )

    def _get_user_assignment(self, user=None):
        """The active assignment the user works on (as member, head or substitute)."""
        self.ensure_one()
        user = user or self.env.user
        active = self.sudo().assignment_ids.filtered(lambda a: a._is_active())
        mine = active.filtered(lambda a: a.executor_id._user_acts_for(user))
        lead = mine.filtered(lambda a: a.executor_id == self.lead_executor_id)
        return (lead or mine)[:1].with_env(self.env)

    def _get_curators(self):
        self.ensure_one()
        if self.curator_id.active:
            return self.curator_id
        if self.company_id.social_curator_id.active:
            return self.company_id.social_curator_id
        group = self.env.ref(CURATOR_GROUP)
        return group.sudo().users.filtered(
            lambda u: u.active and not u.share and self.company_id in u.company_ids
        )

    def _get_reviewers(self, reply):
        """Curators who may approve ``reply``: any but its writer."""
        self.ensure_one()
        reviewers = (self._get_curators() | self.company_id.social_curator_id) - reply.author_id
        if not reviewers:
            # sudo: reads the curators' group to name who reviews; called after the
            # submitting action's check, nothing is written here
            reviewers = (
                self.env.ref(CURATOR_GROUP)
                .sudo()
                .users.filtered(
                    lambda u: u.active
                    and not u.share
                    and u != reply.author_id
                    and self.company_id in u.company_ids
                )
            )
        return reviewers

    def _get_publishers(self, reply, absences=None):
        self.ensure_one()
        if self.company_id.social_reply_publisher == "executor" and reply.executor_id:
            return reply.executor_id._get_responsible_users(absences=absences)
        return self._get_curators()

    # ------------------------------------------------------------------
    # Checks: each transition's rule, run by the transition and by the
    # form's buttons (_compute_user_rights), so the two cannot drift apart
    # ------------------------------------------------------------------
    def _check_route(self):
        self._check_curator()
        self._check_state(ROUTE_STATES, self.env._("This incident cannot be routed now."))

    def _check_accept(self):
        for incident in self:
            if incident._get_user_assignment().state != "sent":
                raise UserError(self.env._("This incident is not routed to your executor."))

    def _check_decline(self):
        for incident in self:
            if incident._get_user_assignment().state not in ("sent", "accepted"):
                raise UserError(self.env._("This incident is not routed to your executor."))

    def _check_give_info(self):
        for incident in self:
            assignment = incident._get_user_assignment()
            if assignment.state not in ("sent", "accepted"):
                raise UserError(self.env._("This incident is not routed to your executor."))
            if not incident.is_consolidated or assignment.is_lead:
                raise UserError(
                    self.env._("Only a co-executor of a consolidated reply gives information.")
                )

    def _check_draft(self):
        for incident in self:
            self.env["social.incident.reply"]._check_can_draft(incident, "final")

    def _check_review(self):
        for incident in self:
            if not incident.current_reply_id:
                raise UserError(self.env._("There is no draft to approve."))
            incident.current_reply_id._check_reviewable()

    def _check_publish(self):
        for incident in self:
            if not incident.current_reply_id:
                raise UserError(self.env._("There is no approved reply to publish."))
            incident.current_reply_id._check_publishable()

    def _check_record_clarification(self):
        self._check_curator()
        self._check_state(
            ("clarification",), self.env._("The incident is not waiting for the author.")
        )
        unpublished = self.reply_ids.filtered(
            lambda r: r.kind == "clarification" and r.state in ("approved", "publish_failed")
        )
        if unpublished:
            raise UserError(
                self.env._("Publish the clarification request before recording the answer.")
            )
        if self.current_reply_id:
            raise UserError(self.env._("The incident has a draft in work."))

    def _check_close(self):
        self._check_curator()
        self._check_state(("answered",), self.env._("Only an answered incident can be closed."))
        if self.filtered("on_control"):
            raise UserError(
                self.env._("The incident is on additional control: lift the control first.")
            )

    def _check_set_control(self):
        self._check_curator()
        self._check_state(
            ("intermediate", "answered", "closed"),
            self.env._("Only an incident that has a published reply can be put on control."),
        )
        if self.filtered("on_control"):
            raise UserError(self.env._("The incident is already on additional control."))

    def _check_report_control(self):
        for incident in self:
            if not incident.on_control or incident.control_report:
                raise UserError(self.env._("The incident is not waiting for a report on control."))
            if not (self._is_curator() or incident.lead_executor_id.sudo()._user_acts_for()):
                raise UserError(
                    self.env._("Only the lead executor or a curator reports on additional control.")
                )

    def _check_lift_control(self):
        self._check_curator()
        if self.filtered(lambda i: not i.on_control):
            raise UserError(self.env._("The incident is not on additional control."))

    def _check_no_reply(self):
        self._check_curator()
        self._check_state(OPEN_STATES, self.env._("This incident is already finished."))

    def _check_merge(self):
        self._check_curator()
        self._check_state(OPEN_STATES, self.env._("Only an open incident can be merged."))

    # ------------------------------------------------------------------
    # Transitions: each checks, then writes with the workflow's permit
    # ------------------------------------------------------------------
    def _set_state(self, state, **extra):
        self._write_system(dict(extra, state=state))

    def _post(self, body, *args):
        """Post a note on the chatter; user text in ``args`` is escaped."""
        for incident in self:
            incident.sudo().message_post(
                body=Markup(body) % tuple(args) if args else Markup(body),
                author_id=self.env.user.partner_id.id,
                subtype_xmlid="mail.mt_note",
            )

    @api.private
    @workflow_action
    def action_route(self, executors, lead=None, note=None):
        """Route to one executor, or to several at once for a consolidated
        reply whose lead the curator names (KOR 10, 19). Called by the
        routing dialog (``social.incident.route.wizard``)."""
        self._check_route()
        if not executors:
            raise UserError(self.env._("Choose at least one executor."))
        if lead and lead not in executors:
            raise UserError(self.env._("The lead executor must be one of those chosen."))
        if (executors | (lead or executors.browse())).filtered(
            lambda e: e.company_id not in self.company_id
        ):
            raise UserError(
                self.env._("Route the incident to executors of its own administration.")
            )
        Assignment = self.env["social.incident.assignment"].sudo()
        routed = {}
        for incident in self:
            active = incident.assignment_ids.filtered(lambda a: a._is_active())
            new_executors = executors - active.executor_id
            if not new_executors:
                raise UserError(self.env._("The incident is already routed to these executors."))
            all_executors = active.executor_id | new_executors
            current_lead = lead or incident.lead_executor_id
            if len(all_executors) > 1 and not current_lead:
                raise UserError(
                    self.env._(
                        "Several executors: name the lead executor who writes the consolidated "
                        "reply."
                    )
                )
            routed[incident] = Assignment.create(
                [
                    {
                        "incident_id": incident.id,
                        "executor_id": executor.id,
                        "note": note,
                        "is_lead": executor == current_lead,
                    }
                    for executor in new_executors
                ]
            )
            if current_lead:
                incident.assignment_ids.filtered(lambda a: a._is_active())._set_lead(current_lead)
            partners = new_executors._get_responsible_users().partner_id
            incident.sudo().message_subscribe(partner_ids=partners.ids)
            if incident.state == "new":
                incident._set_state("assigned")
            incident._post(
                self.env._("Routed to %s.") + (Markup("<br/>%s") if note else ""),
                ", ".join(
                    ex.name
                    + (
                        self.env._(" (lead)")
                        if ex == current_lead and len(all_executors) > 1
                        else ""
                    )
                    for ex in all_executors
                ),
                *([note] if note else []),
            )
        self._update_activities_and_deadlines()
        for incident, assignments in routed.items():
            incident._notify_routed(assignments.with_env(self.env))
        return True

    @workflow_action
    def action_record_clarification(self, answer):
        """The author answered the clarification request: work resumes."""
        self._check_record_clarification()
        if not isinstance(answer, str) or not answer.strip():
            raise UserError(self.env._("Enter the author's answer."))
        for incident in self:
            incident._set_state(
                "in_progress",
                clarification_answer=answer,
                clarification_answered_at=clock.now(),
            )
            incident._post(self.env._("The author answered:") + "<br/>%s", answer)
        self._update_activities_and_deadlines()
        for incident in self:
            incident._notify_clarification_recorded(answer)
        return True

    @workflow_action
    def action_close(self):
        self._check_close()
        self._set_state("closed", closed_at=clock.now())
        self._update_activities_and_deadlines()
        return True

    @workflow_action
    def action_set_control(self, comment):
        """Additional control until the issue is actually solved (LYA 9)."""
        self._check_set_control()
        if not isinstance(comment, str) or not comment.strip():
            raise UserError(self.env._("Say why the incident goes on additional control."))
        now = clock.now()
        for incident in self:
            vals = {
                "on_control": True,
                "control_comment": comment,
                "control_set_at": now,
                "control_report": False,
                "control_report_at": False,
            }
            if incident.state == "closed":
                vals["closed_at"] = False
                incident._set_state("answered", **vals)
            else:
                incident._write_system(vals)
            incident._post(self.env._("Put on additional control:") + "<br/>%s", comment)
        self._update_activities_and_deadlines()
        return True

    @workflow_action
    def action_report_control(self, report):
        self._check_report_control()
        if not isinstance(report, str) or not report.strip():
            raise UserError(self.env._("Write the report."))
        for incident in self:
            incident._write_system({"control_report": report, "control_report_at": clock.now()})
            incident._post(self.env._("Report on additional control:") + "<br/>%s", report)
        self._update_activities_and_deadlines()
        return True

    @workflow_action
    def action_lift_control(self):
        self._check_lift_control()
        self._write_system({"on_control": False})
        self._post(self.env._("Additional control lifted: the issue is solved."))
        self._update_activities_and_deadlines()
        return True

    @api.private
    @workflow_action
    def action_no_reply(self, reason, comment=None):
        """No reply and no processing (AKH 3.7, KOR 21): the reason is recorded.
        Called by the “No Reply” dialog."""
        self._check_no_reply()
        if not reason:
            raise UserError(self.env._("Choose the reason for leaving the message unanswered."))
        for incident in self:
            incident._cancel_open_work()
            incident._set_state(
                "no_reply",
                no_reply_reason_id=reason.id,
                no_reply_comment=comment,
                closed_at=clock.now(),
            )
            body = self.env._("Closed without a reply: %s.")
            args = [reason.name]
            if reason.legal_basis:
                body += Markup(" (%s)")
                args.append(reason.legal_basis)
            if comment:
                body += Markup("<br/>%s")
                args.append(comment)
            incident._post(body, *args)
        self._update_activities_and_deadlines()
        return True

    @api.private
    @workflow_action
    def action_merge(self, target):
        """Merge a duplicate into another incident, which carries on the work.
        Called by the “Merge” dialog."""
        self._check_merge()
        if not target or target in self:
            raise UserError(self.env._("Choose another incident to merge into."))
        if target.company_id != self.company_id:
            raise UserError(self.env._("Merge into an incident of the same administration."))
        if target.state == "merged":
            raise UserError(
                self.env._(
                    "Incident %(number)s is itself merged; choose the one it was merged into.",
                    number=target.name,
                )
            )
        for incident in self:
            incident._cancel_open_work()
            incident._set_state("merged", merged_into_id=target.id, closed_at=clock.now())
            incident._post(self.env._("Merged into %s."), target.name)
            target._post(
                self.env._("Incident %s was merged into this one:") + "<br/>%s",
                incident.name,
                incident.text,
            )
        self._update_activities_and_deadlines()
        return True

    def _cancel_open_work(self):
        self.assignment_ids.filtered(lambda a: a._is_active())._write_system({"state": "cancelled"})
        self.reply_ids.filtered(
            lambda r: r.state in ("draft", "submitted", "returned", "approved", "publish_failed")
        )._write_system({"state": "cancelled"})

    # Called by the reply's transitions.
    def _on_reply_submitted(self):
        self._set_state("review")

    def _on_reply_returned(self):
        self._set_state("in_progress")

    def _on_reply_approved(self, reply):
        self._set_state("clarification" if reply.kind == "clarification" else "approved")

    def _on_reply_published(self, reply):
        now = clock.now()
        if reply.kind == "final":
            self.assignment_ids.filtered(lambda a: a._is_active())._write_system(
                {"state": "done", "date_done": now}
            )
            self._set_state("answered", answered_at=now)
        elif reply.kind == "intermediate":
            self._set_state("intermediate")
