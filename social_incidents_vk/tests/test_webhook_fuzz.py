"""Property-based test of the Callback API endpoint: bodies shaped like VK's,
with wrong types, missing keys, huge strings, any unicode and deep nesting,
never get a server error, and whatever is stored is a well-formed event."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import HttpCase, tagged

from .common import ConnectorMixin

SECRET = "s3cr3t-callback"
TYPES = [
    "wall_reply_new",
    "wall_reply_edit",
    "wall_reply_delete",
    "wall_reply_restore",
    "wall_post_new",
    "confirmation",
    "group_join",
    "message_new",
]

leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
)
values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
huge = st.builds(
    lambda chunk, count: chunk * count,
    st.sampled_from(["я", "a", "😀", "\u0000", "\\", '"', "\u202e"]),
    st.integers(1000, 90000),
)
# half surrogate pairs and NULs: valid JSON escapes, never storable text
unstorable = st.sampled_from(["\ud800", "текст \udfff", "a\u0000b", "\udbff\u0000"])
weird = st.one_of(values, huge, st.text(), unstorable)


def _often(good, bad):
    """``good`` four times in five (so that bodies get far), else ``bad``."""
    return st.integers(0, 4).flatmap(lambda n: bad if n == 0 else good)


def _maybe(good, bad=weird):
    return _often(st.just(good), bad)


def _body(group_id):
    comment = st.fixed_dictionaries(
        {
            "id": _maybe(4242, st.one_of(st.integers(), weird)),
            "from_id": st.one_of(st.integers(-(10**9), 10**9), weird),
            "post_id": st.one_of(st.integers(0, 10**6), weird),
            "text": _often(st.text(max_size=300), st.one_of(huge, unstorable)),
        },
        optional={
            "owner_id": st.one_of(st.just(-group_id), weird),
            "date": st.one_of(st.integers(0, 2 * 10**9), weird),
            "parents_stack": st.one_of(st.lists(st.integers(), max_size=3), weird),
            "attachments": values,
        },
    )
    body = st.fixed_dictionaries(
        {
            "type": _maybe("wall_reply_new", st.one_of(st.sampled_from(TYPES), weird)),
            "group_id": _maybe(group_id, st.one_of(st.integers(), st.just(str(group_id)), weird)),
            "event_id": _often(
                st.uuids().map(lambda u: u.hex), st.one_of(st.text(min_size=1, max_size=60), weird)
            ),
            "secret": _maybe(SECRET),
            "object": _often(comment, weird),
        },
        optional={"v": _maybe("5.199")},
    )
    # sometimes keys are missing
    dropped = _often(
        st.just(()),
        st.lists(st.sampled_from(["type", "group_id", "event_id", "secret", "object"]), max_size=2),
    )
    return st.builds(
        lambda payload, keys: {k: v for k, v in payload.items() if k not in keys}, body, dropped
    )


def _deep(depth, opener):
    closer = {"[": "]", '{"a":': "}"}[opener]
    return opener * depth + "1" + closer * depth


@tagged("post_install", "-at_install")
class TestWebhookFuzz(ConnectorMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()

    def check_stored(self):
        events = self.Event.search([("account_id", "=", self.vk.id)])
        for event in events:
            payload = json.loads(event.payload)
            self.assertIsInstance(payload, dict)
            self.assertNotIn("secret", payload)
            self.assertNotIn(SECRET, event.payload)
            self.assertIsInstance(payload.get("group_id"), int)
            self.assertNotIsInstance(payload["group_id"], bool)
            self.assertEqual(abs(payload["group_id"]), self.fake_vk.group_id)
            self.assertIsInstance(payload.get("event_id"), str)
            self.assertEqual(event.event_id, payload["event_id"])
            self.assertIsInstance(payload.get("type"), str)
            self.assertEqual(event.event_type, payload["type"])
            self.assertIsInstance(payload.get("object"), dict)
            self.assertLessEqual(len(event.payload.encode()), 64 * 1024)
        return len(events)

    @settings(
        max_examples=150,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def test_generated_bodies_never_fail_the_server_nor_store_malformed_events(self, data):
        kind = data.draw(st.sampled_from(["body", "body", "body", "deep", "bytes"]))
        if kind == "body":
            payload = data.draw(_body(self.fake_vk.group_id))
            raw = json.dumps(payload, ensure_ascii=data.draw(st.booleans()))
        elif kind == "deep":
            depth = data.draw(st.integers(10, 70000))
            nested = _deep(depth, data.draw(st.sampled_from(["[", '{"a":'])))
            raw = (
                f'{{"type":"wall_reply_new","event_id":"deep{depth}","group_id":{self.fake_vk.group_id},'
                f'"secret":"{SECRET}","object":{{"id":1,"from_id":2,"post_id":3,"x":{nested}}}}}'
                if data.draw(st.booleans())
                else nested
            )
        else:
            raw = data.draw(st.binary(max_size=2000))
        response = self.url_open(
            f"/social_incidents_vk/vk/{self.vk.id}/{self.vk.webhook_token}",
            data=raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass"),
            headers={"Content-Type": "application/json"},
        )
        self.assertLess(response.status_code, 500, response.text[:300])
        type(self).stored = self.check_stored()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        # the generated bodies got far: some were accepted and stored
        assert getattr(cls, "stored", 0) >= 10, (
            f"only {getattr(cls, 'stored', 0)} generated events were stored"
        )
