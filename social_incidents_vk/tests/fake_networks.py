"""Fake VK and OK API servers on 127.0.0.1, for the tests (with and without Odoo).

The real networks cannot be reached from the test machines, so the clients
talk to these servers, which answer in the wire format of the real APIs:

* :class:`FakeVk` serves ``/method/<name>`` like https://api.vk.com/method/:
  form-encoded (or query string) parameters, ``access_token`` and ``v``
  required, HTTP 200 with ``{"response": ...}`` or ``{"error": {"error_code",
  "error_msg", "request_params"}}`` and VK's error codes and messages. Each
  method accepts the token types VK's method schema (API 5.199) lists for it:

  ==================================  ==========================
  wall.get, wall.getComments          user, service
  wall.createComment                  user, community
  wall.deleteComment, groups.ban      user
  users.get, groups.getById           user, community, service
  groups.getCallbackConfirmationCode  user, community
  ==================================  ==========================

  and answers any other token type with VK's error 27 (community token) or
  28 (service token). An unknown token gets error 5.

* :class:`FakeOk` serves ``/fb.do`` like https://api.ok.ru/fb.do: it checks
  the application key (101), recomputes the signature from its own secrets
  (104 when it differs) and checks the access token (102), then answers
  ``mediatopic.getTopics`` and ``discussions.getComments`` in OK's JSON
  shapes; errors are ``{"error_code", "error_msg", "error_data": null}`` with
  HTTP 200.

Both record every request received in ``requests`` (never the access token)
and can be told to fail: :meth:`fail_next` injects an API error, an HTTP
status or a delay (to make a client time out) for the next calls of a method.

This module imports neither Odoo nor anything relative: it can be loaded on
its own with ``importlib.util.spec_from_file_location``.
"""

import base64
import copy
import hashlib
import itertools
import json
import re
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"

VK_API_VERSION = "5.199"

#: VK's error messages (https://dev.vk.com/ru/reference/errors).
VK_ERROR_MESSAGES = {
    1: "Unknown error occurred",
    3: "Unknown method passed",
    5: "User authorization failed: invalid access_token (4).",
    6: "Too many requests per second",
    7: "Permission to perform this action is denied",
    8: "Invalid request",
    9: "Flood control",
    10: "Internal server error",
    14: "Captcha needed",
    15: "Access denied",
    17: "Validation required: please open redirect_uri in browser",
    18: "User was deleted or banned",
    27: "Group authorization failed: method is unavailable with group auth.",
    28: "Application authorization failed: method is unavailable with service token.",
    29: "Rate limit reached",
    30: "This profile is private",
    100: "One of the parameters specified was missing or invalid",
    104: "Not found",
    113: "Invalid user id",
    203: "Access to group denied: access to the group is denied",
    210: "Access to wall's post denied",
    211: "Access to wall's comment denied",
    212: "Access to post comments denied",
    213: "Access to status replies denied",
    223: "Too many replies",
}

#: OK's error names (https://apiok.ru/dev/errors): code -> (name, default text).
OK_ERRORS = {
    1: ("UNKNOWN", "Unknown error"),
    2: ("SERVICE", "Service is temporary unavailable."),
    3: ("METHOD", "Method not found"),
    4: ("REQUEST", "Invalid request"),
    7: ("ACTION_BLOCKED", "Action is temporarily blocked for the current user"),
    8: ("FLOOD_BLOCKED", "Call blocked due to flood protection"),
    9: ("IP_BLOCKED", "Call blocked for the IP address"),
    10: ("PERMISSION_DENIED", "Permission denied"),
    11: ("LIMIT_REACHED", "Method call limit reached"),
    50: ("NOT_ADMIN", "The user is not an administrator"),
    100: ("PARAM", "Missing or invalid parameter"),
    101: ("PARAM_API_KEY", "Application not exist"),
    102: ("PARAM_SESSION_EXPIRED", "Session expired"),
    103: ("PARAM_SESSION_KEY", "Invalid session key"),
    104: ("PARAM_SIGNATURE", "Invalid signature"),
    160: ("PARAM_GROUP_ID", "Invalid group id"),
    200: ("PARAM_PERMISSION", "The application may not do this"),
    300: ("NOT_FOUND", "Not found"),
    453: ("SESSION_REQUIRED", "Session key is required"),
    9999: ("SYSTEM", "Critical system error"),
}

