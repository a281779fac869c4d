"""A small client of the VK API (https://dev.vk.com/ru/reference), without Odoo.

What the addon needs from VK, and with which access token VK accepts it
(from VK's own method schema, github.com/VKCOM/vk-api-schema, API 5.199):

* ``wall.get`` (user, service): polling the community's posts;
* ``wall.getComments`` (user, service): polling the citizens' comments;
* ``wall.getComment`` (user, service): reading a posted reply back (proof of
  publication): ``{"items": [comment]}``, the comment ``"deleted": true`` when
  it was deleted, error 100 or 104 when VK does not know it;
* ``wall.createComment`` (user, community): the approved reply, as the
  community (``from_group`` = the community id);
* ``wall.deleteComment`` (user): deleting a comment;
* ``groups.ban`` (user): banning an author;
* ``users.get`` and ``groups.getById`` (user, community, service): the
  authors' names, the connection test;
* ``groups.getCallbackConfirmationCode`` (user, community): the string the
  Callback API server answers to the ``confirmation`` event;
* ``wall.post`` (user only: VK's schema lists no community token for it): a
  planned post of the content plan, as the community (``from_group=1``),
  with a ``guid`` so that a repeated request never posts twice (VK keeps a
  guid about an hour);
* ``photos.getWallUploadServer`` and ``photos.saveWallPhoto`` (user): the
  photos of a planned post, uploaded in between to the ``upload_url`` VK
  gives (``multipart/form-data``, field ``photo``).

So a community token publishes the replies, a service (or user) token reads
the wall, and the user token of a community administrator deletes and bans.

A method called with a token type it does not accept fails with error 27
("Group authorization failed: method is unavailable with group auth.") for a
community token and error 28 ("Application authorization failed: method is
unavailable with service token.") for a service token; both are raised here as
:class:`VkAccessError`.

Every request is a form-encoded ``POST`` to ``base_url + method`` with
``access_token`` and ``v`` added and an explicit timeout. Booleans are sent as
``1``/``0`` and lists joined with commas.

Transient failures are retried with an exponential backoff
(``backoff * 2 ** attempt`` seconds): VK errors 6 (too many requests per
second), 9 (flood control) and 10 (internal server error), HTTP 5xx and 429,
timeouts and connection errors. Nothing else is retried. A write that may have
reached VK (a timeout, a dropped connection, a 5xx, error 10) is retried only
when it is idempotent: ``wall.createComment`` with a ``guid`` (VK answers a
repeated ``guid`` with the comment already created); without a ``guid`` only
the errors that prove VK refused the request (6, 9, 429) are retried.

Requests are spaced to stay within VK's frequency limits
(https://dev.vk.com/ru/api/api-requests): 3 requests per second with a user
token, 20 with a community token, and for a service token a limit that grows
with the application's audience, 5 per second for the smallest applications.
The limiter is shared by every client of the same token in the process (a
registry keyed by a SHA-256 of the token, never the token itself).

The token is never logged nor put into an exception: log records name the
method only, and any text that comes back from VK or ``requests`` is redacted.
"""

import hashlib
import logging
import re
import threading
import time
from datetime import datetime

import requests

from .base import (
    ApiError,
    RateLimiter,
    Transient,
    call_with_retries,
    error_class,
    post_json,
)

_logger = logging.getLogger(__name__)

DEFAULT_API_VERSION = "5.199"
DEFAULT_BASE_URL = "https://api.vk.com/method/"

TOKEN_TYPES = ("community", "user", "service")
#: Requests per second allowed by VK for each token type.
DEFAULT_RATE_LIMITS = {"user": 3.0, "community": 20.0, "service": 5.0}

#: VK error codes, as documented by VK (https://dev.vk.com/ru/reference/errors).
ERROR_UNKNOWN = 1
ERROR_AUTH = 5
ERROR_TOO_MANY_REQUESTS = 6
ERROR_PERMISSION = 7
ERROR_FLOOD = 9
ERROR_SERVER = 10
ERROR_CAPTCHA = 14
ERROR_ACCESS = 15
ERROR_VALIDATION = 17
ERROR_GROUP_AUTH = 27
ERROR_APP_AUTH = 28
ERROR_RATE_LIMIT = 29
ERROR_PARAM = 100

