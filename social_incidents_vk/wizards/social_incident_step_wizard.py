from odoo import fields, models


class SocialIncidentStepWizard(models.TransientModel):
    """Publishing by hand (OK, Telegram, or a VK page without the connector):
    the text and the link to the citizen's message, ready to copy (LYA 11)."""

    _inherit = "social.incident.step.wizard"

    incident_url = fields.Char(related="incident_id.url", string="Message Link")
    incident_network = fields.Selection(related="incident_id.network")
