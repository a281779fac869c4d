"""A small client of the OK (Odnoklassniki) REST API (https://apiok.ru/dev/methods/), without Odoo.

Calls
=====
Every call is a form-encoded ``POST`` to ``https://api.ok.ru/fb.do`` with
``application_key``, ``method``, ``format=json``, the method's parameters,
``sig`` and ``access_token``, and an explicit timeout. The signature, as
documented on apiok.ru (https://apiok.ru/dev/methods/):

* ``session_secret_key = md5(access_token + application_secret_key)``, lower hex;
* ``sig = md5("".join(f"{key}={value}" for every parameter sorted by key,
  except access_token and session_key) + session_secret_key)``, lower hex.

An error comes back with HTTP 200 as
``{"error_code": 104, "error_msg": "PARAM_SIGNATURE : ...", "error_data": null}``.
The codes (apiok.ru, "Коды ошибок") are mapped to:

* :class:`OkAuthError`: 101 PARAM_API_KEY, 102 PARAM_SESSION_EXPIRED (also what
  an unknown access token gets), 103 PARAM_SESSION_KEY, 104 PARAM_SIGNATURE,
  105 PARAM_RESIGNATURE, 210 PARAM_APPLICATION_DISABLED, 453 SESSION_REQUIRED;
* :class:`OkAccessError`: 7 ACTION_BLOCKED, 10 PERMISSION_DENIED, 24 NOT_OWNER,
  50 NOT_ADMIN, 200 PARAM_PERMISSION, 455-458 *_RESTRICTION;
* :class:`OkRateLimitError`: 8 FLOOD_BLOCKED (retried), 9 IP_BLOCKED,
  11 LIMIT_REACHED;
* :class:`OkServerError`: 1 UNKNOWN, 2 SERVICE (both retried), 9999 SYSTEM,
  HTTP 5xx (retried);
* :class:`OkError` for the rest (100 PARAM, 160 PARAM_GROUP_ID, 300 NOT_FOUND, ...).

Retries: ``backoff * 2 ** attempt`` seconds after 1, 2, 8, HTTP 5xx, a timeout
or a connection error, up to ``max_retries`` times (the client only reads).

Reading a group
===============
* The group's topics: ``mediatopic.getTopics`` (``gid``, ``count``), which
  answers ``{"media_topics": [{"id", "created_ms", "author_ref", "media":
  [{"type": "text", "text"}, ...]}], "anchor", "has_more", "entities"}``.
  ``group.getStatTopics`` also lists a group's topics, but it is a statistics
  method: it returns only the topics that have statistics (not those only
  their author saw) and needs the group statistics rights, so it is not used.
* A topic's comments: ``discussions.getComments`` with ``discussionId`` = the
  topic id and ``discussionType=GROUP_TOPIC``; it answers ``{"comments": [{"id",
  "author_id", "author_name", "text", "date", "reply_to_comment_id", ...}],
  "anchor", "has_more"}``. The comment ``date`` is "YYYY-MM-DD HH:MM:SS",
  Moscow time (see :func:`parse_ok_date`). The requested ``fields`` are the
  ``comment.*`` names OK accepts (an unknown one, e.g. ``comment.CREATED_MS``,
  makes OK reject the whole call).

Replying to a comment as the group: what the public API offers
===============================================================
Checked for replying, in a group topic (``GROUP_TOPIC``), to a citizen's
comment on behalf of the group:

* ``discussions.addDiscussionComment`` (``entityId``, ``entityType``,
  ``comment``, ``reply_to_comment_id``, ``as_admin`` = "official answer of the
  group's administration", ``attachments``) is described, with
  ``discussions.editDiscussionComment`` and
  ``discussions.deleteDiscussionComment``, in the method descriptions OK once
  published on GitHub (github.com/apiok/documentation, last change
  2017-11-30). Those descriptions give no authorization or permission for it.
* The current apiok.ru reference does not document it: its ``discussions``
  pages are reading methods (``discussions.get``, ``discussions.getList``,
  ``discussions.getComments``, ``discussions.getComment``,
  ``discussions.getDiscussionComments``, ``discussions.getDiscussionLikes``,
  ``discussions.getCommentLikes``, ...), other integrators report the page
  apiok.ru/dev/methods/rest/discussions/discussions.addDiscussionComment as
  missing (HTTP 404), and current OK client libraries implement only the
  reading ``discussions`` methods.
* ``mediatopic.post`` publishes a new topic (``type=GROUP_THEME``, permission
  GROUP_CONTENT); it cannot answer a comment.
* There is no ``mediatopic.addComment`` / ``comments.add`` style method.

**Conclusion: the public OK API has no documented method to reply to a
comment in a group topic on behalf of the group.** This client therefore
offers no reply method, and the addon hands OK replies to a person who posts
them by hand in the group. Should OK grant the application access to
``discussions.addDiscussionComment``, it can be called through
:meth:`OkClient.call` (``entityId=<topic id>, entityType="GROUP_TOPIC",
comment=..., reply_to_comment_id=..., as_admin=True``) without changing this
module.

Secrets (application secret key, access token, session secret) are never
logged nor put into an exception.
"""

