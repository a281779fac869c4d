"""Repository-wide pytest plugin.

1. Skips are failures (when SOCIAL_INCIDENTS_FAIL_ON_SKIP=1, as scripts/test sets it): Odoo
   skips a tour silently when websocket-client or Chrome is missing, and pytest-odoo skips every
   HttpCase without --odoo-http; a run that skipped a test must not pass.

2. Odoo 18 under pytest-odoo: Odoo's own test runner sets ``odoo.modules.module.current_test``
   to the running test; pytest-odoo (2.3.0) does it only for Odoo 19+. Without it, a test run on
   Odoo 18 really connects to an SMTP server to send mail (ir.mail_server only skips sending
   when ``current_test`` is set), lets the browser of a tour open the bus websocket, and serves
   HTTP requests on the test cursor without checking which test they belong to. Set it as Odoo's
   runner does.

3. pytest-odoo imports Odoo's test framework before it turns ``test_enable`` on, and Odoo 18
   logs that as an ERROR with a long stack ("Importing test framework, avoid importing from
   business modules and when not running in test mode"): a false alarm under pytest, dropped.

Imports nothing from Odoo at import time: the Odoo-free tests in tests/ run without it.
"""

import logging
import os
import sys

import pytest

FAIL_ON_SKIP_ENV = "SOCIAL_INCIDENTS_FAIL_ON_SKIP"

_skipped = []


def _not_the_test_framework_import_alarm(record):
    return not str(record.msg).startswith("Importing test framework, avoid importing")


logging.getLogger("odoo.tests.common").addFilter(_not_the_test_framework_import_alarm)


def _fail_on_skip():
    return os.environ.get(FAIL_ON_SKIP_ENV) == "1"


def _record_skip(report):
    # xfail outcomes are reported as "skipped" with a wasxfail attribute; only real skips count.
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _skipped.append((report.nodeid, reason))


def pytest_collectreport(report):
    _record_skip(report)


def pytest_runtest_logreport(report):
    _record_skip(report)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _skipped and _fail_on_skip():
        terminalreporter.section("skipped tests are failures", sep="=", red=True, bold=True)
        for nodeid, reason in _skipped:
            terminalreporter.write_line(
                f"SKIPPED (counts as a failure) {nodeid}: {reason}", red=True
            )
        terminalreporter.write_line(
            f"{len(_skipped)} test(s) skipped; {FAIL_ON_SKIP_ENV}=1 makes every skip a failure: "
            "exit status 1.",
            red=True,
            bold=True,
        )


def pytest_sessionfinish(session, exitstatus):
    if _skipped and _fail_on_skip() and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _odoo18_module():
    """odoo.modules.module when Odoo 18.0 is loaded (never imports Odoo itself)."""
    module = sys.modules.get("odoo.modules.module")
    release = sys.modules.get("odoo.release")
    if module is None or release is None or release.version_info[:2] != (18, 0):
        return None
    return module


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before the fixtures, so that setUpClass already runs with the test set, as in Odoo's suite.
    module = _odoo18_module()
    if module is None or not hasattr(item, "instance"):
        return
    from odoo.tests.common import BaseCase

    instance = item.instance
    if isinstance(instance, BaseCase):
        module.current_test = instance


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # After tearDownClass (run with the last test of a class): back outside any Odoo test.
    module = _odoo18_module()
    if module is not None and module.current_test:
        module.current_test = False
