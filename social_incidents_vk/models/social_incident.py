import re

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.social_incidents.models.helpers import act_window

VK_EXTERNAL_ID = re.compile(r"^wall(-?\d+)_(\d+)_(\d+)$")


class SocialIncident(models.Model):
    _inherit = "social.incident"

    source_deleted = fields.Boolean(
        string="Deleted in the Network", readonly=True, tracking=True,
        help="The comment was deleted in the network (by its author or a moderator).",
    )
    source_deleted_at = fields.Datetime(string="Deleted At", readonly=True)
    moderation_log_ids = fields.One2many("social.moderation.log", "incident_id", string="Moderation")

    @api.model
    def _get_protected_fields(self):
        # what the network did to the comment: recorded by the connector and moderation only
        return super()._get_protected_fields() | {"source_deleted", "source_deleted_at"}
    def _vk_ids(self):
        """(owner id, post id, comment id) of the VK comment of this incident."""
        self.ensure_one()
        match = VK_EXTERNAL_ID.match(self.external_id or "")
        if self.network != "vk" or not match:
            raise UserError(
                self.env._(
                    "Incident %s is not a comment of a VK community registered by the connector.",
                    self.name,
                )
            )
        return int(match[1]), int(match[2]), int(match[3])

    def action_open_moderation_wizard(self):
        self.ensure_one()
        self._check_curator()
        if not self.account_id:
            raise UserError(self.env._("The message was not found on an official page: there is nothing to moderate."))
        return act_window(
            "social.moderation.wizard",
            res_id=False,
            name=self.env._("Moderate the Comment"),
            target="new",
            context={"default_incident_id": self.id},
        )