import hashlib
import logging
import time
from datetime import datetime, timedelta

import requests

from .base import ApiError, Transient, call_with_retries, error_class, post_json

_logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.ok.ru/fb.do"

#: Parameters left out of the signature.
UNSIGNED_PARAMS = frozenset({"sig", "access_token", "session_key"})

AUTH_ERRORS = frozenset({101, 102, 103, 104, 105, 210, 453})
ACCESS_ERRORS = frozenset({7, 10, 24, 50, 200, 455, 456, 457, 458})
RATE_LIMIT_ERRORS = frozenset({8, 9, 11})
SERVER_ERRORS = frozenset({1, 2, 9999})
RETRY_ERRORS = frozenset({1, 2, 8})

#: The comment fields asked of ``discussions.getComments``.
COMMENT_FIELDS = (
    "comment.ID",
    "comment.AUTHOR_ID",
    "comment.AUTHOR_NAME",
    "comment.AUTHOR_REF",
    "comment.TEXT",
    "comment.DATE",
    "comment.TYPE",
    "comment.REPLY_TO_ID",
    "comment.REPLY_TO_NAME",
    "comment.REPLY_TO_COMMENT_ID",
)

#: OK dates are Moscow time (UTC+3, no daylight saving since 2014).
MOSCOW_OFFSET = timedelta(hours=3)


# ----------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------
class OkError(ApiError):
    """A failed OK API call (``code``, ``message``, ``method``)."""

    network = "OK"


class OkAuthError(OkError):
    """Wrong application key, invalid signature, expired or unknown session."""


class OkAccessError(OkError):
    """The application or the user may not do this."""


class OkRateLimitError(OkError):
    """Flood control (8, after the retries), IP blocked (9) or a call limit (11)."""


class OkServerError(OkError):
    """Unknown error, service unavailable or HTTP 5xx, after the retries."""


class OkNetworkError(OkError):
    """Timeout or connection failure, after the retries."""


_ERROR_CLASSES = (
    (AUTH_ERRORS, OkAuthError),
    (ACCESS_ERRORS, OkAccessError),
    (RATE_LIMIT_ERRORS, OkRateLimitError),
    (SERVER_ERRORS, OkServerError),
)


def ok_error_class(code):
    """The exception class for an OK error code."""
    return error_class(code, _ERROR_CLASSES, OkError)


