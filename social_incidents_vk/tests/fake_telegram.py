"""The fake Telegram Bot API (``/bot<token>/<method>``): see ``fake_networks.py``. No Odoo import.

A channel, its linked discussion group, a bot and citizens. The scenario
helpers (:meth:`FakeTelegram.channel_post`, :meth:`~FakeTelegram.comment`,
:meth:`~FakeTelegram.edit`, …) create the messages and the Updates Telegram
would send for them; the updates wait for ``getUpdates`` or are POSTed to the
webhook by :meth:`~FakeTelegram.deliver`.
"""

import copy
import itertools
import json
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus

import requests

from .fake_server import HTML, JSON, _error_page, _FakeServer

#: Telegram's service account that posts the automatic forwards of a channel.
TELEGRAM_SERVICE_USER = {"id": 777000, "is_bot": False, "first_name": "Telegram"}
#: The placeholder ``from`` of messages sent on behalf of a channel.
CHANNEL_BOT_USER = {
    "id": 136817688,
    "is_bot": True,
    "first_name": "Channel",
    "username": "Channel_Bot",
}

#: The update types Telegram sends when ``allowed_updates`` was never set.
DEFAULT_ALLOWED_UPDATES = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
)

ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)
CHANNEL_RIGHTS = ("can_post_messages", "can_edit_messages")
GROUP_RIGHTS = ("can_pin_messages", "can_manage_topics")


