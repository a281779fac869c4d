"""The Telegram Bot API client against the fake Bot API server, on 127.0.0.1; no Odoo.

The addon's ``__init__`` imports Odoo, so the clients package and the fake
servers are loaded from their files. Waits (backoff, retry_after, rate
limiting) go to a fake clock through the injected ``sleep``/``clock``.
"""

import importlib
import json
import logging

import pytest
import requests

from addon_files import REPO_ROOT, load

ADDON = REPO_ROOT / "social_incidents_vk"
load("sivk_clients", ADDON / "clients" / "__init__.py", ADDON / "clients")
telegram = importlib.import_module("sivk_clients.telegram")
fake_networks = load(
    "sivk_fake_networks", ADDON / "tests" / "fake_networks.py", package_dir=ADDON / "tests"
)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


class FakeClock:
    """A monotonic clock that only moves when something sleeps."""

    def __init__(self, start=1000.0):
        self.now = start
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture(autouse=True)
def _fresh_rate_limiters():
    telegram.reset_rate_limiters()
    yield
    telegram.reset_rate_limiters()


@pytest.fixture
def fake():
    server = fake_networks.FakeTelegram().start()
    yield server
    server.stop()


@pytest.fixture
def clock():
    return FakeClock()


def make_client(fake, clock, token=None, **options):
    options.setdefault("timeout", 2)
    options.setdefault("rate_limit", False)
    return telegram.TelegramClient(
        token or fake.token, api_url=fake.url, sleep=clock.sleep, clock=clock, **options
    )


def post_and_comment(fake, text="The street light at Lenina 12 is off."):
    post_id = fake.channel_post("District news: road repairs this week")
    citizen = fake.add_user(5550001, "Ivan", "Petrov", username="ivan_petrov")
    return post_id, fake.comment(post_id, citizen, text)


# ----------------------------------------------------------------------
# Methods: what is sent, what comes back
# ----------------------------------------------------------------------
def test_get_me_posts_json_to_the_token_path(fake, clock):
    me = make_client(fake, clock).get_me()
    assert me["id"] == fake.bot["id"] and me["is_bot"] is True
    assert me["username"] == "korenovsk_incidents_bot"
    (request,) = fake.requests
    assert request["method"] == "getMe"
    assert request["http_method"] == "POST"
    assert request["content_type"] == "application/json"
    assert request["params"] == {}


def test_get_chat_channel_and_linked_group(fake, clock):
    client = make_client(fake, clock)
    channel = client.get_chat("@korenovsk_news")
    assert channel["id"] == fake.channel["id"] and channel["type"] == "channel"
    assert channel["linked_chat_id"] == fake.group["id"]
    group = client.get_chat(fake.group["id"])
    assert group["type"] == "supergroup" and group["linked_chat_id"] == fake.channel["id"]
    assert fake.requests[1]["params"] == {"chat_id": fake.group["id"]}
    with pytest.raises(telegram.TelegramBadRequest) as info:
        client.get_chat(-1000000000001)
    assert info.value.code == 400
    assert info.value.message == "Bad Request: chat not found"
    assert str(info.value) == "Telegram API error 400 (getChat): Bad Request: chat not found"


def test_get_chat_member_rights_of_the_bot(fake, clock):
    fake.set_bot_rights(fake.group["id"], can_restrict_members=False)
    client = make_client(fake, clock)
    member = client.get_chat_member(fake.group["id"], fake.bot["id"])
    assert member["status"] == "administrator"
    assert member["can_delete_messages"] is True
    assert member["can_restrict_members"] is False
    channel_member = client.get_chat_member(fake.channel["id"], fake.bot["id"])
    assert channel_member["can_post_messages"] is True
    fake.set_bot_rights(fake.channel["id"], status="member")
    assert client.get_chat_member(fake.channel["id"], fake.bot["id"]) == {
        "user": fake.bot,
        "status": "member",
    }
    assert fake.requests[0]["params"] == {"chat_id": fake.group["id"], "user_id": fake.bot["id"]}


