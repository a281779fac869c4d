from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    social_reply_publisher = fields.Selection(
        [("executor", "Executor"), ("curator", "Curator")],
        string="Approved Replies Are Published By",
        default="executor",
        required=True,
        help="KOR 16 and BAT 10: the executor publishes the approved reply; "
        "LYA 6: the curator does.",
    )
    social_curator_id = fields.Many2one(
        "res.users",
        string="Default Curator",
        help="Curator in charge of incidents that arrive without one "
        "(from monitoring software or a connector).",
    )
