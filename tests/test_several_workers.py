"""Odoo's multi-process server (2 HTTP workers, a cron worker, the websocket process) against
the fake VK, started the way an administrator starts it: ``scripts/serve --workers 2``.

Odoo's own test classes run inside one process; what two workers do at the same moment can
only be seen with a real multi-process server. This module:

* installs ``social_incidents_vk`` without demo data into a fresh database
  ``<TEST_DB>_workers`` (about 20 s; dropped after unless SI_WORKERS_KEEP_DB=1);
* serves it with ``scripts/serve --workers 2 --max-cron-threads 1`` on free ports
  (TEST_WORKERS_HTTP_PORT / TEST_WORKERS_GEVENT_PORT to choose them); its log is copied to
  .local/test-workers.log;
* talks to it as VK and as the people do: Callback API deliveries, and JSON-RPC sessions of
  two curators and an executor, as the web client calls the buttons.

It needs Odoo 18.0 importable by python3 and PostgreSQL (scripts/test has both; it runs this
module with the rest, about a minute more). It imports nothing from Odoo itself; alone:

    TEST_DB=x python3 -m pytest -p no:odoo tests/test_several_workers.py

"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

from addon_files import REPO_ROOT, load

ADDON = REPO_ROOT / "social_incidents_vk"
fake_networks = load(
    "sivk_fake_networks", ADDON / "tests" / "fake_networks.py", package_dir=ADDON / "tests"
)

SECRET = "workers-callback-secret-9f3a71"
TIMEOUT = 60  # seconds: one request, or the background job turning events into incidents


def _odoo_dir():
    try:
        out = subprocess.run(
            [sys.executable, "-c", "import odoo, os; print(os.path.dirname(odoo.__file__))"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip()


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _psql(db, sql):
    return subprocess.run(
        ["psql", "-X", "-w", "-d", db, "-Atqc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


class RpcError(Exception):
    pass


class Session:
    """One browser session: JSON-RPC as the web client calls it."""

    def __init__(self, url, db, login, password=None):
        self.url, self.http = url, requests.Session()
        result = self._post(
            "/web/session/authenticate", {"db": db, "login": login, "password": password or login}
        )
        assert result and result.get("uid"), f"{login} could not log in"
        self.uid = result["uid"]

    def _post(self, path, params):
        response = self.http.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RpcError(body["error"]["data"].get("message") or body["error"]["message"])
        return body.get("result")

    def call(self, model, method, *args, **kwargs):
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class Server:
    """The database, the multi-process server and the fake VK of this module."""

    def __init__(self, tmp):
        self.db = os.environ.get("TEST_DB", "social_incidents_test") + "_workers"
        self.port = int(os.environ.get("TEST_WORKERS_HTTP_PORT") or _free_port())
        self.gevent_port = int(os.environ.get("TEST_WORKERS_GEVENT_PORT") or _free_port())
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = Path(tmp) / "data"
        self.log = Path(tmp) / "odoo.log"
        self.process = None
        self.fake_vk = fake_networks.FakeVk(group_id=186000042).start()

    # -- life cycle ----------------------------------------------------------
    def install(self, odoo_dir):
        subprocess.run(["dropdb", "-w", "--if-exists", "--force", self.db], check=True)
        subprocess.run(
            [
                sys.executable,
                str(REPO_ROOT / "scripts" / "odoo-server"),
                f"--addons-path={odoo_dir}/addons,{REPO_ROOT}",
                f"--data-dir={self.data_dir}",
                "-d",
                self.db,
                "-i",
                "social_incidents_vk",
                "--without-demo=all",
                "--stop-after-init",
                "--log-level=warn",
                f"--logfile={self.log}.install",
                f"--http-port={self.port}",
            ],
            check=True,
            timeout=900,
        )

    def start(self):
        env = dict(os.environ, DB=self.db, PORT=str(self.port))
        self.process = subprocess.Popen(
            [
                str(REPO_ROOT / "scripts" / "serve"),
                "--workers",
                "2",
                "--max-cron-threads",
                "1",
                "--gevent-port",
                str(self.gevent_port),
                "--data-dir",
                str(self.data_dir),
                "--logfile",
                str(self.log),
                "--log-handler",
                "werkzeug:WARNING",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (
                f"scripts/serve stopped: {self.process.stderr.read().decode()}"
            )
            try:
                if requests.get(self.url + "/web/health", timeout=2).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                # a worker that accepted the connection may take over 2 s to load the registry
                # on a busy machine: not ready yet, ask again
                pass
            time.sleep(0.5)
        raise AssertionError(f"the server did not answer on {self.url} within 120 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # our own process group (start_new_session)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.fake_vk.stop()
        if self.log.exists():  # kept for a look after a failure (git-ignored)
            (REPO_ROOT / ".local").mkdir(exist_ok=True)
            shutil.copyfile(self.log, REPO_ROOT / ".local" / "test-workers.log")
        if os.environ.get("SI_WORKERS_KEEP_DB") != "1":
            subprocess.run(["dropdb", "-w", "--if-exists", "--force", self.db], check=False)

    def children(self):
        """{pid: command line} of the server's processes (from /proc)."""
        result = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:  # the parent pid
                    cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                    result[int(stat.parent.name)] = cmdline
            except (OSError, IndexError, ValueError):
                continue
        return result

    # -- data ----------------------------------------------------------------
    def setup(self):
        admin = self.admin = Session(self.url, self.db, "admin", "admin")
        refs = {}
        for xmlid in (
            "base.group_user",
            "social_incidents.group_social_curator",
            "social_incidents.group_social_executor",
        ):
            module, name = xmlid.split(".")
            refs[xmlid] = admin.call(
                "ir.model.data",
                "search_read",
                [("module", "=", module), ("name", "=", name)],
                ["res_id"],
            )[0]["res_id"]

        def user(login, group):
            return admin.call(
                "res.users",
                "create",
                {
                    "name": login.replace("_", " ").title(),
                    "login": login,
                    "password": login,
                    "groups_id": [(6, 0, [refs["base.group_user"], refs[group]])],
                },
            )

        curator1 = user("w_curator1", "social_incidents.group_social_curator")
        user("w_curator2", "social_incidents.group_social_curator")
        executor_user = user("w_executor", "social_incidents.group_social_executor")
        self.executor_id = admin.call(
            "social.executor",
            "create",
            {"name": "Workers Housing", "member_ids": [(6, 0, [executor_user])]},
        )
        company_id = admin.call("res.users", "read", [curator1], ["company_id"])[0]["company_id"][0]
        admin.call(
            "res.company",
            "write",
            [company_id],
            {"social_curator_id": curator1, "social_reply_publisher": "curator"},
        )
        for key, value in (("timeout", "5"), ("retry_backoff", "0"), ("max_retries", "1")):
            admin.call("ir.config_parameter", "set_param", f"social_incidents_vk.{key}", value)
        fake = self.fake_vk
        self.account_id = admin.call(
            "social.account",
            "create",
            {
                "name": "Workers community",
                "network": "vk",
                "url": "https://vk.com/workers_community",
                "external_id": str(fake.group_id),
                "vk_group_id": str(fake.group_id),
                "vk_community_token": fake.community_token,
                "vk_user_token": fake.user_token,
                "vk_service_token": fake.service_token,
                "vk_secret": SECRET,
                "vk_confirmation": "c0nf1rm",
                "vk_api_url": fake.url,
                "connector_enabled": True,
            },
        )
        webhook_url = admin.call("social.account", "read", [self.account_id], ["webhook_url"])[0][
            "webhook_url"
        ]
        # the page's own address on this server (web.base.url is another host)
        self.webhook_url = self.url + "/" + webhook_url.split("://", 1)[1].split("/", 1)[1]
        self.post = fake.add_post("Объявление администрации о ремонте дорог")

    def comment(self, text):
        return self.fake_vk.add_comment(self.post["id"], 700000 + len(self.fake_vk.comments), text)

    def deliver(self, payload):
        response = requests.post(
            self.webhook_url,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json"},
            timeout=TIMEOUT,
        )
        return response.status_code, response.text

    def incidents(self, comments):
        """{comment id: [incident ids]} of these comments, waiting until each has one."""
        keys = {
            f"wall{self.fake_vk.owner_id}_{self.post['id']}_{c['id']}": c["id"] for c in comments
        }
        deadline = (
            time.monotonic() + TIMEOUT + 60
        )  # the job's own schedule (1 min) as the last resort
        while True:
            rows = self.admin.call(
                "social.incident",
                "search_read",
                [("account_id", "=", self.account_id), ("external_id", "in", list(keys))],
                ["external_id"],
                context={"active_test": False},
            )
            found = {}
            for row in rows:
                found.setdefault(keys[row["external_id"]], []).append(row["id"])
            if len(found) == len(keys) or time.monotonic() > deadline:
                return found
            time.sleep(0.5)