#: The fields ``discussions.getComments`` knows (``comment.<NAME>``).
OK_COMMENT_FIELDS = frozenset(
    {
        "ID", "AUTHOR_ID", "AUTHOR_NAME", "AUTHOR_REF", "TEXT", "DATE", "TYPE",
        "REPLY_TO_ID", "REPLY_TO_NAME", "REPLY_TO_COMMENT_ID", "LIKE_COUNT", "LIKED_IT",
    }
)

MOSCOW = timedelta(hours=3)


class _Fail(Exception):
    """Internal: answer the API error ``code``."""

    def __init__(self, code, message=None, **extra):
        super().__init__(message or str(code))
        self.code = code
        self.message = message
        self.extra = extra


def _error_page(status):
    reason = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
              504: "Gateway Time-out", 429: "Too Many Requests", 404: "Not Found"}.get(status, "Error")
    return (
        f"<html><head><title>{status} {reason}</title></head>"
        f"<body><center><h1>{status} {reason}</h1></center><hr><center>nginx</center></body></html>"
    ).encode()


# ----------------------------------------------------------------------
# HTTP plumbing
# ----------------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeSocialNetwork/1.0"
    timeout = 10  # close idle keep-alive connections
    disable_nagle_algorithm = True  # headers and body leave at once, without the 40 ms delayed-ACK stall

    def log_message(self, *args):
        """Stay quiet."""

    def do_GET(self):
        self._respond(b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self._respond(self.rfile.read(length) if length > 0 else b"")

    def _respond(self, body):
        split = urlsplit(self.path)
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        content_type = self.headers.get("Content-Type", "")
        if body and "multipart/form-data" not in content_type:
            params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        request = {
            "http_method": self.command,
            "path": split.path,
            "params": params,
            "content_type": content_type,
            "authorization": self.headers.get("Authorization", ""),
        }
        status, mime, payload = self.server.fake._serve(request)
        data = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", mime)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            # the client gave up (timeout): a real server would not notice either
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, fake):
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)