def test_webhook_set_info_delete(fake, clock):
    client = make_client(fake, clock)
    assert (
        client.set_webhook(
            "https://incidents.example.ru/social_incidents/telegram/webhook/7",
            "s3cr3t_Token-1",
            ["message", "edited_message"],
            drop_pending_updates=True,
            max_connections=10,
        )
        is True
    )
    assert fake.requests[-1]["params"] == {
        "url": "https://incidents.example.ru/social_incidents/telegram/webhook/7",
        "secret_token": "s3cr3t_Token-1",
        "allowed_updates": ["message", "edited_message"],
        "drop_pending_updates": True,
        "max_connections": 10,
    }
    info = client.get_webhook_info()
    assert info["url"].endswith("/webhook/7")
    assert info["allowed_updates"] == ["message", "edited_message"]
    assert info["pending_update_count"] == 0
    assert client.delete_webhook() is True
    assert client.get_webhook_info()["url"] == ""
    with pytest.raises(telegram.TelegramBadRequest, match="unallowed characters"):
        client.set_webhook("https://x.example/h", "bad secret!", ["message"])


def test_set_webhook_refuses_http_like_telegram(clock):
    with fake_networks.FakeTelegram(allow_http=False) as fake:
        with pytest.raises(telegram.TelegramBadRequest) as info:
            make_client(fake, clock).set_webhook("http://x.example/h", "s", ["message"])
    assert (
        info.value.message == "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
    )


def test_get_updates_offset_confirms_and_allowed_updates_filter(fake, clock):
    client = make_client(fake, clock)
    post_id, comment = post_and_comment(fake)
    updates = client.get_updates(timeout=0)
    assert [sorted(set(u) - {"update_id"}) for u in updates] == [
        ["channel_post"],
        ["message"],
        ["message"],
    ]
    ids = [u["update_id"] for u in updates]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert fake.requests[-1]["params"] == {"limit": 100, "timeout": 0}
    # an offset confirms (drops) the earlier updates
    assert client.get_updates(offset=ids[2]) == [updates[2]]
    assert client.get_updates(offset=ids[2] + 1) == []
    assert client.get_updates() == []
    # only the allowed types are produced from then on
    client.get_updates(offset=ids[2] + 1, allowed_updates=["message", "edited_message"])
    fake.channel_post("Second post")
    (forward,) = client.get_updates()
    assert forward["message"]["is_automatic_forward"] is True
    assert forward["message"]["forward_origin"]["message_id"] == post_id + 1


def test_get_updates_while_a_webhook_is_set_is_a_conflict(fake, clock):
    client = make_client(fake, clock)
    client.set_webhook("https://x.example/h", "secret", ["message"])
    with pytest.raises(telegram.TelegramConflict) as info:
        client.get_updates()
    assert info.value.code == 409
    assert info.value.message == (
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first"
    )


def test_comment_updates_look_like_telegram(fake, clock):
    post_id, comment = post_and_comment(fake)
    reply = fake.comment(post_id, 5550002, "Same on Mira street", reply_to=comment)
    updates = make_client(fake, clock).get_updates()
    channel_post = updates[0]["channel_post"]
    assert channel_post["message_id"] == post_id
    assert channel_post["chat"] == fake.channel and "from" not in channel_post
    forward = updates[1]["message"]
    assert forward["chat"]["id"] == fake.group["id"]
    assert forward["sender_chat"]["id"] == fake.channel["id"]
    assert forward["is_automatic_forward"] is True
    assert forward["forward_origin"] == {
        "type": "channel",
        "chat": fake.channel,
        "message_id": post_id,
        "date": channel_post["date"],
    }
    first = updates[2]["message"]
    assert first == comment
    assert first["from"]["first_name"] == "Ivan" and first["from"]["is_bot"] is False
    assert first["message_thread_id"] == forward["message_id"]
    assert first["reply_to_message"]["message_id"] == forward["message_id"]
    assert first["reply_to_message"]["is_automatic_forward"] is True
    second = updates[3]["message"]
    assert second["message_id"] == reply["message_id"]
    assert second["message_thread_id"] == forward["message_id"]
    assert second["reply_to_message"]["message_id"] == comment["message_id"]
    assert "reply_to_message" not in second["reply_to_message"]
    assert fake.comment_link(post_id, comment) == (
        f"https://t.me/korenovsk_news/{post_id}?comment={comment['message_id']}"
    )


