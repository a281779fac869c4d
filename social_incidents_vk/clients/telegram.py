"""A small client of the Telegram Bot API (https://core.telegram.org/bots/api), without Odoo.

What the addon needs from Telegram, with one bot token:

* ``getMe``, ``getChat``, ``getChatMember``: the connection check (is the bot an
  administrator of the channel and of its discussion group, with which rights);
* ``setWebhook``, ``deleteWebhook``, ``getWebhookInfo``: the webhook;
* ``getUpdates``: polling, for an administration without a public address;
* ``sendMessage``, ``sendPhoto``, ``sendMediaGroup``: the approved reply, in
  the discussion group, as a reply to the citizen's comment;
* ``deleteMessage``, ``banChatMember``: moderation.

Every request is a ``POST`` to ``{api_url}/bot{token}/{method}`` with a JSON
body, or a ``multipart/form-data`` body when photos are uploaded (the other
parameters then go as form fields, objects JSON-encoded). Telegram answers
``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": 400,
"description": "Bad Request: ...", "parameters": {"retry_after": 5}}`` with the
HTTP status equal to ``error_code``; each status has its exception class
(:class:`TelegramBadRequest` for 400, :class:`TelegramForbidden` for 403, …).

Retries (``max_retries``, backoff ``backoff * 2 ** attempt`` seconds):

* timeouts, connection failures, HTTP 5xx and answers that are not JSON are
  retried; a sending method (``sendMessage``, ``sendPhoto``, ``sendMediaGroup``)
  is retried only when Telegram surely did not receive it (the connection could
  not be opened), since Telegram has no idempotency key and a retry after a
  lost answer could post twice;
* 429 "Too Many Requests" with ``retry_after`` <= ``max_retry_after`` seconds:
  the client sleeps ``retry_after`` seconds and tries again (Telegram refused
  the request, so this is safe for sending methods too); a longer
  ``retry_after`` raises :class:`TelegramRateLimited` at once, for the caller
  to reschedule the work.

Rate limiting (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this),
process-wide, keyed by a SHA-256 of the token, never the token itself:

* 30 requests a second per bot (all methods), spaced evenly;
* 20 sending calls a minute per group chat (a negative chat id), in a sliding
  window; a call that would wait longer than ``max_retry_after`` raises
  :class:`TelegramRateLimited` with the wait as ``retry_after`` instead.

The bot token is part of the URL path, so it is redacted from every text that
leaves this module: exception messages, the client's own log records and
those of ``urllib3`` (which logs the request line at DEBUG level).
"""

import hashlib
import json
import logging
import math
import re
import threading
import time
from collections import deque

import requests
from urllib3.exceptions import NewConnectionError

from .base import ApiError, RateLimiter, Transient, call_with_retries

_logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org"

#: Requests per second per bot.
BOT_RATE_LIMIT = 30.0
#: Sending calls per minute per group chat.
GROUP_SEND_LIMIT = 20
GROUP_SEND_PERIOD = 60.0

#: Methods that post something: never retried unless surely refused, and
#: counted against the per-group limit.
SENDING_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendMediaGroup", "sendDocument", "forwardMessage", "copyMessage"}
)

#: A bot token in a URL path (``/bot123456:ABC-def/getMe``).
_TOKEN_IN_PATH = re.compile(r"/bot[^/\s\"'?]+")


def redact(text, token=None):
    """``text`` without the bot token (``token`` and any ``/bot<token>`` path)."""
    text = str(text)
    if token:
        text = text.replace(token, "***")
    return _TOKEN_IN_PATH.sub("/bot***", text)


