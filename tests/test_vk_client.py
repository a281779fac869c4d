"""The VK client against the fake VK server, on 127.0.0.1; no Odoo.

The addon's ``__init__`` imports Odoo, so the clients package and the fake
servers are loaded from their files. Waits (backoff, rate limiting) go to a
fake clock through the injected ``sleep``/``clock``: nothing here asserts on
wall-clock time.
"""

import importlib
import logging
from datetime import UTC, datetime

import pytest

from addon_files import REPO_ROOT, load

ADDON = REPO_ROOT / "social_incidents_vk"
load("sivk_clients", ADDON / "clients" / "__init__.py", ADDON / "clients")
vk = importlib.import_module("sivk_clients.vk")
fake_networks = load(
    "sivk_fake_networks", ADDON / "tests" / "fake_networks.py", package_dir=ADDON / "tests"
)


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
    vk.reset_rate_limiters()
    yield
    vk.reset_rate_limiters()


@pytest.fixture
def fake():
    server = fake_networks.FakeVk().start()
    yield server
    server.stop()


@pytest.fixture
def clock():
    return FakeClock()


def make_client(fake, token_type, clock, **options):
    token = {
        "community": fake.community_token,
        "user": fake.user_token,
        "service": fake.service_token,
    }[token_type]
    options.setdefault("timeout", 2)
    return vk.VkClient(
        token, token_type=token_type, base_url=fake.url, sleep=clock.sleep, clock=clock, **options
    )


def post_with_comment(fake, text="The street light at house 12 is off.", from_id=214578903):
    post = fake.add_post("District news")
    return post, fake.add_comment(post["id"], from_id, text)


# ----------------------------------------------------------------------
# Methods: parameters sent, answers
# ----------------------------------------------------------------------
def test_wall_get_posts_form_encoded_with_token_and_version(fake, clock):
    post = fake.add_post("District news")
    result = make_client(fake, "service", clock).wall_get(fake.owner_id, count=5)
    assert result["count"] == 1
    assert result["items"][0]["id"] == post["id"]
    assert result["items"][0]["text"] == "District news"
    (request,) = fake.requests
    assert request["method"] == "wall.get"
    assert request["http_method"] == "POST"
    assert request["content_type"].startswith("application/x-www-form-urlencoded")
    assert request["token_type"] == "service"
    assert request["params"] == {
        "owner_id": str(fake.owner_id),
        "count": "5",
        "offset": "0",
        "v": "5.199",
    }


def test_wall_get_comments_full_text_and_thread_replies(fake, clock):
    post, comment = post_with_comment(fake, "x" * 300)
    reply = fake.add_comment(post["id"], 3355, "Me too", reply_to_comment=comment["id"])
    result = make_client(fake, "user", clock).wall_get_comments(
        fake.owner_id, post["id"], count=50, sort="asc"
    )
    request = fake.requests[-1]
    assert request["method"] == "wall.getComments"
    assert request["params"] == {
        "owner_id": str(fake.owner_id),
        "post_id": str(post["id"]),
        "count": "50",
        "offset": "0",
        "sort": "asc",
        "preview_length": "0",
        "thread_items_count": "10",
        "v": "5.199",
    }
    (item,) = result["items"]
    assert item["id"] == comment["id"] and item["text"] == "x" * 300
    assert item["from_id"] == 214578903
    assert [r["id"] for r in item["thread"]["items"]] == [reply["id"]]
    assert item["thread"]["items"][0]["reply_to_comment"] == comment["id"]
    assert result["count"] == 2 and result["current_level_count"] == 1


