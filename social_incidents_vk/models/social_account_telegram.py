import hashlib
import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from odoo.addons.social_incidents.models.constants import ADMIN_GROUP

from ..clients.telegram import (
    TelegramClient,
    TelegramError,
    TelegramNotFound,
    TelegramUnauthorized,
)
from .social_account import error_message, new_webhook_token
from .social_inbound_event_telegram import TG_ALLOWED_UPDATES

# Telegram's rule for setWebhook's secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
TG_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
TG_DEFAULT_API_URL = "https://api.telegram.org"
# Namespace of the polling locks (two-key advisory locks): one bot, one poller.
TG_POLL_LOCK_CLASS = 15016


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
        # sudo: the server's public address, which the form shows anyway
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for account in self:
            if account.network == "telegram" and account.id:
                account.webhook_url = f"{base}/social_incidents_vk/telegram/{account.id}"
        return res

    def _tg_secret(self):
        """The page's webhook secret, issued now if the page predates it."""
        self.ensure_one()
        # sudo: administrators-only secret, for action_tg_set_webhook() after its admin check
        secret = self.sudo().tg_webhook_secret
        if not secret or not TG_SECRET_PATTERN.match(secret):
            secret = new_webhook_token()
            self._write_system({"tg_webhook_secret": secret})
        return secret

    def _telegram_client(self):
        """A Telegram Bot API client with this page's bot token and the
        connector's timeouts and retries."""
        self.ensure_one()
        # sudo: the administrators-only bot token goes into the client only, never into a
        # message; the callers (connector actions, jobs, publishing, moderation) checked first
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
        return list(TG_ALLOWED_UPDATES)

    def action_tg_set_webhook(self):
        """Webhook mode: tell Telegram the page's public address and secret
        (setWebhook). Polling mode: remove any webhook (deleteWebhook), since
        getUpdates does not work while one is set."""
        self.ensure_one()
        self._check_connector_admin()
        if self.network != "telegram":
            raise UserError(self.env._("This is not a Telegram page."))
        # sudo: the administrators-only mode and address; _check_connector_admin() passed above
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
                client.set_webhook(
                    url,
                    secret_token=self._tg_secret(),
                    allowed_updates=self._tg_allowed_updates(),
                )
                message = self.env._("Telegram now sends the page's updates to %s.", url)
        except TelegramError as error:
            self._connector_error("webhook", error, alert=_is_tg_auth(error))
            message = error_message(self.env, error)
            if account.tg_intake_mode != "polling" and not (account.webhook_url or "").startswith(
                "https://"
            ):
                message += " " + self.env._(
                    "Telegram sends updates only to a public HTTPS address, and the page's is "
                    "%s: set the system parameter web.base.url to the server's public https:// "
                    "address, or use polling.",
                    account.webhook_url,
                )
            return _notification(self.env, self.env._("Webhook"), message, "danger")
        self._connector_success()
        return _notification(self.env, self.env._("Webhook"), message, "success")

    def action_tg_new_secret(self):
        """A new webhook secret (the old one leaked), given to Telegram at once
        when the page receives by webhook: updates carrying the old one are
        refused from now on. If Telegram does not take it, nothing changes."""
        self.ensure_one()
        self._check_connector_admin()
        if self.network != "telegram":
            raise UserError(self.env._("This is not a Telegram page."))
        # sudo: the new secret, handed to Telegram; _check_connector_admin() passed above
        account = self.sudo()
        self._write_system({"tg_webhook_secret": new_webhook_token()})
        if account.connector_enabled and account.tg_intake_mode == "webhook":
            try:
                self._telegram_client().set_webhook(
                    account.webhook_url,
                    secret_token=account.tg_webhook_secret,
                    allowed_updates=self._tg_allowed_updates(),
                )
            except TelegramError as error:
                # the new secret is rolled back with this error: the webhook keeps working
                raise UserError(
                    self.env._(
                        "Telegram did not take the new secret, so none was issued: %s",
                        error_message(self.env, error),
                    )
                ) from error
            self._connector_success()
        account.message_post(
            body=self.env._(
                "A new webhook secret was issued: updates carrying the previous one are refused."
            ),
            subtype_xmlid="mail.mt_note",
        )
        return _notification(
            self.env,
            self.env._("Webhook"),
            self.env._("A new webhook secret was issued."),
            "success",
        )

    # ------------------------------------------------------------------
    # Connection test
    # ------------------------------------------------------------------
    def _tg_check(self):
        """Check the bot, the channel and the group: (problems, facts), both
        lists of sentences in the user's language; raises TelegramError when
        Telegram cannot be asked at all (token, network)."""
        self.ensure_one()
        # sudo: the page's settings, for action_test_connection() after its admin check
        account = self.sudo()
        client = self._telegram_client()
        bot = client.get_me()
        facts = [self.env._("The bot @%s answers.", bot.get("username") or bot.get("id"))]
        problems = []
        channel_id = (account.tg_channel_id or "").strip()
        group_id = (account.tg_group_id or "").strip()
        if not channel_id:
            problems.append(self.env._("the channel id is not set"))
        if not group_id:
            problems.append(self.env._("the discussion group id is not set"))
        rights = (
            # the channel: an administrator (its posts' comments are in the group)
            (channel_id, self.env._("the channel"), ()),
            (
                group_id,
                self.env._("the discussion group"),
                ("can_delete_messages", "can_restrict_members"),
            ),
        )
        labels = {
            "can_delete_messages": self.env._("cannot delete messages in %s"),
            "can_restrict_members": self.env._("cannot ban users in %s"),
        }
        chats = {}
        for chat_id, label, needed in rights:
            if not chat_id:
                continue
            try:
                chats[chat_id] = client.get_chat(chat_id)
                member = client.get_chat_member(chat_id, bot["id"])
            except (TelegramUnauthorized, TelegramNotFound):
                raise
            except TelegramError as error:
                problems.append(
                    self.env._(
                        "%(chat)s cannot be read (%(error)s)",
                        chat=label,
                        error=error.message,
                    )
                )
                continue
            status = member.get("status")
            if status == "creator":
                continue
            if status != "administrator":
                problems.append(self.env._("the bot is not an administrator of %s", label))
                continue
            for right in needed:
                if not member.get(right):
                    problems.append(labels[right] % label)
        channel = chats.get(channel_id)
        if channel and group_id in chats:
            linked = str(channel.get("linked_chat_id") or "")
            if linked != group_id:
                problems.append(
                    self.env._(
                        "the group %(group)s is not the channel's linked discussion group "
                        "(Telegram names %(linked)s)",
                        group=group_id,
                        linked=linked or self.env._("none"),
                    )
                )
        username = (account.tg_channel_username or "").strip().lstrip("@")
        if channel and channel.get("username") and channel["username"].lower() != username.lower():
            problems.append(
                self.env._(
                    "the channel's user name is %(actual)s, the page says %(given)s",
                    actual=channel["username"],
                    given=username or self.env._("none"),
                )
            )
        return problems, facts

    def _tg_test_connection(self):
        """The connection test of a Telegram page: one message saying what works
        and what is missing; the health records the outcome."""
        try:
            problems, facts = self._tg_check()
        except TelegramError as error:
            self._connector_error("test", error, alert=_is_tg_auth(error))
            return [error_message(self.env, error)], True
        if problems:
            message = self.env._("What is missing: %s.", "; ".join(problems))
            self._connector_error("test", ValueError(message))
            return [*facts, message], True
        self._connector_success()
        return [
            *facts,
            self.env._(
                "The bot is an administrator of the channel and of its discussion group, "
                "deletes messages and bans users: the connection works."
            ),
        ], False

    def action_test_connection(self):
        if self.network != "telegram":
            return super().action_test_connection()
        self.ensure_one()
        self._check_connector_admin()
        results, failed = self._tg_test_connection()
        return _notification(
            self.env,
            self.env._("Connection test"),
            "\n".join(results),
            "warning" if failed else "success",
        )

    # ------------------------------------------------------------------
    # Polling (getUpdates), when no webhook is set
    # ------------------------------------------------------------------
    @api.model
    def _poll_domain(self):
        # a page in webhook mode is never polled: getUpdates would fail (409) while
        # the webhook is set, and the two would read the same updates
        return expression.OR(
            [
                super()._poll_domain(),
                [
                    ("connector_enabled", "=", True),
                    ("network", "=", "telegram"),
                    ("tg_intake_mode", "=", "polling"),
                ],
            ]
        )

    def _poll_network(self):
        if self.network == "telegram":
            return self._poll_telegram()
        return super()._poll_network()

    def _tg_lock_bot(self):
        """Take this transaction's lock of the page's bot; False when another
        worker holds it (it is polling the same bot now)."""
        # sudo: the bot token is only hashed into the lock's key (tg_bot_key): none of it leaves
        self.env.cr.execute(
            "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))",
            (TG_POLL_LOCK_CLASS, tg_bot_key(self.sudo().tg_bot_token)),
        )
        return self.env.cr.fetchone()[0]

    def _poll_telegram(self, limit=100):
        """Read the bot's pending updates from the saved offset, store them in
        the event store and save the next offset with them (one transaction:
        an update is never lost nor stored twice), then turn them into
        incidents; return the incidents registered."""
        self.ensure_one()
        # sudo: the administrators-only mode and offset, for the job or action_poll_now()'s admin
        account = self.sudo()
        if account.tg_intake_mode != "polling":
            raise UserError(
                self.env._(
                    "The page receives its updates by webhook: it is not polled (set the mode "
                    "to polling and press Connect the Webhook to remove the webhook)."
                )
            )
        client = self._telegram_client()
        # sudo: the event store is the server's (nobody creates events); it keeps Telegram's updates
        Event = self.env["social.inbound.event"].sudo()
        if not self._tg_lock_bot():
            return self.env["social.incident"]
        updates = client.get_updates(
            offset=account.tg_update_offset or None,
            limit=limit,
            timeout=0,
            allowed_updates=self._tg_allowed_updates(),
        )
        if not updates:
            return self.env["social.incident"]
        before = Event.search([], order="id desc", limit=1).id or 0
        Event._tg_updates_to_events(account, updates)
        self._write_system({"tg_update_offset": max(update["update_id"] for update in updates) + 1})
        events = Event.search(
            [("account_id", "=", account.id), ("id", ">", before), ("state", "=", "pending")],
            order="id",
        )
        events._process()
        return events.incident_id

    def action_poll_now(self):
        # sudo: the mode only picks the message; both branches refuse a non-administrator
        if self.network == "telegram" and self.sudo().tg_intake_mode != "polling":
            self._check_connector_admin()
            raise UserError(
                self.env._(
                    "The page receives its updates by webhook: Telegram sends them at once, "
                    "nothing is polled."
                )
            )
        return super().action_poll_now()


def tg_bot_key(token):
    """A key naming the bot of ``token`` that reveals nothing of it."""
    return hashlib.sha256((token or "").strip().encode()).hexdigest()


def _is_tg_auth(error):
    """A failure only an administrator fixes: the token is wrong or revoked."""
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