class _RedactBotTokens(logging.Filter):
    """Rewrites the log records of a logger (urllib3's) without bot tokens."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001  (a broken record is not ours to fix)
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True


def _install_log_filters():
    for name in ("urllib3.connectionpool", "urllib3.util.retry"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _RedactBotTokens) for f in logger.filters):
            logger.addFilter(_RedactBotTokens())


_install_log_filters()


# ----------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------
class TelegramError(ApiError):
    """A failed Bot API call.

    :ivar code: Telegram's ``error_code`` (the HTTP status), ``None`` for a
        transport failure
    :ivar message: Telegram's ``description`` (or a description of the failure)
    :ivar retry_after: seconds to wait, from ``parameters.retry_after`` (429)
    :ivar parameters: Telegram's ``parameters`` (``retry_after``,
        ``migrate_to_chat_id``)
    :ivar may_have_arrived: the request may have been carried out although it
        failed (a timeout, a dropped connection, a 5xx): a send is then not
        to be repeated without checking
    """

    network = "Telegram"
    may_have_arrived = False

    def __init__(self, message, code=None, method="", retry_after=None, parameters=None):
        super().__init__(message, code=code, method=method)
        self.retry_after = retry_after
        self.parameters = dict(parameters or {})


class TelegramNetworkError(TelegramError):
    """Timeout or connection failure (``code`` None), after the retries."""


class TelegramServerError(TelegramError):
    """HTTP 5xx or an answer that is not Telegram's JSON, after the retries."""


class TelegramBadRequest(TelegramError):
    """400: "Bad Request: chat not found", "message to be replied not found", …"""


class TelegramUnauthorized(TelegramError):
    """401: the bot token is wrong or revoked."""


class TelegramForbidden(TelegramError):
    """403: "Forbidden: bot was kicked from the supergroup chat", "bot is not a member …"."""


class TelegramNotFound(TelegramError):
    """404: no such method (or a malformed token in the path)."""


class TelegramConflict(TelegramError):
    """409: "Conflict: can't use getUpdates method while webhook is active …"."""


class TelegramRateLimited(TelegramError):
    """429 with a ``retry_after`` too long to wait here (or still 429 after
    the retries), or the local per-group limit; reschedule after ``retry_after``."""


_STATUS_CLASSES = {
    400: TelegramBadRequest,
    401: TelegramUnauthorized,
    403: TelegramForbidden,
    404: TelegramNotFound,
    409: TelegramConflict,
    429: TelegramRateLimited,
}


def telegram_error_class(code):
    """The exception class of an ``error_code``."""
    if code is not None and code >= 500:
        return TelegramServerError
    return _STATUS_CLASSES.get(code, TelegramError)


# ----------------------------------------------------------------------
# Rate limiting
# ----------------------------------------------------------------------
class WindowLimiter:
    """At most ``limit`` calls in any ``period`` seconds; thread-safe.

    Bursts pass at once; the call that would exceed the limit waits until
    the oldest call of the window leaves it. Slots are reserved under a lock
    and waited for outside it."""

    def __init__(self, limit, period):
        if limit <= 0 or period <= 0:
            raise ValueError("A window limit needs a positive limit and period.")
        self.limit = int(limit)
        self.period = float(period)
        self._lock = threading.Lock()
        self._slots = deque()

    def _slot(self, now, count):
        while self._slots and self._slots[0] <= now - self.period:
            self._slots.popleft()
        slot = max(now, self._slots[-1]) if self._slots else now
        index = len(self._slots) - self.limit + count - 1
        if index >= 0:
            slot = max(slot, self._slots[index] + self.period)
        return slot

    def wait_time(self, clock=time.monotonic, count=1):
        """The wait (seconds) ``count`` calls would have now, reserving nothing."""
        count = max(1, min(int(count), self.limit))
        with self._lock:
            now = clock()
            return self._slot(now, count) - now

    def reserve(self, clock=time.monotonic, count=1, max_wait=None):
        """Reserve ``count`` calls; return the wait before them (seconds).

        When the wait would exceed ``max_wait`` nothing is reserved and
        ``None`` is returned."""
        count = max(1, min(int(count), self.limit))
        with self._lock:
            now = clock()
            slot = self._slot(now, count)
            wait = slot - now
            if max_wait is not None and wait > max_wait:
                return None
            self._slots.extend([slot] * count)
        return wait


_bot_limiters = {}
_group_limiters = {}
_limiters_lock = threading.Lock()


