"""The push endpoint of a monitoring system, through Odoo's real HTTP server:
messages become incidents whole or not at all, a re-delivery makes nothing
new, bad bodies get 400, a wrong token 401, a big body 413, a flood 429; the
token is never logged nor in the chatter, and only administrators read it."""

import json
import logging
import secrets
import threading
import time
from pathlib import Path

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, HttpCase, get_db_name, new_test_user, tagged
from odoo.tools import config

from odoo.addons.social_incidents.tools import guard

MESSAGE = {
    "network": "vk",
    "url": "https://vk.com/wall-170001_55?reply=901",
    "id": "wall-170001_55_r901",
    "text": "Во дворе дома 12 по улице Мира третью неделю не вывозят мусор.",
    "author": {"id": "3150001", "name": "Ирина Соколова", "url": "https://vk.com/id3150001"},
    "published_at": "2026-11-30T10:15:00+03:00",
    "detected_at": "2026-11-30T10:20:00+03:00",
}


class _Capture(logging.Handler):
    """Every log line, at every level, of Odoo and the HTTP server while in use."""

    LOGGERS = ("", "odoo", "werkzeug", "odoo.sql_db", "odoo.http")

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def __enter__(self):
        self.levels = {name: logging.getLogger(name).level for name in self.LOGGERS}
        for name in self.LOGGERS:
            logging.getLogger(name).setLevel(logging.DEBUG)
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *_exc):
        logging.getLogger().removeHandler(self)
        for name, level in self.levels.items():
            logging.getLogger(name).setLevel(level)

    def emit(self, record):
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001
            text = str(record.msg)
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name} {record.levelname} {text}")


class PushCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notify_force_send=False))
        cls.curator = new_test_user(
            cls.env,
            login="push_curator",
            groups="base.group_user,social_incidents.group_social_curator",
        )
        cls.admin = new_test_user(
            cls.env,
            login="push_admin",
            groups="base.group_user,social_incidents.group_social_admin",
        )
        cls.source = cls.env["social.monitoring.source"].create(
            {"name": "Push test system", "push_enabled": True, "curator_id": cls.curator.id}
        )
        cls.Incident = cls.env["social.incident"].with_context(active_test=False)

    def post(self, payload=None, raw=None, token=None, source=None, header="bearer"):
        source = source or self.source
        token = source.push_token if token is None else token
        headers = {"Content-Type": "application/json"}
        if header == "bearer":
            headers["Authorization"] = f"Bearer {token}"
        elif header == "x":
            headers["X-Monitoring-Token"] = token
        data = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
        return self.url_open(
            f"/social_incidents_monitoring/push/{source.id}", data=data, headers=headers
        )

    def incidents(self, source=None):
        return self.Incident.search([("monitoring_source_id", "=", (source or self.source).id)])

    def counts(self, source=None):
        groups = self.env["social.monitoring.push.count"]._read_group(
            [("source_id", "=", (source or self.source).id)], ["kind"], ["count:sum"]
        )
        return dict(groups)


