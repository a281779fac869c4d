import logging
import re
import secrets
from datetime import timedelta

import psycopg2.errors
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.social_incidents.models.constants import ADMIN_GROUP
from odoo.addons.social_incidents.models.helpers import schedule_for_administrators
from odoo.addons.social_incidents.tools import clock, guard

from ..clients.ok import OkAuthError, OkClient, OkError
from ..clients.telegram import (
    TelegramConflict,
    TelegramError,
    TelegramForbidden,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRateLimited,
    TelegramServerError,
    TelegramUnauthorized,
)
from ..clients.vk import (
    VkAccessError,
    VkAuthError,
    VkCaptchaError,
    VkClient,
    VkError,
    VkNetworkError,
    VkRateLimitError,
    VkServerError,
)

_logger = logging.getLogger(__name__)

SECRET_FIELDS = (
    "vk_community_token",
    "vk_user_token",
    "vk_service_token",
    "vk_secret",
    "ok_application_secret_key",
    "ok_access_token",
    "tg_bot_token",
    "tg_webhook_secret",
)
# VK's ban reasons (groups.ban): 0 other, 1 spam, 2 verbal abuse, 3 strong language.
VK_BAN_REASONS = {"law": 0, "spam": 1, "insult": 2, "obscene": 3}


class SocialAccount(models.Model):
    """The connector of an official page: credentials (administrators only),
    the webhook address and the connector's health."""

    _name = "social.account"
    _inherit = ["social.account", "mail.activity.mixin", "social.protected.mixin"]
    # The connector's health is what happened, written by the connector only.
    _protected_fields = (
        "last_success_at",
        "last_poll_at",
        "last_error",
        "last_error_at",
        "webhook_token",
    )

    connector_enabled = fields.Boolean(
        string="Connected",
        groups=ADMIN_GROUP,
        tracking=True,
        help="Receive its comments as incidents and post the approved replies through the API.",
    )
    # VK community
    vk_group_id = fields.Char(
        string="VK Community ID",
        compute="_compute_vk_group_id",
        store=True,
        readonly=False,
        help="The community's numeric id (without the minus sign).",
    )
    vk_community_token = fields.Char(string="Community Token", groups=ADMIN_GROUP, copy=False)
    vk_user_token = fields.Char(
        string="Moderator's User Token",
        groups=ADMIN_GROUP,
        copy=False,
        help="Token of a community administrator with the wall and groups rights: deletes "
        "comments and bans authors.",
    )
    vk_service_token = fields.Char(
        string="Service Token",
        groups=ADMIN_GROUP,
        copy=False,
        help="The application's service token: reads authors' names.",
    )
    vk_secret = fields.Char(
        string="Callback API Secret",
        groups=ADMIN_GROUP,
        copy=False,
        help="The secret key set in the community's Callback API settings; "
        "every event must carry it.",
    )
    vk_confirmation = fields.Char(
        string="Confirmation String",
        groups=ADMIN_GROUP,
        copy=False,
        help="The string VK expects in answer to the confirmation request.",
    )
    vk_api_version = fields.Char(string="VK API Version", default="5.199", groups=ADMIN_GROUP)
    vk_api_url = fields.Char(
        string="VK API Address",
        default="https://api.vk.com/method/",
        groups=ADMIN_GROUP,
    )
    # OK group
    ok_application_key = fields.Char(string="OK Application Key", groups=ADMIN_GROUP, copy=False)
    ok_application_secret_key = fields.Char(
        string="OK Application Secret Key", groups=ADMIN_GROUP, copy=False
    )
    ok_access_token = fields.Char(string="OK Access Token", groups=ADMIN_GROUP, copy=False)
    ok_group_id = fields.Char(
        string="OK Group ID", compute="_compute_vk_group_id", store=True, readonly=False
    )
    ok_api_url = fields.Char(
        string="OK API Address", default="https://api.ok.ru/fb.do", groups=ADMIN_GROUP
    )
    poll_post_count = fields.Integer(
        string="Posts Polled",
        default=10,
        groups=ADMIN_GROUP,
        help="How many recent posts (topics) the polling reads comments of.",
    )
    # Health
    webhook_token = fields.Char(
        string="Callback API Address Token",
        groups=ADMIN_GROUP,
        copy=False,
        readonly=True,
        help="The unguessable part of the Callback API address: requests without it are refused.",
    )
    webhook_url = fields.Char(
        string="Callback API Address",
        compute="_compute_webhook_url",
        groups=ADMIN_GROUP,
        help="Paste it into the community's Callback API settings in VK; "
        "it carries the page's secret token.",
    )
    webhook_refused_count = fields.Integer(
        string="Refused Requests (24 h)",
        compute="_compute_webhook_refused",
        groups=ADMIN_GROUP,
        help="Requests to the Callback API address refused in the last 24 hours: "
        "wrong address token, wrong or missing secret key, or an event of another community.",
    )
    webhook_refused_last_at = fields.Datetime(
        string="Last Refused Request",
        compute="_compute_webhook_refused",
        groups=ADMIN_GROUP,
    )
    last_event_at = fields.Datetime(string="Last Event Received", compute="_compute_last_event_at")
    last_success_at = fields.Datetime(string="Last Successful Call", readonly=True)
    last_poll_at = fields.Datetime(string="Last Polling", readonly=True)
    last_post_at = fields.Datetime(
        string="Last Post on the Page",
        readonly=True,
        help="From the wall_post_new events: the weekly posting quota (KOR A1 5, BAT 6).",
    )
    last_error = fields.Text(readonly=True)
    last_error_at = fields.Datetime(readonly=True)
    connector_log_ids = fields.One2many("social.connector.log", "account_id")
    connector_state = fields.Selection(
        [
            ("off", "Not Connected"),
            ("unchecked", "Not Checked Yet"),
            ("ok", "Working"),
            ("error", "Failing"),
        ],
        compute="_compute_connector_state",
        help="Not checked yet: since it was connected, no call to the network and no event has "
        "happened; test the connection. Failing: the last call failed (the error is shown above).",
    )

    @api.depends("external_id", "network")
    def _compute_vk_group_id(self):
        for account in self:
            page_id = (account.external_id or "").strip().lstrip("-")
            if account.network == "vk" and not account.vk_group_id and page_id.isdigit():
                account.vk_group_id = page_id
            if account.network == "ok" and not account.ok_group_id and page_id.isdigit():
                account.ok_group_id = page_id

    def _compute_last_event_at(self):
        # read from the events: writing the page on every delivery would make
        # concurrent deliveries wait for each other
        last = dict(
            self.env["social.inbound.event"]
            .sudo()
            ._read_group([("account_id", "in", self.ids)], ["account_id"], ["received_at:max"])
        )
        for account in self:
            account.last_event_at = last.get(account, False)

    def _compute_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for account in self:
            token = account.sudo().webhook_token
            account.webhook_url = (
                f"{base}/social_incidents_vk/vk/{account.id}/{token}"
                if account.network == "vk" and account.id and token
                else False
            )

    def _compute_webhook_refused(self):
        since = clock.now() - timedelta(hours=24)
        counts = {
            account: (total, last)
            for account, total, last in self.env["social.webhook.refusal"]
            .sudo()
            ._read_group(
                [("account_id", "in", self.ids), ("minute", ">=", since)],
                ["account_id"],
                ["count:sum", "minute:max"],
            )
        }
        for account in self:
            account.webhook_refused_count, account.webhook_refused_last_at = counts.get(
                account, (0, False)
            )

    @api.model_create_multi
    def create(self, vals_list):
        self = self._without_protected_defaults()  # noqa: PLW0642
        self._check_protected_create(vals_list)
        for vals in vals_list:
            vals["webhook_token"] = new_webhook_token()
        # the address token is the server's own, never a client's
        with guard.system_write():
            return super().create(vals_list)

    def init(self):
        res = super().init()
        # pages created before the token existed get one each
        self.env.cr.execute("SELECT id FROM social_account WHERE webhook_token IS NULL")
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            self.env.cr.execute(
                "UPDATE social_account AS a SET webhook_token = v.token FROM (VALUES %s) AS v(id, "
                "token) WHERE a.id = v.id" % ", ".join(["(%s, %s)"] * len(ids)),
                [value for account_id in ids for value in (account_id, new_webhook_token())],
            )
        return res

    @api.depends("connector_enabled", "last_success_at", "last_error_at")
    def _compute_connector_state(self):
        for account in self:
            sudo = account.sudo()
            if not sudo.connector_enabled:
                account.connector_state = "off"
            elif not (account.last_success_at or account.last_event_at or account.last_error_at):
                # nothing has happened yet: "Working" would be a promise
                account.connector_state = "unchecked"
            elif account.last_error_at and account.last_error_at > max(
                filter(None, [account.last_success_at, account.last_event_at]),
                default=account.last_error_at.replace(year=1970),
            ):
                account.connector_state = "error"
            else:
                account.connector_state = "ok"

    # ------------------------------------------------------------------
    # Clients
    # ------------------------------------------------------------------
    def _vk_client(self, token_type="community"):
        """A VK client with this page's token of ``token_type``."""
        self.ensure_one()
        account = self.sudo()
        token = {
            "community": account.vk_community_token,
            "user": account.vk_user_token,
            "service": account.vk_service_token,
        }[token_type]
        if not token:
            labels = {
                "community": self.env._("community token"),
                "user": self.env._("moderator's user token"),
                "service": self.env._("service token"),
            }
            raise UserError(
                self.env._(
                    "The page %(page)s has no %(token)s: an administrator sets it on the page's "
                    "Connector tab.",
                    page=self.name,
                    token=labels[token_type],
                )
            )
        return VkClient(
            token,
            token_type=token_type,
            api_version=account.vk_api_version or "5.199",
            base_url=account.vk_api_url or "https://api.vk.com/method/",
            **self._client_options(),
        )

    def _ok_client(self):
        self.ensure_one()
        account = self.sudo()
        if not (
            account.ok_application_key
            and account.ok_application_secret_key
            and account.ok_access_token
        ):
            raise UserError(
                self.env._(
                    "The page %s lacks its OK application key, secret key or access token.",
                    self.name,
                )
            )
        return OkClient(
            account.ok_application_key,
            account.ok_application_secret_key,
            account.ok_access_token,
            base_url=account.ok_api_url or "https://api.ok.ru/fb.do",
            **self._client_options(),
        )

    @api.model
    def _client_options(self):
        """Timeout and retries of the API calls (system parameters
        social_incidents_vk.timeout, .max_retries, .retry_backoff)."""
        get = self.env["ir.config_parameter"].sudo().get_param
        return {
            "timeout": float(get("social_incidents_vk.timeout", 10)),
            "max_retries": int(get("social_incidents_vk.max_retries", 3)),
            "backoff": float(get("social_incidents_vk.retry_backoff", 0.5)),
        }

    def _vk_owner_id(self):
        self.ensure_one()
        group = (self.vk_group_id or "").strip().lstrip("-")
        if not group.isdigit():
            raise UserError(self.env._("Set the VK community id of the page %s.", self.name))
        return -int(group)

    # ------------------------------------------------------------------
    # Health
    # ------------------------------------------------------------------
    def _connector_success(self):
        for account in self:
            account._write_health({"last_success_at": clock.now()})

    def _write_health(self, vals):
        """Write the page's health fields without waiting for, or failing on,
        another worker that writes them at the same moment (two jobs posting
        replies of the same page): theirs stands, as recent as this one, and
        this write is dropped. Returns whether it was written."""
        self.ensure_one()
        cr = self.env.cr
        self.flush_recordset(list(vals))
        try:
            with cr.savepoint(flush=False):
                cr.execute(
                    "SELECT id FROM social_account WHERE id = %s FOR UPDATE SKIP LOCKED",
                    (self.id,),
                    log_exceptions=False,
                )
                if not cr.fetchone():
                    return False
                self._write_system(vals)
                self.flush_recordset(list(vals))
        except (psycopg2.errors.SerializationFailure, psycopg2.errors.LockNotAvailable):
            self.invalidate_recordset(list(vals))
            return False
        return True

    def _connector_error(self, operation, error, alert=False):
        """Record a failed call (never with a secret) and, for failures an
        administrator must fix (secret, token), give them an activity."""
        message = error_message(self.env, error)
        now = clock.now()
        for account in self.sudo():
            account._write_health({"last_error": message, "last_error_at": now})
            self.env["social.connector.log"].sudo().create(
                {"account_id": account.id, "operation": operation, "message": message}
            )
            _logger.warning("Connector of page %s: %s failed: %s", account.id, operation, message)
            if alert:
                account._alert_administrators(message)

    def _alert_administrators(self, message):
        schedule_for_administrators(
            self.sudo(),
            "social_incidents_vk.mail_act_social_connector",
            summary=lambda account: account.env._("Connector of %s fails", account.name),
            note=lambda account: Markup("<p>%s</p>") % message,
        )

    def _check_connector_admin(self):
        if not (self.env.su or self.env.user.has_group(ADMIN_GROUP)):
            raise AccessError(
                self.env._("Only an administrator of the incidents manages the connector.")
            )

    def action_new_webhook_token(self):
        """A new address token (the old one leaked): the old address stops
        answering at once; paste the new one into VK."""
        self._check_connector_admin()
        for account in self:
            account._write_system({"webhook_token": new_webhook_token()})
            account.message_post(
                body=self.env._(
                    "A new Callback API address was issued: the previous one no longer answers."
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _vk_check_community(self, client):
        """The connection check's call with the community token:
        ``groups.getById`` with ``fields=verified``, which also tells whether
        VK shows the community's verified mark (KOR A1 11-13); a change is
        recorded on the page (tracked) with a note."""
        result = client.groups_get_by_id(self.vk_group_id, fields="verified")
        groups = result.get("groups") if isinstance(result, dict) else result
        group = groups[0] if isinstance(groups, list) and groups else None
        if not isinstance(group, dict) or "verified" not in group:
            return result
        verified = bool(group["verified"])
        if verified != self.verified:
            self.write({"verified": verified})
            self.message_post(
                body=self.env._("VK shows the community's verified mark.")
                if verified
                else self.env._(
                    "VK no longer shows the community's verified mark: apply for it again "
                    "(KOR A1 11-13)."
                ),
                subtype_xmlid="mail.mt_note",
            )
        return result

    def action_test_connection(self):
        """Call the API with each token set and say, in the user's language,
        what works."""
        self.ensure_one()
        self._check_connector_admin()
        results, failed = [], False
        if self.network == "vk":
            for token_type, call in (
                ("community", self._vk_check_community),
                ("user", lambda c: c.users_get([])),
                ("service", lambda c: c.users_get(["1"])),
            ):
                field = f"vk_{token_type}_token"
                if not self.sudo()[field]:
                    continue
                label = self._fields[field].get_description(self.env)["string"]
                try:
                    call(self._vk_client(token_type))
                except VkError as error:
                    failed = True
                    self._connector_error("test", error, alert=_is_auth(error))
                    results.append(
                        self.env._(
                            "%(token)s: %(error)s",
                            token=label,
                            error=error_message(self.env, error),
                        )
                    )
                else:
                    self._connector_success()
                    results.append(self.env._("%(token)s: works.", token=label))
        elif self.network == "ok":
            try:
                self._ok_client().group_topics(self.ok_group_id, count=1)
            except OkError as error:
                failed = True
                self._connector_error("test", error, alert=_is_auth(error))
                results.append(error_message(self.env, error))
            else:
                self._connector_success()
                results.append(self.env._("The connection to OK works."))
        if not results:
            raise UserError(self.env._("Set the page's credentials first."))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Connection test"),
                "message": "\n".join(results),
                "sticky": True,
                "type": "warning" if failed else "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }


def new_webhook_token():
    """An unguessable token for a page's Callback API address (256 bits)."""
    return secrets.token_urlsafe(32)


def _is_auth(error):
    return isinstance(error, VkAuthError | OkAuthError | TelegramUnauthorized | TelegramNotFound)


def error_message(env, error):
    """A clear Russian message (through the translation) for a connector error."""
    if isinstance(error, VkAuthError):
        return env._("VK rejected the token (error 5): an administrator must issue a new one.")
    if isinstance(error, VkCaptchaError):
        return env._("VK asks for a captcha (error 14): try again later or post by hand.")
    if isinstance(error, VkAccessError):
        return env._(
            "VK denies access (error %(code)s): %(message)s. Check the token's rights.",
            code=error.code,
            message=error.message,
        )
    if isinstance(error, VkRateLimitError):
        return env._("VK limits the rate of requests (error %s): it will be retried.", error.code)
    if isinstance(error, VkServerError):
        return env._("VK is failing (%s): it will be retried.", error.code or "HTTP 5xx")
    if isinstance(error, VkNetworkError):
        return env._("VK does not answer (timeout or connection error): it will be retried.")
    if isinstance(error, VkError):
        return env._("VK error %(code)s: %(message)s", code=error.code, message=error.message)
    if isinstance(error, OkError):
        return env._("OK error %(code)s: %(message)s", code=error.code, message=error.message)
    if isinstance(error, TelegramError):
        return _telegram_error_message(env, error)
    return re.sub(r"\s+", " ", str(error))[:500]


def _telegram_error_message(env, error):
    """A clear message (through the translation) for a Bot API error; the
    client never puts the bot token in it."""
    if isinstance(error, TelegramUnauthorized | TelegramNotFound):
        return env._(
            "Telegram rejected the bot token (error %s): an administrator must set the token "
            "@BotFather gave.",
            error.code,
        )
    if isinstance(error, TelegramConflict):
        return env._(
            "Telegram refuses polling (error 409): a webhook is set for this bot. Either keep "
            "the webhook mode, or set the page to polling and press Connect the Webhook, which "
            "removes the webhook."
        )
    if isinstance(error, TelegramForbidden):
        return env._(
            "Telegram denies access (error 403): %s. Check that the bot is an administrator of "
            "the channel and of its discussion group.",
            error.message,
        )
    if isinstance(error, TelegramRateLimited):
        return env._(
            "Telegram limits the rate of requests (error 429): retry after %s s.",
            error.retry_after or "?",
        )
    if isinstance(error, TelegramServerError):
        return env._("Telegram is failing (%s): it will be retried.", error.code or "HTTP 5xx")
    if isinstance(error, TelegramNetworkError):
        return env._("Telegram does not answer (timeout or connection error): it will be retried.")
    return env._("Telegram error %(code)s: %(message)s", code=error.code, message=error.message)
