from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    social_muted_subtype_ids = fields.Many2many(
        "mail.message.subtype",
        "social_user_muted_subtype_rel",
        "user_id",
        "subtype_id",
        string="Muted Incident Notifications",
        domain=[("res_model", "=", "social.incident"), ("hidden", "=", False)],
        help="Kinds of incident notifications you do not receive, in Discuss or by email. "
        "To mute a kind on one incident only, untick it in the Following menu of its chatter.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["social_muted_subtype_ids"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["social_muted_subtype_ids"]
