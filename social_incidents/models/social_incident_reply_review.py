from odoo import fields, models

from ..tools import clock


class SocialIncidentReplyReview(models.Model):
    """One decision of the curator on a submitted draft: approved, or
    returned for rework with a reason (KOR 14)."""

    _name = "social.incident.reply.review"
    _description = "Draft Review"
    _inherit = ["social.protected.mixin"]
    _order = "reviewed_at desc, id desc"
    # A decision is history: written once by the approval cycle, never edited.
    _protected_fields = "__all__"

    reply_id = fields.Many2one(
        "social.incident.reply", required=True, ondelete="cascade", index=True
    )
    incident_id = fields.Many2one(related="reply_id.incident_id", store=True, index=True)
    company_id = fields.Many2one(related="reply_id.company_id", store=True)
    decision = fields.Selection(
        [("approved", "Approved"), ("returned", "Returned for Rework")], required=True
    )
    reason_id = fields.Many2one("social.return.reason")
    comment = fields.Text()
    reviewer_id = fields.Many2one("res.users", required=True, default=lambda self: self.env.user)
    reviewed_at = fields.Datetime(required=True, default=lambda self: clock.now())
