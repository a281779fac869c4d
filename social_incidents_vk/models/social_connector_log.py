from odoo import api, fields, models

from odoo.addons.social_incidents.tools import clock

KEEP_DAYS = 30


class SocialConnectorLog(models.Model):
    """A failed call of a page's connector, kept for the administrators: what
    failed, when, and the error in words (never a secret)."""

    _name = "social.connector.log"
    _description = "Connector Error"
    _order = "date desc, id desc"
    _rec_name = "operation"

    account_id = fields.Many2one("social.account", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    date = fields.Datetime(required=True, default=lambda self: clock.now(), index=True)
    operation = fields.Selection(
        [
            ("webhook", "Incoming Event"),
            ("process", "Turning an Event into an Incident"),
            ("poll", "Polling"),
            ("publish", "Publishing a Reply"),
            ("moderate", "Moderation"),
            ("test", "Connection Test"),
        ],
        required=True,
    )
    message = fields.Text(required=True)

    @api.autovacuum
    def _gc_old_logs(self):
        limit = clock.now().replace(microsecond=0)
        from datetime import timedelta

        self.sudo().search([("date", "<", limit - timedelta(days=KEEP_DAYS))]).unlink()