def test_wall_create_comment_as_the_community_in_reply(fake, clock):
    post, comment = post_with_comment(fake)
    result = make_client(fake, "community", clock).wall_create_comment(
        fake.owner_id,
        post["id"],
        "We will fix it by Friday.",
        from_group=fake.group_id,
        reply_to_comment=comment["id"],
        guid="reply-42",
    )
    assert result == {"comment_id": result["comment_id"], "parents_stack": [comment["id"]]}
    (request,) = fake.requests
    assert request["token_type"] == "community"
    assert request["params"] == {
        "owner_id": str(fake.owner_id),
        "post_id": str(post["id"]),
        "message": "We will fix it by Friday.",
        "from_group": str(fake.group_id),
        "reply_to_comment": str(comment["id"]),
        "guid": "reply-42",
        "v": "5.199",
    }
    created = fake.comments[result["comment_id"]]
    assert created["from_id"] == -fake.group_id
    assert created["reply_to_user"] == 214578903
    assert created["text"] == "We will fix it by Friday."


def test_from_group_is_the_community_id_not_a_flag(fake, clock):
    client = make_client(fake, "community", clock)
    with pytest.raises(TypeError):
        client.wall_create_comment(fake.owner_id, 1, "Hello", from_group=True)
    assert not fake.requests


def test_wall_delete_comment_with_user_token(fake, clock):
    _post, comment = post_with_comment(fake)
    assert make_client(fake, "user", clock).wall_delete_comment(fake.owner_id, comment["id"]) == 1
    assert (fake.owner_id, comment["id"]) in fake.deleted_comments
    assert fake.requests[-1]["params"] == {
        "owner_id": str(fake.owner_id),
        "comment_id": str(comment["id"]),
        "v": "5.199",
    }


def test_wall_get_comment_reads_a_comment_back(fake, clock):
    _post, comment = post_with_comment(fake, "Visible")
    client = make_client(fake, "service", clock)
    [item] = client.wall_get_comment(fake.owner_id, comment["id"])["items"]
    assert item["id"] == comment["id"]
    assert item["text"] == "Visible"
    assert not item.get("deleted")
    assert fake.requests[-1]["params"] == {
        "owner_id": str(fake.owner_id),
        "comment_id": str(comment["id"]),
        "v": "5.199",
    }
    fake.deleted_comments.add((fake.owner_id, comment["id"]))
    [item] = client.wall_get_comment(fake.owner_id, comment["id"])["items"]
    assert item["deleted"] is True
    assert item["text"] == ""
    with pytest.raises(vk.VkError) as info:
        client.wall_get_comment(fake.owner_id, 999999)
    assert info.value.code == 100
    with pytest.raises(vk.VkAccessError) as info:
        make_client(fake, "community", clock).wall_get_comment(fake.owner_id, comment["id"])
    assert info.value.code == 27


def test_groups_ban_with_user_token(fake, clock):
    end = datetime(2030, 1, 1, tzinfo=UTC)
    result = make_client(fake, "user", clock).groups_ban(
        fake.group_id,
        214578903,
        reason=2,
        comment="Insults",
        comment_visible=False,
        end_date=end,
    )
    assert result == 1
    assert fake.requests[-1]["params"] == {
        "group_id": str(fake.group_id),
        "owner_id": "214578903",
        "end_date": str(int(end.timestamp())),
        "reason": "2",
        "comment": "Insults",
        "comment_visible": "0",
        "v": "5.199",
    }
    ban = fake.banned[214578903]
    assert (ban["reason"], ban["comment"], ban["comment_visible"]) == (2, "Insults", False)


def test_users_get_joins_ids_with_commas(fake, clock):
    fake.add_user(214578903, "Ivan", "Petrov", screen_name="ivan_p")
    users = make_client(fake, "service", clock).users_get([214578903, 42])
    assert fake.requests[-1]["params"] == {
        "user_ids": "214578903,42",
        "fields": "screen_name",
        "v": "5.199",
    }
    assert users[0] == {
        "id": 214578903,
        "first_name": "Ivan",
        "last_name": "Petrov",
        "can_access_closed": True,
        "is_closed": False,
        "screen_name": "ivan_p",
    }
    assert users[1]["deactivated"] == "deleted"


def test_callback_confirmation_code(fake, clock):
    client = make_client(fake, "community", clock)
    assert client.groups_get_callback_confirmation_code(fake.group_id) == {
        "code": fake.confirmation_code
    }