# ----------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------
def encode_param(value):
    """A parameter value as OK wants it: booleans true/false, lists comma-joined."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(encode_param(item) for item in value)
    return str(value)


def _md5(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: S324 - OK's signature is MD5


def parse_ok_date(value):
    """An OK comment ``date`` ("YYYY-MM-DD HH:MM:SS", Moscow time) as a naive
    UTC ``datetime``, or ``None`` when it is empty or unreadable."""
    if not value:
        return None
    try:
        local = datetime.strptime(str(value)[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return local - MOSCOW_OFFSET


def topic_text(topic):
    """The text blocks of a media topic, joined by new lines."""
    texts = [
        media.get("text")
        for media in topic.get("media") or []
        if isinstance(media, dict) and media.get("type") == "text" and media.get("text")
    ]
    return "\n".join(texts)


# ----------------------------------------------------------------------
# Client
# ----------------------------------------------------------------------
class OkClient:
    """Calls OK REST API methods for one application and one access token.

    :param application_key: the application's public key
    :param application_secret_key: the application's secret key (only signs)
    :param access_token: the user's (group administrator's) access token
    :param base_url: the ``fb.do`` address
    :param timeout: seconds, for every HTTP request
    :param max_retries: retries after a transient failure (0: none)
    :param backoff: first pause before a retry, doubled at each retry
    :param session: a ``requests.Session`` (one is created otherwise)
    :param sleep: the sleep function (injected in tests)
    """

    def __init__(
        self,
        application_key,
        application_secret_key,
        access_token,
        *,
        base_url=DEFAULT_BASE_URL,
        timeout=10,
        max_retries=3,
        backoff=0.5,
        session=None,
        sleep=time.sleep,
    ):
        if not (application_key and application_secret_key and access_token):
            raise ValueError(
                "OK needs the application key, the application secret key and an access token."
            )
        self.application_key = application_key
        self._application_secret_key = application_secret_key
        self._access_token = access_token
        self._session_secret_key = _md5(access_token + application_secret_key)
        self.base_url = base_url
        self.timeout = timeout
        self.max_retries = max(0, int(max_retries))
        self.backoff = max(0.0, float(backoff))
        self.session = session if session is not None else requests.Session()
        self._sleep = sleep

    def __repr__(self):
        return f"<OkClient application {self.application_key}>"

    # ------------------------------------------------------------------
    def sign(self, params):
        """The ``sig`` of ``params`` (``access_token``, ``session_key`` and
        ``sig`` itself are left out), as documented on apiok.ru."""
        signed = "".join(
            f"{key}={encode_param(value)}"
            for key, value in sorted(params.items())
            if key not in UNSIGNED_PARAMS and value is not None
        )
        return _md5(signed + self._session_secret_key)

    def call(self, method, **params):
        """Call ``method``; return the decoded JSON result. ``None`` values are
        left out. Raises an :class:`OkError` subclass."""
        payload = {key: encode_param(value) for key, value in params.items() if value is not None}
        payload.update(application_key=self.application_key, method=method, format="json")
        payload["sig"] = self.sign(payload)
        payload["access_token"] = self._access_token
        return call_with_retries(
            lambda: self._request(method, payload),
            method=method,
            max_retries=self.max_retries,
            backoff=self.backoff,
            sleep=self._sleep,
            redact=self._redact,
            logger=_logger,
        )

    def _request(self, method, payload):
        _logger.debug("OK API call %s", method)
        result = post_json(
            self.session,
            self.base_url,
            payload,
            method=method,
            timeout=self.timeout,
            redact=self._redact,
            errors=(OkNetworkError, OkServerError, OkError),
        )
        if isinstance(result, dict) and "error_code" in result:
            self._raise_api_error(method, result)
        return result

    def _raise_api_error(self, method, result):
        try:
            code = int(result.get("error_code"))
        except (TypeError, ValueError):
            code = None
        message = self._redact(str(result.get("error_msg") or "unknown error"))
        error = ok_error_class(code)(message, code=code, method=method)
        if code in RETRY_ERRORS:
            raise Transient(error)
        raise error

    def _redact(self, text):
        for secret in (self._access_token, self._application_secret_key, self._session_secret_key):
            text = text.replace(secret, "***")
        return text

    # ------------------------------------------------------------------
    # Methods
    # ------------------------------------------------------------------
    def group_topics(self, gid, count=20, *, fields=None):
        """The group's recent topics (``mediatopic.getTopics``), newest first.

        Each is OK's media topic (``id``, ``created_ms``, ``media``, ...) with
        its text blocks joined in ``text``."""
        result = self.call("mediatopic.getTopics", gid=gid, count=count, fields=fields)
        topics = result.get("media_topics") if isinstance(result, dict) else None
        return [
            dict(topic, text=topic_text(topic)) for topic in topics or [] if isinstance(topic, dict)
        ]

    def topic_comments(self, topic_id, count=100, *, anchor=None, direction=None):
        """The comments of a group topic (``discussions.getComments``,
        ``discussionType=GROUP_TOPIC``): OK's comment dicts (``id``,
        ``author_id``, ``author_name``, ``text``, ``date``,
        ``reply_to_comment_id``, ...)."""
        result = self.call(
            "discussions.getComments",
            discussionId=topic_id,
            discussionType="GROUP_TOPIC",
            count=count,
            anchor=anchor,
            direction=direction,
            fields=COMMENT_FIELDS,
        )
        comments = result.get("comments") if isinstance(result, dict) else None
        return [comment for comment in comments or [] if isinstance(comment, dict)]