def run_together(*calls):
    """Run the calls at the same moment, one thread each; [(result, error)] in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait(timeout=TIMEOUT)
        try:
            results[index] = (call(), None)
        except Exception as error:  # noqa: BLE001 - reported by the test
            results[index] = (None, error)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    return results


@pytest.fixture(scope="module")
def server():
    odoo_dir = _odoo_dir()
    if odoo_dir is None:
        pytest.skip("Odoo 18.0 is not importable by python3: the multi-process server cannot run")
    if subprocess.run(
        ["psql", "-X", "-w", "-d", "postgres", "-Atqc", "SELECT 1"],
        capture_output=True,
        check=False,
    ).returncode:
        pytest.skip("PostgreSQL does not accept connections")
    with tempfile.TemporaryDirectory(prefix="si-workers-") as tmp:
        srv = Server(tmp)
        try:
            srv.install(odoo_dir)
            srv.start()
            srv.setup()
            yield srv
        finally:
            srv.stop()


def _submitted_reply(srv, text):
    """An incident from a citizen's comment, routed, answered and submitted: the reply's id."""
    comment = srv.comment(text)
    assert srv.deliver(srv.fake_vk.comment_event(comment, secret=SECRET)) == (200, "ok")
    incident_id = srv.incidents([comment])[comment["id"]][0]
    curator = Session(srv.url, srv.db, "w_curator1")
    wizard = curator.call(
        "social.incident.route.wizard",
        "create",
        {"incident_id": incident_id, "executor_ids": [(6, 0, [srv.executor_id])]},
    )
    curator.call("social.incident.route.wizard", "action_confirm", [wizard])
    executor = Session(srv.url, srv.db, "w_executor")
    reply_id = executor.call(
        "social.incident.reply",
        "create",
        {
            "incident_id": incident_id,
            "kind": "final",
            "body": f"Здравствуйте! Ответ на обращение {comment['id']}: работы запланированы.",
        },
    )
    executor.call("social.incident.reply", "action_submit", [reply_id])
    return comment, reply_id


def _messages(srv, reply_id, needle):
    return srv.admin.call(
        "mail.message",
        "search_count",
        [
            ("model", "=", "social.incident.reply"),
            ("res_id", "=", reply_id),
            ("body", "ilike", needle),
        ],
    )


def test_websocket_process_starts_once_and_serves(server):
    """--workers 2: two HTTP workers, a cron worker and one websocket (gevent) process that
    stays up and answers on its port, instead of being respawned."""
    first = server.children()
    gevent = [pid for pid, cmd in first.items() if " gevent " in cmd]
    assert len(gevent) == 1, f"one websocket process expected: {first}"
    assert len(first) == 4, f"2 HTTP workers, 1 cron worker, 1 websocket process expected: {first}"
    time.sleep(3)
    assert [pid for pid, cmd in server.children().items() if " gevent " in cmd] == gevent, (
        "it was respawned"
    )
    assert (
        requests.get(f"http://127.0.0.1:{server.gevent_port}/web/health", timeout=10).status_code
        == 200
    )
    log = server.log.read_text(errors="replace")
    assert "attempted relative import" not in log and "DistributionNotFound" not in log


def test_concurrent_duplicate_deliveries_make_one_incident_each(server):
    """VK re-delivers an event when its answer is late: 12 comments, each delivered 4 times
    at the same moment to the two workers, give 12 stored events and 12 incidents."""
    comments = [
        server.comment(f"Во дворе дома {n} по улице Мира не вывезен мусор.") for n in range(12)
    ]
    payloads = [server.fake_vk.comment_event(c, secret=SECRET) for c in comments]
    answers = []
    for payload in payloads:
        answers += run_together(*[lambda p=payload: server.deliver(p)] * 4)
    assert [error for _, error in answers if error] == []
    assert {result for result, _ in answers} == {(200, "ok")}
    found = server.incidents(comments)
    assert {cid: len(ids) for cid, ids in found.items()} == {c["id"]: 1 for c in comments}, (
        "lost or doubled"
    )
    stored = server.admin.call(
        "social.inbound.event",
        "search_count",
        [
            ("account_id", "=", server.account_id),
            ("event_id", "in", [p["event_id"] for p in payloads]),
        ],
    )
    assert stored == len(payloads)


def test_concurrent_deliveries_never_log_the_secret(server):
    """Whatever the workers logged while the same events came in together (e.g. a failed
    statement with its parameters), the Callback API secret is not in the log."""
    comments = [server.comment(f"Не работает светофор на перекрёстке № {n}") for n in range(6)]
    for comment in comments:
        payload = server.fake_vk.comment_event(comment, secret=SECRET)
        run_together(*[lambda p=payload: server.deliver(p)] * 4)
    assert len(server.incidents(comments)) == len(comments)
    log = server.log.read_text(errors="replace")
    leaked = [line[:200] for line in log.splitlines() if SECRET in line]
    assert leaked == [], f"the secret is in the server's log {len(leaked)} times"


def test_two_curators_approving_the_same_draft_approve_it_once(server):
    """Two curators press "Approve" on the same submitted draft at the same moment: it is
    approved once (one review, one chatter line); the other is told it is not submitted."""
    for n in range(3):
        _comment, reply_id = _submitted_reply(server, f"Яма на дороге у остановки «Школа № {n}»")
        sessions = [Session(server.url, server.db, login) for login in ("w_curator1", "w_curator2")]
        results = run_together(
            *[
                lambda s=s, r=reply_id: s.call("social.incident.reply", "action_approve", [r])
                for s in sessions
            ]
        )
        assert [result for result, _ in results].count(True) == 1, results
        refused = [str(error) for _, error in results if error]
        assert len(refused) == 1 and "Only a submitted draft can be approved" in refused[0], results
        reply = server.admin.call("social.incident.reply", "read", [reply_id], ["state"])[0]
        assert reply["state"] == "approved"
        reviews = server.admin.call(
            "social.incident.reply.review",
            "search_count",
            [("reply_id", "=", reply_id), ("decision", "=", "approved")],
        )
        assert reviews == 1
        assert _messages(server, reply_id, "approved.") == 1


def test_publishing_the_same_reply_from_two_sessions_posts_it_once(server):
    """Two curators press "Publish" on the same approved reply at the same moment, while VK
    answers slowly: the community posts it once (one comment on the wall, one
    wall.createComment call), the reply is published once."""
    fake = server.fake_vk
    for n in range(3):
        comment, reply_id = _submitted_reply(server, f"Не убран снег во дворе дома № {n + 20}")
        Session(server.url, server.db, "w_curator2").call(
            "social.incident.reply", "action_approve", [reply_id]
        )
        sessions = [Session(server.url, server.db, login) for login in ("w_curator1", "w_curator2")]
        fake.fail_next("wall.createComment", delay=1.0, times=2)  # both inside the call together
        before = len(fake.requests_of("wall.createComment"))
        results = run_together(
            *[
                lambda s=s, r=reply_id: s.call("social.incident.reply", "action_publish", [r])
                for s in sessions
            ]
        )
        fake.clear_failures()
        fake.wait_idle()
        posted = [
            c
            for c in fake.comments.values()
            if c["from_id"] == fake.owner_id and c.get("reply_to_comment") == comment["id"]
        ]
        calls = fake.requests_of("wall.createComment")[before:]
        reply = server.admin.call(
            "social.incident.reply", "read", [reply_id], ["state", "external_id"]
        )[0]
        assert len(posted) == 1, f"the reply is posted {len(posted)} times in VK"
        assert reply["state"] == "published" and reply["external_id"] == str(posted[0]["id"]), (
            reply,
            results,
        )
        assert _messages(server, reply_id, "published:") == 1
        assert len(calls) == 1, (
            f"wall.createComment called {len(calls)} times for one reply (answers: {results}); "
            "VK's guid hid the second post here, nothing guarantees it does after a while"
        )


def test_server_log_has_no_error(server):
    """Nothing above made a worker log an error or die (kept last: it reads the whole log).
    Odoo logs the statement that hit a serialization failure ("bad query") before it retries
    the request; those retried conflicts are let through here (their content is checked for
    the secret above): a conflict is how PostgreSQL tells two workers apart."""
    entries = re.split(
        r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ )", server.log.read_text(errors="replace")
    )
    errors = [
        entry[:300]
        for entry in entries
        if re.match(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", entry)
        and not (
            "bad query" in entry and "could not serialize access due to concurrent update" in entry
        )
    ]
    assert errors == []
    assert not re.search(r"Worker .* \(\d+\) (timeout|virtual real time limit)", "\n".join(entries))