@pytest.mark.parametrize(
    "token_type, call, code",
    [
        ("community", lambda c, f: c.wall_get(f.owner_id), 27),
        ("community", lambda c, f: c.wall_get_comments(f.owner_id, 1), 27),
        ("community", lambda c, f: c.wall_delete_comment(f.owner_id, 1), 27),
        ("community", lambda c, f: c.groups_ban(f.group_id, 5), 27),
        ("service", lambda c, f: c.groups_ban(f.group_id, 5), 28),
        ("service", lambda c, f: c.wall_create_comment(f.owner_id, 1, "Hi", guid="g"), 28),
    ],
)
def test_methods_refuse_the_wrong_token_type(fake, clock, token_type, call, code):
    with pytest.raises(vk.VkAccessError) as info:
        call(make_client(fake, token_type, clock), fake)
    assert info.value.code == code
    assert len(fake.requests) == 1  # not retried


def test_missing_parameter_is_error_100(fake, clock):
    with pytest.raises(vk.VkError) as info:
        make_client(fake, "user", clock).call("wall.getComments", owner_id=fake.owner_id)
    assert type(info.value) is vk.VkError
    assert info.value.code == 100
    assert (
        info.value.message
        == "One of the parameters specified was missing or invalid: post_id is undefined"
    )
    assert info.value.method == "wall.getComments"


# ----------------------------------------------------------------------
# Retries
# ----------------------------------------------------------------------
def test_error_6_is_retried_and_the_guid_posts_once(fake, clock):
    post, comment = post_with_comment(fake)
    fake.fail_next("wall.createComment", error_code=6)
    client = make_client(fake, "community", clock)
    result = client.wall_create_comment(
        fake.owner_id,
        post["id"],
        "Answer",
        from_group=fake.group_id,
        reply_to_comment=comment["id"],
        guid="reply-1",
    )
    assert len(fake.requests_of("wall.createComment")) == 2
    assert clock.sleeps == [0.5]
    # the same reply sent again (a later retry of the whole publication) is not posted twice
    again = client.wall_create_comment(
        fake.owner_id,
        post["id"],
        "Answer",
        from_group=fake.group_id,
        reply_to_comment=comment["id"],
        guid="reply-1",
    )
    assert again["comment_id"] == result["comment_id"]
    replies = [c for c in fake.comments.values() if c["text"] == "Answer"]
    assert [c["id"] for c in replies] == [result["comment_id"]]


@pytest.mark.parametrize("code", [9, 10])
def test_errors_9_and_10_are_retried(fake, clock, code):
    fake.add_post("District news")
    fake.fail_next("wall.get", error_code=code)
    result = make_client(fake, "service", clock).wall_get(fake.owner_id)
    assert result["count"] == 1
    assert len(fake.requests) == 2
    assert clock.sleeps == [0.5]


def test_http_500_is_retried(fake, clock):
    fake.fail_next("users.get", http_status=500)
    assert make_client(fake, "user", clock).users_get([]) == [
        {
            "id": fake.admin_user_id,
            "first_name": "Moderator",
            "last_name": "Admin",
            "can_access_closed": True,
            "is_closed": False,
            "screen_name": "moderator_admin",
        }
    ]
    assert len(fake.requests) == 2


@pytest.mark.parametrize(
    "failure, error_class",
    [
        ({"error_code": 6}, vk.VkRateLimitError),
        ({"error_code": 9}, vk.VkRateLimitError),
        ({"error_code": 10}, vk.VkServerError),
        ({"http_status": 503}, vk.VkServerError),
    ],
)
def test_retries_exhausted_raise_the_typed_error(fake, clock, failure, error_class):
    fake.fail_next("wall.get", times=4, **failure)
    with pytest.raises(error_class):
        make_client(fake, "service", clock, max_retries=3).wall_get(fake.owner_id)
    assert len(fake.requests) == 4
    assert clock.sleeps == [0.5, 1.0, 2.0]