AUTH_ERRORS = frozenset({ERROR_AUTH, ERROR_VALIDATION})
#: 214: access to adding a post denied (wall.post)
ACCESS_ERRORS = frozenset(
    {
        ERROR_PERMISSION,
        ERROR_ACCESS,
        ERROR_GROUP_AUTH,
        ERROR_APP_AUTH,
        30,
        203,
        210,
        211,
        212,
        213,
        214,
    }
)
RATE_LIMIT_ERRORS = frozenset({ERROR_TOO_MANY_REQUESTS, ERROR_FLOOD, ERROR_RATE_LIMIT, 223})
SERVER_ERRORS = frozenset({ERROR_UNKNOWN, ERROR_SERVER})
#: Errors worth another try, after a pause.
RETRY_ERRORS = frozenset({ERROR_TOO_MANY_REQUESTS, ERROR_FLOOD, ERROR_SERVER})
#: Errors that prove VK did not carry the request out (safe to send a write again).
REFUSAL_ERRORS = frozenset({ERROR_TOO_MANY_REQUESTS, ERROR_FLOOD})

_TOKEN_IN_TEXT = re.compile(r"(access_token=)[^&\s\"']+")


# ----------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------
class VkError(ApiError):
    """A failed VK API call (``code``, ``message``, ``method``)."""

    network = "VK"


class VkAuthError(VkError):
    """The token is rejected (error 5) or must be validated again (17)."""


class VkAccessError(VkError):
    """The token may not do this: 7, 15, 203, 211, 212, 213, or the method
    is unavailable with this token type (27 community, 28 service)."""


class VkCaptchaError(VkError):
    """VK asks for a captcha (error 14).

    :ivar captcha_sid: to send back as ``captcha_sid`` with the solved ``captcha_key``
    :ivar captcha_img: URL of the captcha image
    """

    def __init__(self, message, code=ERROR_CAPTCHA, method="", captcha_sid=None, captcha_img=None):
        super().__init__(message, code=code, method=method)
        self.captcha_sid = captcha_sid
        self.captcha_img = captcha_img


class VkRateLimitError(VkError):
    """Too many requests (6), flood control (9) or a quota (29, 223), still
    failing after the retries for 6 and 9."""


class VkServerError(VkError):
    """Error 10 / 1, an HTTP 5xx or an unreadable answer, after the retries."""


class VkNetworkError(VkError):
    """Timeout or connection failure, still failing after the retries."""


_ERROR_CLASSES = (
    (AUTH_ERRORS, VkAuthError),
    (ACCESS_ERRORS, VkAccessError),
    (RATE_LIMIT_ERRORS, VkRateLimitError),
    (SERVER_ERRORS, VkServerError),
)


def vk_error_class(code):
    """The exception class for a VK error code."""
    if code == ERROR_CAPTCHA:
        return VkCaptchaError
    return error_class(code, _ERROR_CLASSES, VkError)


# ----------------------------------------------------------------------
# Rate limiting
# ----------------------------------------------------------------------
_limiters = {}
_limiters_lock = threading.Lock()