class TelegramFail(Exception):
    """Internal: answer ``{"ok": false, "error_code", "description"}``."""

    def __init__(self, code, description, retry_after=None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


def _bad(description):
    return TelegramFail(400, f"Bad Request: {description}")


def _error_body(code, description, retry_after=None):
    body = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return body


def _phrase(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _parse_multipart(content_type, body):
    """The fields and files of a multipart/form-data body."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    fields, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        if filename is not None:
            files[name] = {
                "filename": filename,
                "content_type": part.get_content_type(),
                "size": len(payload),
                "data": payload,
            }
        else:
            fields[name] = payload.decode(part.get_content_charset() or "utf-8")
    return fields, files


class FakeTelegram(_FakeServer):
    """A channel, its discussion group and a bot, behind the Bot API methods
    the addon calls.

    :ivar channel: the channel's Chat (``id`` -100…, ``username``)
    :ivar group: the discussion group's Chat (a supergroup linked to the channel)
    :ivar bot: the bot's User (``getMe``)
    :ivar users: user id -> User
    :ivar messages: ``(chat_id, message_id)`` -> Message, everything in the chats
    :ivar sent: the Messages the bot sent, in order (``reply_to_message`` resolved)
    :ivar deleted: ``(chat_id, message_id)`` of the deleted messages
    :ivar banned: ``(chat_id, user_id)`` -> ``{"until_date", "revoke_messages"}``
    :ivar updates: the pending Updates (not yet confirmed nor delivered)
    :ivar webhook: ``{"url", "secret_token", "max_connections", ...}`` or None
    :ivar deliveries: what :meth:`deliver` POSTed: ``{"update_id", "status", "body"}``
    """

    url_path = "/"

    METHODS = {
        "getMe": "_get_me",
        "getChat": "_get_chat",
        "getChatMember": "_get_chat_member",
        "setWebhook": "_set_webhook",
        "deleteWebhook": "_delete_webhook",
        "getWebhookInfo": "_get_webhook_info",
        "getUpdates": "_get_updates",
        "sendMessage": "_send_message",
        "sendPhoto": "_send_photo",
        "sendMediaGroup": "_send_media_group",
        "deleteMessage": "_delete_message",
        "banChatMember": "_ban_chat_member",
    }

    def __init__(
        self,
        token="7012345678:AAH-fakeTelegramBotTokenForTests_xyz",
        *,
        bot_id=None,
        bot_username="korenovsk_incidents_bot",
        channel_id=-1001234567890,
        channel_username="korenovsk_news",
        channel_title="Korenovsk news",
        group_id=-1009876543210,
        group_title="Korenovsk news chat",
        allow_http=True,
    ):
        super().__init__()
        bot_id = int(bot_id or token.split(":", 1)[0])
        self.token = token
        self.bot = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Korenovsk incidents",
            "username": bot_username,
        }
        self.tokens = {token: self.bot}
        self.channel = {
            "id": int(channel_id),
            "title": channel_title,
            "username": channel_username,
            "type": "channel",
        }
        self.group = {"id": int(group_id), "title": group_title, "type": "supergroup"}
        self.linked = {self.channel["id"]: self.group["id"], self.group["id"]: self.channel["id"]}
        self.allow_http = allow_http
        self.users = {}
        self.messages = {}
        self.sent = []
        self.deleted = set()
        self.banned = {}
        self.members = {self.group["id"]: set(), self.channel["id"]: set()}
        self.bot_rights = {}
        self.updates = []
        self.webhook = None
        self.allowed_updates = None
        self.deliveries = []
        self.forwards = {}
        self._message_ids = {}
        self._update_ids = itertools.count(512345678)
        self._updates_changed = threading.Condition(self._lock)
        self.set_bot_rights(self.channel["id"])
        self.set_bot_rights(self.group["id"])

    # -- state ----------------------------------------------------------------
    def add_user(self, user_id, first_name, last_name=None, username=None, language_code="ru"):
        """A Telegram user (a citizen), member of the discussion group."""
        user = {"id": int(user_id), "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        with self._lock:
            self.users[user["id"]] = user
            self.members[self.group["id"]].add(user["id"])
        return dict(user)

    def set_bot_rights(self, chat_id, status="administrator", **rights):
        """The bot's membership of a chat: ``status`` "administrator",
        "member", "left" or "kicked"; an administrator has every right
        unless given ``can_…=False``."""
        chat_id = int(chat_id)
        entry = {"status": status}
        if status == "administrator":
            names = ADMIN_RIGHTS + (
                CHANNEL_RIGHTS if chat_id == self.channel["id"] else GROUP_RIGHTS
            )
            entry.update({name: True for name in names})
            entry["can_manage_topics"] = False
            entry.update(rights)
        with self._lock:
            self.bot_rights[chat_id] = entry

    def kick_bot(self, chat_id=None):
        """Someone removed the bot from a chat (the group by default)."""
        self.set_bot_rights(self.group["id"] if chat_id is None else chat_id, status="kicked")

    def _user(self, user):
        if isinstance(user, dict):
            user_id = int(user["id"])
            if user_id not in self.users:
                self.add_user(
                    user_id,
                    user.get("first_name", "Citizen"),
                    user.get("last_name"),
                    user.get("username"),
                )
            return dict(self.users[user_id])
        user_id = int(user)
        if user_id not in self.users:
            self.add_user(user_id, "Citizen", str(user_id))
        return dict(self.users[user_id])

    def _chat(self, chat_id):
        chat_id = int(chat_id)
        if chat_id == self.channel["id"]:
            return dict(self.channel)
        if chat_id == self.group["id"]:
            return dict(self.group)
        user = self.users.get(chat_id)
        if user is not None:
            chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            for key in ("last_name", "username"):
                if key in user:
                    chat[key] = user[key]
            return chat
        return None

    def _next_message_id(self, chat_id):
        # different ranges per chat, so that a post id is never taken for a comment id
        start = {self.channel["id"]: 11, self.group["id"]: 301}.get(int(chat_id), 1)
        counter = self._message_ids.setdefault(int(chat_id), itertools.count(start))
        return next(counter)

    def _new_message(self, chat_id, **fields):
        """Store a new message of ``chat_id``; ``from_`` is its ``from``."""
        message = {"message_id": self._next_message_id(chat_id)}
        if "from_" in fields:
            message["from"] = fields.pop("from_")
        message["chat"] = self._chat(chat_id)
        message["date"] = int(time.time())
        message.update(fields)
        self.messages[(message["chat"]["id"], message["message_id"])] = message
        return message

    @staticmethod
    def _quoted(message):
        """A message as ``reply_to_message``: without its own reply."""
        quoted = copy.deepcopy(message)
        quoted.pop("reply_to_message", None)
        return quoted

    def _queue(self, kind, message):
        """Queue the update ``{kind: message}`` unless the type is not allowed."""
        allowed = self.allowed_updates
        if allowed is None:
            allowed = DEFAULT_ALLOWED_UPDATES
        if kind not in allowed:
            return None
        update = {"update_id": next(self._update_ids), kind: copy.deepcopy(message)}
        self.updates.append(update)
        self._updates_changed.notify_all()
        return copy.deepcopy(update)

    @staticmethod
    def _photo_sizes(seed):
        unique = f"AQAD{seed:08d}"
        return [
            {
                "file_id": f"AgACAgIAAxkBAAI{seed:06d}s",
                "file_unique_id": unique + "s",
                "file_size": 1204,
                "width": 90,
                "height": 67,
            },
            {
                "file_id": f"AgACAgIAAxkBAAI{seed:06d}m",
                "file_unique_id": unique + "m",
                "file_size": 16820,
                "width": 320,
                "height": 240,
            },
            {
                "file_id": f"AgACAgIAAxkBAAI{seed:06d}x",
                "file_unique_id": unique + "x",
                "file_size": 68020,
                "width": 800,
                "height": 600,
            },
        ]

    def _with_text(self, fields, text, photo):
        if photo:
            fields["photo"] = self._photo_sizes(len(self.messages) + 1)
            if text:
                fields["caption"] = text
        else:
            fields["text"] = text
        return fields

    # -- scenario helpers (the Updates Telegram sends) ----------------------------
    def channel_post(self, text, photo=False):
        """A post in the channel: the ``channel_post`` update (when allowed)
        and its automatic forward into the discussion group (a ``message``
        update with ``is_automatic_forward``); returns the post's id."""
        with self._lock:
            post = self._new_message(
                self.channel["id"],
                **self._with_text({"sender_chat": dict(self.channel)}, text, photo),
            )
            self._queue("channel_post", post)
            fields = {
                "from_": dict(TELEGRAM_SERVICE_USER),
                "sender_chat": dict(self.channel),
                "forward_origin": {
                    "type": "channel",
                    "chat": dict(self.channel),
                    "message_id": post["message_id"],
                    "date": post["date"],
                },
                "is_automatic_forward": True,
            }
            forward = self._new_message(self.group["id"], **self._with_text(fields, text, photo))
            self.forwards[post["message_id"]] = forward["message_id"]
            self._queue("message", forward)
            return post["message_id"]

    def channel_album(self, caption, count=2):
        """An album posted in the channel by a person: one ``channel_post``
        update per photo, sharing a ``media_group_id``, the caption on the
        first; returns the messages' ids."""
        with self._lock:
            album = str(next(self._update_ids) * 7919)
            ids = []
            for index in range(count):
                fields = {"sender_chat": dict(self.channel), "media_group_id": album}
                post = self._new_message(
                    self.channel["id"],
                    **self._with_text(fields, caption if index == 0 else None, True),
                )
                self._queue("channel_post", post)
                ids.append(post["message_id"])
            return ids

    def forward_of(self, post_id):
        """The automatic forward of a channel post in the discussion group."""
        return copy.deepcopy(self.messages[(self.group["id"], self.forwards[int(post_id)])])

    def comment(self, post_id, user, text, photo=False, reply_to=None):
        """A citizen's comment on a channel post (a message in the group
        replying to the post's automatic forward, in its thread), or with
        ``reply_to`` (a comment dict or id) a reply to another comment of
        the same thread; queues the ``message`` update, returns the Message."""
        with self._lock:
            thread_id = self.forwards[int(post_id)]
            if reply_to is None:
                parent = self.messages[(self.group["id"], thread_id)]
            else:
                parent_id = reply_to["message_id"] if isinstance(reply_to, dict) else reply_to
                parent = self.messages[(self.group["id"], int(parent_id))]
            fields = {
                "from_": self._user(user),
                "message_thread_id": thread_id,
                "reply_to_message": self._quoted(parent),
            }
            message = self._new_message(self.group["id"], **self._with_text(fields, text, photo))
            self._queue("message", message)
            return copy.deepcopy(message)

    def edit(self, message, new_text):
        """The author edits ``message`` (dict or ``(chat_id, message_id)``):
        queues ``edited_message`` (``edited_channel_post`` in the channel)
        with ``edit_date``; returns the edited Message."""
        with self._lock:
            if isinstance(message, dict):
                key = (message["chat"]["id"], message["message_id"])
            else:
                key = (int(message[0]), int(message[1]))
            stored = self.messages[key]
            stored["text" if "text" in stored else "caption"] = new_text
            stored["edit_date"] = max(int(time.time()), stored["date"] + 1)
            kind = "edited_channel_post" if key[0] == self.channel["id"] else "edited_message"
            self._queue(kind, stored)
            return copy.deepcopy(stored)

    def direct_message(self, user, text, photo=False):
        """A private message to the bot; queues the ``message`` update."""
        with self._lock:
            sender = self._user(user)
            fields = {"from_": sender}
            message = self._new_message(sender["id"], **self._with_text(fields, text, photo))
            self._queue("message", message)
            return copy.deepcopy(message)

    def service_message(self, kind="new_chat_members", user=None, **extra):
        """A service message in the group: ``new_chat_members`` (default),
        ``left_chat_member``, ``pinned_message``…; queues the update."""
        with self._lock:
            member = self._user(user if user is not None else 555000111)
            fields = {"from_": member}
            if kind == "new_chat_members":
                fields["new_chat_members"] = [member]
            elif kind == "left_chat_member":
                fields["left_chat_member"] = member
            else:
                fields[kind] = extra.pop("value", True)
            fields.update(extra)
            message = self._new_message(self.group["id"], **fields)
            self._queue("message", message)
            return copy.deepcopy(message)

    def bot_message(self, text, post_id=None, bot=None):
        """A message of another bot in the group (``from.is_bot``), in the
        thread of ``post_id`` when given; queues the update."""
        with self._lock:
            sender = bot or {
                "id": 6111222333,
                "is_bot": True,
                "first_name": "Helper bot",
                "username": "helper_bot",
            }
            fields = {"from_": dict(sender)}
            self._in_thread(fields, post_id)
            message = self._new_message(self.group["id"], **self._with_text(fields, text, False))
            self._queue("message", message)
            return copy.deepcopy(message)

    def channel_message_in_group(self, text, post_id=None):
        """A message written in the group on behalf of the channel
        (``sender_chat`` = the channel, not an automatic forward); queues it."""
        with self._lock:
            fields = {"from_": dict(CHANNEL_BOT_USER), "sender_chat": dict(self.channel)}
            self._in_thread(fields, post_id)
            message = self._new_message(self.group["id"], **self._with_text(fields, text, False))
            self._queue("message", message)
            return copy.deepcopy(message)

    def _in_thread(self, fields, post_id):
        if post_id is not None:
            thread_id = self.forwards[int(post_id)]
            fields["message_thread_id"] = thread_id
            fields["reply_to_message"] = self._quoted(self.messages[(self.group["id"], thread_id)])

    def comment_link(self, post_id, comment):
        """The link Telegram gives to a comment: ``t.me/<channel>/<post>?comment=<id>``."""
        message_id = comment["message_id"] if isinstance(comment, dict) else int(comment)
        return f"https://t.me/{self.channel['username']}/{int(post_id)}?comment={message_id}"

    # -- webhook delivery ---------------------------------------------------------
    @property
    def pending_updates(self):
        with self._lock:
            return copy.deepcopy(self.updates)

    def deliver(self, url=None, secret_token=None, timeout=10):
        """POST each pending update as JSON to the webhook (or ``url``), with
        ``X-Telegram-Bot-Api-Secret-Token`` = the secret given to setWebhook
        (or ``secret_token``), in order; an update answered 2xx is confirmed
        (dropped), the first other answer stops the delivery and is kept as
        the webhook's ``last_error``. Returns the HTTP statuses."""
        with self._lock:
            webhook = dict(self.webhook or {})
            target = url or webhook.get("url")
            if not target:
                raise ValueError("No webhook is set: call setWebhook first or give a url.")
            secret = secret_token if secret_token is not None else webhook.get("secret_token")
            pending = copy.deepcopy(self.updates)
        statuses = []
        for update in pending:
            headers = {"Content-Type": "application/json"}
            if secret:
                headers["X-Telegram-Bot-Api-Secret-Token"] = secret
            try:
                response = requests.post(
                    target, data=json.dumps(update).encode(), headers=headers, timeout=timeout
                )
                status, text = response.status_code, response.text
            except requests.RequestException as exc:
                status, text = None, str(exc)
            statuses.append(status)
            with self._lock:
                self.deliveries.append(
                    {"update_id": update["update_id"], "status": status, "body": text[:1000]}
                )
                if status is not None and 200 <= status < 300:
                    self.updates = [
                        u for u in self.updates if u["update_id"] != update["update_id"]
                    ]
                    continue
                if self.webhook is not None:
                    self.webhook["last_error_date"] = int(time.time())
                    self.webhook["last_error_message"] = (
                        f"Wrong response from the webhook: {status} {_phrase(status)}"
                        if status is not None
                        else "Connection refused"
                    )
            break
        return statuses

    # -- failures -----------------------------------------------------------------
    def fail_next(
        self,
        method,
        *,
        error_code=None,
        description=None,
        retry_after=None,
        times=1,
        http_status=None,
        delay=None,
        body=None,
    ):
        """Make the next ``times`` calls of ``method`` (``"*"``: any) fail.

        :param error_code: answer Telegram's error (HTTP status = error_code),
            with ``description`` (Telegram's usual one by default) and
            ``parameters.retry_after``
        :param http_status: answer this HTTP status with an HTML page (a proxy's 502)
        :param delay: wait that many seconds first; alone, the request is then
            carried out normally (a slow server, to make a client time out)
        :param body: answer this JSON body (HTTP 200) without carrying the request out
        """
        if error_code is None and http_status is None and not delay and body is None:
            raise ValueError("Give an error_code, an http_status, a body or a delay.")
        if error_code is not None and description is None:
            description = {
                400: "Bad Request",
                401: "Unauthorized",
                403: "Forbidden",
                404: "Not Found",
                409: "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
                429: f"Too Many Requests: retry after {retry_after or 5}",
                500: "Internal Server Error",
                502: "Bad Gateway",
            }.get(error_code, "Error")
            if error_code == 429 and retry_after is None:
                retry_after = 5
        with self._lock:
            self._failures.append(
                {
                    "method": method,
                    "error_code": error_code,
                    "http_status": http_status,
                    "delay": delay,
                    "times": int(times),
                    "error_msg": description,
                    "retry_after": retry_after,
                    "body": body,
                }
            )

    # -- HTTP ---------------------------------------------------------------------
    def _decode(self, request):
        """The parameters of a request (query string, JSON, form or
        multipart) and its uploaded files."""
        params = dict(request["params"])
        files = {}
        content_type = request["content_type"]
        body = request.get("body") or b""
        if body and "json" in content_type:
            try:
                decoded = json.loads(body)
            except ValueError:
                raise _bad("can't parse JSON object") from None
            if not isinstance(decoded, dict):
                raise _bad("can't parse JSON object")
            params.update(decoded)
        elif body and "multipart/form-data" in content_type:
            fields, files = _parse_multipart(content_type, body)
            params.update(fields)
        return params, files

    def _handle(self, request):
        path = request["path"]
        parts = path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            return 404, HTML, _error_page(404)
        token, method = parts[0][3:], parts[1]
        try:
            params, files = self._decode(request)
        except TelegramFail as fail:
            self._record(request, method, {}, files={})
            return fail.code, JSON, _error_body(fail.code, fail.description)
        self._record(request, method, params, files=copy.deepcopy(files))
        failure = self._take_failure(method)
        if failure:
            if failure["delay"]:
                time.sleep(failure["delay"])
            if failure["http_status"]:
                status = failure["http_status"]
                return status, HTML, _error_page(status)
            if failure["error_code"] is not None:
                code = failure["error_code"]
                return code, JSON, _error_body(code, failure["error_msg"], failure["retry_after"])
            if failure["body"] is not None:
                return 200, JSON, failure["body"]
        if token not in self.tokens:
            return 401, JSON, _error_body(401, "Unauthorized")
        handler = self.METHODS.get(method)
        if handler is None:
            return 404, JSON, _error_body(404, "Not Found")
        try:
            result = getattr(self, handler)(params, files)
        except TelegramFail as fail:
            return fail.code, JSON, _error_body(fail.code, fail.description, fail.retry_after)
        if isinstance(result, tuple):  # (result, description)
            return 200, JSON, {"ok": True, "result": result[0], "description": result[1]}
        return 200, JSON, {"ok": True, "result": result}

    # -- parameters -------------------------------------------------------------------
    @staticmethod
    def _int(params, name, required=True):
        value = params.get(name)
        if value in (None, ""):
            if required:
                raise _bad(f"{name} is empty" if name != "chat_id" else "chat_id is empty")
            return None
        if isinstance(value, bool):
            raise _bad(f"invalid {name} specified")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _bad(f"invalid {name} specified") from None

    @staticmethod
    def _object(params, name):
        value = params.get(name)
        if value in (None, ""):
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise _bad(f"can't parse {name} JSON object") from None
        return value

    @staticmethod
    def _bool(params, name):
        value = params.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def _chat_id(self, params):
        raw = params.get("chat_id")
        if raw in (None, ""):
            raise _bad("chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            for chat in (self.channel, self.group):
                if chat.get("username") and chat["username"].lower() == raw[1:].lower():
                    return chat["id"]
            raise _bad("chat not found")
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            raise _bad("chat not found") from None
        if self._chat(chat_id) is None:
            raise _bad("chat not found")
        return chat_id

    def _kind(self, chat_id):
        return "channel" if chat_id == self.channel["id"] else "supergroup"

    def _bot_member(self, chat_id):
        """Refuse a chat the bot is not in, as Telegram does."""
        if chat_id not in self.bot_rights:  # a private chat
            return {"status": "member"}
        rights = self.bot_rights[chat_id]
        if rights["status"] == "kicked":
            raise TelegramFail(
                403, f"Forbidden: bot was kicked from the {self._kind(chat_id)} chat"
            )
        if rights["status"] == "left":
            raise TelegramFail(
                403, f"Forbidden: bot is not a member of the {self._kind(chat_id)} chat"
            )
        return rights

    def _message(self, chat_id, message_id):
        if (chat_id, message_id) in self.deleted:
            return None
        return self.messages.get((chat_id, message_id))

    # -- methods ------------------------------------------------------------------------
    def _get_me(self, params, files):
        return {
            **self.bot,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _get_chat(self, params, files):
        with self._lock:
            chat_id = self._chat_id(params)
            if chat_id in self.bot_rights:
                self._bot_member(chat_id)
            chat = self._chat(chat_id)
            chat["accent_color_id"] = 0
            chat["max_reaction_count"] = 11
            if chat_id in self.linked:
                chat["linked_chat_id"] = self.linked[chat_id]
            if chat["type"] == "supergroup":
                chat["permissions"] = {"can_send_messages": True, "can_send_photos": True}
            return chat

    def _get_chat_member(self, params, files):
        with self._lock:
            chat_id = self._chat_id(params)
            user_id = self._int(params, "user_id")
            if user_id == self.bot["id"]:
                rights = self._bot_member(chat_id)
                member = {"user": dict(self.bot), **rights}
                if rights["status"] == "administrator":
                    member["can_be_edited"] = False
                    member["is_anonymous"] = False
                return member
            self._bot_member(chat_id)
            user = self.users.get(user_id)
            if user is None:
                raise _bad("user not found")
            if (chat_id, user_id) in self.banned:
                return {
                    "user": dict(user),
                    "status": "kicked",
                    "until_date": self.banned[(chat_id, user_id)]["until_date"] or 0,
                }
            status = "member" if user_id in self.members.get(chat_id, ()) else "left"
            return {"user": dict(user), "status": status}

    def _set_webhook(self, params, files):
        url = params.get("url") or ""
        with self._lock:
            if not url:
                self.webhook = None
                return True, "Webhook is already deleted"
            if not url.startswith("https://") and not (
                self.allow_http and url.startswith("http://")
            ):
                raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
            secret = params.get("secret_token") or ""
            if secret and (
                len(secret) > 256
                or not all(c.isascii() and (c.isalnum() or c in "_-") for c in secret)
            ):
                raise _bad("secret token contains unallowed characters")
            allowed = self._object(params, "allowed_updates")
            max_connections = self._int(params, "max_connections", required=False) or 40
            if not 1 <= max_connections <= 100:
                raise _bad("bad webhook: max_connections must be between 1 and 100")
            if allowed is not None:
                self.allowed_updates = list(allowed) or None
            if self._bool(params, "drop_pending_updates"):
                self.updates = []
            existed = self.webhook is not None and self.webhook["url"] == url
            self.webhook = {
                "url": url,
                "secret_token": secret or None,
                "max_connections": max_connections,
                "allowed_updates": list(allowed) if allowed else None,
            }
            return True, "Webhook is already set" if existed else "Webhook was set"

    def _delete_webhook(self, params, files):
        with self._lock:
            if self._bool(params, "drop_pending_updates"):
                self.updates = []
            if self.webhook is None:
                return True, "Webhook is already deleted"
            self.webhook = None
            return True, "Webhook was deleted"

    def _get_webhook_info(self, params, files):
        with self._lock:
            info = {
                "url": "",
                "has_custom_certificate": False,
                "pending_update_count": len(self.updates),
            }
            if self.webhook is not None:
                info["url"] = self.webhook["url"]
                info["max_connections"] = self.webhook["max_connections"]
                info["ip_address"] = "127.0.0.1"
                for key in ("last_error_date", "last_error_message"):
                    if self.webhook.get(key):
                        info[key] = self.webhook[key]
                if self.webhook.get("allowed_updates"):
                    info["allowed_updates"] = list(self.webhook["allowed_updates"])
            return info

    def _get_updates(self, params, files):
        offset = self._int(params, "offset", required=False)
        limit = self._int(params, "limit", required=False) or 100
        limit = max(1, min(100, limit))
        timeout = max(0, self._int(params, "timeout", required=False) or 0)
        allowed = self._object(params, "allowed_updates")
        deadline = time.monotonic() + timeout
        with self._lock:
            if self.webhook is not None:
                raise TelegramFail(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            if allowed is not None:
                self.allowed_updates = list(allowed) or None
            while True:
                if offset is not None and offset > 0:
                    self.updates = [u for u in self.updates if u["update_id"] >= offset]
                available = list(self.updates)
                if offset is not None and offset < 0:
                    available = available[offset:]
                remaining = deadline - time.monotonic()
                if available or remaining <= 0:
                    return copy.deepcopy(available[:limit])
                self._updates_changed.wait(remaining)

    def _reply_to(self, chat_id, params):
        """The message replied to (``reply_parameters``), or None."""
        reply = self._object(params, "reply_parameters")
        if reply is None and params.get("reply_to_message_id") not in (None, ""):
            reply = {"message_id": self._int(params, "reply_to_message_id")}
        if not reply:
            return None
        if not isinstance(reply, dict) or "message_id" not in reply:
            raise _bad("can't parse reply parameters JSON object")
        target_chat = reply.get("chat_id", chat_id)
        message = self._message(int(target_chat), int(reply["message_id"]))
        if message is None:
            if reply.get("allow_sending_without_reply"):
                return None
            raise _bad("message to be replied not found")
        return message

    def _prepare_send(self, params):
        chat_id = self._chat_id(params)
        rights = self._bot_member(chat_id)
        if chat_id == self.channel["id"] and not (
            rights["status"] == "administrator" and rights.get("can_post_messages")
        ):
            raise _bad("need administrator rights in the channel chat")
        if (chat_id, self.bot["id"]) in self.banned:
            raise TelegramFail(403, "Forbidden: bot was kicked from the supergroup chat")
        parent = self._reply_to(chat_id, params)
        thread_id = self._int(params, "message_thread_id", required=False)
        if thread_id is not None:
            thread_root = self._message(chat_id, thread_id)
            if thread_root is None:
                raise _bad("message thread not found")
        fields = {"from_": dict(self.bot)}
        if parent is not None:
            fields["reply_to_message"] = self._quoted(parent)
            thread_id = thread_id or parent.get("message_thread_id")
            if thread_id is None and parent.get("is_automatic_forward"):
                thread_id = parent["message_id"]
        if thread_id is not None and chat_id == self.group["id"]:
            fields["message_thread_id"] = thread_id
        return chat_id, fields

    def _store_sent(self, chat_id, fields):
        if chat_id == self.channel["id"]:
            # a channel's message is the channel's: no sender user, the channel as sender_chat
            fields.pop("from_", None)
            fields["sender_chat"] = dict(self.channel)
        message = self._new_message(chat_id, **fields)
        self.sent.append(copy.deepcopy(message))
        if chat_id == self.channel["id"]:
            # its automatic forward into the discussion group (the bot gets no
            # update of its own channel post)
            forward_fields = {
                key: copy.deepcopy(value)
                for key, value in message.items()
                if key in ("text", "caption", "photo", "media_group_id")
            }
            forward_fields.update(
                {
                    "from_": dict(TELEGRAM_SERVICE_USER),
                    "sender_chat": dict(self.channel),
                    "forward_origin": {
                        "type": "channel",
                        "chat": dict(self.channel),
                        "message_id": message["message_id"],
                        "date": message["date"],
                    },
                    "is_automatic_forward": True,
                }
            )
            forward = self._new_message(self.group["id"], **forward_fields)
            self.forwards.setdefault(message["message_id"], forward["message_id"])
            self._queue("message", forward)
        return copy.deepcopy(message)

    def channel_messages(self):
        """The messages of the channel, oldest first."""
        with self._lock:
            return [
                copy.deepcopy(message)
                for (chat_id, _message_id), message in sorted(self.messages.items())
                if chat_id == self.channel["id"]
            ]

    def _photo(self, value, files, name="photo"):
        """The PhotoSize list of an uploaded file (``attach://`` or the
        field itself), a file_id or a URL."""
        if isinstance(value, str) and value.startswith("attach://"):
            name = value[len("attach://") :]
            value = None
        if value in (None, ""):
            upload = files.get(name)
            if upload is None:
                raise _bad("there is no photo in the request")
            if not upload["content_type"].startswith("image/") or not upload["size"]:
                raise _bad("IMAGE_PROCESS_FAILED")
        return self._photo_sizes(len(self.messages) + 1)

    def _send_message(self, params, files):
        with self._lock:
            chat_id, fields = self._prepare_send(params)
            text = params.get("text")
            if not text or not str(text).strip():
                raise _bad("message text is empty")
            if len(str(text)) > 4096:
                raise _bad("message is too long")
            fields["text"] = str(text)
            return self._store_sent(chat_id, fields)

    def _send_photo(self, params, files):
        with self._lock:
            chat_id, fields = self._prepare_send(params)
            fields["photo"] = self._photo(params.get("photo"), files)
            caption = params.get("caption")
            if caption:
                if len(caption) > 1024:
                    raise _bad("message caption is too long")
                fields["caption"] = caption
            return self._store_sent(chat_id, fields)

    def _send_media_group(self, params, files):
        with self._lock:
            chat_id, fields = self._prepare_send(params)
            media = self._object(params, "media")
            if not isinstance(media, list) or not 2 <= len(media) <= 10:
                raise _bad("wrong number of messages in the media group")
            group_id = str(next(self._update_ids) * 7919)
            messages = []
            for item in media:
                if item.get("type") != "photo":
                    raise _bad("unsupported media type in the media group")
                message_fields = copy.deepcopy(fields)
                message_fields["media_group_id"] = group_id
                message_fields["photo"] = self._photo(item.get("media"), files)
                if item.get("caption"):
                    message_fields["caption"] = item["caption"]
                messages.append(message_fields)
            return [self._store_sent(chat_id, message_fields) for message_fields in messages]

    def _delete_message(self, params, files):
        with self._lock:
            chat_id = self._chat_id(params)
            message_id = self._int(params, "message_id")
            rights = self._bot_member(chat_id)
            message = self._message(chat_id, message_id)
            if message is None:
                raise _bad("message to delete not found")
            own = message.get("from", {}).get("id") == self.bot["id"]
            if not own and not (
                rights["status"] == "administrator" and rights.get("can_delete_messages")
            ):
                raise _bad("message can't be deleted")
            self.deleted.add((chat_id, message_id))
            return True

    def _ban_chat_member(self, params, files):
        with self._lock:
            chat_id = self._chat_id(params)
            user_id = self._int(params, "user_id")
            rights = self._bot_member(chat_id)
            if chat_id not in self.bot_rights:
                raise _bad("method is available for supergroup and channel chats only")
            if not (rights["status"] == "administrator" and rights.get("can_restrict_members")):
                raise _bad("not enough rights to restrict/unrestrict chat member")
            if user_id == self.bot["id"]:
                raise _bad("can't remove chat owner")
            if user_id not in self.users:
                raise _bad("user not found")
            revoke = self._bool(params, "revoke_messages")
            self.banned[(chat_id, user_id)] = {
                "until_date": self._int(params, "until_date", required=False),
                "revoke_messages": revoke,
            }
            self.members.get(chat_id, set()).discard(user_id)
            if revoke:
                for key, message in self.messages.items():
                    if key[0] == chat_id and message.get("from", {}).get("id") == user_id:
                        self.deleted.add(key)
            return True
