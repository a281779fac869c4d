from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.social_incidents.tools import clock

from ..clients.telegram import TelegramError, TelegramForbidden
from ..clients.vk import VkAuthError, VkError
from ..models.social_account import VK_BAN_REASONS, _is_auth, error_message
from ..models.social_incident_reply_telegram import telegram_target
from ..models.social_moderation_log import MODERATION_REASONS

NETWORK_ERRORS = (VkError, TelegramError)


class SocialModerationWizard(models.TransientModel):
    """Delete an offending comment and/or ban its author (LYA 10, PRI 2.3,
    KOR A1 14): done through VK's API or Telegram's Bot API where the page is
    connected, recorded in the moderation journal in every case, and the
    author blacklisted."""

    _name = "social.moderation.wizard"
    _description = "Moderate a Comment"

    incident_id = fields.Many2one("social.incident", required=True, readonly=True)
    account_id = fields.Many2one(related="incident_id.account_id")
    author_id = fields.Many2one(related="incident_id.author_id")
    text = fields.Text(related="incident_id.text", string="Comment")
    delete_comment = fields.Boolean(string="Delete the Comment", default=True)
    ban_author = fields.Boolean(string="Ban the Author")
    reason = fields.Selection(MODERATION_REASONS, required=True, default="insult")
    comment = fields.Text(string="Comment for the Journal")
    by_api = fields.Boolean(compute="_compute_by_api")

    @api.depends("incident_id")
    def _compute_by_api(self):
        for wizard in self:
            account = wizard.incident_id.account_id.sudo()
            wizard.by_api = bool(
                wizard.incident_id.network == "vk"
                and account.connector_enabled
                and account.vk_user_token
            ) or bool(telegram_target(wizard.incident_id))

    def _api_client(self):
        """The client that moderates the page, None when done by hand."""
        if not self.by_api:
            return None
        # sudo: the page's bot or user token, for the moderation action_confirm() allowed (curator)
        account = self.incident_id.account_id.sudo()
        if self.incident_id.network == "telegram":
            return account._telegram_client()
        return account._vk_client("user")

    def _api_delete(self, client):
        incident = self.incident_id
        if incident.network == "telegram":
            group_id, message_id, _thread_id = telegram_target(incident)
            return client.delete_message(group_id, message_id)
        owner_id, _post_id, comment_id = incident._vk_ids()
        return client.wall_delete_comment(owner_id, comment_id)

    def _api_ban(self, client):
        # sudo: the page's community id, for the ban action_confirm() allowed (curator)
        account = self.incident_id.account_id.sudo()
        user_id = int(self.author_id.external_id)
        if self.incident_id.network == "telegram":
            group_id, _message_id, _thread_id = telegram_target(self.incident_id)
            return client.ban_chat_member(group_id, user_id)
        return client.groups_ban(
            int(account.vk_group_id),
            user_id,
            reason=VK_BAN_REASONS[self.reason],
            comment=self.comment or "",
            comment_visible=True,
        )

    def action_confirm(self):
        self.ensure_one()
        incident = self.incident_id
        incident._check_curator()
        if not (self.delete_comment or self.ban_author):
            raise UserError(
                self.env._("Choose what to do: delete the comment, ban the author, or both.")
            )
        if self.ban_author and not self.author_id:
            raise UserError(self.env._("The incident has no author to ban."))
        if (
            self.ban_author
            and self.by_api
            and not (self.author_id.external_id or "").lstrip("-").isdigit()
        ):
            raise UserError(
                self.env._("The author has no user id in the network: ban them there by hand.")
            )
        account = incident.account_id.sudo()
        logs = []
        client = self._api_client()
        for action in ("delete", "ban"):
            if (action == "delete" and not self.delete_comment) or (
                action == "ban" and not self.ban_author
            ):
                continue
            result, error = "manual", False
            if client:
                try:
                    if action == "delete":
                        self._api_delete(client)
                    else:
                        self._api_ban(client)
                    result = "done"
                    account._connector_success()
                except NETWORK_ERRORS as exc:
                    result, error = "failed", error_message(self.env, exc)
                    # a rejected token, a bot removed from the group: an administrator acts
                    alert = isinstance(exc, VkAuthError | TelegramForbidden) or _is_auth(exc)
                    account._connector_error("moderate", exc, alert=alert)
            logs.append(
                {
                    "account_id": account.id,
                    "incident_id": incident.id,
                    "author_id": self.author_id.id,
                    "comment_external_id": incident.external_id,
                    "comment_url": incident.url,
                    "text_snapshot": incident.text,
                    "action": action,
                    "reason": self.reason,
                    "comment": self.comment,
                    "user_id": self.env.uid,
                    "result": result,
                    "error": error,
                }
            )
        entries = self.env["social.moderation.log"].sudo().create(logs)
        reasons = dict(self._fields["reason"]._description_selection(self.env))
        if self.author_id:
            self.author_id._write_system(
                {
                    "blacklisted": True,
                    "blacklist_reason": reasons[self.reason],
                    "blacklist_date": clock.now(),
                    "blacklisted_by_id": self.env.uid,
                }
            )
        if self.delete_comment and any(
            e.action == "delete" and e.result == "done" for e in entries
        ):
            incident._write_system({"source_deleted": True, "source_deleted_at": clock.now()})
        actions = dict(entries._fields["action"]._description_selection(self.env))
        results = dict(entries._fields["result"]._description_selection(self.env))
        lines = Markup("").join(
            Markup("<li>%s: %s%s</li>")
            % (actions[e.action], results[e.result], f" — {e.error}" if e.error else "")
            for e in entries
        )
        incident._post(self.env._("Moderation (%s):") + "<ul>%s</ul>", reasons[self.reason], lines)
        failed = entries.filtered(lambda e: e.result == "failed")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Moderation"),
                "message": "; ".join(failed.mapped("error"))
                or (
                    (
                        self.env._("Done in Telegram.")
                        if incident.network == "telegram"
                        else self.env._("Done in VK.")
                    )
                    if self.by_api
                    else self.env._("Recorded: do it in the network by hand.")
                ),
                "type": "danger" if failed else "success",
                "sticky": bool(failed),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