@tagged("post_install", "-at_install")
class TestPush(PushCase):
    def test_messages_become_new_incidents_with_their_numbers(self):
        second = dict(MESSAGE, url="https://vk.com/wall-170001_55?reply=902", id="r902")
        second["author"] = {"name": "Аноним"}
        response = self.post({"messages": [MESSAGE, second]})
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual((body["created"], body["duplicate"], body["error"]), (2, 0, 0))
        incidents = self.incidents()
        self.assertEqual(len(incidents), 2)
        first = incidents.filtered(lambda i: i.url == MESSAGE["url"])
        # the network's id, read from the link (the system's own id may differ)
        self.assertEqual(first.external_id, "wall-170001_55_901")
        self.assertEqual(
            body["results"][0], {"index": 0, "status": "created", "incident": first.name}
        )
        self.assertTrue(first.name.startswith("ИНЦ-"))
        self.assertEqual(first.state, "new")
        self.assertEqual(first.source, "monitoring")
        self.assertEqual(first.curator_id, self.curator)
        self.assertEqual(first.company_id, self.source.company_id)
        self.assertEqual(first.network, "vk")
        self.assertEqual(first.text, MESSAGE["text"])
        self.assertEqual(str(first.published_at), "2026-11-30 07:15:00")
        self.assertEqual(str(first.detected_at), "2026-11-30 07:20:00")
        self.assertEqual(first.author_id.name, "Ирина Соколова")
        self.assertEqual(first.author_id.external_id, "3150001")
        # no user in the request: the history is in the company's language
        lang = self.source.company_id._social_lang()
        created = self.env["ir.model"]._get("social.incident").with_context(lang=lang).name
        self.assertIn(created, first.message_ids.sorted("id")[0].body)
        self.assertEqual(self.counts().get("created"), 2)
        self.assertEqual(self.counts().get("request"), 1)
        # no curator on the system: the company's default one
        self.source.curator_id = False
        third = dict(MESSAGE, url="https://vk.com/wall-170001_55?reply=903", id="r903")
        response = self.post({"messages": [third]}, header="x")
        incident = self.Incident.search([("url", "=", third["url"])])
        self.assertEqual(response.json()["results"][0]["incident"], incident.name)
        self.assertEqual(incident.curator_id, self.source.company_id.social_curator_id)

    def test_the_documented_sample_registers(self):
        sample = Path(__file__).parents[2] / "docs" / "monitoring-push-sample.json"
        Location = self.env["social.incident.location"]
        if not Location.search([("name", "=", "мкр. Мостострой")]):
            Location.create({"name": "мкр. Мостострой"})
        response = self.post(raw=sample.read_bytes())
        self.assertEqual(response.json()["created"], 2, response.text)
        vk, telegram = self.incidents().sorted(lambda i: i.network != "vk")
        self.assertEqual(vk.topic_ids.with_context(lang="ru_RU").name, "Вывоз мусора")
        self.assertEqual(vk.location_id.name, "мкр. Мостострой")
        self.assertEqual(telegram.network, "telegram")
        self.assertEqual(telegram.topic_ids.with_context(lang="ru_RU").name, "Уличное освещение")
        self.assertEqual(telegram.author_id.name, "Пётр К.")
        self.assertEqual(self.post(raw=sample.read_bytes()).json()["duplicate"], 2)

    def test_redelivery_creates_nothing_and_names_the_incident(self):
        first = self.post({"messages": [MESSAGE]}).json()["results"][0]
        self.assertEqual(first["status"], "created")
        again = self.post({"messages": [MESSAGE]})
        self.assertEqual(again.status_code, 200)
        self.assertEqual(
            again.json()["results"],
            [{"index": 0, "status": "duplicate", "incident": first["incident"]}],
        )
        # the same link (another shape of it) without the id: the same message
        same_link = dict(MESSAGE, id=None, url="http://m.vk.com/wall-170001_55?reply=901")
        linked = self.post({"messages": [same_link]}).json()["results"][0]
        self.assertEqual(linked["status"], "duplicate", linked)
        self.assertEqual(linked["incident"], first["incident"])
        self.assertEqual(len(self.incidents()), 1)
        self.assertEqual(self.counts().get("duplicate"), 2)
        # the same message twice in one request: registered once
        twice = dict(MESSAGE, id=None, url="https://vk.com/wall-170001_56?reply=1")
        results = self.post({"messages": [twice, MESSAGE, twice]}).json()["results"]
        self.assertEqual(
            [r["status"] for r in results], ["created", "duplicate", "duplicate"], results
        )
        self.assertEqual(results[0]["incident"], results[2]["incident"])
        self.assertEqual(len(self.incidents()), 2)
        # typed by a curator from the link first: the system's own id does not hide it
        typed = self.Incident.with_user(self.curator).create(
            {"text": "Набрано куратором", "url": "https://vk.com/wall-170001_77?reply=5"}
        )
        pushed = dict(MESSAGE, id="MLG-123456", url="https://m.vk.com/wall-170001_77?reply=5")
        result = self.post({"messages": [pushed]}).json()["results"][0]
        self.assertEqual((result["status"], result["incident"]), ("duplicate", typed.name))
        # a link that names no message, without an id: a re-delivery could not be told
        page = dict(MESSAGE, id=None, url="https://vk.com/club170001")
        result = self.post({"messages": [page]}).json()["results"][0]
        self.assertEqual(result["status"], "error")
        self.assertIn("vk.com/club170001", result["error"])

    def test_each_message_whole_or_not_at_all(self):
        bad_date = dict(
            MESSAGE, id="r2", url="https://vk.com/wall-1_2?reply=2", published_at="вчера"
        )
        no_text = dict(MESSAGE, id="r3", url="https://vk.com/wall-1_2?reply=3", text="  ")
        bad_link = dict(MESSAGE, id="r4", url="vk.com/wall 1", author={"id": "777", "name": "X"})
        response = self.post({"messages": [MESSAGE, bad_date, no_text, bad_link]})
        self.assertEqual(response.status_code, 200)
        results = response.json()["results"]
        self.assertEqual([r["status"] for r in results], ["created", "error", "error", "error"])
        self.assertIn("ISO 8601", results[1]["error"])
        self.assertIn("текст", results[2]["error"])
        self.assertIn("vk.com/wall 1", results[3]["error"])
        self.assertEqual(len(self.incidents()), 1)
        # the refused message's author was not left behind
        self.assertFalse(self.env["social.author"].search([("external_id", "=", "777")]))

    def test_field_paths_read_the_systems_own_shape(self):
        self.source.push_field_paths = json.dumps(
            {"text": "content.text", "url": "link", "id": "uid", "published_at": "date"}
        )
        message = {
            "content": {"text": "Не горит фонарь у школы № 4"},
            "link": "https://ok.ru/group/5/topic/6",
            "uid": 98,
            "date": "2026-11-29T08:00:00Z",
        }
        no_link = {"content": {"text": "Сломана скамейка в сквере"}, "uid": 99, "network": "ok"}
        response = self.post({"messages": [message, no_link]})
        self.assertEqual(response.json()["created"], 2, response.text)
        incident, other = self.incidents().sorted("id")
        self.assertEqual(incident.text, "Не горит фонарь у школы № 4")
        self.assertEqual(str(incident.published_at), "2026-11-29 08:00:00")
        self.assertEqual((incident.network, incident.external_id), ("ok", "6"))
        self.assertEqual((other.network, other.external_id), ("ok", "99"))
        with self.assertRaises(Exception):  # noqa: B017 - a ValidationError from the constraint
            with self.env.cr.savepoint():
                self.source.push_field_paths = json.dumps({"txt": "a"})

    def test_bad_bodies_get_400_and_nothing_is_registered(self):
        cases = [
            (b"not json", "JSON"),
            (b"   ", "JSON"),
            (json.dumps([MESSAGE]), "messages"),
            (json.dumps({"messages": {}}), "messages"),
            (json.dumps({"messages": []}), "messages"),
            (json.dumps({"messages": ["x"]}), "messages[0]"),
            (json.dumps({"messages": [dict(MESSAGE, text=5)]}), "messages[0].text"),
            (json.dumps({"messages": [MESSAGE, dict(MESSAGE, author="Иван")]}), "messages[1]"),
            (json.dumps({"messages": [dict(MESSAGE, text="a\u0000b")]}), "символ"),
            ('{"messages": [{"text": "\\ud800"}]}', "символ"),
            ("[" * 100 + "]" * 100, "вложенн"),
        ]
        for raw, needle in cases:
            response = self.post(raw=raw)
            self.assertEqual(response.status_code, 400, raw[:60])
            self.assertIn(needle, response.json()["error"], raw[:60])
        self.source.push_max_messages = 2
        response = self.post({"messages": [MESSAGE] * 3})
        self.assertEqual(response.status_code, 400)
        self.assertIn("3", response.json()["error"])
        self.assertFalse(self.incidents())

    def test_wrong_token_gets_401_and_nothing_is_stored(self):
        other = self.env["social.monitoring.source"].create({"name": "Other system"})
        answers = {
            self.post({"messages": [MESSAGE]}, token="").text,
            self.post({"messages": [MESSAGE]}, token="x" * 43).text,
            self.post({"messages": [MESSAGE]}, header=None).text,
            self.post({"messages": [MESSAGE]}, token=other.push_token).text,
            # push disabled: refused even with its own token
            self.post({"messages": [MESSAGE]}, source=other).text,
        }
        self.assertEqual(len(answers), 1, "one answer for every refusal")
        response = self.url_open(
            "/social_incidents_monitoring/push/2147483647",
            data=json.dumps({"messages": [MESSAGE]}),
            headers={"Authorization": f"Bearer {self.source.push_token}"},
        )
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.text, answers.pop())
        self.assertFalse(self.Incident.search([("url", "=", MESSAGE["url"])]))
        self.assertEqual(self.counts(), {"token": 4})
        self.source.invalidate_recordset()
        self.assertEqual(self.source.push_refused_token_count, 4)
        self.assertFalse(self.source.push_last_at)

    def test_body_over_the_limit_gets_413_unread(self):
        self.source.push_max_body_mb = 1
        big = dict(MESSAGE, text="Я" * (700 * 1024))  # 1.4 MB in UTF-8
        response = self.post({"messages": [big]})
        self.assertEqual(response.status_code, 413)
        self.assertFalse(self.incidents())
        self.source.push_max_body_mb = 2
        self.assertEqual(self.post({"messages": [big]}).json()["created"], 1)

    def test_over_the_rate_gets_429_with_retry_after(self):
        self.source.push_rate_limit = 3
        statuses = []
        for index in range(5):
            message = dict(MESSAGE, id=f"rate{index}", url=f"https://vk.com/wall-1_7?reply={index}")
            response = self.post({"messages": [message]})
            statuses.append(response.status_code)
        # one minute's window: unless the minute turned over between the requests
        if statuses != [200, 200, 200, 429, 429]:
            self.assertEqual(statuses.count(429), 1, statuses)
        self.assertEqual(response.status_code, 429)
        self.assertTrue(1 <= int(response.headers["Retry-After"]) <= 60)
        self.assertLessEqual(len(self.incidents()), 4)
        self.assertGreaterEqual(self.counts().get("rate"), 1)

    def test_another_companys_incident_does_not_block(self):
        company_b = self.env["res.company"].create({"name": "Municipality B (push)"})
        with guard.system_write():
            theirs = (
                self.env["social.incident"]
                .with_company(company_b)
                .create(
                    {
                        "text": "То же сообщение в другом муниципалитете",
                        "network": "vk",
                        "url": MESSAGE["url"],
                        "external_id": MESSAGE["id"],
                        "company_id": company_b.id,
                    }
                )
            )
        result = self.post({"messages": [MESSAGE]}).json()["results"][0]
        self.assertEqual(result["status"], "created")
        self.assertNotEqual(result["incident"], theirs.name)

    def test_token_is_never_logged_nor_in_the_chatter(self):
        token = self.source.push_token
        with _Capture() as capture:
            self.post({"messages": [MESSAGE]})
            self.post({"messages": [MESSAGE]}, header="x")
            self.post(raw=b"{bad")
            self.post({"messages": [MESSAGE]}, token=token + "x")
            self.source.with_context(lang="ru_RU").action_new_push_token()
            self.post({"messages": [MESSAGE]}, token=token)
        # the capture works: the server's access log is in it
        self.assertTrue([line for line in capture.lines if "POST /social_incidents" in line])
        self.assertFalse([line for line in capture.lines if token in line])
        self.assertFalse([line for line in capture.lines if self.source.push_token in line])
        everything = self.env["mail.message"].search(
            [("model", "in", ["social.monitoring.source", "social.incident"])]
        )
        for text in (
            everything.mapped("body")
            + everything.tracking_value_ids.mapped("old_value_char")
            + everything.tracking_value_ids.mapped("new_value_char")
        ):
            self.assertNotIn(token, text or "")
            self.assertNotIn(self.source.push_token, text or "")
        self.assertIn("новый токен", " ".join(self.source.message_ids.mapped("body")).lower())

    def test_only_administrators_read_or_renew_the_token(self):
        self.authenticate("push_curator", "push_curator")
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": "social.monitoring.source",
                "method": "read",
                "args": [[self.source.id], ["push_token"]],
                "kwargs": {},
            },
        }
        response = self.url_open(
            "/web/dataset/call_kw/social.monitoring.source/read",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertIn("error", response.json())
        self.assertNotIn(self.source.push_token, response.text)
        old = self.source.push_token
        with self.assertRaises(AccessError):
            self.source.with_user(self.curator).action_new_push_token()
        with self.assertRaises(UserError):
            self.source.with_user(self.admin).write({"push_token": "x" * 43})
        self.source.with_user(self.admin).action_new_push_token()
        self.assertNotEqual(self.source.push_token, old)
        self.assertRegex(self.source.push_token, r"^[0-9a-f]{64}$")
        self.assertEqual(self.post({"messages": [MESSAGE]}, token=old).status_code, 401)
        self.assertEqual(self.post({"messages": [MESSAGE]}).status_code, 200)


leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)
weird = st.one_of(values, st.sampled_from(["\ud800", "a\u0000b", "", " ", "2026-13-45"]))


