from odoo import fields, models


class SocialMonitoringImportLine(models.Model):
    """What became of one row of an imported file."""

    _name = "social.monitoring.import.line"
    _description = "Monitoring File Import Row"
    _inherit = ["social.protected.mixin"]
    _order = "import_id, row_number, id"
    _protected_fields = "__all__"

    import_id = fields.Many2one(
        "social.monitoring.import", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="import_id.company_id", store=True, index=True)
    row_number = fields.Integer(string="Row", readonly=True, help="The row in the file.")
    status = fields.Selection(
        [("created", "Registered"), ("duplicate", "Duplicate"), ("error", "Error")],
        required=True,
        readonly=True,
        index=True,
    )
    incident_id = fields.Many2one(
        "social.incident",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        help="The incident registered from the row, or the one it duplicates.",
    )
    message = fields.Text(string="Comment", readonly=True)
    text = fields.Char(string="Message", readonly=True)
    url = fields.Char(string="Link", readonly=True)
