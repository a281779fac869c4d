from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import clock
from ..tools.guard import workflow_action
from .helpers import check_own_new_attachments

ACTIVE_STATES = ("sent", "accepted", "info_given")


class SocialIncidentAssignment(models.Model):
    """An incident routed to one executor: one line per executor, so that a
    consolidated reply gathers the information of several (KOR 19, AKH 3.2)."""

    _name = "social.incident.assignment"
    _inherit = ["social.sla.mixin", "social.protected.mixin"]
    # A routing line is history: every field is written by the workflow only.
    _protected_fields = "__all__"
    _description = "Incident Routing"
    _order = "incident_id, is_lead desc, id"
    _rec_name = "executor_id"
    _check_company_auto = True

    incident_id = fields.Many2one("social.incident", required=True, ondelete="cascade", index=True)
    executor_id = fields.Many2one(
        "social.executor", required=True, index=True, ondelete="restrict", check_company=True
    )
    company_id = fields.Many2one(related="incident_id.company_id", store=True, index=True)
    state = fields.Selection(
        [
            ("sent", "Sent"),
            ("accepted", "Accepted"),
            ("declined", "Declined"),
            ("info_given", "Information Given"),
            ("done", "Done"),
            ("cancelled", "Withdrawn"),
        ],
        default="sent",
        required=True,
        readonly=True,
        index=True,
    )
    is_lead = fields.Boolean(string="Lead", readonly=True, help="Writes the consolidated reply.")
    note = fields.Text(string="Curator's Note", readonly=True)
    date_sent = fields.Datetime(string="Sent", default=lambda self: clock.now(), readonly=True)
    date_accepted = fields.Datetime(string="Accepted", readonly=True)
    accepted_by_id = fields.Many2one("res.users", readonly=True)
    deadline_ids = fields.One2many("social.incident.deadline", "assignment_id", string="Deadlines")
    date_done = fields.Datetime(string="Done", readonly=True)
    decline_reason = fields.Text(readonly=True)
    date_declined = fields.Datetime(string="Declined", readonly=True)
    declined_by_id = fields.Many2one("res.users", readonly=True)
    info_text = fields.Text(string="Information", readonly=True)
    info_attachment_ids = fields.Many2many(
        "ir.attachment", string="Information Attachments", readonly=True
    )
    info_given_at = fields.Datetime(readonly=True)
    info_given_by_id = fields.Many2one("res.users", readonly=True)
    # The line's buttons, from the checks their methods run.
    user_can_act = fields.Boolean(compute="_compute_user_can_act")
    can_accept = fields.Boolean(compute="_compute_user_can_act")
    can_give_info = fields.Boolean(compute="_compute_user_can_act")
    can_set_lead = fields.Boolean(compute="_compute_user_can_act")
    can_cancel = fields.Boolean(compute="_compute_user_can_act")

    _sql_constraints = [
        (
            "incident_executor_active_uniq",
            "EXCLUDE (incident_id WITH =, executor_id WITH =) "
            "WHERE (state IN ('sent', 'accepted', 'info_given'))",
            "The incident is already routed to this executor.",
        )
    ]

    def _is_active(self):
        self.ensure_one()
        return self.state in ACTIVE_STATES

    @api.depends_context("uid")
    def _compute_user_can_act(self):
        for assignment in self:
            assignment.user_can_act = assignment._allowed("_check_decline")
            assignment.can_accept = assignment._allowed("_check_accept")
            assignment.can_give_info = assignment._allowed("_check_give_info")
            assignment.can_set_lead = assignment._allowed("_check_set_lead")
            assignment.can_cancel = assignment._allowed("_check_cancel")

    def _check_user_acts(self):
        for assignment in self.sudo():
            if not assignment.executor_id._user_acts_for(self.env.user):
                raise UserError(
                    self.env._(
                        "Only the members of %(executor)s or their substitutes can do this.",
                        executor=assignment.executor_id.name,
                    )
                )

    def _check_assignment_state(self, states, message):
        for assignment in self:
            if assignment.state not in states:
                raise UserError(message)

    def _cancel_replies(self, states):
        """Cancel this executor's replies of the incident that are in ``states``."""
        self.ensure_one()
        self.incident_id.reply_ids.filtered(
            lambda r: r.executor_id == self.executor_id and r.state in states
        )._write_system({"state": "cancelled"})

    def _set_lead(self, lead_executor):
        for assignment in self:
            is_lead = assignment.executor_id == lead_executor
            if assignment.is_lead != is_lead:
                assignment._write_system({"is_lead": is_lead})

    def _check_accept(self):
        self._check_user_acts()
        self._check_assignment_state(
            ("sent",), self.env._("The incident has already been taken into work.")
        )

    def _check_decline(self):
        self._check_user_acts()
        self._check_assignment_state(
            ("sent", "accepted"), self.env._("This routing can no longer be declined.")
        )

    def _check_give_info(self):
        self._check_user_acts()
        self._check_assignment_state(
            ("sent", "accepted"),
            self.env._("The information has already been given or the routing is closed."),
        )
        for assignment in self:
            if assignment.executor_id == assignment.incident_id.lead_executor_id:
                raise UserError(
                    self.env._("The lead executor writes the consolidated reply itself.")
                )

    def _check_set_lead(self):
        self.incident_id._check_curator()
        for assignment in self:
            if not assignment._is_active():
                raise UserError(self.env._("Only an active routing can lead."))
            if assignment.is_lead:
                raise UserError(self.env._("This executor already leads."))
            if not assignment.incident_id.is_consolidated:
                raise UserError(
                    self.env._("Only a consolidated reply has a lead executor to change.")
                )
            if assignment.incident_id.reply_ids.filtered(
                lambda r: r.state in ("submitted", "approved")
            ):
                raise UserError(self.env._("A draft is being approved; change the lead after it."))

    def _check_cancel(self):
        self.incident_id._check_curator()
        self._check_assignment_state(ACTIVE_STATES, self.env._("This routing is already closed."))

    @workflow_action
    def action_accept(self):
        """The executor takes the incident into work."""
        self._check_accept()
        self._write_system(
            {"state": "accepted", "date_accepted": clock.now(), "accepted_by_id": self.env.uid}
        )
        for assignment in self:
            incident = assignment.incident_id
            if incident.state == "assigned":
                incident._set_state("in_progress")
            incident._post(
                self.env._("%s took the incident into work."), assignment.executor_id.name
            )
        self.incident_id._update_activities_and_deadlines()
        return True

    @workflow_action
    def action_decline(self, reason):
        """Not in our competence (KOR 11): back to the curator with a reason."""
        self._check_decline()
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(self.env._("Say why the incident is not in your competence."))
        open_replies = self.incident_id.reply_ids.filtered(
            lambda r: r.executor_id in self.executor_id and r.state in ("submitted", "approved")
        )
        if open_replies:
            raise UserError(
                self.env._("Your draft is with the curator; it cannot be declined now.")
            )
        self._write_system(
            {
                "state": "declined",
                "decline_reason": reason,
                "date_declined": clock.now(),
                "declined_by_id": self.env.uid,
                "is_lead": False,
            }
        )
        for assignment in self:
            incident = assignment.incident_id
            assignment._cancel_replies(("draft", "returned"))
            if not incident.assignment_ids.filtered(lambda a: a._is_active()):
                incident._set_state("new")
            incident._post(
                self.env._("%s declined: not in its competence.") + "<br/>%s",
                assignment.executor_id.name,
                reason,
            )
        self.incident_id._update_activities_and_deadlines()
        for assignment in self:
            assignment.incident_id._notify_declined(assignment)
        return True

    @api.private
    @workflow_action
    def action_give_info(self, text, attachments=None):
        """Information for the consolidated reply (KOR 19, AKH 3.2.1). Called
        by the “Give Information” dialog; ``attachments`` must be the caller's
        own new files."""
        self._check_give_info()
        if attachments:
            check_own_new_attachments(self.env, attachments)
        if not isinstance(text, str) or not text.strip():
            raise UserError(self.env._("Write the information for the consolidated reply."))
        now = clock.now()
        vals = {
            "state": "info_given",
            "info_text": text,
            "info_given_at": now,
            "info_given_by_id": self.env.uid,
        }
        if attachments:
            vals["info_attachment_ids"] = [(6, 0, attachments.ids)]
        for assignment in self:
            assignment._write_system(dict(vals, date_accepted=assignment.date_accepted or now))
            incident = assignment.incident_id
            if attachments:
                # sudo: check_own_new_attachments() above accepted only the caller's own new files.
                attachments.sudo().write({"res_model": incident._name, "res_id": incident.id})
            if incident.state == "assigned":
                incident._set_state("in_progress")
            incident._post(
                self.env._("%s gave information for the consolidated reply:") + "<br/>%s",
                assignment.executor_id.name,
                text,
            )
        self.incident_id._update_activities_and_deadlines()
        return True

    @workflow_action
    def action_set_lead(self):
        """The curator names who writes the consolidated reply (KOR 19)."""
        self.ensure_one()
        self._check_set_lead()
        self.incident_id.assignment_ids.filtered(lambda a: a._is_active())._set_lead(
            self.executor_id
        )
        if self.state == "info_given":
            self._write_system({"state": "accepted"})
        self.incident_id._post(
            self.env._("%s writes the consolidated reply."), self.executor_id.name
        )
        self.incident_id._update_activities_and_deadlines()
        return True

    @workflow_action
    def action_cancel(self):
        """The curator withdraws the routing."""
        self._check_cancel()
        self._write_system({"state": "cancelled", "is_lead": False})
        for assignment in self:
            incident = assignment.incident_id
            assignment._cancel_replies(("draft", "returned", "submitted"))
            if not incident.assignment_ids.filtered(
                lambda a: a._is_active()
            ) and incident.state in (
                "assigned",
                "in_progress",
                "review",
            ):
                incident._set_state("new")
            incident._post(self.env._("Routing to %s withdrawn."), assignment.executor_id.name)
        self.incident_id._update_activities_and_deadlines()
        return True

    def action_open_decline_wizard(self):
        self.ensure_one()
        self._check_decline()
        return self.incident_id._open_wizard("decline", assignment_id=self.id)

    def action_open_info_wizard(self):
        self.ensure_one()
        self._check_give_info()
        return self.incident_id._open_wizard("info", assignment_id=self.id)
