"""Head alerts grouped for a bulk intake.

A high-importance incident and a burst of social activity are reported to the head at once
(LYA 13, BAT 13): a note in the record's chatter, an activity for each head, and a message
in the head's inbox. An import of a monitoring system's file brings thousands of messages at
once, days of them: a message in the inbox for each of hundreds of high-importance incidents
and bursts is noise the head cannot read, and it made a 10,000-row import last minutes.

Inside ``grouped()`` (server code only: a context variable of the running thread, never a
context key a client could send) the models still write the note and the activity of each
record, and the time it was reported, but leave the inbox message to the block's owner, who
sends one message per company listing them (``social.incident._send_grouped_head_alerts``).

No Odoo import.
"""

import contextvars
from contextlib import contextmanager

_GROUPED = contextvars.ContextVar("social_incidents_grouped_head_alerts", default=None)


class GroupedAlerts:
    """What was reported to the heads inside a ``grouped()`` block, by company id."""

    def __init__(self):
        self.incident_ids = {}
        self.burst_ids = {}

    def add_incidents(self, company_id, ids):
        self.incident_ids.setdefault(company_id, []).extend(ids)

    def add_bursts(self, company_id, ids):
        self.burst_ids.setdefault(company_id, []).extend(ids)

    def company_ids(self):
        return sorted(set(self.incident_ids) | set(self.burst_ids))


def current():
    """The running block's ``GroupedAlerts``, or None outside a block."""
    return _GROUPED.get()


@contextmanager
def grouped():
    """Group the inbox messages of the head alerts made in the enclosed server code."""
    alerts = GroupedAlerts()
    token = _GROUPED.set(alerts)
    try:
        yield alerts
    finally:
        _GROUPED.reset(token)