def test_timeout_is_retried_then_network_error(fake, clock):
    fake.fail_next("wall.get", delay=0.5, times=2)
    client = make_client(fake, "service", clock, timeout=0.2, backoff=0, max_retries=1)
    with pytest.raises(vk.VkNetworkError) as info:
        client.wall_get(fake.owner_id)
    assert info.value.code is None
    assert info.value.method == "wall.get"
    assert len(fake.requests) == 2


def test_timeout_of_a_reply_with_guid_is_retried_without_posting_twice(fake, clock):
    post, comment = post_with_comment(fake)
    fake.fail_next("wall.createComment", delay=0.3)
    client = make_client(fake, "community", clock, timeout=0.1, backoff=0, max_retries=1)
    result = client.wall_create_comment(
        fake.owner_id,
        post["id"],
        "Answer",
        from_group=fake.group_id,
        reply_to_comment=comment["id"],
        guid="reply-7",
    )
    assert fake.wait_idle()  # the slow first request is carried out too, late
    assert len(fake.requests_of("wall.createComment")) == 2
    assert [c["id"] for c in fake.comments.values() if c["text"] == "Answer"] == [
        result["comment_id"]
    ]


def test_timeout_of_a_comment_without_guid_is_not_retried(fake, clock):
    post, _comment = post_with_comment(fake)
    fake.fail_next("wall.createComment", delay=0.3)
    client = make_client(fake, "community", clock, timeout=0.1, backoff=0, max_retries=3)
    with pytest.raises(vk.VkNetworkError):
        client.wall_create_comment(fake.owner_id, post["id"], "Answer", from_group=fake.group_id)
    assert len(fake.requests_of("wall.createComment")) == 1


def test_connection_refused_is_a_network_error(clock):
    server = fake_networks.FakeVk().start()
    url = server.url
    server.stop()
    client = vk.VkClient(
        "some-token",
        token_type="user",
        base_url=url,
        timeout=1,
        max_retries=1,
        backoff=0,
        sleep=clock.sleep,
        clock=clock,
    )
    with pytest.raises(vk.VkNetworkError):
        client.users_get([])


# ----------------------------------------------------------------------
# Errors not retried
# ----------------------------------------------------------------------
def test_rejected_token_is_auth_error_at_once(fake, clock):
    client = vk.VkClient(
        "revoked-token", token_type="community", base_url=fake.url, sleep=clock.sleep, clock=clock
    )
    with pytest.raises(vk.VkAuthError) as info:
        client.users_get([1])
    assert info.value.code == 5
    assert info.value.message == "User authorization failed: invalid access_token (4)."
    assert len(fake.requests) == 1
    assert clock.sleeps == []


def test_access_denied_is_access_error(fake, clock):
    fake.fail_next("wall.get", error_code=15)
    with pytest.raises(vk.VkAccessError) as info:
        make_client(fake, "service", clock).wall_get(fake.owner_id)
    assert (info.value.code, info.value.message) == (15, "Access denied")
    assert len(fake.requests) == 1


def test_captcha_error_carries_the_captcha(fake, clock):
    post, _comment = post_with_comment(fake)
    fake.fail_next("wall.createComment", error_code=14)
    with pytest.raises(vk.VkCaptchaError) as info:
        make_client(fake, "community", clock).wall_create_comment(
            fake.owner_id, post["id"], "Answer", from_group=fake.group_id, guid="g-1"
        )
    error = info.value
    assert error.code == 14
    assert error.captcha_sid and error.captcha_sid.isdigit()
    assert error.captcha_img == f"https://api.vk.com/captcha.php?sid={error.captcha_sid}&s=1"
    assert len(fake.requests) == 1