def test_edit_direct_service_bot_and_channel_messages(fake, clock):
    post_id, comment = post_and_comment(fake)
    edited = fake.edit(comment, "The light at Lenina 12 is still off")
    direct = fake.direct_message(5550003, "Hello, a question about the bus schedule")
    service = fake.service_message("new_chat_members", user=5550004)
    bot = fake.bot_message("Spam from a bot", post_id=post_id)
    as_channel = fake.channel_message_in_group("Admins answer as the channel", post_id=post_id)
    updates = make_client(fake, clock).get_updates()[3:]
    assert updates[0]["edited_message"]["text"] == "The light at Lenina 12 is still off"
    assert updates[0]["edited_message"]["edit_date"] >= comment["date"]
    assert (
        updates[0]["edited_message"]["message_id"] == comment["message_id"] == edited["message_id"]
    )
    assert updates[1]["message"]["chat"] == {
        "id": 5550003,
        "type": "private",
        "first_name": "Citizen",
        "last_name": "5550003",
    }
    assert updates[1]["message"]["message_id"] == direct["message_id"]
    assert updates[2]["message"]["new_chat_members"][0]["id"] == 5550004 == service["from"]["id"]
    assert updates[3]["message"]["from"]["is_bot"] is True and bot["text"] == "Spam from a bot"
    assert updates[4]["message"]["sender_chat"]["id"] == fake.channel["id"]
    assert "is_automatic_forward" not in updates[4]["message"] == as_channel


def test_send_message_replies_in_the_thread(fake, clock):
    post_id, comment = post_and_comment(fake)
    message = make_client(fake, clock).send_message(
        fake.group["id"],
        "Hello! The light will be repaired on Friday.",
        reply_to_message_id=comment["message_id"],
        message_thread_id=comment["message_thread_id"],
    )
    request = fake.requests[-1]
    assert request["method"] == "sendMessage"
    assert request["content_type"] == "application/json"
    assert request["params"] == {
        "chat_id": fake.group["id"],
        "text": "Hello! The light will be repaired on Friday.",
        "message_thread_id": comment["message_thread_id"],
        "reply_parameters": {
            "message_id": comment["message_id"],
            "allow_sending_without_reply": False,
        },
    }
    assert message["from"]["id"] == fake.bot["id"]
    assert message["chat"]["id"] == fake.group["id"]
    assert message["reply_to_message"]["message_id"] == comment["message_id"]
    assert message["message_thread_id"] == comment["message_thread_id"]
    assert fake.sent == [message]
    assert message["message_id"] not in (comment["message_id"], post_id)


def test_send_message_to_a_missing_message_is_refused(fake, clock):
    post_and_comment(fake)
    with pytest.raises(telegram.TelegramBadRequest) as info:
        make_client(fake, clock).send_message(fake.group["id"], "x", reply_to_message_id=99999)
    assert info.value.message == "Bad Request: message to be replied not found"
    assert fake.sent == []


def test_send_photo_uploads_multipart(fake, clock):
    _post_id, comment = post_and_comment(fake)
    message = make_client(fake, clock).send_photo(
        fake.group["id"],
        ("pit.jpg", JPEG, "image/jpeg"),
        caption="The pit is fenced off.",
        reply_to_message_id=comment["message_id"],
        message_thread_id=comment["message_thread_id"],
    )
    request = fake.requests[-1]
    assert request["method"] == "sendPhoto"
    assert request["content_type"].startswith("multipart/form-data; boundary=")
    assert request["params"] == {
        "chat_id": str(fake.group["id"]),
        "caption": "The pit is fenced off.",
        "message_thread_id": str(comment["message_thread_id"]),
        "reply_parameters": json.dumps(
            {"message_id": comment["message_id"], "allow_sending_without_reply": False}
        ),
    }
    upload = request["files"]["photo"]
    assert upload["filename"] == "pit.jpg"
    assert upload["content_type"] == "image/jpeg"
    assert upload["data"] == JPEG
    assert message["caption"] == "The pit is fenced off."
    assert message["photo"][-1]["width"] == 800
    assert message["reply_to_message"]["message_id"] == comment["message_id"]


