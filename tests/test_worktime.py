"""Working time on the Russian production calendar, to the minute; no Odoo.

The engine (``social_incidents/tools/worktime.py``) and the production calendar
(``social_incidents/tools/production_calendar.py``) import nothing from Odoo,
so they are loaded here as a plain package. The schedule is the one of the
demo administration: Monday to Friday, 9:00-13:00 and 14:00-18:00, Moscow time
(UTC+3, no daylight saving).
"""

from datetime import date, datetime, timedelta

import pytest

from addon_files import REPO_ROOT, load

TOOLS = REPO_ROOT / "social_incidents" / "tools"
load("si_tools", TOOLS / "__init__.py", TOOLS)

from si_tools.production_calendar import production_calendar  # noqa: E402
from si_tools.sla_presets import PRESETS  # noqa: E402
from si_tools.worktime import CalendarMissing, WorkTime  # noqa: E402

MSK = timedelta(hours=3)
WEEK = {day: [(9, 13), (14, 18)] for day in range(5)}


def msk(*args):
    """A Moscow wall-clock time as the naive UTC datetime Odoo stores."""
    return datetime(*args) - MSK


def wall(utc):
    return utc + MSK


@pytest.fixture(scope="module")
def worktime():
    years = [2024, 2025, 2026, 2027]
    days = {}
    for year in years:
        days.update({day: kind for day, (kind, _name) in production_calendar(year).items()})
    return WorkTime.build("Europe/Moscow", WEEK, days, years)


# ----------------------------------------------------------------------
# The production calendar
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "year, shortened",
    [
        # as published by the Ministry of Labour for each year
        (2024, ["02-22", "03-07", "04-27", "05-08", "06-11", "11-02", "12-28"]),
        (2025, ["03-07", "04-30", "06-11", "11-01"]),
        (2026, ["04-30", "05-08", "06-11", "11-03"]),
    ],
)
def test_shortened_days(year, shortened):
    days = production_calendar(year)
    found = sorted(day.strftime("%m-%d") for day, (kind, _name) in days.items() if kind == "short")
    assert found == shortened


def test_2025_days_off_and_working_saturday():
    days = production_calendar(2025)
    off = sorted(
        d.isoformat()
        for d, (kind, _n) in days.items()
        if kind in ("holiday", "day_off") and d.weekday() < 5
    )
    assert off == [
        "2025-01-01",
        "2025-01-02",
        "2025-01-03",
        "2025-01-06",
        "2025-01-07",
        "2025-01-08",
        "2025-05-01",
        "2025-05-02",
        "2025-05-08",
        "2025-05-09",
        "2025-06-12",
        "2025-06-13",
        "2025-11-03",
        "2025-11-04",
        "2025-12-31",
    ]
    # 1 November 2025 is a Saturday worked in place of 3 November, one hour shorter
    assert days[date(2025, 11, 1)][0] == "short"
    assert days[date(2025, 1, 7)] == ("holiday", "Рождество Христово")


def test_working_days_per_year_match_the_published_calendars(worktime):
    # 247 working days in 2025, 247 in 2026 (the Government's decrees)
    for year, expected in ((2025, 247), (2026, 247)):
        count = sum(
            1 for ordinal, _end in worktime.day_ends if date.fromordinal(ordinal).year == year
        )
        assert count == expected, year


# ----------------------------------------------------------------------
# Placing deadlines, to the minute
# ----------------------------------------------------------------------
def test_lunch_break(worktime):
    assert wall(worktime.add(msk(2025, 3, 3, 12, 30), 60)) == datetime(2025, 3, 3, 14, 30)


def test_weekend(worktime):
    assert wall(worktime.add(msk(2025, 3, 14, 17, 0), 120)) == datetime(2025, 3, 17, 10, 0)


def test_end_of_day_is_a_deadline_not_the_next_morning(worktime):
    assert wall(worktime.add(msk(2025, 3, 3, 14, 0), 240)) == datetime(2025, 3, 3, 18, 0)


def test_public_holiday_moved_day_off_and_shortened_day(worktime):
    # 11.06.2025 ends at 17:00; 12.06 is Russia Day, 13.06 a moved day off
    assert wall(worktime.add(msk(2025, 6, 11, 16, 0), 120)) == datetime(2025, 6, 16, 10, 0)


def test_shortened_day_before_may_holidays(worktime):
    # 30.04.2025 ends at 17:00; 1.05 holiday, 2.05 moved day off, then the weekend
    assert wall(worktime.add(msk(2025, 4, 30, 16, 30), 60)) == datetime(2025, 5, 5, 9, 30)


def test_working_saturday(worktime):
    # Saturday 1.11.2025 is worked (9:00-17:00, shortened)
    assert wall(worktime.add(msk(2025, 10, 31, 17, 0), 120)) == datetime(2025, 11, 1, 10, 0)
    assert wall(worktime.add(msk(2025, 11, 1, 16, 0), 120)) == datetime(2025, 11, 5, 10, 0)


def test_year_boundary(worktime):
    # 30.12.2025 is a full day; 31.12 moved day off; 1-8.01 holidays; 9.01 moved day off
    assert wall(worktime.add(msk(2025, 12, 30, 17, 0), 180)) == datetime(2026, 1, 12, 11, 0)


