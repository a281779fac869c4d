from odoo import api, fields, models


class SocialIncident(models.Model):
    _inherit = "social.incident"

    monitoring_source_id = fields.Many2one(
        "social.monitoring.source",
        string="Monitoring System",
        index="btree_not_null",
        check_company=True,
        readonly=True,
        copy=False,
        help="The monitoring system that found the message.",
    )

    @api.model
    def _get_protected_fields(self):
        # who found the message is what happened: written by the intake only
        return super()._get_protected_fields() | {"monitoring_source_id"}