def test_send_media_group_attaches_each_photo(fake, clock):
    _post_id, comment = post_and_comment(fake)
    messages = make_client(fake, clock).send_media_group(
        fake.group["id"],
        [("before.jpg", JPEG, "image/jpeg"), ("after.png", PNG, "image/png")],
        caption="Before and after.",
        reply_to_message_id=comment["message_id"],
    )
    request = fake.requests[-1]
    assert request["method"] == "sendMediaGroup"
    assert json.loads(request["params"]["media"]) == [
        {"type": "photo", "media": "attach://photo0", "caption": "Before and after."},
        {"type": "photo", "media": "attach://photo1"},
    ]
    assert {name: f["data"] for name, f in request["files"].items()} == {
        "photo0": JPEG,
        "photo1": PNG,
    }
    assert len(messages) == 2
    assert messages[0]["media_group_id"] == messages[1]["media_group_id"]
    assert messages[0]["caption"] == "Before and after." and "caption" not in messages[1]
    assert all(m["reply_to_message"]["message_id"] == comment["message_id"] for m in messages)
    with pytest.raises(ValueError):
        make_client(fake, clock).send_media_group(fake.group["id"], [("a.jpg", JPEG, "image/jpeg")])


def test_delete_message_and_its_errors(fake, clock):
    _post_id, comment = post_and_comment(fake)
    client = make_client(fake, clock)
    assert client.delete_message(fake.group["id"], comment["message_id"]) is True
    assert (fake.group["id"], comment["message_id"]) in fake.deleted
    assert fake.requests[-1]["params"] == {
        "chat_id": fake.group["id"],
        "message_id": comment["message_id"],
    }
    with pytest.raises(telegram.TelegramBadRequest) as info:
        client.delete_message(fake.group["id"], comment["message_id"])
    assert info.value.message == "Bad Request: message to delete not found"
    other = fake.comment(_post_id, 5550005, "Another one")
    fake.set_bot_rights(fake.group["id"], can_delete_messages=False)
    with pytest.raises(telegram.TelegramBadRequest) as info:
        client.delete_message(fake.group["id"], other["message_id"])
    assert info.value.message == "Bad Request: message can't be deleted"


def test_ban_chat_member_and_missing_right(fake, clock):
    _post_id, comment = post_and_comment(fake)
    client = make_client(fake, clock)
    user_id = comment["from"]["id"]
    assert client.ban_chat_member(fake.group["id"], user_id, revoke_messages=True) is True
    assert fake.banned[(fake.group["id"], user_id)] == {
        "until_date": None,
        "revoke_messages": True,
    }
    assert (fake.group["id"], comment["message_id"]) in fake.deleted
    assert fake.requests[-1]["params"] == {
        "chat_id": fake.group["id"],
        "user_id": user_id,
        "revoke_messages": True,
    }
    assert client.get_chat_member(fake.group["id"], user_id)["status"] == "kicked"
    fake.set_bot_rights(fake.group["id"], can_restrict_members=False)
    with pytest.raises(telegram.TelegramBadRequest) as info:
        client.ban_chat_member(fake.group["id"], 5550009)
    assert info.value.message == "Bad Request: not enough rights to restrict/unrestrict chat member"


# ----------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------
def test_wrong_token_is_unauthorized(fake, clock):
    client = make_client(fake, clock, token="7012345678:AAWrongWrongWrongWrongWrongWrong0")
    with pytest.raises(telegram.TelegramUnauthorized) as info:
        client.get_me()
    assert info.value.code == 401 and info.value.message == "Unauthorized"
    assert clock.sleeps == []