def _token_key(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def bot_rate_limiter(token):
    """The process-wide limiter of the bot (30 requests a second)."""
    key = _token_key(token)
    with _limiters_lock:
        limiter = _bot_limiters.get(key)
        if limiter is None:
            limiter = _bot_limiters[key] = RateLimiter(BOT_RATE_LIMIT)
        return limiter


def group_send_limiter(token, chat_id):
    """The process-wide limiter of the bot's sending calls to one group chat."""
    key = (_token_key(token), str(chat_id))
    with _limiters_lock:
        limiter = _group_limiters.get(key)
        if limiter is None:
            limiter = _group_limiters[key] = WindowLimiter(GROUP_SEND_LIMIT, GROUP_SEND_PERIOD)
        return limiter


def reset_rate_limiters():
    """Forget every shared limiter (for tests)."""
    with _limiters_lock:
        _bot_limiters.clear()
        _group_limiters.clear()


def _not_connected(exc):
    """True when a ``requests.ConnectionError`` failed before any byte was sent."""
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, NewConnectionError)


def _is_group_chat(chat_id):
    try:
        return int(chat_id) < 0
    except (TypeError, ValueError):
        return False


# ----------------------------------------------------------------------
# Parameters
# ----------------------------------------------------------------------
def _clean(params):
    return {key: value for key, value in params.items() if value is not None}


