from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.social_incidents.tools import clock

KEEP_DAYS = 30


class SocialWebhookRefusal(models.Model):
    """How many requests to a page's Callback API address were refused in one
    minute, and why. One row per page, minute and reason, incremented in
    place: a flood of forged requests writes no row each and never locks the
    page."""

    _name = "social.webhook.refusal"
    _description = "Refused Callback API Requests"
    _order = "minute desc, id desc"
    _rec_name = "minute"

    account_id = fields.Many2one(
        "social.account", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    minute = fields.Datetime(required=True, readonly=True, index=True)
    reason = fields.Selection(
        [
            ("token", "Wrong address token"),
            ("secret", "Wrong or missing secret key"),
            ("group", "Event of another community"),
        ],
        required=True,
        readonly=True,
    )
    count = fields.Integer(readonly=True)

    _sql_constraints = [
        (
            "account_minute_reason_uniq",
            "unique(account_id, minute, reason)",
            "One counter per page, minute and reason.",
        ),
    ]

    @api.model
    def _count(self, account_id, reason):
        """Count one refused request of the page now (an upsert: concurrent
        refusals add up on the same row)."""
        self.env.cr.execute(
            """
            INSERT INTO social_webhook_refusal
                   (account_id, company_id, minute, reason, count,
                    create_uid, create_date, write_uid, write_date)
            SELECT id, company_id, %s, %s, 1,
                   %s, now() at time zone 'UTC', %s, now() at time zone 'UTC'
              FROM social_account WHERE id = %s
            ON CONFLICT (account_id, minute, reason)
            DO UPDATE SET count = social_webhook_refusal.count + 1, write_date = EXCLUDED.write_date
            """,
            (
                clock.now().replace(second=0, microsecond=0),
                reason,
                self.env.uid,
                self.env.uid,
                account_id,
            ),
        )

    @api.autovacuum
    def _gc_old_refusals(self):
        self.sudo().search([("minute", "<", clock.now() - timedelta(days=KEEP_DAYS))]).unlink()
