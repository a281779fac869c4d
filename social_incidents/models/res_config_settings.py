from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    social_reply_publisher = fields.Selection(
        related="company_id.social_reply_publisher", readonly=False
    )
    social_curator_id = fields.Many2one(
        related="company_id.social_curator_id", readonly=False
    )