def _form_value(value):
    """A parameter as a multipart form field: objects JSON-encoded."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _reply_parameters(reply_to_message_id):
    if reply_to_message_id is None:
        return None
    return {"message_id": int(reply_to_message_id), "allow_sending_without_reply": False}


# ----------------------------------------------------------------------
# Client
# ----------------------------------------------------------------------
class TelegramClient:
    """Calls Bot API methods with one bot token.

    :param token: the bot token from @BotFather (``123456:ABC-…``)
    :param api_url: the Bot API server, without the trailing ``/bot…``
    :param timeout: seconds, for every HTTP request (``getUpdates`` adds its
        long-polling timeout)
    :param max_retries: retries after a transient failure (0: none)
    :param backoff: first pause before a retry, doubled at each retry
    :param session: a ``requests.Session`` (one is created otherwise)
    :param sleep: the sleep function (injected in tests)
    :param max_retry_after: the longest ``retry_after`` (seconds) waited here
    :param rate_limit: apply the per-bot and per-group limits (``False`` in
        tests that need speed)
    :param clock: the monotonic clock of the rate limiters (injected in tests)
    """

    def __init__(
        self,
        token,
        api_url=DEFAULT_API_URL,
        timeout=10,
        max_retries=2,
        backoff=0.5,
        session=None,
        sleep=time.sleep,
        max_retry_after=5,
        rate_limit=True,
        clock=time.monotonic,
    ):
        if not token or not str(token).strip():
            raise ValueError("A Telegram bot token is required.")
        self._token = str(token).strip()
        self.api_url = (api_url or DEFAULT_API_URL).rstrip("/")
        self.timeout = timeout
        self.max_retries = max(0, int(max_retries))
        self.backoff = max(0.0, float(backoff))
        self.session = session if session is not None else requests.Session()
        self.max_retry_after = max_retry_after
        self.rate_limit = bool(rate_limit)
        self._sleep = sleep
        self._clock = clock
        self.rate_limiter = bot_rate_limiter(self._token) if self.rate_limit else None

    def __repr__(self):
        return f"<TelegramClient bot #{_token_key(self._token)[:8]}>"

    # ------------------------------------------------------------------
    # Generic call
    # ------------------------------------------------------------------
    def call(self, method, **params):
        """Call ``method`` with ``params`` (``None`` values left out); return
        Telegram's ``result``. Raises a :class:`TelegramError` subclass."""
        return self._call(method, _clean(params))

    def _call(self, method, params, files=None, timeout=None, sends=1):
        url = f"{self.api_url}/bot{self._token}/{method}"
        return call_with_retries(
            lambda: self._request(method, url, params, files, timeout or self.timeout, sends),
            method=method,
            max_retries=self.max_retries,
            backoff=self.backoff,
            sleep=self._sleep,
            redact=self._redact,
            logger=_logger,
            idempotent=method not in SENDING_METHODS,
        )

    def _throttle(self, method, params, sends):
        if not self.rate_limit:
            return
        chat_id = params.get("chat_id")
        if method in SENDING_METHODS and _is_group_chat(chat_id):
            limiter = group_send_limiter(self._token, chat_id)
            wait = limiter.reserve(self._clock, count=sends, max_wait=self.max_retry_after)
            if wait is None:  # nothing reserved, nothing sent
                retry_after = max(1, math.ceil(limiter.wait_time(self._clock, count=sends)))
                raise TelegramRateLimited(
                    f"more than {GROUP_SEND_LIMIT} messages a minute to chat {chat_id}; "
                    f"retry after {retry_after} s",
                    code=429,
                    method=method,
                    retry_after=retry_after,
                    parameters={"retry_after": retry_after},
                )
            if wait > 0:
                self._sleep(wait)
        self.rate_limiter.acquire(self._clock, self._sleep)

    def _request(self, method, url, params, files, timeout, sends):
        self._throttle(method, params, sends)
        _logger.debug("Telegram API call %s", method)
        try:
            if files:
                data = {key: _form_value(value) for key, value in params.items()}
                response = self.session.post(url, data=data, files=files, timeout=timeout)
            else:
                response = self.session.post(url, json=params, timeout=timeout)
        except requests.ConnectTimeout:
            error = TelegramNetworkError(f"connection timed out after {timeout} s", method=method)
            raise Transient(error, refused=True) from None
        except requests.Timeout:
            error = TelegramNetworkError(f"no answer within {timeout} s", method=method)
            error.may_have_arrived = True
            raise Transient(error) from None
        except requests.ConnectionError as exc:
            error = TelegramNetworkError(
                f"connection failed: {self._redact(str(exc))}", method=method
            )
            # the request may have reached Telegram unless no connection was made
            refused = _not_connected(exc)
            error.may_have_arrived = not refused
            raise Transient(error, refused=refused) from None
        except requests.RequestException as exc:
            raise TelegramNetworkError(
                f"request failed: {self._redact(str(exc))}", method=method
            ) from None
        return self._result(method, response)

    def _result(self, method, response):
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or "ok" not in body:
            if status == 200 or status >= 500:
                what = "the answer is not JSON" if status == 200 else f"HTTP {status}"
                error = TelegramServerError(what, code=None, method=method)
                error.may_have_arrived = True
                raise Transient(error)
            if status == 429:
                error = TelegramRateLimited("HTTP 429 Too Many Requests", code=429, method=method)
                raise Transient(error, refused=True)
            raise telegram_error_class(status)(
                f"unexpected HTTP status {status}", code=status, method=method
            )
        if body.get("ok"):
            return body.get("result")
        try:
            code = int(body.get("error_code") or status)
        except (TypeError, ValueError):
            code = status
        parameters = body.get("parameters") if isinstance(body.get("parameters"), dict) else {}
        retry_after = parameters.get("retry_after")
        description = self._redact(str(body.get("description") or f"HTTP {status}"))
        error = telegram_error_class(code)(
            description,
            code=code,
            method=method,
            retry_after=retry_after,
            parameters=parameters,
        )
        if code == 429:
            if retry_after is None:
                raise Transient(error, refused=True)
            if retry_after <= self.max_retry_after:
                raise Transient(error, refused=True, delay=max(0, retry_after))
            raise error
        if code >= 500:
            error.may_have_arrived = True
            raise Transient(error)
        raise error

    def _redact(self, text):
        return redact(text, self._token)

    # ------------------------------------------------------------------
    # Methods
    # ------------------------------------------------------------------
    def get_me(self):
        """The bot: ``{"id", "is_bot", "first_name", "username", ...}``."""
        return self.call("getMe")

    def get_chat(self, chat_id):
        """A chat (``-100…`` id or ``@username``): ``{"id", "type", "title",
        "username", "linked_chat_id", ...}``."""
        return self.call("getChat", chat_id=chat_id)

    def get_chat_member(self, chat_id, user_id):
        """A member of a chat: ``{"status": "administrator", "user",
        "can_delete_messages", "can_restrict_members", "can_post_messages", ...}``."""
        return self.call("getChatMember", chat_id=chat_id, user_id=int(user_id))

    def set_webhook(
        self, url, secret_token, allowed_updates, drop_pending_updates=False, max_connections=None
    ):
        """Have Telegram POST the updates to ``url`` with the header
        ``X-Telegram-Bot-Api-Secret-Token: secret_token``; returns True."""
        return self.call(
            "setWebhook",
            url=url,
            secret_token=secret_token or None,
            allowed_updates=list(allowed_updates) if allowed_updates is not None else None,
            drop_pending_updates=bool(drop_pending_updates) or None,
            max_connections=max_connections,
        )

    def delete_webhook(self, drop_pending_updates=False):
        """Stop the webhook (``getUpdates`` works again); returns True."""
        return self.call("deleteWebhook", drop_pending_updates=bool(drop_pending_updates) or None)

    def get_webhook_info(self):
        """``{"url", "pending_update_count", "last_error_date", "last_error_message", ...}``."""
        return self.call("getWebhookInfo")

    def get_updates(self, offset=None, limit=100, timeout=0, allowed_updates=None):
        """The pending updates from ``offset`` on (which confirms the earlier
        ones); ``timeout`` seconds of long polling."""
        timeout = max(0, int(timeout or 0))
        return self._call(
            "getUpdates",
            _clean(
                {
                    "offset": offset,
                    "limit": limit,
                    "timeout": timeout,
                    "allowed_updates": (
                        list(allowed_updates) if allowed_updates is not None else None
                    ),
                }
            ),
            timeout=self.timeout + timeout,
        )

    def send_message(self, chat_id, text, reply_to_message_id=None, message_thread_id=None):
        """Post ``text`` (as a reply to ``reply_to_message_id``, which must
        exist); returns the Message."""
        if not text or not str(text).strip():
            raise ValueError("A message needs a text.")
        params = _clean(
            {
                "chat_id": chat_id,
                "text": text,
                "message_thread_id": message_thread_id,
                "reply_parameters": _reply_parameters(reply_to_message_id),
            }
        )
        return self._call("sendMessage", params)

    def send_photo(
        self, chat_id, photo, caption=None, reply_to_message_id=None, message_thread_id=None
    ):
        """Upload one photo, ``(filename, bytes, mimetype)`` (or send a
        ``file_id``/URL string); returns the Message."""
        params = _clean(
            {
                "chat_id": chat_id,
                "caption": caption or None,
                "message_thread_id": message_thread_id,
                "reply_parameters": _reply_parameters(reply_to_message_id),
            }
        )
        if isinstance(photo, str):
            params["photo"] = photo
            return self._call("sendPhoto", params)
        return self._call("sendPhoto", params, files={"photo": tuple(photo)})

    def send_media_group(
        self, chat_id, photos, caption=None, reply_to_message_id=None, message_thread_id=None
    ):
        """Upload 2 to 10 photos as one album (``caption`` under the first);
        returns the list of Messages."""
        photos = list(photos)
        if not 2 <= len(photos) <= 10:
            raise ValueError("An album has 2 to 10 photos.")
        media, files = [], {}
        for index, photo in enumerate(photos):
            item = {"type": "photo"}
            if isinstance(photo, str):
                item["media"] = photo
            else:
                name = f"photo{index}"
                item["media"] = f"attach://{name}"
                files[name] = tuple(photo)
            if index == 0 and caption:
                item["caption"] = caption
            media.append(item)
        params = _clean(
            {
                "chat_id": chat_id,
                "media": media,
                "message_thread_id": message_thread_id,
                "reply_parameters": _reply_parameters(reply_to_message_id),
            }
        )
        return self._call("sendMediaGroup", params, files=files or None, sends=len(photos))

    def delete_message(self, chat_id, message_id):
        """Delete a message (the bot needs ``can_delete_messages`` for other
        people's messages); returns True."""
        return self.call("deleteMessage", chat_id=chat_id, message_id=int(message_id))

    def ban_chat_member(self, chat_id, user_id, until_date=None, revoke_messages=False):
        """Ban a user from the group (``until_date``: unix time, None for
        ever; ``revoke_messages``: delete all their messages); returns True."""
        return self.call(
            "banChatMember",
            chat_id=chat_id,
            user_id=int(user_id),
            until_date=until_date,
            revoke_messages=bool(revoke_messages) or None,
        )
