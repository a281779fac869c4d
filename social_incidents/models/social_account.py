from odoo import api, fields, models

from .constants import NETWORKS
from .helpers import in_company_lang


class SocialAccount(models.Model):
    """Registry of the administration's official pages (LYA 1, 5; PRI 1.3-1.5;
    KOR A1; BAT 6). Connector credentials live in the connector addon."""

    _name = "social.account"
    _description = "Official Page"
    # the lang mixin first: it wraps the creation that mail.thread logs
    _inherit = ["social.company.lang.mixin", "mail.thread"]
    _order = "network, name"

    name = fields.Char(required=True, tracking=True)
    network = fields.Selection(NETWORKS, required=True, default="vk", tracking=True)
    url = fields.Char(string="Address", required=True, tracking=True)
    external_id = fields.Char(
        string="Page ID", help="The page's id in the network (VK community id, OK group id)."
    )
    kind = fields.Selection(
        [
            ("organisation", "Organisation Page"),
            ("head", "Head's Page"),
            ("representative", "Official Representative's Personal Page"),
        ],
        required=True,
        default="organisation",
        tracking=True,
    )
    verified = fields.Boolean(
        string="Verified Mark",
        tracking=True,
        help="The network's special mark of an official page (KOR A1 11-13).",
    )
    service_phone = fields.Char(
        help="The service phone number the page is registered to (KOR A1 2)."
    )
    executor_id = fields.Many2one("social.executor", string="Responsible Executor", tracking=True)
    access_holder_ids = fields.Many2many(
        "res.users", string="Access Holders", help="Who holds the page's credentials."
    )
    weekly_post_quota = fields.Integer(
        string="Posts a Week (minimum)",
        default=1,
        help="KOR A1 5: at least one post a week; BAT 6: at least two.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    incident_ids = fields.One2many("social.incident", "account_id", string="Incidents")
    incident_count = fields.Integer(compute="_compute_incident_count")

    _sql_constraints = [
        (
            "network_url_uniq",
            "unique(network, url, company_id)",
            "This page is already in the registry.",
        )
    ]

    def _compute_incident_count(self):
        counts = dict(
            self.env["social.incident"]._read_group(
                [("account_id", "in", self.ids)], ["account_id"], ["__count"]
            )
        )
        for account in self:
            account.incident_count = counts.get(account, 0)

    def action_view_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "social_incidents.social_incident_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        action["context"] = {"default_account_id": self.id, "default_network": self.network}
        return action

    # KOR A1 11-13: the network checks the name of a verified page again when it changes.
    @api.onchange("name")
    def _onchange_name_verified(self):
        if self.verified and self._origin.name and self.name != self._origin.name:
            return {
                "warning": {
                    "title": self.env._("Verified page"),
                    "message": self._verified_rename_text(),
                }
            }
        return None

    def _verified_rename_text(self):
        return self.env._(
            "Changing the name may cost the page its verified mark: the network checks the "
            "name of a verified page again (KOR A1 11-13). Agree the new name with the "
            "network's support before changing it, and check the mark after the change."
        )

    def _log_verified_renames(self, old_names):
        """A note in the chatter of each verified page whose name changed."""
        for account in self.filtered("verified"):
            if old_names.get(account.id) != account.name:
                account = in_company_lang(account)
                account._message_log(
                    body=account.env._(
                        "The name of a verified page changed from «%(old)s» to «%(new)s». %(why)s",
                        old=old_names.get(account.id),
                        new=account.name,
                        why=account._verified_rename_text(),
                    )
                )

    # The pages' keys are cached to read message links (social_incident_link.py): a change
    # of the registry clears them.
    @api.model_create_multi
    def create(self, vals_list):
        accounts = super().create(vals_list)
        self.env.registry.clear_cache()
        return accounts

    def write(self, vals):
        old_names = {account.id: account.name for account in self} if "name" in vals else {}
        result = super().write(vals)
        if old_names:
            self._log_verified_renames(old_names)
        if {"url", "external_id", "network", "company_id", "active"} & set(vals):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