class _FakeServer:
    """What both fakes share: the server thread, the request log, the failures."""

    url_path = "/"

    def __init__(self):
        self.requests = []
        self.url = None
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._failures = []
        self._server = None
        self._thread = None

    # -- life cycle -----------------------------------------------------
    def start(self):
        """Serve on 127.0.0.1 on a free port, in a daemon thread; returns self."""
        if self._server is not None:
            return self
        self._server = _Server(self)
        self.url = f"http://127.0.0.1:{self.port}{self.url_path}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01},
            name=f"{type(self).__name__}:{self.port}", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self):
        """Stop serving and release the port."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1] if self._server else None

    # -- failures -------------------------------------------------------
    def fail_next(self, method, *, error_code=None, http_status=None, delay=None, times=1, error_msg=None):
        """Make the next ``times`` calls of ``method`` (``"*"``: any) fail.

        :param error_code: answer this API error (HTTP 200, the network's error body)
        :param http_status: answer this HTTP status (e.g. 500) with an HTML page
        :param delay: wait that many seconds before answering (to make a client
            time out); without ``error_code``/``http_status`` the request is then
            carried out normally, as a slow server would
        :param error_msg: the error message instead of the network's usual one
        """
        if error_code is None and http_status is None and not delay:
            raise ValueError("Give an error_code, an http_status or a delay.")
        with self._lock:
            self._failures.append(
                {"method": method, "error_code": error_code, "http_status": http_status,
                 "delay": delay, "times": int(times), "error_msg": error_msg}
            )

    def clear_failures(self):
        with self._lock:
            self._failures.clear()

    def _take_failure(self, method):
        with self._lock:
            for failure in self._failures:
                if failure["method"] in (method, "*"):
                    failure["times"] -= 1
                    if failure["times"] <= 0:
                        self._failures.remove(failure)
                    return dict(failure)
        return None

    def _record(self, request, method, params, **extra):
        with self._lock:
            self.requests.append(
                {"method": method, "params": dict(params), **extra,
                 "http_method": request["http_method"], "content_type": request["content_type"]}
            )

    def _injected(self, method, error_body):
        """The answer of a failure injected for ``method`` (an HTTP error page,
        or ``error_body(code, message)`` for an API error), after its delay;
        None when the request is to be served."""
        failure = self._take_failure(method)
        if not failure:
            return None
        if failure["delay"]:
            time.sleep(failure["delay"])
        if failure["http_status"]:
            return failure["http_status"], HTML, _error_page(failure["http_status"])
        if failure["error_code"] is not None:
            return 200, JSON, error_body(failure["error_code"], failure["error_msg"])
        return None

    def wait_idle(self, timeout=5.0):
        """Wait until no request is in progress (e.g. a delayed one); True if so."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def requests_of(self, method):
        """The recorded requests of ``method``."""
        with self._lock:
            return [request for request in self.requests if request["method"] == method]

    # -- dispatch ---------------------------------------------------------
    def _serve(self, request):
        with self._lock:
            self._pending += 1
        try:
            return self._handle(request)
        finally:
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    def _handle(self, request):
        raise NotImplementedError


# ----------------------------------------------------------------------
# VK
# ----------------------------------------------------------------------
class FakeVk(_FakeServer):
    """A VK community's wall and the VK API methods the addon calls.

    :ivar posts: post id -> post; :ivar comments: comment id -> comment
        (posts and comments share one id sequence, as on a VK wall)
    :ivar banned: banned owner id -> ``{"group_id", "reason", "comment",
        "comment_visible", "end_date", "admin_id", "date"}``
    :ivar deleted_comments: ``(owner_id, comment_id)`` of the deleted comments
    :ivar users: user id -> ``{"id", "first_name", "last_name", "screen_name"}``
    """

    url_path = "/method/"

    #: method -> (handler, token types accepted)
    METHODS = {
        "wall.get": ("_wall_get", ("user", "service")),
        "wall.getComments": ("_wall_get_comments", ("user", "service")),
        "wall.createComment": ("_wall_create_comment", ("user", "community")),
        "wall.deleteComment": ("_wall_delete_comment", ("user",)),
        "groups.ban": ("_groups_ban", ("user",)),
        "groups.getById": ("_groups_get_by_id", ("user", "community", "service")),
        "groups.getCallbackConfirmationCode": ("_groups_confirmation_code", ("user", "community")),
        "users.get": ("_users_get", ("user", "community", "service")),
    }

    def __init__(
        self,
        group_id=187654321,
        community_token="vk-community-token",
        user_token="vk-user-token",
        service_token="vk-service-token",
        *,
        admin_user_id=100500,
        group_name="Test community",
        confirmation_code="a1b2c3d4",
    ):
        super().__init__()
        self.group_id = int(group_id)
        self.owner_id = -self.group_id
        self.group_name = group_name
        self.community_token = community_token
        self.user_token = user_token
        self.service_token = service_token
        self.admin_user_id = int(admin_user_id)
        self.confirmation_code = confirmation_code
        self.posts = {}
        self.comments = {}
        self.banned = {}
        self.deleted_comments = set()
        self.users = {}
        self._token_types = {community_token: "community", user_token: "user", service_token: "service"}
        self._ids = itertools.count(1)
        self._guids = {}
        self.add_user(self.admin_user_id, "Moderator", "Admin", screen_name="moderator_admin")

    # -- state helpers ------------------------------------------------------
    def add_user(self, user_id, first_name, last_name, screen_name=None):
        """A VK user that ``users.get`` knows."""
        with self._lock:
            user = {"id": int(user_id), "first_name": first_name, "last_name": last_name,
                    "screen_name": screen_name or f"id{int(user_id)}"}
            self.users[int(user_id)] = user
            return dict(user)

    def add_post(self, text, from_id=None):
        """A post on the community's wall (``owner_id = -group_id``)."""
        with self._lock:
            post_id = next(self._ids)
            self.posts[post_id] = {
                "id": post_id,
                "owner_id": self.owner_id,
                "from_id": self.owner_id if from_id is None else int(from_id),
                "date": int(time.time()),
                "marked_as_ads": 0,
                "post_type": "post",
                "text": text,
                "attachments": [],
                "post_source": {"type": "api"},
                "is_favorite": False,
                "hash": uuid.uuid4().hex[:20],
            }
            return self._post_view(self.posts[post_id])

    def add_comment(self, post_id, from_id, text, reply_to_comment=None):
        """A citizen's comment (or reply, with ``reply_to_comment``) on a post,
        as VK's comment object."""
        with self._lock:
            post = self.posts[int(post_id)]
            parent = self.comments[int(reply_to_comment)] if reply_to_comment else None
            from_id = int(from_id)
            if from_id > 0 and from_id not in self.users:
                self.add_user(from_id, "Citizen", str(from_id))
            comment = self._create_comment(post, from_id, text, parent)
            return self._comment_view(comment)

    def _create_comment(self, post, from_id, text, parent=None, attachments=()):
        comment_id = next(self._ids)
        comment = {
            "id": comment_id,
            "from_id": from_id,
            "post_id": post["id"],
            "owner_id": post["owner_id"],
            "parents_stack": [],
            "date": int(time.time()),
            "text": text,
        }
        if attachments:
            comment["attachments"] = [
                {"type": re.match(r"[a-z_]*", item).group() or "link", "id": item} for item in attachments
            ]
        if parent is not None:
            comment["parents_stack"] = list(parent["parents_stack"]) or [parent["id"]]
            comment["reply_to_user"] = parent["from_id"]
            comment["reply_to_comment"] = parent["id"]
        self.comments[comment_id] = comment
        return comment

    def _is_deleted(self, comment):
        return (comment["owner_id"], comment["id"]) in self.deleted_comments

    def _post_comments(self, post):
        return sorted(
            (c for c in self.comments.values()
             if c["owner_id"] == post["owner_id"] and c["post_id"] == post["id"] and not self._is_deleted(c)),
            key=lambda c: c["id"],
        )

    def _replies(self, comment):
        return [c for c in self._post_comments({"owner_id": comment["owner_id"], "id": comment["post_id"]})
                if c["parents_stack"] == [comment["id"]]]

    def _post_view(self, post):
        view = copy.deepcopy(post)
        view["comments"] = {"count": len(self._post_comments(post)), "can_post": 1, "groups_can_post": True,
                            "can_close": True, "can_open": False}
        view["likes"] = {"count": 0, "user_likes": 0, "can_like": 1, "can_publish": 1}
        view["reposts"] = {"count": 0, "user_reposted": 0}
        view["views"] = {"count": 1}
        return view

    def _comment_view(self, comment, thread_items_count=0, preview_length=0):
        view = copy.deepcopy(comment)
        if preview_length and len(view["text"]) > preview_length:
            view["text"] = view["text"][:preview_length]
        if not comment["parents_stack"]:
            replies = self._replies(comment)
            view["thread"] = {
                "count": len(replies),
                "items": [self._comment_view(reply, 0, preview_length) for reply in replies[:thread_items_count]],
                "can_post": True,
                "show_reply_button": True,
                "groups_can_post": True,
            }
        return view

    # -- Callback API payloads ------------------------------------------------
    def callback_event(self, event_type, obj, *, secret=None, event_id=None):
        """A Callback API payload as VK POSTs it to the addon:
        ``{"type", "event_id", "v", "object", "group_id"[, "secret"]}``."""
        payload = {
            "type": event_type,
            "event_id": event_id or hashlib.sha1(uuid.uuid4().bytes).hexdigest(),  # noqa: S324
            "v": VK_API_VERSION,
            "object": copy.deepcopy(obj),
            "group_id": self.group_id,
        }
        if event_type == "confirmation":
            payload.pop("object")
        if secret is not None:
            payload["secret"] = secret
        return payload

    def comment_event(self, comment, event_type="wall_reply_new", secret=None, *, deleter_id=None, event_id=None):
        """The Callback API payload of a comment: for ``wall_reply_new`` /
        ``wall_reply_edit`` / ``wall_reply_restore`` the comment object with
        ``post_owner_id``; for ``wall_reply_delete`` ``{"owner_id", "id",
        "deleter_id", "post_id"}`` (``deleter_id`` defaults to the author)."""
        owner_id = comment.get("owner_id", self.owner_id)
        if event_type == "wall_reply_delete":
            obj = {
                "owner_id": owner_id,
                "id": comment["id"],
                "deleter_id": comment.get("from_id") if deleter_id is None else deleter_id,
                "post_id": comment["post_id"],
            }
        else:
            obj = copy.deepcopy(comment)
            obj.setdefault("owner_id", owner_id)
            obj.setdefault("parents_stack", [])
            obj["post_owner_id"] = owner_id
            if "thread" in obj:
                obj["thread"] = {"count": obj["thread"].get("count", 0)}
        return self.callback_event(event_type, obj, secret=secret, event_id=event_id)

    # -- HTTP ---------------------------------------------------------------------
    def _handle(self, request):
        path = request["path"]
        if not path.startswith(self.url_path) or len(path) <= len(self.url_path):
            return 404, HTML, _error_page(404)
        method = path[len(self.url_path):]
        params = dict(request["params"])
        token = params.pop("access_token", None)
        authorization = request["authorization"]
        if not token and authorization.lower().startswith("bearer "):
            token = authorization[7:].strip()
        token_type = self._token_types.get(token)
        self._record(request, method, params, token_type=token_type)
        injected = self._injected(method, lambda code, msg: self._error(code, method, params, msg))
        if injected:
            return injected
        try:
            return 200, JSON, {"response": self._execute(method, params, token, token_type)}
        except _Fail as fail:
            return 200, JSON, self._error(fail.code, method, params, fail.message, **fail.extra)

    def _execute(self, method, params, token, token_type):
        if not token:
            raise _Fail(5, "User authorization failed: no access_token passed.")
        if token_type is None:
            raise _Fail(5)
        if not params.get("v"):
            raise _Fail(8, "Invalid request: v (version) is required")
        if method not in self.METHODS:
            raise _Fail(3)
        handler, token_types = self.METHODS[method]
        if token_type not in token_types:
            raise _Fail({"community": 27, "service": 28}.get(token_type, 15))
        with self._lock:
            return getattr(self, handler)(params, token_type)

    def _error(self, code, method, params, message=None, **extra):
        error = {
            "error_code": code,
            "error_msg": message or VK_ERROR_MESSAGES.get(code, VK_ERROR_MESSAGES[1]),
            "request_params": [{"key": "method", "value": method}, {"key": "oauth", "value": "1"}]
            + [{"key": key, "value": value} for key, value in params.items()],
        }
        if code == 14:
            sid = str(uuid.uuid4().int)[:12]
            error["captcha_sid"] = sid
            error["captcha_img"] = f"https://api.vk.com/captcha.php?sid={sid}&s=1"
        error.update(extra)
        return {"error": error}

    @staticmethod
    def _param_error(detail):
        return _Fail(100, f"{VK_ERROR_MESSAGES[100]}: {detail}")

    def _int(self, params, name, default=None, required=False):
        value = params.get(name)
        if value in (None, ""):
            if required:
                raise self._param_error(f"{name} is undefined")
            return default
        try:
            return int(value)
        except ValueError:
            raise self._param_error(f"{name} not integer") from None

    def _default_owner(self, token_type):
        return self.owner_id if token_type == "community" else self.admin_user_id

    def _find_post(self, owner_id, post_id):
        post = self.posts.get(post_id)
        if post is None or post["owner_id"] != owner_id:
            raise self._param_error("post_id is invalid")
        return post

    # -- methods ------------------------------------------------------------------
    def _wall_get(self, params, token_type):
        owner_id = self._int(params, "owner_id")
        if owner_id is None:
            if token_type != "user":
                raise self._param_error("owner_id is undefined")
            owner_id = self.admin_user_id
        offset = max(0, self._int(params, "offset", 0))
        count = min(100, max(0, self._int(params, "count", 20)))
        posts = sorted((p for p in self.posts.values() if p["owner_id"] == owner_id), key=lambda p: -p["id"])
        wall_filter = params.get("filter", "all")
        if wall_filter == "owner":
            posts = [p for p in posts if p["from_id"] == owner_id]
        elif wall_filter == "others":
            posts = [p for p in posts if p["from_id"] != owner_id]
        return {"count": len(posts), "items": [self._post_view(p) for p in posts[offset:offset + count]]}

    def _wall_get_comments(self, params, token_type):
        owner_id = self._int(params, "owner_id", self._default_owner(token_type))
        post = self._find_post(owner_id, self._int(params, "post_id", required=True))
        all_comments = self._post_comments(post)
        comment_id = self._int(params, "comment_id")
        if comment_id:
            parent = self.comments.get(comment_id)
            if parent is None or parent["post_id"] != post["id"] or parent["owner_id"] != owner_id:
                raise self._param_error("comment_id is invalid")
            level = self._replies(parent)
        else:
            level = [c for c in all_comments if not c["parents_stack"]]
        sort = params.get("sort") or "asc"
        if sort not in ("asc", "desc", "smart"):
            raise self._param_error("sort is invalid")
        if sort != "asc":
            level = level[::-1]
        offset = max(0, self._int(params, "offset", 0))
        count = min(100, max(0, self._int(params, "count", 10)))
        thread_items_count = min(10, max(0, self._int(params, "thread_items_count", 0)))
        preview_length = max(0, self._int(params, "preview_length", 0))
        return {
            "count": len(level) if comment_id else len(all_comments),
            "items": [self._comment_view(c, thread_items_count, preview_length) for c in level[offset:offset + count]],
            "current_level_count": len(level),
            "can_post": True,
            "show_reply_button": True,
            "groups_can_post": True,
        }

    def _wall_create_comment(self, params, token_type):
        owner_id = self._int(params, "owner_id", self._default_owner(token_type))
        post = self._find_post(owner_id, self._int(params, "post_id", required=True))
        message = params.get("message", "")
        attachments = [item for item in params.get("attachments", "").split(",") if item]
        if not message.strip() and not attachments:
            raise self._param_error("message is undefined")
        from_group = self._int(params, "from_group", 0)
        if from_group and from_group != self.group_id:
            raise _Fail(15, "Access denied: you can post only on behalf of the community you manage")
        guid = params.get("guid")
        key = (owner_id, post["id"], guid)
        if guid and key in self._guids:
            done = self.comments[self._guids[key]]
            return {"comment_id": done["id"], "parents_stack": list(done["parents_stack"])}
        parent = None
        reply_to = self._int(params, "reply_to_comment")
        if reply_to:
            parent = self.comments.get(reply_to)
            if parent is None or parent["post_id"] != post["id"] or self._is_deleted(parent):
                raise self._param_error("reply_to_comment is invalid")
        from_id = self.owner_id if (from_group or token_type == "community") else self.admin_user_id
        comment = self._create_comment(post, from_id, message, parent, attachments)
        if guid:
            self._guids[key] = comment["id"]
        return {"comment_id": comment["id"], "parents_stack": list(comment["parents_stack"])}

    def _wall_delete_comment(self, params, token_type):
        owner_id = self._int(params, "owner_id", self._default_owner(token_type))
        comment_id = self._int(params, "comment_id", required=True)
        comment = self.comments.get(comment_id)
        if comment is None or comment["owner_id"] != owner_id:
            raise _Fail(104)
        self.deleted_comments.add((owner_id, comment_id))
        return 1

    def _groups_ban(self, params, token_type):
        group_id = self._int(params, "group_id", required=True)
        if group_id != self.group_id:
            raise _Fail(15, "Access denied: you are not an administrator of this community")
        owner_id = self._int(params, "owner_id", required=True)
        reason = self._int(params, "reason", 0)
        if reason not in range(5):
            raise self._param_error("reason is invalid")
        self.banned[owner_id] = {
            "group_id": group_id,
            "reason": reason,
            "comment": params.get("comment", ""),
            "comment_visible": params.get("comment_visible", "0") in ("1", "true"),
            "end_date": self._int(params, "end_date"),
            "admin_id": self.admin_user_id,
            "date": int(time.time()),
        }
        return 1

    def _groups_get_by_id(self, params, token_type):
        raw = params.get("group_ids") or params.get("group_id") or ""
        names = [name.strip() for name in raw.split(",") if name.strip()]
        if not names:
            if token_type != "community":
                raise self._param_error("group_ids is undefined")
            names = [str(self.group_id)]
        groups = []
        for name in names:
            if name.lstrip("-") not in (str(self.group_id), f"club{self.group_id}"):
                raise self._param_error("group_ids is invalid")
            groups.append({"id": self.group_id, "name": self.group_name, "screen_name": f"club{self.group_id}",
                           "is_closed": 0, "type": "group", "is_admin": 1 if token_type != "service" else 0})
        return {"groups": groups, "profiles": []}

    def _groups_confirmation_code(self, params, token_type):
        if self._int(params, "group_id", required=True) != self.group_id:
            raise _Fail(15)
        return {"code": self.confirmation_code}

    def _users_get(self, params, token_type):
        names = [name.strip() for name in params.get("user_ids", "").split(",") if name.strip()]
        if not names:
            if token_type != "user":
                raise self._param_error("user_ids is undefined")
            names = [str(self.admin_user_id)]
        fields = {field.strip() for field in params.get("fields", "").split(",")}
        by_screen_name = {user["screen_name"]: user for user in self.users.values()}
        result = []
        for name in names:
            if name.isdigit():
                user = self.users.get(int(name))
                if user is None:  # VK answers unknown ids as deleted accounts
                    result.append({"id": int(name), "first_name": "DELETED", "last_name": "",
                                   "deactivated": "deleted"})
                    continue
            else:
                user = by_screen_name.get(name)
                if user is None:
                    raise _Fail(113)
            view = {"id": user["id"], "first_name": user["first_name"], "last_name": user["last_name"],
                    "can_access_closed": True, "is_closed": False}
            if "screen_name" in fields:
                view["screen_name"] = user["screen_name"]
            result.append(view)
        return result


# ----------------------------------------------------------------------
# OK
# ----------------------------------------------------------------------
def _ok_error(code, detail=None):
    name, default = OK_ERRORS.get(code, ("UNKNOWN", "Unknown error"))
    return {"error_code": code, "error_msg": f"{name} : {detail or default}", "error_data": None}


def _md5(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: S324 - OK's signature is MD5


class FakeOk(_FakeServer):
    """An OK group with topics and comments, behind ``/fb.do``.

    :ivar topics: topic id -> media topic; :ivar comments: comment id -> comment
    """

    url_path = "/fb.do"

    METHODS = {
        "mediatopic.getTopics": "_mediatopic_get_topics",
        "discussions.getComments": "_discussions_get_comments",
    }

    def __init__(
        self,
        application_key="CBAFAKE",
        application_secret_key="ok-app-secret",
        access_token="ok-access-token",
        group_id="70000001234567",
        *,
        group_name="Test group",
    ):
        super().__init__()
        self.application_key = application_key
        self.application_secret_key = application_secret_key
        self.access_token = access_token
        self.group_id = str(group_id)
        self.group_name = group_name
        self.topics = {}
        self.comments = {}
        self._topic_comments = {}
        self._topic_ids = itertools.count(155013581046901)
        self._comment_seq = itertools.count(1)

    # -- state helpers --------------------------------------------------------
    def add_topic(self, text):
        """A topic of the group (a media topic with one text block)."""
        with self._lock:
            topic_id = str(next(self._topic_ids))
            self.topics[topic_id] = {
                "id": topic_id,
                "owner_ref": f"group:{self.group_id}",
                "author_ref": f"group:{self.group_id}",
                "created_ms": int(time.time() * 1000),
                "media": [{"type": "text", "text": text}],
            }
            self._topic_comments[topic_id] = []
            return dict(self._topic_view(self.topics[topic_id]), text=text)

    def add_comment(self, topic_id, author_id, text, author_name="Citizen", reply_to_comment_id=None):
        """A comment on a topic, as ``discussions.getComments`` returns it."""
        with self._lock:
            topic_id = str(topic_id)
            comments = self._topic_comments[topic_id]
            now = datetime.now(UTC)
            raw_id = f"{int(now.timestamp() * 1000)}:{next(self._comment_seq)}"
            comment = {
                "id": base64.b64encode(raw_id.encode()).decode(),
                "author_id": str(author_id),
                "author_name": author_name,
                "author_ref": f"user:{author_id}",
                "text": text,
                "date": (now + MOSCOW).strftime("%Y-%m-%d %H:%M:%S"),
                "type": "ACTIVE_MESSAGE",
                "like_count": 0,
                "liked_it": False,
            }
            if reply_to_comment_id:
                parent = self.comments[reply_to_comment_id]
                comment.update(
                    reply_to_comment_id=parent["id"], reply_to_id=parent["author_id"],
                    reply_to_name=parent["author_name"],
                )
            self.comments[comment["id"]] = comment
            comments.append(comment["id"])
            return dict(comment)

    def _topic_view(self, topic):
        view = copy.deepcopy(topic)
        view["discussion_summary"] = {"comments_count": len(self._topic_comments[topic["id"]])}
        view["like_summary"] = {"count": 0, "self": False}
        return view

    def signature(self, params, access_token):
        """The ``sig`` OK expects for ``params``, from the fake's own secrets."""
        secret = _md5(access_token + self.application_secret_key) if access_token else self.application_secret_key
        signed = "".join(
            f"{key}={value}" for key, value in sorted(params.items())
            if key not in ("sig", "access_token", "session_key")
        )
        return _md5(signed + secret)

    # -- HTTP -------------------------------------------------------------------
    def _handle(self, request):
        if request["path"] != self.url_path:
            return 404, HTML, _error_page(404)
        params = dict(request["params"])
        token = params.pop("access_token", None) or params.pop("session_key", None)
        method = params.get("method", "")
        signature_valid = params.get("sig", "").lower() == self.signature(params, token)
        self._record(request, method, params, signature_valid=signature_valid)
        injected = self._injected(method, _ok_error)
        if injected:
            return injected
        try:
            return 200, JSON, self._execute(method, params, token, signature_valid)
        except _Fail as fail:
            return 200, JSON, _ok_error(fail.code, fail.message)

    def _execute(self, method, params, token, signature_valid):
        application_key = params.get("application_key")
        if not application_key:
            raise _Fail(101, "No application key")
        if application_key != self.application_key:
            raise _Fail(101, "Application not exist")
        if not method:
            raise _Fail(100, "Missing required parameter method")
        if method not in self.METHODS:
            raise _Fail(3, f"Method {method} not found")
        if not params.get("sig"):
            raise _Fail(104, "No signature specified")
        if not signature_valid:
            raise _Fail(104, f"Invalid signature {params['sig']}")
        if not token:
            raise _Fail(453, f"Session key is required for method {method}")
        if token != self.access_token:
            raise _Fail(102, "Session expired")
        with self._lock:
            return getattr(self, self.METHODS[method])(params)

    @staticmethod
    def _count(params, default):
        try:
            return max(1, min(100, int(params.get("count") or default)))
        except ValueError:
            raise _Fail(100, "Invalid parameter count") from None

    @staticmethod
    def _anchor(position, prefix):
        return base64.b64encode(f"{prefix}:{position}".encode()).decode()

    @staticmethod
    def _position(anchor, prefix):
        try:
            kind, position = base64.b64decode(anchor).decode().split(":")
            if kind != prefix:
                raise ValueError(kind)
            return int(position)
        except ValueError:
            raise _Fail(100, f"Invalid parameter anchor {anchor}") from None

    # -- methods ------------------------------------------------------------------
    def _mediatopic_get_topics(self, params):
        gid = params.get("gid")
        if not gid:
            raise _Fail(100, "Missing required parameter gid")
        if gid != self.group_id:
            raise _Fail(160, f"Invalid group id {gid}")
        count = self._count(params, 10)
        topics = sorted(self.topics.values(), key=lambda t: (-t["created_ms"], -int(t["id"])))
        start = self._position(params["anchor"], "t") if params.get("anchor") else 0
        page = topics[start:start + count]
        return {
            "media_topics": [self._topic_view(topic) for topic in page],
            "entities": {"groups": [{"ref": f"group:{self.group_id}", "uid": self.group_id,
                                     "name": self.group_name}]},
            "anchor": self._anchor(start + len(page), "t"),
            "has_more": start + len(page) < len(topics),
        }

    def _discussions_get_comments(self, params):
        discussion_id = params.get("discussionId")
        discussion_type = (params.get("discussionType") or "").upper()
        if not discussion_id:
            raise _Fail(100, "Missing required parameter discussionId")
        if not discussion_type:
            raise _Fail(100, "Missing required parameter discussionType")
        if discussion_type != "GROUP_TOPIC" or discussion_id not in self.topics:
            raise _Fail(300, f"Discussion {discussion_type}:{discussion_id} not found")
        fields = [field.strip() for field in params.get("fields", "").split(",") if field.strip()]
        keys = set()
        for field in fields:
            name = field.split(".", 1)[1].upper() if field.lower().startswith("comment.") else field.upper()
            if name == "*":
                keys.update(name.lower() for name in OK_COMMENT_FIELDS)
            elif name in OK_COMMENT_FIELDS:
                keys.add(name.lower())
            else:
                raise _Fail(100, f"Field '{name}' does not exist in type CommentBeanFields")
        count = self._count(params, 20)
        comments = [self.comments[comment_id] for comment_id in self._topic_comments[discussion_id]]
        anchor = params.get("anchor") or "LAST"
        if anchor == "FIRST":
            start = 0
        elif anchor in ("LAST", "UNREAD"):
            start = max(0, len(comments) - count)
        else:
            start = self._position(anchor, "c")
        page = comments[start:start + count]
        return {
            "comments": [{key: value for key, value in c.items() if not keys or key in keys} for c in page],
            "anchor": self._anchor(start + len(page), "c"),
            "has_more": start + len(page) < len(comments),
        }