def test_the_token_never_shows_in_errors_nor_logs(fake, clock, caplog):
    caplog.set_level(logging.DEBUG)
    secret = fake.user_token
    client = make_client(fake, "user", clock, timeout=0.1, backoff=0, max_retries=1)
    errors = []
    # VK echoing the token in its message, a retried error, a timeout, a refusal
    fake.fail_next(
        "users.get", error_code=10, error_msg=f"Internal server error for access_token={secret}"
    )
    fake.fail_next("users.get", error_code=15, error_msg=f"Access denied to {secret}")
    fake.fail_next("wall.get", delay=0.2, times=2)
    for call in (lambda: client.users_get([]), lambda: client.wall_get(fake.owner_id)):
        with pytest.raises(vk.VkError) as info:
            call()
        errors.append(info.value)
    wrong = vk.VkClient(
        "wrong-secret-token", token_type="user", base_url=fake.url, sleep=clock.sleep, clock=clock
    )
    with pytest.raises(vk.VkAuthError) as info:
        wrong.users_get([])
    errors.append(info.value)
    assert "***" in errors[0].message
    texts = [str(e) for e in errors] + [repr(e) for e in errors] + [repr(client), caplog.text]
    for text in texts:
        assert secret not in text
        assert "wrong-secret-token" not in text
    assert "VK API call users.get" in caplog.text  # the method is logged, nothing more


# ----------------------------------------------------------------------
# Rate limiting
# ----------------------------------------------------------------------
def test_user_token_calls_are_spaced_a_third_of_a_second(fake, clock):
    client = make_client(fake, "user", clock)
    for _ in range(5):
        client.users_get([])
    assert len(clock.sleeps) == 4
    assert all(wait == pytest.approx(1 / 3) for wait in clock.sleeps)
    assert len(fake.requests) == 5


def test_default_rates_per_token_type(fake, clock):
    rates = {
        t: make_client(fake, t, clock).rate_limiter.rate for t in ("user", "community", "service")
    }
    assert rates == {"user": 3.0, "community": 20.0, "service": 5.0}
    assert (
        make_client(fake, "user", clock, rate_limit=1).rate_limiter.rate == 1.0
    )  # the strictest wins


def test_clients_of_the_same_token_share_the_limiter(fake, clock):
    first = make_client(fake, "user", clock)
    second = make_client(fake, "user", clock)
    other = make_client(fake, "service", clock)
    assert first.rate_limiter is second.rate_limiter
    assert other.rate_limiter is not first.rate_limiter
    first.users_get([])
    second.users_get([])  # waits for the first client's slot
    other.users_get([1])  # another token: no wait
    assert clock.sleeps == [pytest.approx(1 / 3)]


def test_the_limiter_registry_never_holds_the_token(fake, clock):
    make_client(fake, "user", clock)
    keys = list(vk._limiters)
    assert keys and all(fake.user_token not in key for key in keys)


def test_rate_limiter_is_thread_safe():
    import threading

    clock = FakeClock()
    lock = threading.Lock()
    waits = []
    limiter = vk.RateLimiter(4)

    def worker():
        for _ in range(5):
            wait = limiter.acquire(clock, lambda seconds: None)
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # the clock never moves, so the 20 reservations are 20 distinct slots 0.25 s apart
    assert sorted(round(w, 6) for w in waits) == [round(i * 0.25, 6) for i in range(20)]


# ----------------------------------------------------------------------
# Callback API payloads of the fake
# ----------------------------------------------------------------------
def test_callback_payloads_have_vk_shapes(fake):
    post, comment = post_with_comment(fake)
    new = fake.comment_event(comment, secret="s3cret")
    assert set(new) == {"type", "event_id", "v", "object", "group_id", "secret"}
    assert (new["type"], new["v"], new["group_id"]) == ("wall_reply_new", "5.199", fake.group_id)
    assert new["secret"] == "s3cret"
    assert new["object"]["id"] == comment["id"]
    assert new["object"]["post_id"] == post["id"]
    assert new["object"]["post_owner_id"] == fake.owner_id
    assert new["object"]["from_id"] == 214578903
    deleted = fake.comment_event(comment, "wall_reply_delete", deleter_id=fake.admin_user_id)
    assert "secret" not in deleted
    assert deleted["object"] == {
        "owner_id": fake.owner_id,
        "id": comment["id"],
        "deleter_id": fake.admin_user_id,
        "post_id": post["id"],
    }
    assert fake.callback_event("confirmation", None, event_id="e1") == {
        "type": "confirmation",
        "event_id": "e1",
        "v": "5.199",
        "group_id": fake.group_id,
    }
