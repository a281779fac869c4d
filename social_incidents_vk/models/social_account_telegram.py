import re

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.social_incidents.models.constants import ADMIN_GROUP

from .social_account import error_message, new_webhook_token

# Telegram's rule for setWebhook's secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
TG_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
TG_DEFAULT_API_URL = "https://api.telegram.org"


class SocialAccount(models.Model):
    """A Telegram channel's connector: the bot, the channel and its discussion
    group, how updates come in (webhook or polling)."""

    _inherit = "social.account"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    tg_bot_token = fields.Char(
        string="Bot Token",
        groups=ADMIN_GROUP,
        copy=False,
        help="The token @BotFather gave for the bot (123456:ABC...). The bot must be an "
        "administrator of the channel and of its discussion group.",
    )
    tg_channel_id = fields.Char(
        string="Channel ID",
        help="The channel's Bot API chat id, e.g. -1001234567890.",
    )
    tg_channel_username = fields.Char(
        string="Channel User Name",
        help="The channel's public user name, without @ (t.me/<user name>); empty for a "
        "private channel.",
    )
    tg_group_id = fields.Char(
        string="Discussion Group ID",
        help="The Bot API chat id of the channel's linked discussion group, where the "
        "comments are, e.g. -1009876543210.",
    )
    tg_webhook_secret = fields.Char(
        string="Webhook Secret",
        groups=ADMIN_GROUP,
        copy=False,
        readonly=True,
        help="Sent by Telegram with every update (X-Telegram-Bot-Api-Secret-Token); an update "
        "without it is refused.",
    )
    tg_api_url = fields.Char(
        string="Bot API Address",
        default=TG_DEFAULT_API_URL,
        groups=ADMIN_GROUP,
    )
    tg_direct_messages = fields.Boolean(
        string="Direct Messages Become Incidents",
        groups=ADMIN_GROUP,
        help="Messages written to the bot in a private chat become incidents too.",
    )
    tg_intake_mode = fields.Selection(
        [("webhook", "Webhook"), ("polling", "Polling")],
        string="Receive Updates By",
        default="webhook",
        groups=ADMIN_GROUP,
        help="Webhook: Telegram sends every update to the page's public HTTPS address at once. "
        "Polling: the server asks Telegram for new updates every few minutes (no public "
        "address needed). A bot works in one mode at a time.",
    )
    tg_update_offset = fields.Integer(
        string="Polling Offset",
        readonly=True,
        groups=ADMIN_GROUP,
        copy=False,
        help="The next update id the polling asks Telegram for.",
    )

    @api.model
    def _get_protected_fields(self):
        return super()._get_protected_fields() | {"tg_webhook_secret", "tg_update_offset"}

    @api.model_create_multi
    def create(self, vals_list):
        accounts = super().create(vals_list)
        # the webhook secret is the server's own, never a client's
        for account in accounts:
            account._write_system({"tg_webhook_secret": new_webhook_token()})
        return accounts

    def _compute_webhook_url(self):
        res = super()._compute_webhook_url()
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for account in self:
            if account.network == "telegram" and account.id:
                account.webhook_url = f"{base}/social_incidents_vk/telegram/{account.id}"
        return res

    def _tg_secret(self):
        """The page's webhook secret, issued now if the page predates it."""
        self.ensure_one()
        secret = self.sudo().tg_webhook_secret
        if not secret or not TG_SECRET_PATTERN.match(secret):
            secret = new_webhook_token()
            self._write_system({"tg_webhook_secret": secret})
        return secret

    def _telegram_client(self):
        """A Telegram Bot API client with this page's bot token and the
        connector's timeouts and retries."""
        self.ensure_one()
        from ..clients.telegram import TelegramClient  # noqa: PLC0415 - until the client lands

        account = self.sudo()
        if not account.tg_bot_token:
            raise UserError(
                self.env._(
                    "The page %s has no bot token: an administrator sets it on the page's "
                    "Connector tab.",
                    self.name,
                )
            )
        options = self._client_options()
        return TelegramClient(
            account.tg_bot_token.strip(),
            api_url=(account.tg_api_url or TG_DEFAULT_API_URL).rstrip("/"),
            timeout=options["timeout"],
            max_retries=options["max_retries"],
            backoff=options["backoff"],
        )

    def _tg_allowed_updates(self):
        """The update kinds the connector reads: comments and direct messages,
        and their edits."""
        return ["message", "edited_message"]

    def action_tg_set_webhook(self):
        """Webhook mode: tell Telegram the page's public address and secret
        (setWebhook). Polling mode: remove any webhook (deleteWebhook), since
        getUpdates does not work while one is set."""
        self.ensure_one()
        self._check_connector_admin()
        if self.network != "telegram":
            raise UserError(self.env._("This is not a Telegram page."))
        account = self.sudo()
        client = self._telegram_client()
        try:
            if account.tg_intake_mode == "polling":
                client.delete_webhook()
                message = self.env._(
                    "The webhook was removed: the page receives its updates by polling."
                )
            else:
                url = account.webhook_url
                if not (url or "").startswith("https://"):
                    raise UserError(
                        self.env._(
                            "Telegram sends updates only to a public HTTPS address, and the "
                            "page's is %s: set the system parameter web.base.url to the "
                            "server's public https:// address, or use polling.",
                            url,
                        )
                    )
                client.set_webhook(
                    url,
                    secret_token=self._tg_secret(),
                    allowed_updates=self._tg_allowed_updates(),
                )
                message = self.env._("Telegram now sends the page's updates to %s.", url)
        except UserError:
            raise
        except Exception as error:
            if not _is_telegram_error(error):
                raise
            self._connector_error("webhook", error, alert=_is_tg_auth(error))
            return _notification(
                self.env, self.env._("Webhook"), error_message(self.env, error), "danger"
            )
        self._connector_success()
        return _notification(self.env, self.env._("Webhook"), message, "success")


def _is_telegram_error(error):
    from ..clients.telegram import TelegramError  # noqa: PLC0415 - until the client lands

    return isinstance(error, TelegramError)


def _is_tg_auth(error):
    from ..clients.telegram import TelegramNotFound, TelegramUnauthorized  # noqa: PLC0415

    return isinstance(error, TelegramUnauthorized | TelegramNotFound)


def _notification(env, title, message, kind):
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {
            "title": title,
            "message": message,
            "sticky": kind != "success",
            "type": kind,
            "next": {"type": "ir.actions.client", "tag": "soft_reload"},
        },
    }
