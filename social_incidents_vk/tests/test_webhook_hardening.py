"""The Callback API address is fit for the open internet: an unguessable
address, bodies limited in size, depth and types before anything is stored,
VK's minimal confirmation answered, refused requests counted without a row
each, the secret never stored. Through Odoo's real HTTP server."""

import json
import time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import ConnectorMixin

SECRET = "s3cr3t-callback"


@tagged("post_install", "-at_install")
class TestWebhookHardening(ConnectorMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()

    def url(self, account=None, token=None):
        account = account or self.vk
        return f"/social_incidents_vk/vk/{account.id}/{token or account.webhook_token}"

    def post(self, payload=None, raw=None, url=None):
        data = raw if raw is not None else json.dumps(payload)
        return self.url_open(
            url or self.url(), data=data, headers={"Content-Type": "application/json"}
        )

    def events(self):
        return self.Event.search([("account_id", "=", self.vk.id)])

    def new_event(self, text="Во дворе дома 5 по Садовой не вывезен мусор.", secret=SECRET):
        post = self.fake_vk.add_post("Новости района")
        comment = self.fake_vk.add_comment(post["id"], 214578903, text)
        return self.fake_vk.comment_event(comment, secret=secret)

    def refusals(self):
        groups = self.env["social.webhook.refusal"]._read_group(
            [("account_id", "=", self.vk.id)], ["reason"], ["count:sum"]
        )
        return dict(groups)

    # ------------------------------------------------------------------
    def test_confirmation_without_secret_is_answered(self):
        response = self.post({"type": "confirmation", "group_id": self.fake_vk.group_id})
        self.assertEqual((response.status_code, response.text), (200, "a1b2c3d4"))
        # another community's confirmation is not
        response = self.post({"type": "confirmation", "group_id": self.fake_vk.group_id + 1})
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("a1b2c3d4", response.text)
        self.assertFalse(self.events())
        self.assertFalse(self.vk.connector_log_ids)
        self.assertFalse(self.vk.activity_ids)
        self.assertNotEqual(self.vk.connector_state, "error")

    def test_body_over_64_kib_is_refused_and_nothing_stored(self):
        for size in (70 * 1024, 2 * 1024 * 1024):
            payload = self.new_event(text="Я" * size)
            response = self.post(payload)
            self.assertEqual(response.status_code, 413, size)
        self.assertFalse(self.events())
        # a big but plausible comment still comes in
        payload = self.new_event(text="Ж" * 8000)  # 48 KB as JSON escapes
        self.assertEqual(self.post(payload).text, "ok")
        self.assertEqual(len(self.events()), 1)

    def test_deep_nesting_is_refused_with_400(self):
        for raw in ("[" * 60000, "[" * 30000 + "]" * 30000, '{"a":' * 5000 + "1" + "}" * 5000):
            response = self.post(raw=raw)
            self.assertEqual(response.status_code, 400, raw[:10])
            self.assertNotIn("RecursionError", response.text)
        # 200,000 of them are over the size limit already
        self.assertEqual(self.post(raw="[" * 200000).status_code, 413)
        payload = self.new_event()
        nested = {}
        for _ in range(40):
            nested = {"n": nested}
        payload["object"]["attachments"] = [nested]
        self.assertEqual(self.post(payload).status_code, 400)
        self.assertFalse(self.events())

    def test_wrong_types_are_refused_and_nothing_stored(self):
        good = self.new_event()
        cases = [
            ("group_id", str(self.fake_vk.group_id)),
            ("group_id", float(self.fake_vk.group_id)),
            ("group_id", True),
            ("group_id", None),
            ("event_id", 12345),
            ("event_id", ["a"]),
            ("object", "строка вместо объекта"),
            ("object", [good["object"]]),
            ("object", None),
        ]
        for key, value in cases:
            payload = dict(good, **{key: value})
            response = self.post(payload)
            self.assertEqual(response.status_code, 400, (key, value))
        # text that could never be stored: half a surrogate pair, a NUL
        for text in ("\ud800 обрыв", "нуль\u0000"):
            payload = dict(good, object=dict(good["object"], text=text))
            self.assertEqual(self.post(payload).status_code, 400, repr(text))
        self.assertEqual(self.post(dict(good, secret="\udc00")).status_code, 400)
        missing = dict(good)
        del missing["object"]
        self.assertEqual(self.post(missing).status_code, 400)
        self.assertFalse(self.events())
        self.assertNotEqual(self.vk.connector_state, "error")
        self.assertEqual(self.post(good).text, "ok")

    def test_the_address_carries_an_unguessable_token(self):
        other = self.env["social.account"].create(
            {
                "name": "Another community",
                "network": "vk",
                "url": "https://vk.com/another_community",
                "vk_group_id": str(self.fake_vk.group_id),
                "vk_secret": SECRET,
                "connector_enabled": True,
            }
        )
        self.assertEqual(len(self.vk.webhook_token), 43)
        self.assertNotEqual(self.vk.webhook_token, other.webhook_token)
        self.assertTrue(
            self.vk.webhook_url.endswith(
                f"/social_incidents_vk/vk/{self.vk.id}/{self.vk.webhook_token}"
            )
        )
        payload = self.new_event()
        wrong_token = self.post(payload, url=self.url(token="x" * 43))
        other_token = self.post(payload, url=self.url(token=other.webhook_token))
        unknown_page = self.post(
            payload, url=f"/social_incidents_vk/vk/987654321/{self.vk.webhook_token}"
        )
        huge_id = self.post(
            payload, url=f"/social_incidents_vk/vk/{10**20}/{self.vk.webhook_token}"
        )
        answers = {
            (r.status_code, r.text) for r in (wrong_token, other_token, unknown_page, huge_id)
        }
        self.assertEqual(answers, {(404, "Страница не подключена.")})
        # the page's id alone is no longer an address
        self.assertEqual(
            self.post(payload, url=f"/social_incidents_vk/vk/{self.vk.id}").status_code, 404
        )
        self.assertFalse(self.events())
        self.assertEqual(self.post(payload).text, "ok")

    def test_refused_requests_are_counted_on_the_page_without_a_row_each(self):
        # the rows are per minute: start the requests early in a minute, so that they all
        # fall in one even on a loaded machine (they take a few seconds at most)
        second = time.time() % 60
        if second > 30:
            time.sleep(60.5 - second)
        payload = self.new_event(secret="wrong")
        for _ in range(5):
            self.assertEqual(self.post(payload).status_code, 403)
        no_secret = dict(payload)
        del no_secret["secret"]
        self.assertEqual(self.post(no_secret).status_code, 403)
        other_group = dict(self.new_event(), group_id=self.fake_vk.group_id + 7)
        for _ in range(2):
            self.assertEqual(self.post(other_group).status_code, 400)
        for _ in range(3):
            self.assertEqual(
                self.post(self.new_event(), url=self.url(token="y" * 43)).status_code, 404
            )
        self.assertEqual(self.refusals(), {"secret": 6, "group": 2, "token": 3})
        # one row per minute and reason, not one per request
        self.assertEqual(
            self.env["social.webhook.refusal"].search_count([("account_id", "=", self.vk.id)]), 3
        )
        self.vk.invalidate_recordset()
        self.assertEqual(self.vk.webhook_refused_count, 11)
        self.assertTrue(self.vk.webhook_refused_last_at)
        self.assertFalse(self.vk.connector_log_ids)
        self.assertFalse(self.vk.last_error)
        self.assertFalse(self.events())

    def test_the_secret_is_never_stored(self):
        payload = self.new_event()
        self.assertEqual(self.post(payload).text, "ok")
        stored = self.events()
        self.assertNotIn(SECRET, stored.payload)
        self.assertNotIn("secret", json.loads(stored.payload))
        self.assertEqual(json.loads(stored.payload)["object"]["text"], payload["object"]["text"])

    def test_a_leaked_address_is_replaced_by_an_administrator(self):
        old_token = self.vk.webhook_token
        curator = self.env["res.users"].create(
            {
                "name": "Куратор",
                "login": "hardening_curator",
                "groups_id": [(6, 0, [self.env.ref("social_incidents.group_social_curator").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.vk.with_user(curator).action_new_webhook_token()
        self.assertEqual(self.vk.webhook_token, old_token)
        with self.assertRaises(UserError):  # nobody writes it by hand
            self.vk.write({"webhook_token": "x" * 43})
        self.vk.action_new_webhook_token()
        self.assertNotEqual(self.vk.webhook_token, old_token)
        self.assertEqual(len(self.vk.webhook_token), 43)
        self.assertNotIn(self.vk.webhook_token, "".join(self.vk.message_ids.mapped("body")))
        payload = self.new_event()
        self.assertEqual(self.post(payload, url=self.url(token=old_token)).status_code, 404)
        self.assertEqual(self.post(payload).text, "ok")
