"""The OK client against the fake OK server, on 127.0.0.1; no Odoo.

The fake recomputes every signature from its own secrets, so a client that
signs wrongly is refused exactly as api.ok.ru refuses it (error 104).
"""

import hashlib
import importlib
import logging
from datetime import datetime

import pytest

from addon_files import REPO_ROOT, load

ADDON = REPO_ROOT / "social_incidents_vk"
load("sivk_clients", ADDON / "clients" / "__init__.py", ADDON / "clients")
ok = importlib.import_module("sivk_clients.ok")
fake_networks = load(
    "sivk_fake_networks", ADDON / "tests" / "fake_networks.py", package_dir=ADDON / "tests"
)


@pytest.fixture
def fake():
    server = fake_networks.FakeOk().start()
    yield server
    server.stop()


@pytest.fixture
def sleeps():
    return []


def make_client(fake, sleeps, *, application_key=None, secret=None, token=None, **options):
    options.setdefault("timeout", 2)
    return ok.OkClient(
        application_key or fake.application_key,
        secret or fake.application_secret_key,
        token or fake.access_token,
        base_url=fake.url,
        sleep=sleeps.append,
        **options,
    )


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


# ----------------------------------------------------------------------
# Signature
# ----------------------------------------------------------------------
def test_signature_follows_apiok_documentation(fake, sleeps):
    client = make_client(fake, sleeps)
    params = {
        "method": "discussions.getComments",
        "application_key": "CBAFAKE",
        "format": "json",
        "discussionId": "155",
        "access_token": "ignored",
        "session_key": "ignored",
    }
    session_secret = md5(fake.access_token + fake.application_secret_key)
    expected = md5(
        "application_key=CBAFAKEdiscussionId=155format=jsonmethod=discussions.getComments"
        + session_secret
    )
    assert client.sign(params) == expected
    assert client.sign({**params, "access_token": "other"}) == expected  # not signed


def test_signature_of_non_ascii_values_is_accepted(fake, sleeps):
    fake.add_topic("Новости района: ремонт дорог")
    topics = make_client(fake, sleeps).call(
        "mediatopic.getTopics", gid=fake.group_id, count=1, filter="Ёлка"
    )
    assert topics["media_topics"]
    assert fake.requests[-1]["signature_valid"] is True


def test_wrong_secret_is_refused_with_error_104(fake, sleeps):
    client = make_client(fake, sleeps, secret="not-the-secret")
    with pytest.raises(ok.OkAuthError) as info:
        client.group_topics(fake.group_id)
    assert info.value.code == 104
    assert info.value.message.startswith("PARAM_SIGNATURE : Invalid signature")
    assert len(fake.requests) == 1
    assert fake.requests[0]["signature_valid"] is False
    assert sleeps == []


def test_wrong_application_key_is_refused_with_error_101(fake, sleeps):
    with pytest.raises(ok.OkAuthError) as info:
        make_client(fake, sleeps, application_key="CBAWRONG").group_topics(fake.group_id)
    assert (info.value.code, info.value.message) == (101, "PARAM_API_KEY : Application not exist")


def test_unknown_access_token_is_a_expired_session(fake, sleeps):
    with pytest.raises(ok.OkAuthError) as info:
        make_client(fake, sleeps, token="revoked-token").topic_comments("1")
    assert (info.value.code, info.value.message) == (102, "PARAM_SESSION_EXPIRED : Session expired")


# ----------------------------------------------------------------------
# Methods
# ----------------------------------------------------------------------
def test_group_topics_returns_the_topics_with_their_text(fake, sleeps):
    first = fake.add_topic("Road works on Lenina street")
    second = fake.add_topic("Snow removal schedule")
    topics = make_client(fake, sleeps).group_topics(fake.group_id, count=5)
    assert [(t["id"], t["text"]) for t in topics] == [
        (second["id"], "Snow removal schedule"),
        (first["id"], "Road works on Lenina street"),
    ]
    (request,) = fake.requests
    assert request["http_method"] == "POST"
    assert request["content_type"].startswith("application/x-www-form-urlencoded")
    assert request["signature_valid"] is True
    params = dict(request["params"])
    assert len(params.pop("sig")) == 32
    assert params == {
        "method": "mediatopic.getTopics",
        "application_key": fake.application_key,
        "format": "json",
        "gid": fake.group_id,
        "count": "5",
    }


