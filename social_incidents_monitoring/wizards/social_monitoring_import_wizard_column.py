from odoo import fields, models


class SocialMonitoringImportWizardColumn(models.TransientModel):
    """A column of the uploaded file, to choose in the mapping."""

    _name = "social.monitoring.import.wizard.column"
    _description = "Column of an Imported File"
    _order = "sequence, id"

    wizard_id = fields.Many2one(
        "social.monitoring.import.wizard", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer()
    name = fields.Char(required=True)
