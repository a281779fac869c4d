"""Placing one step's deadline and saying how much time is left; no Odoo.

``place_row`` turns the rule of a step (how long, in which kind of time, counted
from what) into its deadline, the moment it is at risk and the moment the
watchdog looks at it, with the working-time engine of ``worktime.py``.
``format_duration`` and ``format_remaining`` write a duration as people read
it; they take the translation function ``_`` (``env._`` in the addon), and
write English without it.
"""

from .worktime import WORKING_UNITS, CalendarMissing, from_ts, to_ts


def _plain(source, *args):
    return source % args if args else source


def place_row(worktime, record):
    """(deadline, at-risk moment, watch moment, missing year) of one step.

    ``record`` is the tuple the addon reads for each row: (id, step, started_at,
    paused_seconds, paused, optional, violated, duration, unit, anchor,
    calendar_id, at_risk_percent, detected_at, total duration, total unit,
    total paused seconds). ``violated``: the step already has a recorded
    (not voided) violation, so the watchdog need not look at it again. A
    deadline that falls in a year whose production calendar is not loaded is
    not guessed: the year is returned instead."""
    (
        _id,
        step,
        started_at,
        paused_seconds,
        paused,
        optional,
        violated,
        duration,
        unit,
        anchor,
        _calendar_id,
        at_risk_percent,
        detected_at,
        total_duration,
        total_unit,
        total_paused,
    ) = record
    try:
        start = to_ts(started_at)
        if anchor == "detection":
            deadline = worktime.place_ts(to_ts(detected_at), duration, unit)
        elif anchor == "before_total" and total_duration:
            total = worktime.place_ts(to_ts(detected_at), total_duration, total_unit)
            if total_paused:
                total = shift(worktime, total, total_paused, total_unit)
            deadline = worktime.place_before_ts(total, duration, unit)
        else:
            deadline = worktime.place_ts(start, duration, unit)
        if step == "total" and paused_seconds:
            deadline = shift(worktime, deadline, paused_seconds, unit)
        span = worktime.elapsed_ts(start, deadline, unit)
        risk = deadline
        if span > 0 and at_risk_percent:
            margin = span * at_risk_percent / 100
            if unit in WORKING_UNITS:
                risk = worktime.subtract_ts(deadline, margin)
            else:
                risk = deadline - margin
    except CalendarMissing as missing:
        return (None, None, None, missing.year)
    deadline_dt = from_ts(deadline)
    watch = None if (optional or paused or violated) else deadline_dt
    return (deadline_dt, from_ts(risk), watch, 0)


def shift(worktime, ts, seconds, unit):
    """``ts`` moved ``seconds`` later, in working time for a working unit."""
    if unit in WORKING_UNITS:
        return worktime.add_ts(ts, seconds)
    return ts + seconds


def is_missed(deadline, done_at, now):
    """Whether a step with this deadline is missed: finished after it, or
    unfinished at ``now`` past it. A step without a deadline (its rule was
    removed) is not missed."""
    if not deadline:
        return False
    return (done_at or now) > deadline


def format_duration(seconds, working=False, _=_plain):
    """“2 h 15 min”; whole days only for plain (calendar) time."""
    total = int(abs(seconds) // 60)
    days, rest = divmod(total, 1440)
    hours, minutes = divmod(rest, 60)
    if working:
        hours += days * 24
        days = 0
    parts = []
    if days:
        parts.append(_("%s d", days))
    if hours:
        parts.append(_("%s h", hours))
    if minutes or not parts:
        parts.append(_("%s min", minutes))
    return " ".join(parts)


def format_remaining(seconds, working=False, overdue=None, _=_plain):
    """“2 h 15 min left” or “overdue by 1 h 5 min”; ``overdue`` when the
    deadline has passed though no working time has run since."""
    if overdue is None:
        overdue = seconds < 0
    if overdue and abs(seconds) < 60:
        return _("overdue")
    text = format_duration(seconds, working, _)
    if overdue:
        return _("overdue by %s", text)
    return _("%s left", text)
