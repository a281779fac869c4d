from odoo import api, models

from ..tools import clock, guard

# What changes the count of a page's week (social_account_week.py).
_COUNTED_FIELDS = {"state", "published_at", "planned_at", "account_id"}


class SocialAccountPost(models.Model):
    """A post published (or approved, or withdrawn) recounts its page's open weeks at
    once: the report shows the week as it is, not as the last hourly job saw it."""

    _inherit = "social.account.post"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    @api.model_create_multi
    def create(self, vals_list):
        posts = super().create(vals_list)
        posts.filtered(lambda p: p.state in ("approved", "published"))._recount_quota_weeks()
        return posts

    def write(self, vals):
        accounts = self.account_id if "account_id" in vals else None
        result = super().write(vals)
        if _COUNTED_FIELDS & set(vals):
            self._recount_quota_weeks(accounts)
        return result

    def _recount_quota_weeks(self, accounts=None):
        """Count again the open weeks of these posts' pages (and of ``accounts``)."""
        accounts = self.account_id | (accounts or self.account_id.browse())
        if not accounts:
            return
        # sudo: the weeks are the server's records; a closed week is never counted again
        weeks = (
            self.env["social.account.week"]
            .sudo()
            .search([("account_id", "in", accounts.ids), ("closed", "=", False)])
        )
        with guard.system_write():
            weeks._count_posts(clock.now(), by_job=False)
            weeks._settle_alerts()
