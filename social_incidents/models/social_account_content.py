from odoo import fields, models


class SocialAccount(models.Model):
    """The page's planned posts (the content plan)."""

    _inherit = "social.account"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    post_ids = fields.One2many("social.account.post", "account_id", string="Posts")
    post_count = fields.Integer(compute="_compute_post_count")

    def _compute_post_count(self):
        counts = dict(
            self.env["social.account.post"]._read_group(
                [("account_id", "in", self.ids)], ["account_id"], ["__count"]
            )
        )
        for account in self:
            account.post_count = counts.get(account, 0)

    def action_view_posts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "social_incidents.social_account_post_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        action["context"] = {"default_account_id": self.id}
        return action
