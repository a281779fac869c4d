"""The time transitions are stamped with.

Always the real time, except inside :func:`frozen_at`, which only server-side
code can enter (the demo data walks its incidents through their past). A
context variable, not an Odoo context key: a client cannot backdate a step.
"""

import contextlib
import contextvars
from datetime import datetime

_override = contextvars.ContextVar("social_incidents_now", default=None)


def now():
    value = _override.get()
    if value is not None:
        return value
    return datetime.now().replace(microsecond=0)


@contextlib.contextmanager
def frozen_at(moment):
    token = _override.set(moment.replace(microsecond=0))
    try:
        yield
    finally:
        _override.reset(token)
