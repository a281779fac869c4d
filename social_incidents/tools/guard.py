"""The workflow's write permit: protected fields change only inside the workflow.

A record's state and history (who approved, when it was published, the deadlines, the
violations) are written by the server's own methods after their checks, never by a value or a
context key a client sends: the web client forwards any context, and JSON-RPC reaches every
public method. The permit is therefore not in the context but in a context variable of the
running thread, which only server code can set:

- ``workflow_action`` wraps an ``action_*`` method: the method runs with the permit and with
  the caller's context reduced to the keys that cannot change what it writes (language, time
  zone, companies), so that ``default_state=…`` or ``tracking_disable`` sent by a client has no
  effect on what the method creates or logs;
- ``system_write()`` gives the permit to a block of server code (a scheduled job, a webhook, a
  recomputation that a settings change starts), which has checked its caller itself.

No Odoo import: the models check ``permitted()`` in their ``create``/``write``/``unlink``.
"""

import contextvars
import functools
from contextlib import contextmanager

_PERMIT = contextvars.ContextVar("social_incidents_workflow_permit", default=False)

# Context keys an action keeps from its caller: they say who and where, never what is written.
SAFE_CONTEXT_KEYS = ("lang", "tz", "uid", "allowed_company_ids")


def permitted():
    """True inside a workflow action or a ``system_write()`` block."""
    return _PERMIT.get()


@contextmanager
def system_write():
    """Let the enclosed server code write protected fields."""
    token = _PERMIT.set(True)
    try:
        yield
    finally:
        _PERMIT.reset(token)


def clean_context(context):
    """The part of ``context`` an action keeps."""
    return {key: context[key] for key in SAFE_CONTEXT_KEYS if key in context}


def workflow_action(method):
    """Run a workflow method with the write permit and a cleaned context.

    The method must check state and role before it writes (it raises ``UserError``
    otherwise, and the permit ends with it)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if _PERMIT.get():
            return method(self, *args, **kwargs)
        # pylint: disable-next=context-overridden  # a new context: the safe keys only
        records = self.with_context(clean_context(self.env.context))
        token = _PERMIT.set(True)
        try:
            return method(records, *args, **kwargs)
        finally:
            _PERMIT.reset(token)

    return wrapper


def system_method(method):
    """Run a private server method (a recomputation, a scheduled job) with the
    write permit; its callers are server code that has checked its own caller."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with system_write():
            return method(self, *args, **kwargs)

    return wrapper
