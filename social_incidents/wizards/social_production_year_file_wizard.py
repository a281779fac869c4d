import base64
import binascii

from odoo import fields, models
from odoo.exceptions import UserError


class SocialProductionYearFileWizard(models.TransientModel):
    """An administrator confirms a year of the production calendar with the
    official file: XML in the xmlcalendar.ru format or CSV of date and day
    type (see tools/calendar_file.py and the README)."""

    _name = "social.production.year.file.wizard"
    _description = "Load the Official Production Calendar File"

    year_id = fields.Many2one("social.production.year", required=True, ondelete="cascade")
    file = fields.Binary(string="Calendar File", required=True, attachment=False)
    file_name = fields.Char()

    def action_load_file(self):
        self.ensure_one()
        self.year_id._check_admin()
        try:
            content = base64.b64decode(self.file or b"", validate=True)
        except (binascii.Error, ValueError):
            raise UserError(self.env._("The calendar file could not be read.")) from None
        # the notification of how many days the file changed; it closes the dialog
        return self.year_id._load_file(content, self.file_name)
