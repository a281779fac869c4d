from odoo import api, fields, models

MONITORING_SYSTEMS = [
    ("incident_management", "Incident Management"),
    ("medialogia", "Medialogia"),
    ("brand_analytics", "Brand Analytics"),
    ("kribrum", "Kribrum"),
    ("other", "Other"),
]


class SocialMonitoringSource(models.Model):
    """A monitoring system that hands the administration the messages it found
    (KOR 2: "выявленные посредством специализированного программного
    обеспечения"; LYA 11): its files are imported, or it pushes them to the
    endpoint. Every incident it brings records it."""

    _name = "social.monitoring.source"
    _description = "Monitoring System"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    system = fields.Selection(MONITORING_SYSTEMS, required=True, default="other", tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    curator_id = fields.Many2one(
        "res.users",
        check_company=True,
        help="Who registers its messages; empty: the company's default curator.",
    )
    note = fields.Text()
    incident_ids = fields.One2many("social.incident", "monitoring_source_id", string="Incidents")
    incident_count = fields.Integer(compute="_compute_incident_count")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "A monitoring system is named once."),
    ]

    def _compute_incident_count(self):
        counts = dict(
            self.env["social.incident"]._read_group(
                [("monitoring_source_id", "in", self.ids)], ["monitoring_source_id"], ["__count"]
            )
        )
        for source in self:
            source.incident_count = counts.get(source, 0)

    @api.model
    def _curator_of(self, source):
        """The curator its incidents are registered to."""
        return source.curator_id or source.company_id.social_curator_id

    def action_view_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "social_incidents.social_incident_action"
        )
        action["domain"] = [("monitoring_source_id", "=", self.id)]
        action["context"] = {"default_monitoring_source_id": self.id}
        return action
