from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    social_reply_publisher = fields.Selection(
        related="company_id.social_reply_publisher", readonly=False
    )
    social_curator_id = fields.Many2one(related="company_id.social_curator_id", readonly=False)
    social_head_user_id = fields.Many2one(related="company_id.social_head_user_id", readonly=False)
    social_sla_preset = fields.Selection(related="company_id.social_sla_preset", readonly=False)
    social_curators_may_excuse = fields.Boolean(
        related="company_id.social_curators_may_excuse", readonly=False
    )
    social_repeat_days = fields.Integer(related="company_id.social_repeat_days", readonly=False)
    social_repeat_similarity = fields.Float(
        related="company_id.social_repeat_similarity", readonly=False
    )
    social_burst_threshold = fields.Integer(
        related="company_id.social_burst_threshold", readonly=False
    )
    social_burst_window_hours = fields.Integer(
        related="company_id.social_burst_window_hours", readonly=False
    )
    social_burst_quiet_hours = fields.Integer(
        related="company_id.social_burst_quiet_hours", readonly=False
    )

    def action_open_social_sla_policies(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "social_incidents.social_sla_policy_action"
        )
        action["domain"] = [("company_id", "=", self.company_id.id)]
        return action
