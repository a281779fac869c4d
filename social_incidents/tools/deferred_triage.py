"""Repeat and burst checks deferred to a background job, for a large intake.

Every registration is checked for repeats of earlier messages and counted towards the bursts
of its topics and locations. An import of thousands of rows at once would spend most of its
time there, while the curator waits for the file's result: inside ``deferred()`` (server code
only: a context variable of the running thread, never a context key a client could send) the
new incidents are registered without these checks, and the intake queues them for the job
(``social.incident._queue_triage``), which makes exactly the same checks moments later.

No Odoo import.
"""

import contextvars
from contextlib import contextmanager

_DEFERRED = contextvars.ContextVar("social_incidents_deferred_triage", default=False)


def active():
    """True inside a ``deferred()`` block."""
    return _DEFERRED.get()


@contextmanager
def deferred():
    """Register without the repeat and burst checks; the caller queues the incidents."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