def test_topic_comments_returns_the_comments(fake, sleeps):
    topic = fake.add_topic("Road works on Lenina street")
    comment = fake.add_comment(
        topic["id"], 575662066926, "When will the road be repaired?", author_name="Anna"
    )
    reply = fake.add_comment(
        topic["id"], 575662066927, "Same question", reply_to_comment_id=comment["id"]
    )
    comments = make_client(fake, sleeps).topic_comments(topic["id"], count=50)
    assert [c["id"] for c in comments] == [comment["id"], reply["id"]]
    first = comments[0]
    assert (first["author_id"], first["author_name"], first["text"]) == (
        "575662066926",
        "Anna",
        "When will the road be repaired?",
    )
    assert ok.parse_ok_date(first["date"]) is not None
    assert comments[1]["reply_to_comment_id"] == comment["id"]
    params = fake.requests[-1]["params"]
    assert (
        params["method"],
        params["discussionId"],
        params["discussionType"],
        params["count"],
    ) == (
        "discussions.getComments",
        topic["id"],
        "GROUP_TOPIC",
        "50",
    )
    assert params["fields"] == ",".join(ok.COMMENT_FIELDS)


def test_unknown_topic_is_not_found(fake, sleeps):
    with pytest.raises(ok.OkError) as info:
        make_client(fake, sleeps).topic_comments("999")
    assert type(info.value) is ok.OkError
    assert info.value.code == 300
    assert info.value.method == "discussions.getComments"


def test_parse_ok_date_is_moscow_time():
    assert ok.parse_ok_date("2024-03-01 12:30:00") == datetime(2024, 3, 1, 9, 30)
    assert ok.parse_ok_date("") is None
    assert ok.parse_ok_date("yesterday") is None


# ----------------------------------------------------------------------
# Errors and retries
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "code, error_class",
    [
        (10, ok.OkAccessError),
        (200, ok.OkAccessError),
        (11, ok.OkRateLimitError),
        (103, ok.OkAuthError),
    ],
)
def test_errors_are_typed_and_not_retried(fake, sleeps, code, error_class):
    fake.fail_next("mediatopic.getTopics", error_code=code)
    with pytest.raises(error_class) as info:
        make_client(fake, sleeps).group_topics(fake.group_id)
    assert info.value.code == code
    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    "failure", [{"error_code": 2}, {"error_code": 1}, {"error_code": 8}, {"http_status": 502}]
)
def test_transient_failures_are_retried(fake, sleeps, failure):
    fake.add_topic("Snow removal schedule")
    fake.fail_next("mediatopic.getTopics", **failure)
    topics = make_client(fake, sleeps).group_topics(fake.group_id)
    assert [t["text"] for t in topics] == ["Snow removal schedule"]
    assert len(fake.requests) == 2
    assert sleeps == [0.5]


@pytest.mark.parametrize(
    "failure, error_class",
    [
        ({"error_code": 2}, ok.OkServerError),
        ({"http_status": 500}, ok.OkServerError),
        ({"error_code": 8}, ok.OkRateLimitError),
    ],
)
def test_retries_exhausted_raise_the_typed_error(fake, sleeps, failure, error_class):
    fake.fail_next("mediatopic.getTopics", times=3, **failure)
    with pytest.raises(error_class):
        make_client(fake, sleeps, max_retries=2).group_topics(fake.group_id)
    assert len(fake.requests) == 3
    assert sleeps == [0.5, 1.0]


def test_timeout_is_a_network_error_after_the_retries(fake, sleeps):
    fake.fail_next("discussions.getComments", delay=0.5, times=2)
    client = make_client(fake, sleeps, timeout=0.2, backoff=0, max_retries=1)
    with pytest.raises(ok.OkNetworkError) as info:
        client.topic_comments("1")
    assert info.value.code is None
    assert len(fake.requests) == 2


def test_secrets_never_show_in_errors_nor_logs(fake, sleeps, caplog):
    caplog.set_level(logging.DEBUG)
    client = make_client(fake, sleeps, timeout=0.1, backoff=0, max_retries=1)
    session_secret = md5(fake.access_token + fake.application_secret_key)
    fake.fail_next("mediatopic.getTopics", error_code=2, error_msg=f"down for {fake.access_token}")
    fake.fail_next(
        "mediatopic.getTopics",
        error_code=10,
        error_msg=f"denied {fake.application_secret_key} {session_secret}",
    )
    fake.fail_next("discussions.getComments", delay=0.2, times=2)
    errors = []
    for call in (lambda: client.group_topics(fake.group_id), lambda: client.topic_comments("1")):
        with pytest.raises(ok.OkError) as info:
            call()
        errors.append(info.value)
    with pytest.raises(ok.OkAuthError) as info:
        make_client(fake, sleeps, secret="wrong-app-secret").group_topics(fake.group_id)
    errors.append(info.value)
    texts = [str(e) for e in errors] + [repr(e) for e in errors] + [repr(client), caplog.text]
    for text in texts:
        for secret in (
            fake.access_token,
            fake.application_secret_key,
            session_secret,
            "wrong-app-secret",
        ):
            assert secret not in text
    assert "OK API call mediatopic.getTopics" in caplog.text
