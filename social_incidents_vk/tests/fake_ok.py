"""The fake OK API (``/fb.do``): see ``fake_networks.py``. No Odoo import."""

import base64
import copy
import hashlib
import itertools
import time
from datetime import UTC, datetime, timedelta

from .fake_server import HTML, JSON, _error_page, _Fail, _FakeServer

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
        "ID",
        "AUTHOR_ID",
        "AUTHOR_NAME",
        "AUTHOR_REF",
        "TEXT",
        "DATE",
        "TYPE",
        "REPLY_TO_ID",
        "REPLY_TO_NAME",
        "REPLY_TO_COMMENT_ID",
        "LIKE_COUNT",
        "LIKED_IT",
    }
)

MOSCOW = timedelta(hours=3)


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

    def add_comment(
        self, topic_id, author_id, text, author_name="Citizen", reply_to_comment_id=None
    ):
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
                    reply_to_comment_id=parent["id"],
                    reply_to_id=parent["author_id"],
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
        secret = (
            _md5(access_token + self.application_secret_key)
            if access_token
            else self.application_secret_key
        )
        signed = "".join(
            f"{key}={value}"
            for key, value in sorted(params.items())
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
        page = topics[start : start + count]
        return {
            "media_topics": [self._topic_view(topic) for topic in page],
            "entities": {
                "groups": [
                    {"ref": f"group:{self.group_id}", "uid": self.group_id, "name": self.group_name}
                ]
            },
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
            name = (
                field.split(".", 1)[1].upper()
                if field.lower().startswith("comment.")
                else field.upper()
            )
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
        page = comments[start : start + count]
        return {
            "comments": [
                {key: value for key, value in c.items() if not keys or key in keys} for c in page
            ],
            "anchor": self._anchor(start + len(page), "c"),
            "has_more": start + len(page) < len(comments),
        }