def _token_key(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def shared_rate_limiter(token, rate):
    """The process-wide limiter of ``token`` (keyed by a hash of the token).

    When clients of the same token ask for different rates, the strictest
    one applies to all of them."""
    key = _token_key(token)
    with _limiters_lock:
        limiter = _limiters.get(key)
        if limiter is None:
            limiter = _limiters[key] = RateLimiter(rate)
            return limiter
    limiter.tighten(rate)
    return limiter


def reset_rate_limiters():
    """Forget every shared limiter (for tests)."""
    with _limiters_lock:
        _limiters.clear()


# ----------------------------------------------------------------------
# Parameters
# ----------------------------------------------------------------------
def encode_param(value):
    """A parameter value as VK wants it: booleans 1/0, lists comma-joined."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return str(int(value.timestamp()))
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(encode_param(item) for item in value)
    return str(value)


def _encode_params(params):
    return {key: encode_param(value) for key, value in params.items() if value is not None}


# ----------------------------------------------------------------------
# Client
# ----------------------------------------------------------------------
class VkClient:
    """Calls VK API methods with one access token.

    :param token: the access token (community, user or service)
    :param token_type: ``"community"``, ``"user"`` or ``"service"``; sets the
        default rate limit
    :param api_version: the ``v`` parameter
    :param base_url: the API address, ending with ``/method/``
    :param timeout: seconds, for every HTTP request
    :param max_retries: retries after a transient failure (0: none)
    :param backoff: first pause before a retry, doubled at each retry
    :param session: a ``requests.Session`` (one is created otherwise)
    :param sleep: the sleep function (injected in tests)
    :param clock: the monotonic clock of the rate limiter (injected in tests)
    :param rate_limit: requests per second, instead of the token type's default
    """

    def __init__(
        self,
        token,
        *,
        token_type="community",
        api_version=DEFAULT_API_VERSION,
        base_url=DEFAULT_BASE_URL,
        timeout=10,
        max_retries=3,
        backoff=0.5,
        session=None,
        sleep=time.sleep,
        clock=time.monotonic,
        rate_limit=None,
    ):
        if not token:
            raise ValueError("A VK access token is required.")
        if token_type not in TOKEN_TYPES:
            raise ValueError(
                f"Unknown VK token type {token_type!r}; expected one of {', '.join(TOKEN_TYPES)}."
            )
        self._token = token
        self.token_type = token_type
        self.api_version = api_version
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.timeout = timeout
        self.max_retries = max(0, int(max_retries))
        self.backoff = max(0.0, float(backoff))
        self.session = session if session is not None else requests.Session()
        self._sleep = sleep
        self._clock = clock
        rate = DEFAULT_RATE_LIMITS[token_type] if rate_limit is None else rate_limit
        self.rate_limiter = shared_rate_limiter(token, rate)

    def __repr__(self):
        return f"<VkClient {self.token_type} token #{_token_key(self._token)[:8]}>"

    # ------------------------------------------------------------------
    # Generic call
    # ------------------------------------------------------------------
    def call(self, method, **params):
        """Call ``method`` with ``params``; return the value of ``response``.

        ``None`` values are left out. Raises a :class:`VkError` subclass."""
        return self._call(method, params, idempotent=True)

    def _call(self, method, params, idempotent):
        payload = _encode_params(params)
        payload["access_token"] = self._token
        payload["v"] = self.api_version
        url = self.base_url + method
        return call_with_retries(
            lambda: self._request(method, url, payload),
            method=method,
            max_retries=self.max_retries,
            backoff=self.backoff,
            sleep=self._sleep,
            redact=self._redact,
            logger=_logger,
            idempotent=idempotent,
        )

    def _request(self, method, url, payload):
        """One HTTP request; the response, or a typed error (``Transient``
        when it is worth retrying)."""
        self.rate_limiter.acquire(self._clock, self._sleep)
        _logger.debug("VK API call %s", method)
        body = post_json(
            self.session,
            url,
            payload,
            method=method,
            timeout=self.timeout,
            redact=self._redact,
            errors=(VkNetworkError, VkServerError, VkError),
            rate_limit_error=VkRateLimitError,
        )
        if not isinstance(body, dict):
            raise Transient(VkServerError("the answer is not a JSON object", method=method))
        if "error" in body:
            self._raise_api_error(method, body["error"])
        if "response" not in body:
            raise Transient(VkServerError("the answer has no 'response'", method=method))
        return body["response"]

    def _raise_api_error(self, method, error):
        if not isinstance(error, dict):
            error = {"error_msg": str(error)}
        try:
            code = int(error.get("error_code"))
        except (TypeError, ValueError):
            code = None
        message = self._redact(str(error.get("error_msg") or "unknown error"))
        cls = vk_error_class(code)
        if cls is VkCaptchaError:
            exc = VkCaptchaError(
                message,
                code=code,
                method=method,
                captcha_sid=error.get("captcha_sid"),
                captcha_img=error.get("captcha_img"),
            )
        else:
            exc = cls(message, code=code, method=method)
        if code in RETRY_ERRORS:
            raise Transient(exc, refused=code in REFUSAL_ERRORS)
        raise exc

    def _redact(self, text):
        text = text.replace(self._token, "***")
        return _TOKEN_IN_TEXT.sub(r"\1***", text)

    # ------------------------------------------------------------------
    # Methods
    # ------------------------------------------------------------------
    def wall_get(self, owner_id, count=20, offset=0):
        """Posts of a wall (``owner_id`` negative for a community): ``{"count", "items"}``.

        VK accepts a user or a service token only."""
        return self.call("wall.get", owner_id=owner_id, count=count, offset=offset)

    def wall_get_comments(
        self,
        owner_id,
        post_id,
        count=100,
        offset=0,
        sort="desc",
        *,
        comment_id=None,
        thread_items_count=10,
        start_comment_id=None,
    ):
        """Comments of a post: ``{"count", "items", "current_level_count", ...}``.

        Texts are never truncated (``preview_length=0``). The first
        ``thread_items_count`` replies (VK's maximum is 10) come in each
        comment's ``thread.items``; pass ``comment_id`` for all the replies
        to one comment. VK accepts a user or a service token only."""
        return self.call(
            "wall.getComments",
            owner_id=owner_id,
            post_id=post_id,
            count=count,
            offset=offset,
            sort=sort,
            preview_length=0,
            comment_id=comment_id,
            thread_items_count=thread_items_count or None,
            start_comment_id=start_comment_id,
        )

    def wall_get_comment(self, owner_id, comment_id):
        """One comment of a wall: ``{"items": [comment], ...}``; a deleted
        comment comes with ``"deleted": true``. VK accepts a user or a service
        token only."""
        return self.call("wall.getComment", owner_id=owner_id, comment_id=comment_id)

    def wall_create_comment(
        self,
        owner_id,
        post_id,
        message,
        *,
        from_group=None,
        reply_to_comment=None,
        guid=None,
        attachments=None,
    ):
        """Post a comment: ``{"comment_id": int, "parents_stack": [...]}``.

        :param from_group: the id (positive) of the community to comment as
        :param reply_to_comment: the id of the comment answered
        :param guid: a string unique to this comment: VK answers a repeated
            guid with the comment already posted, so retries never post twice;
            without it, a failure that may have reached VK is not retried
        :param attachments: ``"photo-1_2"`` style strings (list or string)
        """
        if isinstance(from_group, bool):
            raise TypeError("from_group is the id of the community, not a flag.")
        if not message and not attachments:
            raise ValueError("A comment needs a message or attachments.")
        return self._call(
            "wall.createComment",
            {
                "owner_id": owner_id,
                "post_id": post_id,
                "message": message or None,
                "from_group": from_group,
                "reply_to_comment": reply_to_comment,
                "guid": guid,
                "attachments": attachments or None,
            },
            idempotent=bool(guid),
        )

    def wall_delete_comment(self, owner_id, comment_id):
        """Delete a comment; returns 1. VK accepts a user token only (an
        administrator or moderator of the community)."""
        return self.call("wall.deleteComment", owner_id=owner_id, comment_id=comment_id)

    def groups_ban(
        self, group_id, owner_id, *, reason=0, comment="", comment_visible=True, end_date=None
    ):
        """Ban a user (or a community, negative id) from the community; returns 1.

        :param group_id: the community id (a negative id is taken as its absolute value)
        :param reason: 0 other, 1 spam, 2 insulting participants, 3 obscene
            language, 4 irrelevant messages
        :param comment: the moderator's comment
        :param comment_visible: show the comment to the banned user
        :param end_date: end of the ban (unix time or ``datetime``); ``None`` for ever

        VK accepts a user token only (an administrator of the community)."""
        return self.call(
            "groups.ban",
            group_id=abs(int(group_id)),
            owner_id=owner_id,
            end_date=end_date,
            reason=reason,
            comment=comment or None,
            comment_visible=bool(comment_visible),
        )

    def users_get(self, user_ids, fields="screen_name"):
        """Users by id or screen name: a list of ``{"id", "first_name", "last_name", ...}``.

        An empty ``user_ids`` asks for the token's own user (user token)."""
        if isinstance(user_ids, int | str):
            user_ids = [user_ids]
        return self.call("users.get", user_ids=list(user_ids) or None, fields=fields or None)

    def groups_get_callback_confirmation_code(self, group_id):
        """The string the Callback API server must answer to the
        ``confirmation`` event: ``{"code": "..."}`` (user or community token)."""
        return self.call("groups.getCallbackConfirmationCode", group_id=abs(int(group_id)))

    def groups_get_by_id(self, group_id, fields=None):
        """The community: ``{"groups": [{"id", "name", "screen_name", ...}],
        "profiles": []}`` (API 5.199), with the ``fields`` asked for, e.g.
        ``"verified"`` (1 when the community has VK's verified mark). Without
        ``group_id``, a community token's own community."""
        group_id = str(group_id or "").strip().lstrip("-") or None
        return self.call("groups.getById", group_id=group_id, fields=fields or None)

    def wall_post(self, owner_id, message=None, *, from_group=True, attachments=None, guid=None):
        """Post on a wall: ``{"post_id": int}``.

        :param owner_id: the wall (negative for a community)
        :param from_group: post as the community (a flag, unlike wall.createComment)
        :param attachments: ``"photo-1_2"`` style strings (list or string)
        :param guid: a string unique to this post: VK answers a repeated guid
            with the post already made, so a retry never posts twice; without
            it, a failure that may have reached VK is not retried

        VK accepts a user token only (an administrator or editor of the community)."""
        if not message and not attachments:
            raise ValueError("A post needs a message or attachments.")
        return self._call(
            "wall.post",
            {
                "owner_id": owner_id,
                "from_group": bool(from_group),
                "message": message or None,
                "attachments": attachments or None,
                "guid": guid,
            },
            idempotent=bool(guid),
        )

    def photos_get_wall_upload_server(self, group_id):
        """Where to upload a photo for the community's wall:
        ``{"upload_url", "album_id", "user_id"}`` (user token)."""
        return self.call("photos.getWallUploadServer", group_id=abs(int(group_id)))

    def photos_save_wall_photo(self, group_id, server, photo, hash_):
        """Save an uploaded photo (the ``server``, ``photo`` and ``hash`` the
        upload answered): a list of photos ``[{"id", "owner_id", ...}]``."""
        return self.call(
            "photos.saveWallPhoto",
            group_id=abs(int(group_id)),
            server=server,
            photo=photo,
            hash=hash_,
        )

    def upload_wall_photo(self, group_id, photo):
        """Upload one photo, ``(filename, bytes, mimetype)``, to the
        community's wall and save it; returns its attachment string
        ``"photo<owner_id>_<id>"``. The upload itself leaves nothing on the
        wall, so any step may be tried again."""
        server = self.photos_get_wall_upload_server(group_id)
        upload_url = server.get("upload_url") if isinstance(server, dict) else None
        if not upload_url:
            raise VkServerError("no upload_url in the answer", method="photos.getWallUploadServer")
        uploaded = call_with_retries(
            lambda: self._upload(upload_url, photo),
            method="upload",
            max_retries=self.max_retries,
            backoff=self.backoff,
            sleep=self._sleep,
            redact=self._redact,
            logger=_logger,
        )
        saved = self.photos_save_wall_photo(
            group_id, uploaded.get("server"), uploaded.get("photo"), uploaded.get("hash")
        )
        first = saved[0] if isinstance(saved, list) and saved else None
        if not isinstance(first, dict) or "id" not in first or "owner_id" not in first:
            raise VkServerError("the saved photo has no id", method="photos.saveWallPhoto")
        return f"photo{first['owner_id']}_{first['id']}"

    def _upload(self, url, photo):
        """POST the photo to VK's upload server: ``{"server", "photo", "hash"}``."""
        self.rate_limiter.acquire(self._clock, self._sleep)
        try:
            response = self.session.post(url, files={"photo": tuple(photo)}, timeout=self.timeout)
        except requests.Timeout as exc:
            error = VkNetworkError(f"no answer within {self.timeout} s", method="upload")
            raise Transient(error) from exc
        except requests.RequestException as exc:
            error = VkNetworkError(f"upload failed: {self._redact(str(exc))}", method="upload")
            raise Transient(error) from exc
        if response.status_code >= 500:
            raise Transient(VkServerError(f"HTTP {response.status_code}", method="upload"))
        try:
            body = response.json()
        except ValueError:
            raise Transient(VkServerError("the answer is not JSON", method="upload")) from None
        if not isinstance(body, dict):
            raise VkServerError("the answer is not a JSON object", method="upload")
        if body.get("error") or not body.get("photo") or body.get("photo") == "[]":
            raise VkError(
                self._redact(str(body.get("error") or "the photo was not accepted")),
                method="upload",
            )
        return body
