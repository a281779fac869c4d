from odoo import api, fields, models

from .social_incident_reply_verification import GONE_STATES


class SocialIncident(models.Model):
    _inherit = "social.incident"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    reply_gone = fields.Boolean(
        string="Published Reply Disappeared",
        compute="_compute_reply_gone",
        help="A reply the connector posted was deleted or is no longer found in the network "
        "at its last check.",
    )

    @api.depends("reply_ids.verify_state", "reply_ids.state")
    def _compute_reply_gone(self):
        for incident in self:
            incident.reply_gone = any(
                r.state == "published" and r.verify_state in GONE_STATES for r in incident.reply_ids
            )
