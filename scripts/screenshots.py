#!/usr/bin/env python3
"""Retake the README's screenshots from a running demo server.

    scripts/serve --reset &          # the demo, on http://localhost:8069
    python3 scripts/screenshots.py   # writes docs/img/*.png (1366 x 768, as the issue asks)
    python3 scripts/screenshots.py --only incidents-kanban --url http://localhost:8069

Each shot logs in as a demo user (JSON-RPC /web/session/authenticate), opens a page of the web
client in headless Chromium (Chrome DevTools protocol over websocket-client, which the tests
already need), waits until the page has settled, optionally clicks something, and saves a PNG.
PDF reports are rendered by the server (/report/pdf/...) and turned into a PNG of their first
page with pdftoppm. Nothing here changes the database except what a user's click would.
"""

import argparse
import base64
import calendar
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import requests
import websocket

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
WIDTH, HEIGHT = 1366, 768


class Odoo:
    """A JSON-RPC session of one demo user."""

    def __init__(self, url, db, login):
        self.url = url.rstrip("/")
        self.session = requests.Session()
        result = self._call(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": login},
        )
        if not result.get("uid"):
            sys.exit(f"cannot log in as {login}")
        self.session_id = self.session.cookies.get("session_id")

    def _call(self, path, params):
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=60,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            sys.exit(f"{path}: {body['error']['data']['message']}")
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self._call(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def first_id(self, model, domain, order="id"):
        ids = self.call(model, "search", domain, limit=1, order=order)
        if not ids:
            sys.exit(f"no {model} matches {domain}")
        return ids[0]


class Browser:
    """Headless Chromium driven over the DevTools protocol."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="si-shots-")
        port = 9333
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={port}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2) as r:
                    pages = [p for p in json.load(r) if p["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            sys.exit("chromium did not start")
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.send("Page.enable")
        self.send("Runtime.enable")
        # the web client shows times in the browser's time zone: the administration's
        self.send("Emulation.setTimezoneOverride", timezoneId="Europe/Moscow")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                return
            time.sleep(0.2)
        raise RuntimeError(f"{selector} never appeared")

    def open(self, url, session_id, domain, cookies=None):
        self.send("Network.enable")
        self.send("Network.clearBrowserCookies")
        self.send("Network.setCookie", name="session_id", value=session_id, domain=domain, path="/")
        # cids: the companies ticked in the switcher
        for name, value in (cookies or {}).items():
            self.send("Network.setCookie", name=name, value=value, domain=domain, path="/")
        self.send("Page.navigate", url=url)

    def shot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


# What each screenshot shows: (file, login, how to find the page, css to wait for, js to run).
def shots(admin):
    incident = "/odoo/action-social_incidents.social_incident_action"
    mine = "/odoo/action-social_incidents.social_incident_action_mine"
    review_id = admin.first_id("social.incident", [("state", "=", "review")])
    late_id = admin.first_id(
        "social.incident", [("state", "in", ["routed", "in_progress"])], order="id"
    )
    vk_page = admin.first_id("social.account", [("network", "=", "vk")])
    author_id = admin.call(
        "social.incident",
        "read_group",
        [("author_id", "!=", False)],
        ["author_id"],
        ["author_id"],
        orderby="author_id_count desc",
        limit=1,
    )[0]["author_id"][0]
    author_incident = admin.first_id("social.incident", [("author_id", "=", author_id)])
    return [
        ("incidents-kanban", "curator", f"{incident}?view_type=kanban", ".o_kanban_record", None),
        ("incidents-list", "curator", f"{incident}?view_type=list", ".o_data_row", None),
        ("incident-review", "curator", f"{incident}/{review_id}", ".o_form_view", None),
        (
            "incident-deadline",
            "curator",
            f"{incident}/{late_id}",
            ".o_form_view .o_notebook",
            "const tab = document.querySelector('.o_notebook a.nav-link[name=deadlines]');"
            " tab.click(); tab.scrollIntoView()",
        ),
        (
            "incident-routing",
            "curator",
            f"{incident}/{late_id}",
            ".o_form_view .o_notebook",
            "const tab = document.querySelector('.o_notebook a.nav-link[name=routing]');"
            " tab.click(); tab.scrollIntoView()",
        ),
        ("executor-my-incidents", "executor", mine, ".o_data_row", None),
        (
            "missed-deadlines",
            "head",
            "/odoo/action-social_incidents.social_sla_violation_action",
            ".o_data_row",
            None,
        ),
        (
            "vk-connector",
            "admin",
            f"/odoo/action-social_incidents.social_account_action/{vk_page}",
            ".o_form_view .o_notebook",
            "const tab = document.querySelector('.o_notebook a.nav-link[name=connector]');"
            " tab.click(); tab.scrollIntoView()",
        ),
        (
            "author-history",
            "curator",
            f"{incident}/{author_incident}",
            ".o_form_view",
            "document.querySelector('button[name=action_view_author_history]')?.click()",
        ),
        (
            "analysis-pivot",
            "head",
            "/odoo/action-social_incidents_reports.social_incident_report_action?view_type=pivot",
            ".o_pivot",
            None,
        ),
        (
            "content-plan-calendar",
            "curator",
            "/odoo/action-social_incidents.social_account_post_action?view_type=calendar",
            ".o_calendar_renderer .fc-event",
            None,
        ),
        (
            "post-quota-weeks",
            "head",
            "/odoo/action-social_incidents.social_account_week_action?view_type=pivot",
            ".o_pivot",
            None,
        ),
        ("executor-inbox", "executor", "/odoo/discuss", ".o-mail-Message", None),
        ("report-monthly-sent", "head", "/odoo/discuss", ".o-mail-Message", None),
    ] + regional_shots(admin)


def regional_shots(admin):
    """«Анализ» → «По муниципалитетам» with every municipality of the head ticked: only on a
    database with several (``scripts/populate.py``, the head given access to them under
    Settings → Users); the demo has one."""
    head = admin.call("res.users", "search_read", [("login", "=", "head")], ["company_ids"])
    companies = head[0]["company_ids"] if head else []
    if len(companies) < 3:
        return []
    return [
        (
            "regional-pivot",
            "head",
            "/odoo/action-social_incidents_reports.social_incident_report_action_regional"
            "?view_type=pivot",
            ".o_pivot",
            None,
            {"cids": "-".join(map(str, sorted(companies)))},
        )
    ]


def pdf_shots(admin):
    """(file, login, report, ids, data) of the PDFs shown in the README: last month's."""
    today = time.gmtime()
    year, month = (today.tm_year, today.tm_mon - 1) if today.tm_mon > 1 else (today.tm_year - 1, 12)
    last_day = calendar.monthrange(year, month)[1]
    data = {
        "date_from": f"{year}-{month:02d}-01",
        "date_to": f"{year}-{month:02d}-{last_day:02d}",
        "include_excused": True,
    }
    company = admin.call(
        "res.users",
        "read",
        [admin.call("res.users", "search", [("login", "=", "admin")])[0]],
        ["company_id"],
    )[0]["company_id"][0]
    card = admin.first_id("social.incident", [("state", "=", "closed")], order="id desc")
    return [
        ("report-monthly", "head", "social_incidents_reports.report_monthly", [company], data),
        (
            "report-disciplinary",
            "head",
            "social_incidents_reports.report_disciplinary",
            [company],
            data,
        ),
        (
            "report-incident-card",
            "curator",
            "social_incidents_reports.report_incident_card",
            [card],
            None,
        ),
    ]


def render_pdf(odoo, report, ids, data, path):
    url = f"{odoo.url}/report/pdf/{report}/{','.join(map(str, ids))}"
    params = {"options": json.dumps(data)} if data else {}
    response = odoo.session.get(url, params=params, timeout=300)
    response.raise_for_status()
    if not response.content.startswith(b"%PDF"):
        raise RuntimeError(f"{report}: not a PDF")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        pdf.write_bytes(response.content)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "75",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                pdf,
                Path(tmp) / "page",
            ],
            check=True,
        )
        shutil.copy(Path(tmp) / "page.png", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=f"http://localhost:{os.environ.get('PORT', '8069')}")
    parser.add_argument("--db", default=os.environ.get("DB", "social_incidents_demo"))
    parser.add_argument("--only", action="append", help="a shot's name (repeatable)")
    args = parser.parse_args()

    admin = Odoo(args.url, args.db, "admin")
    sessions = {"admin": admin}
    domain = args.url.split("//", 1)[1].split(":", 1)[0].split("/", 1)[0]
    for name, login, path, selector, script, *cookies in shots(admin):
        if args.only and name not in args.only:
            continue
        # a new browser for each shot: Odoo's bus worker, shared between the tabs of one
        # profile, would otherwise report the page of the previous user as out of date
        browser = Browser()
        try:
            if login not in sessions:
                sessions[login] = Odoo(args.url, args.db, login)
            browser.open(args.url + path, sessions[login].session_id, domain, *cookies)
            try:
                browser.wait_for(selector)
                time.sleep(1.5)
                if script:
                    browser.evaluate(script)
                    time.sleep(1.5)
            except RuntimeError as error:
                print(f"{name}: {error}; skipped", file=sys.stderr)
                continue
            # a toast that happens to be up (a message just received) is not the screen
            browser.evaluate(
                "document.querySelectorAll('.o_notification').forEach(e => e.remove())"
            )
            browser.shot(OUT / f"{name}.png")
            print(f"{name}.png ({login})")
        finally:
            browser.close()
    for name, login, report, ids, data in pdf_shots(admin):
        if args.only and name not in args.only:
            continue
        if login not in sessions:
            sessions[login] = Odoo(args.url, args.db, login)
        render_pdf(sessions[login], report, ids, data, OUT / f"{name}.png")
        print(f"{name}.png ({login}, PDF)")


if __name__ == "__main__":
    main()
