from odoo import fields, models


class SocialReturnReason(models.Model):
    """Why a curator returns a draft for rework (KOR 14 lists four)."""

    _name = "social.return.reason"
    _description = "Draft Return Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
