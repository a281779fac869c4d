from odoo import fields, models

from odoo.addons.social_incidents.models.helpers import act_window


class SocialMonitoringSource(models.Model):
    """The files of a monitoring system: their column profiles and imports."""

    _inherit = "social.monitoring.source"

    profile_ids = fields.One2many(
        "social.monitoring.profile", "source_id", string="Import Profiles"
    )
    import_ids = fields.One2many("social.monitoring.import", "source_id", string="Imports")
    import_count = fields.Integer(compute="_compute_import_count")

    def _compute_import_count(self):
        counts = dict(
            self.env["social.monitoring.import"]._read_group(
                [("source_id", "in", self.ids)], ["source_id"], ["__count"]
            )
        )
        for source in self:
            source.import_count = counts.get(source, 0)

    def action_open_import_wizard(self):
        """The import wizard for this system's file (curators of its company)."""
        self.ensure_one()
        self.env["social.monitoring.import"]._check_importer(self)
        return act_window(
            "social.monitoring.import.wizard",
            False,
            name=self.env._("Import from a Monitoring System"),
            target="new",
            context={"default_source_id": self.id},
        )

    def action_view_imports(self):
        self.ensure_one()
        return act_window(
            "social.monitoring.import",
            name=self.env._("Imports"),
            domain=[("source_id", "=", self.id)],
        )