def _maybe(good):
    return st.integers(0, 4).flatmap(lambda n: weird if n == 0 else st.just(good))


message_strategy = st.fixed_dictionaries(
    {
        "text": st.one_of(st.text(max_size=200), weird),
        "url": _maybe(MESSAGE["url"]),
        "id": st.one_of(st.text(min_size=1, max_size=20), st.integers(), weird),
        "network": _maybe("vk"),
        "author": _maybe(MESSAGE["author"]),
        "published_at": _maybe(MESSAGE["published_at"]),
    },
    optional={"topic": weird, "location": weird, "detected_at": weird},
)


@tagged("post_install", "-at_install")
class TestPushFuzz(PushCase):
    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def test_generated_bodies_get_200_or_400_never_a_server_error(self, data):
        payload = data.draw(
            st.one_of(
                st.fixed_dictionaries({"messages": st.lists(message_strategy, max_size=4)}),
                values,
            )
        )
        before = len(self.incidents())
        response = self.post(raw=json.dumps(payload))
        self.assertIn(response.status_code, (200, 400), response.text[:300])
        body = response.json()
        if response.status_code == 400:
            self.assertTrue(body["error"])
            self.assertEqual(len(self.incidents()), before)
            return
        created = [r for r in body["results"] if r["status"] == "created"]
        self.assertEqual(len(self.incidents()), before + len(created))
        for result in body["results"]:
            self.assertIn(result["status"], ("created", "duplicate", "error"))
            if result["status"] == "error":
                self.assertTrue(result["error"])
            else:
                self.assertTrue(result["incident"].startswith("ИНЦ-"))


