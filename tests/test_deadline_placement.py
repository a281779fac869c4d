"""Placing a step's deadline and writing durations; no Odoo.

``social_incidents/tools/deadline_placement.py`` imports only the working-time
engine, so it is loaded here as part of the plain tools package. The schedule
is the demo administration's: Monday to Friday, 9:00-13:00 and 14:00-18:00,
Moscow time (UTC+3); 3 March 2025 is a Monday.
"""

from datetime import datetime, timedelta

import pytest

from addon_files import REPO_ROOT, load

TOOLS = REPO_ROOT / "social_incidents" / "tools"
load("si_tools", TOOLS / "__init__.py", TOOLS)

from si_tools.deadline_placement import (  # noqa: E402
    format_duration,
    format_remaining,
    is_missed,
    place_row,
)
from si_tools.production_calendar import production_calendar  # noqa: E402
from si_tools.worktime import WorkTime  # noqa: E402

MSK = timedelta(hours=3)
WEEK = {day: [(9, 13), (14, 18)] for day in range(5)}


def msk(*args):
    return datetime(*args) - MSK


@pytest.fixture(scope="module")
def worktime():
    days = {}
    for year in (2025, 2026):
        days.update({day: kind for day, (kind, _name) in production_calendar(year).items()})
    return WorkTime.build("Europe/Moscow", WEEK, days, [2025, 2026])


ROUTED = msk(2025, 3, 3, 10, 10)
DETECTED = msk(2025, 3, 3, 10, 0)


def row(
    step="draft",
    started=ROUTED,
    duration=3,
    unit="hours",
    anchor="start",
    detected=DETECTED,
    optional=False,
    paused=False,
    violated=False,
    paused_seconds=0.0,
    total=(8, "hours"),
    total_paused=0.0,
    at_risk=25,
):
    """The tuple ``_place`` reads for one row."""
    return (
        1,
        step,
        started,
        paused_seconds,
        paused,
        optional,
        violated,
        duration,
        unit,
        anchor,
        7,
        at_risk,
        detected,
        total[0],
        total[1],
        total_paused,
    )


def test_from_the_start_of_the_step_in_working_time(worktime):
    deadline, risk, watch, missing = place_row(
        worktime, row(duration=30, unit="minutes", step="decline")
    )
    assert (deadline, watch, missing) == (msk(2025, 3, 3, 10, 40), msk(2025, 3, 3, 10, 40), 0)
    assert risk == msk(2025, 3, 3, 10, 32, 30)  # a quarter of the 30 minutes left


def test_before_the_total_deadline_skips_the_lunch_break(worktime):
    # total: 8 working hours from 10:00 -> Tuesday 10:00; the draft 3 hours before: Monday 16:00
    deadline, _risk, _watch, _missing = place_row(worktime, row(anchor="before_total"))
    assert deadline == msk(2025, 3, 3, 16, 0)


def test_a_stopped_clock_moves_the_total_deadline(worktime):
    placed = place_row(
        worktime, row(step="total", duration=8, anchor="detection", paused_seconds=2 * 3600)
    )
    assert placed[0] == msk(2025, 3, 4, 12, 0)
    # while the clock stands still, nobody watches the step
    paused = place_row(worktime, row(step="total", duration=8, anchor="detection", paused=True))
    assert paused[2] is None


def test_plain_hours_run_at_night(worktime):
    deadline, *_ = place_row(
        worktime,
        row(
            step="route",
            duration=2,
            unit="calendar_hours",
            anchor="detection",
            detected=msk(2025, 3, 1, 22, 0),
        ),
    )
    assert deadline == msk(2025, 3, 2, 0, 0)


@pytest.mark.parametrize("flag", ["optional", "violated"])
def test_optional_or_recorded_steps_are_not_watched(worktime, flag):
    deadline, _risk, watch, _missing = place_row(worktime, row(**{flag: True}))
    assert deadline == msk(2025, 3, 3, 14, 10)  # 3 working hours, the lunch hour skipped
    assert watch is None


def test_a_year_not_loaded_is_not_guessed(worktime):
    assert place_row(
        worktime, row(started=msk(2027, 3, 1, 10, 0), detected=msk(2027, 3, 1, 10, 0))
    ) == (
        None,
        None,
        None,
        2027,
    )


def test_is_missed():
    deadline = msk(2025, 3, 3, 16, 0)
    assert not is_missed(None, None, msk(2025, 3, 5, 0, 0)), "no rule, no deadline, nothing missed"
    assert not is_missed(deadline, None, deadline)
    assert is_missed(deadline, None, deadline + timedelta(minutes=1))
    assert not is_missed(deadline, deadline - timedelta(hours=1), deadline + timedelta(days=1))
    assert is_missed(deadline, deadline + timedelta(minutes=5), deadline)


@pytest.mark.parametrize(
    "seconds, working, text",
    [
        (0, False, "0 min"),
        (59, False, "0 min"),
        (135 * 60, True, "2 h 15 min"),
        (26 * 3600, True, "26 h"),
        (26 * 3600 + 60, False, "1 d 2 h 1 min"),
        (-90 * 60, False, "1 h 30 min"),
    ],
)
def test_format_duration(seconds, working, text):
    assert format_duration(seconds, working) == text


def test_format_remaining():
    assert format_remaining(135 * 60, working=True) == "2 h 15 min left"
    assert format_remaining(-65 * 60) == "overdue by 1 h 5 min"
    assert format_remaining(30) == "0 min left"
    # past the deadline though no working time ran since (the evening)
    assert format_remaining(0, working=True, overdue=True) == "overdue"


def test_formatting_translates_through_the_given_function():
    russian = {"%s h": "%s ч", "%s min": "%s мин", "overdue by %s": "просрочено на %s"}

    def _(source, *args):
        return russian.get(source, source) % args

    assert (
        format_remaining(-(15 * 3600 + 30 * 60), working=True, _=_) == "просрочено на 15 ч 30 мин"
    )
