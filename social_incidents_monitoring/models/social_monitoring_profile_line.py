from odoo import fields, models

from ..tools.monitoring_file import TARGETS


class SocialMonitoringProfileLine(models.Model):
    _name = "social.monitoring.profile.line"
    _description = "Monitoring Import Profile Column"
    _order = "profile_id, sequence, id"

    profile_id = fields.Many2one(
        "social.monitoring.profile", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    field = fields.Selection(TARGETS, string="Incident Field", required=True)
    column = fields.Char(string="File Column")

    _sql_constraints = [
        ("field_uniq", "unique(profile_id, field)", "A field is mapped once in a profile."),
    ]