def test_unknown_method_is_not_found(fake, clock):
    with pytest.raises(telegram.TelegramNotFound) as info:
        make_client(fake, clock).call("getMeow")
    assert info.value.code == 404 and info.value.message == "Not Found"


def test_kicked_bot_is_forbidden(fake, clock):
    _post_id, comment = post_and_comment(fake)
    fake.kick_bot()
    with pytest.raises(telegram.TelegramForbidden) as info:
        make_client(fake, clock).send_message(
            fake.group["id"], "Reply", reply_to_message_id=comment["message_id"]
        )
    assert info.value.code == 403
    assert info.value.message == "Forbidden: bot was kicked from the supergroup chat"
    fake.set_bot_rights(fake.channel["id"], status="left")
    with pytest.raises(telegram.TelegramForbidden, match="bot is not a member of the channel chat"):
        make_client(fake, clock).get_chat_member(fake.channel["id"], fake.bot["id"])


@pytest.mark.parametrize(
    ("code", "error_class"),
    [
        (400, telegram.TelegramBadRequest),
        (401, telegram.TelegramUnauthorized),
        (403, telegram.TelegramForbidden),
        (404, telegram.TelegramNotFound),
        (409, telegram.TelegramConflict),
        (418, telegram.TelegramError),
    ],
)
def test_each_error_code_has_its_class_and_is_not_retried(fake, clock, code, error_class):
    fake.fail_next("getMe", error_code=code, description=f"Error {code}: injected")
    with pytest.raises(error_class) as info:
        make_client(fake, clock).get_me()
    assert type(info.value) is error_class
    assert info.value.code == code and info.value.message == f"Error {code}: injected"
    assert len(fake.requests_of("getMe")) == 1
    assert clock.sleeps == []


def test_server_errors_are_retried_then_raised(fake, clock):
    fake.fail_next("getMe", http_status=502, times=3)
    with pytest.raises(telegram.TelegramServerError) as info:
        make_client(fake, clock, max_retries=2).get_me()
    assert info.value.message == "HTTP 502" and info.value.may_have_arrived is True
    assert len(fake.requests_of("getMe")) == 3
    assert clock.sleeps == [0.5, 1.0]
    fake.fail_next("getMe", error_code=500, description="Internal Server Error")
    assert make_client(fake, clock).get_me()["id"] == fake.bot["id"]


def test_an_answer_that_is_not_json_is_a_server_error(fake, clock):
    fake.fail_next("getChat", body=["not", "an", "object"], times=3)
    with pytest.raises(telegram.TelegramServerError, match="not JSON"):
        make_client(fake, clock, max_retries=1, backoff=0).get_chat(fake.group["id"])


def test_retry_after_is_honoured_then_the_message_is_sent_once(fake, clock):
    _post_id, comment = post_and_comment(fake)
    fake.fail_next("sendMessage", error_code=429, retry_after=3)
    message = make_client(fake, clock).send_message(
        fake.group["id"], "Answer", reply_to_message_id=comment["message_id"]
    )
    assert clock.sleeps == [3]
    assert len(fake.requests_of("sendMessage")) == 2
    assert fake.sent == [message]


def test_a_long_retry_after_is_raised_for_the_caller(fake, clock):
    fake.fail_next("sendMessage", error_code=429, retry_after=37)
    post_and_comment(fake)
    with pytest.raises(telegram.TelegramRateLimited) as info:
        make_client(fake, clock, max_retry_after=5).send_message(fake.group["id"], "Answer")
    assert info.value.retry_after == 37 and info.value.code == 429
    assert info.value.message == "Too Many Requests: retry after 37"
    assert info.value.parameters == {"retry_after": 37}
    assert clock.sleeps == []
    assert fake.sent == []


def test_repeated_429_ends_with_rate_limited(fake, clock):
    fake.fail_next("getMe", error_code=429, retry_after=1, times=5)
    with pytest.raises(telegram.TelegramRateLimited):
        make_client(fake, clock, max_retries=2).get_me()
    assert clock.sleeps == [1, 1]


