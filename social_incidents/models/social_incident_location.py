from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SocialIncidentLocation(models.Model):
    """Where the problem is: settlement, district, street (KOR 10: "локация")."""

    _name = "social.incident.location"
    _description = "Incident Location"
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "complete_name"

    name = fields.Char(required=True)
    complete_name = fields.Char(compute="_compute_complete_name", recursive=True, store=True)
    kind = fields.Selection(
        [
            ("settlement", "Settlement"),
            ("district", "District"),
            ("street", "Street"),
            ("object", "Object"),
        ],
        default="settlement",
        required=True,
    )
    parent_id = fields.Many2one(
        "social.incident.location", string="Part Of", index=True, ondelete="restrict"
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("social.incident.location", "parent_id", string="Parts")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for location in self:
            if location.parent_id:
                location.complete_name = f"{location.parent_id.complete_name} / {location.name}"
            else:
                location.complete_name = location.name

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A location cannot be a part of itself."))