def test_started_outside_working_hours(worktime):
    # a message detected at night on Sunday: the clock starts on Monday at 9:00
    assert wall(worktime.add(msk(2025, 3, 2, 23, 40), 30)) == datetime(2025, 3, 3, 9, 30)


def test_working_days_after_an_intermediate_reply(worktime):
    # KOR 18: 7 working days from Friday 24.04.2026; 1.05 is a holiday:
    # 27, 28, 29, 30 April, 4, 5, 6 May -> the end of 6 May
    assert wall(worktime.add_days(msk(2026, 4, 24, 15, 0), 7)) == datetime(2026, 5, 6, 18, 0)
    # 30.04.2026 is shortened: one working day from 29.04 ends at 17:00
    assert wall(worktime.add_days(msk(2026, 4, 29, 10, 0), 1)) == datetime(2026, 4, 30, 17, 0)


def test_three_hours_before_the_total_deadline(worktime):
    # KOR 9 and 12: detected Monday 3.03.2025 10:00; total 8 working hours ->
    # Tuesday 10:00; the draft is due 3 working hours before -> Monday 16:00
    total = worktime.place(msk(2025, 3, 3, 10, 0), 8, "hours")
    assert wall(total) == datetime(2025, 3, 4, 10, 0)
    assert wall(worktime.place_before(total, 3, "hours")) == datetime(2025, 3, 3, 16, 0)
    # high importance, 4 working hours: Monday 15:00; draft due at 11:00
    high = worktime.place(msk(2025, 3, 3, 10, 0), 4, "hours")
    assert wall(high) == datetime(2025, 3, 3, 15, 0)
    assert wall(worktime.place_before(high, 3, "hours")) == datetime(2025, 3, 3, 11, 0)


def test_plain_hours(worktime):
    # LYA and BAT count plain hours: 24 h from Saturday night is Sunday night
    assert wall(worktime.place(msk(2025, 3, 1, 22, 0), 24, "calendar_hours")) == datetime(
        2025, 3, 2, 22, 0
    )
    assert wall(worktime.place(msk(2025, 3, 1, 22, 0), 30, "calendar_minutes")) == datetime(
        2025, 3, 1, 22, 30
    )


def test_working_minutes_between(worktime):
    assert worktime.working_minutes(msk(2025, 3, 14, 17, 0), msk(2025, 3, 17, 10, 0)) == 120
    assert worktime.working_minutes(msk(2025, 3, 17, 10, 0), msk(2025, 3, 14, 17, 0)) == -120


def test_a_year_not_loaded_is_never_guessed():
    days = {day: kind for day, (kind, _name) in production_calendar(2025).items()}
    worktime = WorkTime.build("Europe/Moscow", WEEK, days, [2025])
    with pytest.raises(CalendarMissing) as missing:
        worktime.add(msk(2025, 12, 30, 17, 0), 180)
    assert missing.value.year == 2026
    with pytest.raises(CalendarMissing) as missing:
        worktime.add(msk(2024, 12, 28, 10, 0), 60)
    assert missing.value.year == 2024


def test_time_off_of_the_calendar_is_not_worked():
    days = {day: kind for day, (kind, _name) in production_calendar(2025).items()}
    leave = (msk(2025, 3, 4, 0, 0), msk(2025, 3, 5, 0, 0))  # Tuesday off
    worktime = WorkTime.build("Europe/Moscow", WEEK, days, [2025], leaves=[leave])
    assert wall(worktime.add(msk(2025, 3, 3, 17, 0), 120)) == datetime(2025, 3, 5, 10, 0)
    assert wall(worktime.add_days(msk(2025, 3, 3, 10, 0), 1)) == datetime(2025, 3, 5, 18, 0)


def test_presets_carry_the_numbers_of_the_regulations():
    kor = {step: (d, u, a) for step, d, u, a in PRESETS["kor"]["lines"]["normal"]}
    assert kor["total"] == (8, "hours", "detection")
    assert kor["draft"] == (3, "hours", "before_total")
    assert kor["final"] == (7, "days", "start")
    assert kor["route"] == (30, "minutes", "detection")
    kor_high = {step: d for step, d, _u, _a in PRESETS["kor"]["lines"]["high"]}
    assert kor_high["total"] == 4
    lya = {step: (d, u) for step, d, u, _a in PRESETS["lya"]["lines"]["normal"]}
    assert lya == {
        "route": (2, "calendar_hours"),
        "draft": (8, "calendar_hours"),
        "review": (1, "calendar_hours"),
        "rework": (1, "calendar_hours"),
        "publish": (1, "calendar_hours"),
        "control": (1, "calendar_days"),
    }
    assert PRESETS["lya"]["publisher"] == "curator"
    bat = {step: (d, u, a) for step, d, u, a in PRESETS["bat"]["lines"]["normal"]}
    assert bat["total"] == (24, "calendar_hours", "detection")
    assert bat["draft"] == (3, "calendar_hours", "before_total")
    assert bat["review"] == (30, "calendar_minutes", "start")
    akh = {step: (d, u) for step, d, u, _a in PRESETS["akh"]["lines"]["normal"]}
    assert akh == {"info": (2, "hours")}
