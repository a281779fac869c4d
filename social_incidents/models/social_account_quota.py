from odoo import fields, models


class SocialAccount(models.Model):
    """The page's weeks against its posting quota (``social_account_week.py``)."""

    _inherit = "social.account"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    week_ids = fields.One2many("social.account.week", "account_id", string="Weeks")
    short_week_count = fields.Integer(string="Short Weeks", compute="_compute_short_week_count")

    def _compute_short_week_count(self):
        counts = dict(
            self.env["social.account.week"]._read_group(
                [("account_id", "in", self.ids), ("short", "=", True), ("closed", "=", True)],
                ["account_id"],
                ["__count"],
            )
        )
        for account in self:
            account.short_week_count = counts.get(account, 0)

    def action_view_weeks(self):
        """The page's weeks against its weekly posting quota."""
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "social_incidents.social_account_week_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        action["context"] = {}
        action["name"] = self.env._("Weeks of %s", self.name)
        return action
