from odoo import api, fields, models

from ..tools.monitoring_file import TARGETS

REQUIRED = ("text",)
ONE_OF = ("url", "network", "external_id")


class SocialMonitoringImportWizardLine(models.TransientModel):
    """One field of the incident and the file column it is taken from."""

    _name = "social.monitoring.import.wizard.line"
    _description = "Column Mapping of an Import"
    _order = "sequence, id"

    wizard_id = fields.Many2one(
        "social.monitoring.import.wizard", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer()
    field = fields.Selection(TARGETS, string="Incident Field", required=True, readonly=True)
    column_id = fields.Many2one(
        "social.monitoring.import.wizard.column",
        string="File Column",
        domain="[('wizard_id', '=', wizard_id)]",
    )
    requirement = fields.Char(compute="_compute_requirement")

    @api.depends("field")
    def _compute_requirement(self):
        for line in self:
            if line.field in REQUIRED:
                line.requirement = self.env._("required")
            elif line.field in ONE_OF:
                line.requirement = self.env._("a link, or a network and a message id")
            else:
                line.requirement = False
