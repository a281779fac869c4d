from odoo import fields, models


class SocialNoReplyReason(models.Model):
    """Why a message is left without a reply, with its legal basis (AKH 3.7, KOR 21)."""

    _name = "social.no_reply.reason"
    _description = "No-Reply Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    legal_basis = fields.Char(
        translate=True,
        help="The clause of the regulation that allows leaving the message unanswered.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