@tagged("post_install", "-at_install")
class TestPushLive(BaseCase):
    """Concurrent deliveries through Odoo's real HTTP server with real
    (committed) transactions, each request in its own cursor, as with several
    worker processes. The data is committed, so the test removes it after."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            source = env["social.monitoring.source"].create(
                {"name": f"Live push test {secrets.token_hex(3)}", "push_enabled": True}
            )
            cls.source_id = source.id
            cls.token = source.push_token
        cls.url = f"http://127.0.0.1:{config['http_port']}/social_incidents_monitoring/push/{cls.source_id}"
        cls.addClassCleanup(cls._remove)

    @classmethod
    def _remove(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            incidents = (
                env["social.incident"]
                .with_context(active_test=False)
                .search([("monitoring_source_id", "=", cls.source_id)])
            )
            authors = incidents.author_id
            incidents.unlink()
            authors.unlink()
            env["social.monitoring.source"].browse(cls.source_id).unlink()

    def query(self, sql, params):
        with self.registry.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall()

    def deliver_at_once(self, bodies):
        """POST the bodies at the same moment, one thread each; the answers."""
        # one request first: the server's first requests at once can fail in Python's
        # parser (the addons' manifests read on first use, concurrently), before any route runs
        requests.get(self.url, timeout=60)
        barrier = threading.Barrier(len(bodies))
        answers = []

        def deliver(body):
            barrier.wait(10)
            response = requests.post(
                self.url,
                data=body,
                headers={"Content-Type": "application/json", "X-Monitoring-Token": self.token},
                timeout=60,
            )
            try:
                answers.append((response.status_code, response.json()))
            except ValueError:
                answers.append((response.status_code, response.text[:500]))

        threads = [threading.Thread(target=deliver, args=(body,)) for body in bodies]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        return answers

    def test_concurrent_duplicate_deliveries_make_one_incident_each(self):
        answers = []
        with _Capture() as capture:
            for round_no in range(4):
                messages = [
                    dict(
                        MESSAGE,
                        id=f"live-{round_no}-{index}-{secrets.token_hex(4)}",
                        url=f"https://vk.com/wall-170077_{round_no}?reply={index}",
                        author={"id": f"live{index}", "name": f"Автор {index}"},
                    )
                    for index in range(3)
                ]
                # the same body from four workers, and the same messages in another order
                body = json.dumps({"messages": messages}, ensure_ascii=False).encode()
                reverse = json.dumps({"messages": messages[::-1]}, ensure_ascii=False).encode()
                answers += self.deliver_at_once([body, body, body, reverse])
        self.assertEqual([status for status, _body in answers], [200] * 16)
        numbers = {}
        for _status, body in answers:
            self.assertEqual(body["error"], 0, body)
            for result in body["results"]:
                numbers.setdefault(result["incident"], []).append(result["status"])
        self.assertEqual(len(numbers), 12, "one incident per message")
        for statuses in numbers.values():
            self.assertEqual(sorted(statuses), ["created", "duplicate", "duplicate", "duplicate"])
        rows = self.query(
            "SELECT count(*), count(DISTINCT url) FROM social_incident "
            "WHERE monitoring_source_id = %s",
            (self.source_id,),
        )
        self.assertEqual(rows, [(12, 12)])
        authors = self.query(
            "SELECT count(*) FROM social_author WHERE external_id LIKE 'live%%' AND company_id = "
            "(SELECT company_id FROM social_monitoring_source WHERE id = %s)",
            (self.source_id,),
        )
        self.assertEqual(authors, [(3,)], "one author each, however many deliveries")
        self.assertFalse([line for line in capture.lines if self.token in line])
        self.assertFalse([line for line in capture.lines if "bad query" in line])

    def test_the_rate_limit_holds_across_concurrent_requests(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "UPDATE social_monitoring_source SET push_rate_limit = 5 WHERE id = %s",
                (self.source_id,),
            )
            # the other test's requests are not this one's
            cr.execute(
                "DELETE FROM social_monitoring_push_count WHERE source_id = %s", (self.source_id,)
            )
        # the window is a minute: start early in one, so that all fall in it
        second = time.time() % 60
        if second > 40:
            time.sleep(60.5 - second)
        bodies = [
            json.dumps(
                {"messages": [dict(MESSAGE, id=f"rate-{index}", url=f"https://vk.com/x?r={index}")]}
            ).encode()
            for index in range(8)
        ]
        statuses = sorted(status for status, _body in self.deliver_at_once(bodies))
        self.assertEqual(statuses, [200] * 5 + [429] * 3)
        rows = self.query(
            "SELECT kind, sum(count) FROM social_monitoring_push_count WHERE source_id = %s "
            "AND kind IN ('request', 'rate') GROUP BY kind ORDER BY kind",
            (self.source_id,),
        )
        self.assertEqual(rows, [("rate", 3), ("request", 8)])
