"""The fake VK API (``/method/<name>``): see ``fake_networks.py``. No Odoo import."""

import copy
import hashlib
import itertools
import json
import re
import time
import uuid

from .fake_server import HTML, JSON, _error_page, _Fail, _FakeServer

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
    121: "Invalid hash",
    203: "Access to group denied: access to the group is denied",
    210: "Access to wall's post denied",
    211: "Access to wall's comment denied",
    212: "Access to post comments denied",
    213: "Access to status replies denied",
    214: "Access to adding post denied",
    223: "Too many replies",
}

#: OK's error names (https://apiok.ru/dev/errors): code -> (name, default text).


class FakeVk(_FakeServer):
    """A VK community's wall and the VK API methods the addon calls.

    :ivar posts: post id -> post; :ivar comments: comment id -> comment
        (posts and comments share one id sequence, as on a VK wall)
    :ivar banned: banned owner id -> ``{"group_id", "reason", "comment",
        "comment_visible", "end_date", "admin_id", "date"}``
    :ivar deleted_comments: ``(owner_id, comment_id)`` of the deleted comments
    :ivar users: user id -> ``{"id", "first_name", "last_name", "screen_name"}``
    :ivar verified: the community's verified mark (``groups.getById`` with
        ``fields=verified`` answers it)
    :ivar photos: ``"<owner_id>_<id>"`` -> the photos saved by
        ``photos.saveWallPhoto`` after an upload to the fake's upload server
        (``upload_path``, the ``upload_url`` ``photos.getWallUploadServer`` gives)

    ``wall.post`` (user token only, as VK's schema says) posts on the wall;
    a repeated ``guid`` is answered with the post already made.
    """

    url_path = "/method/"

    #: method -> (handler, token types accepted)
    METHODS = {
        "wall.get": ("_wall_get", ("user", "service")),
        "wall.getComments": ("_wall_get_comments", ("user", "service")),
        "wall.getComment": ("_wall_get_comment", ("user", "service")),
        "wall.createComment": ("_wall_create_comment", ("user", "community")),
        "wall.deleteComment": ("_wall_delete_comment", ("user",)),
        "groups.ban": ("_groups_ban", ("user",)),
        "groups.getById": ("_groups_get_by_id", ("user", "community", "service")),
        "groups.getCallbackConfirmationCode": ("_groups_confirmation_code", ("user", "community")),
        "users.get": ("_users_get", ("user", "community", "service")),
        "wall.post": ("_wall_post", ("user",)),
        "photos.getWallUploadServer": ("_photos_get_wall_upload_server", ("user",)),
        "photos.saveWallPhoto": ("_photos_save_wall_photo", ("user",)),
    }
    #: where the fake's upload server listens (VK's is another host, pu.vk.com)
    upload_path = "/upload/wall"

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
        self.verified = False
        self.photos = {}
        self.uploads = {}
        self._token_types = {
            community_token: "community",
            user_token: "user",
            service_token: "service",
        }
        self._ids = itertools.count(1)
        self._guids = {}
        self._post_guids = {}
        self._upload_signatures = {}
        self.add_user(self.admin_user_id, "Moderator", "Admin", screen_name="moderator_admin")

    # -- state helpers ------------------------------------------------------
    def add_user(self, user_id, first_name, last_name, screen_name=None):
        """A VK user that ``users.get`` knows."""
        with self._lock:
            user = {
                "id": int(user_id),
                "first_name": first_name,
                "last_name": last_name,
                "screen_name": screen_name or f"id{int(user_id)}",
            }
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
                {"type": re.match(r"[a-z_]*", item).group() or "link", "id": item}
                for item in attachments
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
            (
                c
                for c in self.comments.values()
                if c["owner_id"] == post["owner_id"]
                and c["post_id"] == post["id"]
                and not self._is_deleted(c)
            ),
            key=lambda c: c["id"],
        )

    def _replies(self, comment):
        return [
            c
            for c in self._post_comments(
                {"owner_id": comment["owner_id"], "id": comment["post_id"]}
            )
            if c["parents_stack"] == [comment["id"]]
        ]

    def _post_view(self, post):
        view = copy.deepcopy(post)
        view["comments"] = {
            "count": len(self._post_comments(post)),
            "can_post": 1,
            "groups_can_post": True,
            "can_close": True,
            "can_open": False,
        }
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
                "items": [
                    self._comment_view(reply, 0, preview_length)
                    for reply in replies[:thread_items_count]
                ],
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

    def post_event(self, post_id, secret=None, *, event_id=None):
        """The Callback API ``wall_post_new`` payload of a post of the wall."""
        with self._lock:
            post = copy.deepcopy(self.posts[int(post_id)])
        post.pop("hash", None)
        post["comments"] = {"count": 0}
        return self.callback_event("wall_post_new", post, secret=secret, event_id=event_id)

    def comment_event(
        self, comment, event_type="wall_reply_new", secret=None, *, deleter_id=None, event_id=None
    ):
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
        if path == self.upload_path:
            return self._upload(request)
        if not path.startswith(self.url_path) or len(path) <= len(self.url_path):
            return 404, HTML, _error_page(404)
        method = path[len(self.url_path) :]
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
        posts = sorted(
            (p for p in self.posts.values() if p["owner_id"] == owner_id), key=lambda p: -p["id"]
        )
        wall_filter = params.get("filter", "all")
        if wall_filter == "owner":
            posts = [p for p in posts if p["from_id"] == owner_id]
        elif wall_filter == "others":
            posts = [p for p in posts if p["from_id"] != owner_id]
        return {
            "count": len(posts),
            "items": [self._post_view(p) for p in posts[offset : offset + count]],
        }

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
            "items": [
                self._comment_view(c, thread_items_count, preview_length)
                for c in level[offset : offset + count]
            ],
            "current_level_count": len(level),
            "can_post": True,
            "show_reply_button": True,
            "groups_can_post": True,
        }

    def _wall_get_comment(self, params, token_type):
        owner_id = self._int(params, "owner_id", self._default_owner(token_type))
        comment_id = self._int(params, "comment_id", required=True)
        comment = self.comments.get(comment_id)
        if comment is None or comment["owner_id"] != owner_id:
            raise self._param_error("comment_id is invalid")
        if self._is_deleted(comment):
            # VK keeps the place of a deleted comment: its ids, no text, "deleted"
            view = {
                "id": comment["id"],
                "from_id": comment["from_id"],
                "post_id": comment["post_id"],
                "owner_id": comment["owner_id"],
                "parents_stack": list(comment["parents_stack"]),
                "date": comment["date"],
                "text": "",
                "deleted": True,
            }
        else:
            view = self._comment_view(comment)
        return {
            "items": [view],
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
            raise _Fail(
                15, "Access denied: you can post only on behalf of the community you manage"
            )
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
        fields = {field.strip() for field in params.get("fields", "").split(",")}
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
            groups.append(
                {
                    "id": self.group_id,
                    "name": self.group_name,
                    "screen_name": f"club{self.group_id}",
                    "is_closed": 0,
                    "type": "group",
                    "is_admin": 1 if token_type != "service" else 0,
                }
            )
            if "verified" in fields:
                groups[-1]["verified"] = 1 if self.verified else 0
        return {"groups": groups, "profiles": []}

    # -- posting on the wall (wall.post, photos) -------------------------------
    def wall_posts(self, from_id=None):
        """The posts of the community's wall (its own posts with ``from_id``), newest last."""
        with self._lock:
            return [
                self._post_view(post)
                for post in sorted(self.posts.values(), key=lambda p: p["id"])
                if post["owner_id"] == self.owner_id and from_id in (None, post["from_id"])
            ]

    def _wall_post(self, params, token_type):
        owner_id = self._int(params, "owner_id", self.admin_user_id)
        if owner_id < 0 and owner_id != self.owner_id:
            raise _Fail(214, "Access to adding post denied: access to the wall is denied")
        message = params.get("message", "")
        attachments = [item for item in params.get("attachments", "").split(",") if item]
        if not message.strip() and not attachments:
            raise self._param_error("message is empty or invalid")
        for item in attachments:
            if item.startswith("photo") and item[len("photo") :] not in self.photos:
                raise self._param_error(f"attachments is invalid: {item}")
        from_group = params.get("from_group", "0") in ("1", "true")
        guid = params.get("guid")
        key = (owner_id, guid)
        if guid and key in self._post_guids:
            return {"post_id": self._post_guids[key]}
        post_id = next(self._ids)
        self.posts[post_id] = {
            "id": post_id,
            "owner_id": owner_id,
            "from_id": owner_id if (from_group and owner_id < 0) else self.admin_user_id,
            "created_by": self.admin_user_id,
            "date": int(time.time()),
            "marked_as_ads": 0,
            "post_type": "post",
            "text": message,
            "attachments": [
                {"type": "photo", "photo": copy.deepcopy(self.photos[item[len("photo") :]])}
                for item in attachments
                if item.startswith("photo")
            ],
            "post_source": {"type": "api"},
            "is_favorite": False,
            "hash": uuid.uuid4().hex[:20],
        }
        if guid:
            self._post_guids[key] = post_id
        return {"post_id": post_id}

    def _photos_get_wall_upload_server(self, params, token_type):
        group_id = self._int(params, "group_id")
        if group_id is not None and group_id != self.group_id:
            raise _Fail(203)
        upload_hash = uuid.uuid4().hex
        with self._lock:
            self.uploads[upload_hash] = None
        return {
            "album_id": -14,
            "upload_url": f"http://127.0.0.1:{self.port}{self.upload_path}"
            f"?act=do_add&mid={self.admin_user_id}&aid=-14&gid={group_id or 0}&hash={upload_hash}",
            "user_id": self.admin_user_id,
        }

    def _upload(self, request):
        """VK's upload server: a multipart body with the file in ``photo``;
        answers ``{"server", "photo", "hash"}``, ``photo`` being "[]" when no
        image came (and an ``error`` for a bad request)."""
        from .fake_telegram import _parse_multipart

        params = request["params"]
        with self._lock:
            self.requests.append(
                {
                    "method": "upload",
                    "params": dict(params),
                    "http_method": request["http_method"],
                    "content_type": request["content_type"],
                }
            )
        injected = self._injected("upload", lambda code, msg: {"error": msg or "ERR_UPLOAD"})
        if injected:
            return injected
        upload_hash = params.get("hash")
        if upload_hash not in self.uploads or "multipart/form-data" not in request["content_type"]:
            return 200, JSON, {"error": "ERR_UPLOAD_BAD_REQUEST: invalid upload request"}
        _fields, files = _parse_multipart(request["content_type"], request["body"])
        upload = files.get("photo")
        server = 846120
        if not upload or not upload["size"] or not upload["content_type"].startswith("image/"):
            return 200, JSON, {"server": server, "photo": "[]", "hash": uuid.uuid4().hex}
        with self._lock:
            photo_hash = hashlib.md5(upload["data"]).hexdigest()  # noqa: S324
            self.uploads[upload_hash] = {"name": upload["filename"], "size": upload["size"]}
            photo = json.dumps([{"photo": photo_hash[:10] + ":w", "sizes": [], "kid": upload_hash}])
            self._upload_signatures[(server, photo)] = upload_hash
        return 200, JSON, {"server": server, "photo": photo, "hash": upload_hash}

    def _photos_save_wall_photo(self, params, token_type):
        group_id = self._int(params, "group_id")
        if group_id is not None and group_id != self.group_id:
            raise _Fail(203)
        server = self._int(params, "server", required=True)
        photo = params.get("photo") or ""
        if photo in ("", "[]"):
            raise self._param_error("photos_list is invalid")
        upload_hash = self._upload_signatures.get((server, photo))
        if upload_hash is None or params.get("hash") != upload_hash:
            raise _Fail(121, "Invalid hash")
        owner_id = -group_id if group_id else self.admin_user_id
        photo_id = 457239000 + len(self.photos) + 1
        saved = {
            "album_id": -14,
            "date": int(time.time()),
            "id": photo_id,
            "owner_id": owner_id,
            "access_key": uuid.uuid4().hex[:18],
            "sizes": [
                {
                    "type": "x",
                    "url": f"https://sun9-1.userapi.com/{photo_id}.jpg",
                    "width": 604,
                    "height": 453,
                }
            ],
            "text": "",
            "user_id": 100,
            "has_tags": False,
        }
        self.photos[f"{owner_id}_{photo_id}"] = saved
        return [copy.deepcopy(saved)]

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
                    result.append(
                        {
                            "id": int(name),
                            "first_name": "DELETED",
                            "last_name": "",
                            "deactivated": "deleted",
                        }
                    )
                    continue
            else:
                user = by_screen_name.get(name)
                if user is None:
                    raise _Fail(113)
            view = {
                "id": user["id"],
                "first_name": user["first_name"],
                "last_name": user["last_name"],
                "can_access_closed": True,
                "is_closed": False,
            }
            if "screen_name" in fields:
                view["screen_name"] = user["screen_name"]
            result.append(view)
        return result


# ----------------------------------------------------------------------
# OK
# ----------------------------------------------------------------------