def test_a_timed_out_send_is_not_retried(fake, clock):
    _post_id, comment = post_and_comment(fake)
    fake.fail_next("sendMessage", delay=0.5)
    client = make_client(fake, clock, timeout=0.2, backoff=0, max_retries=3)
    with pytest.raises(telegram.TelegramNetworkError) as info:
        client.send_message(fake.group["id"], "Answer", reply_to_message_id=comment["message_id"])
    assert info.value.code is None and info.value.may_have_arrived is True
    assert "no answer within 0.2 s" in str(info.value)
    assert fake.wait_idle()
    # the slow server did post it: a retry would have posted it twice
    assert len(fake.requests_of("sendMessage")) == 1
    assert len(fake.sent) == 1


def test_a_timed_out_read_is_retried(fake, clock):
    fake.fail_next("getWebhookInfo", delay=0.5)
    client = make_client(fake, clock, timeout=0.2, backoff=0, max_retries=1)
    assert client.get_webhook_info()["url"] == ""
    assert fake.wait_idle()
    assert len(fake.requests_of("getWebhookInfo")) == 2


def test_a_refused_connection_is_retried_even_for_a_send(clock):
    with fake_networks.FakeTelegram() as fake:
        url, token = fake.url, fake.token
    client = telegram.TelegramClient(
        token,
        api_url=url,
        timeout=1,
        backoff=0.1,
        sleep=clock.sleep,
        clock=clock,
        rate_limit=False,
    )
    with pytest.raises(telegram.TelegramNetworkError) as info:
        client.send_message(-1009876543210, "Answer")
    assert "connection failed" in info.value.message
    assert info.value.may_have_arrived is False
    assert clock.sleeps == [0.1, 0.2]


def test_the_token_never_shows_in_errors_nor_logs(fake, clock, caplog):
    caplog.set_level(logging.DEBUG)
    errors = []
    client = make_client(fake, clock, max_retries=1, backoff=0)
    fake.fail_next("getMe", http_status=503, times=2)
    for call in (
        client.get_me,
        lambda: make_client(fake, clock, token="7012345678:AAWrongWrongWrongWrong0").get_me(),
        lambda: client.call("getMeow"),
        lambda: client.get_chat(-1000000000001),
    ):
        with pytest.raises(telegram.TelegramError) as info:
            call()
        errors.append(info.value)
    with fake_networks.FakeTelegram(token=fake.token) as closed:
        dead_url = closed.url
    dead = telegram.TelegramClient(
        fake.token,
        api_url=dead_url,
        timeout=1,
        max_retries=1,
        backoff=0,
        sleep=clock.sleep,
        rate_limit=False,
    )
    with pytest.raises(telegram.TelegramNetworkError) as info:
        dead.get_me()
    errors.append(info.value)
    texts = [str(e) for e in errors] + [repr(e) for e in errors] + [repr(client), caplog.text]
    secrets = (fake.token, fake.token.split(":", 1)[1], "AAWrongWrongWrongWrong0")
    for text in texts:
        for secret in secrets:
            assert secret not in text
    assert "/bot***/getMe" in caplog.text  # urllib3's request line, redacted
    assert "Telegram API call getMe" in caplog.text
    assert all("token" not in str(r) for r in fake.requests)
    assert telegram.redact(f"https://api.telegram.org/bot{fake.token}/getMe") == (
        "https://api.telegram.org/bot***/getMe"
    )


def test_a_token_is_required():
    with pytest.raises(ValueError):
        telegram.TelegramClient("  ")


# ----------------------------------------------------------------------
# Rate limiting
# ----------------------------------------------------------------------
def test_calls_of_a_bot_are_spaced_a_thirtieth_of_a_second(fake, clock):
    client = make_client(fake, clock, rate_limit=True)
    for _ in range(4):
        client.get_me()
    assert len(clock.sleeps) == 3
    assert all(wait == pytest.approx(1 / 30) for wait in clock.sleeps)


