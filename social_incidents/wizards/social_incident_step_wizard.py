from odoo import fields, models

from ..tools import clock

STEPS = [
    ("decline", "Not in Our Competence"),
    ("info", "Give Information"),
    ("return", "Return for Rework"),
    ("publish", "Mark as Published"),
    ("no_reply", "Close Without Reply"),
    ("merge", "Merge Into Another Incident"),
    ("clarification_answer", "Record the Author's Answer"),
    ("control_set", "Put on Additional Control"),
    ("control_report", "Report on Additional Control"),
    ("allow_restricted", "Allow the Restricted Mark"),
]


class SocialIncidentStepWizard(models.TransientModel):
    """The dialog behind every step that needs a reason, a text or a link;
    the step's rules live in the models' ``action_*`` methods it calls."""

    _name = "social.incident.step.wizard"
    _description = "Incident Step"

    step = fields.Selection(STEPS, required=True, readonly=True)
    incident_id = fields.Many2one("social.incident", required=True, readonly=True)
    assignment_id = fields.Many2one("social.incident.assignment", readonly=True)
    reply_id = fields.Many2one("social.incident.reply", readonly=True)
    reply_body = fields.Text(related="reply_id.body", string="Reply Text")
    text = fields.Text()
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments")
    return_reason_id = fields.Many2one("social.return.reason")
    no_reply_reason_id = fields.Many2one("social.no_reply.reason", string="No-Reply Reason")
    no_reply_legal_basis = fields.Char(related="no_reply_reason_id.legal_basis")
    target_incident_id = fields.Many2one(
        "social.incident",
        string="Merge Into",
        domain="[('id', '!=', incident_id), ('state', '!=', 'merged'), "
        "('company_id', '=', company_id)]",
    )
    company_id = fields.Many2one(related="incident_id.company_id")
    url = fields.Char(string="Reply Link")
    published_at = fields.Datetime(default=lambda self: clock.now())
    external_id = fields.Char(string="Reply ID")

    def action_confirm(self):
        self.ensure_one()
        incident = self.incident_id
        step = self.step
        if step == "decline":
            self.assignment_id.action_decline(self.text)
        elif step == "info":
            self.assignment_id.action_give_info(self.text, self.attachment_ids)
        elif step == "return":
            self.reply_id.action_return(self.return_reason_id, self.text)
        elif step == "publish":
            self.reply_id.action_mark_published(self.url, self.published_at, self.external_id)
        elif step == "no_reply":
            incident.action_no_reply(self.no_reply_reason_id, self.text)
        elif step == "merge":
            incident.action_merge(self.target_incident_id)
        elif step == "clarification_answer":
            incident.action_record_clarification(self.text)
        elif step == "control_set":
            incident.action_set_control(self.text)
        elif step == "control_report":
            incident.action_report_control(self.text)
        elif step == "allow_restricted":
            self.reply_id.action_allow_restricted(self.text)
        return {"type": "ir.actions.act_window_close"}
