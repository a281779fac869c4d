from odoo import fields, models


class SocialSlaViolationExcuseWizard(models.TransientModel):
    _name = "social.sla.violation.excuse.wizard"
    _description = "Excuse a Missed Deadline"

    violation_ids = fields.Many2many(
        "social.sla.violation", string="Missed Deadlines", required=True
    )
    comment = fields.Text(string="Why the Delay Is Excused", required=True)

    def action_confirm(self):
        self.ensure_one()
        self.violation_ids.action_excuse(self.comment)
        return {"type": "ir.actions.act_window_close"}