def test_clients_of_the_same_bot_share_the_limiter(fake, clock):
    first = make_client(fake, clock, rate_limit=True)
    second = make_client(fake, clock, rate_limit=True)
    other = make_client(
        fake, clock, token="7099999999:AAAnotherBotTokenForTests00000", rate_limit=True
    )
    assert first.rate_limiter is second.rate_limiter
    assert first.rate_limiter is not other.rate_limiter
    assert make_client(fake, clock).rate_limiter is None


def test_twenty_sends_a_minute_per_group_then_wait_or_reschedule(fake, clock):
    _post_id, comment = post_and_comment(fake)
    client = make_client(fake, clock, rate_limit=True, max_retry_after=5)
    for index in range(20):
        client.send_message(fake.group["id"], f"Answer {index}")
    group_waits = [wait for wait in clock.sleeps if wait > 1]
    assert group_waits == []  # a burst of 20 passes (only the 1/30 s spacing)
    started = 1000.0
    elapsed = clock.now - started
    # the 21st would wait until a minute after the first: rescheduled, not sent
    with pytest.raises(telegram.TelegramRateLimited) as info:
        client.send_message(fake.group["id"], "Answer 21")
    assert info.value.retry_after == pytest.approx(60 - elapsed, abs=1)
    assert len(fake.sent) == 20
    # private chats are not limited per group; after the minute, the group is free again
    client.send_message(comment["from"]["id"], "A private answer")
    clock.sleep(55)
    sleeps_before = len(clock.sleeps)
    client.send_message(fake.group["id"], "Answer 21")
    waited = clock.sleeps[sleeps_before:]
    assert waited and max(waited) <= 5 and max(waited) > 1  # waits the last seconds
    assert len(fake.sent) == 22


def test_window_limiter_allows_bursts_and_spaces_the_rest():
    clock = FakeClock(0.0)
    limiter = telegram.WindowLimiter(3, 10)
    assert [limiter.reserve(clock) for _ in range(3)] == [0, 0, 0]
    assert limiter.reserve(clock, max_wait=5) is None
    assert limiter.wait_time(clock) == 10
    assert limiter.reserve(clock) == 10
    clock.now = 10.0
    assert limiter.reserve(clock) == 0  # the first two slots left the window
    assert limiter.reserve(clock) == 0
    assert limiter.reserve(clock, count=2) == 10


def test_limits_do_not_apply_when_disabled(fake, clock):
    client = make_client(fake, clock, rate_limit=False)
    for index in range(25):
        client.send_message(fake.group["id"], f"Answer {index}")
    assert clock.sleeps == []
    assert len(fake.sent) == 25


# ----------------------------------------------------------------------
# The fake's webhook delivery
# ----------------------------------------------------------------------
def test_deliver_posts_updates_with_the_secret_header():
    received = []

    class Sink(fake_networks.FakeTelegram):
        """A second fake used as a plain HTTP sink for the webhook."""

        def _handle(self, request):
            received.append(request)
            status = 200 if len(received) < 3 else 500
            return status, "application/json", {"ok": True}

    with fake_networks.FakeTelegram() as fake, Sink() as sink:
        client = telegram.TelegramClient(fake.token, api_url=fake.url, rate_limit=False)
        client.set_webhook(sink.url + "hook", "top_secret-1", ["message"])
        post_id = fake.channel_post("Post")
        fake.comment(post_id, 5550001, "First")
        fake.comment(post_id, 5550002, "Second")
        assert fake.deliver() == [200, 200, 500]
        assert [json.loads(r["body"])["message"]["text"] for r in received] == [
            "Post",
            "First",
            "Second",
        ]
        assert all(r["path"] == "/hook" for r in received)
        assert all(
            r["headers"]["X-Telegram-Bot-Api-Secret-Token"] == "top_secret-1" for r in received
        )
        assert all(r["content_type"] == "application/json" for r in received)
        assert [u["message"]["text"] for u in fake.pending_updates] == ["Second"]
        info = client.get_webhook_info()
        assert info["pending_update_count"] == 1
        assert (
            info["last_error_message"]
            == "Wrong response from the webhook: 500 Internal Server Error"
        )
    with pytest.raises(requests.RequestException):
        requests.get(sink.url, timeout=1)
