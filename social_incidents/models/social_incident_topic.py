from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SocialIncidentTopic(models.Model):
    """Topic of a message; topics form groups (KOR 10: "тема (группа тем)")."""

    _name = "social.incident.topic"
    _description = "Incident Topic"
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "complete_name"

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", recursive=True, store=True)
    parent_id = fields.Many2one(
        "social.incident.topic", string="Topic Group", index=True, ondelete="restrict"
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("social.incident.topic", "parent_id", string="Topics")
    active = fields.Boolean(default=True)
    # an index into the colour palette: nothing to add up in a grouped list
    color = fields.Integer(aggregator=False)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for topic in self:
            if topic.parent_id:
                topic.complete_name = f"{topic.parent_id.complete_name} / {topic.name}"
            else:
                topic.complete_name = topic.name

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A topic cannot be its own group."))
