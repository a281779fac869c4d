"""The Russian production calendar of a year, from the ``holidays`` package.

No Odoo import. Returns {date: (day type, name)} for the days that differ from
an ordinary Monday-to-Friday week:

- ``holiday``: a non-working public holiday (Labour Code art. 112);
- ``day_off``: a day off moved from another date (a holiday that fell on a
  weekend, or a day off moved by the Government's decree);
- ``working``: a Saturday or Sunday worked in place of a moved day off;
- ``short``: a working day one hour shorter (art. 95).

Shortened days follow the published calendars: a weekday is shortened when the
next day is a public holiday (not when it is only a moved day off: 30.12.2025
was a full day); a weekend day worked in place of a day off is shortened when
only days off separate it from a public holiday (27.04.2024, 02.11.2024,
28.12.2024, 01.11.2025).

The Government's decree of a year (Labour Code art. 112, part 5) moves days
off; the package carries the decrees it knows. For a year whose decree it does
not know, the calendar applies art. 112, part 2 itself (see
:func:`decree_known` and :func:`article_112_moves`) and the year is
*provisional* until an administrator loads the official calendar file.
"""

import re
from datetime import date, timedelta

import holidays

from .worktime import DAY_OFF, HOLIDAY, SHORT, WORKING

_MOVED = re.compile(r"substituted|observed", re.I)


def decree_known(year, subdiv=None):
    """Whether the ``holidays`` package knows the Government's decree for ``year``.

    Rule: the package knows a year's decree when it lists, for that year, at
    least one moved day off (a "substituted" or "observed" day) or one weekend
    day worked in place of a moved day off. Every decree since 1991 moves at
    least one day (every year some of the January holidays fall on a weekend,
    and the decree moves two of those days off), so a year without any moved
    day is a year the package has no decree for: holidays 0.109 knows every
    year up to 2027 and none from 2028 on.
    """
    calendar = holidays.country_holidays("RU", years=year, subdiv=subdiv, language="en_US")
    if any(day.year == year for day in calendar.weekend_workdays):
        return True
    return any(day.year == year and _MOVED.search(name) for day, name in calendar.items())


def article_112_moves(year, public_holidays):
    """{moved day off: holiday} that Labour Code art. 112, part 2 gives for
    ``year`` when no decree is known.

    A public holiday that falls on a Saturday or Sunday moves the day off to
    the next working day after the holiday. The January holidays (1-8 January)
    are the exception the article makes: the Government's decree moves those
    days off to other dates of the year, so they are never moved here.
    ``public_holidays``: the dates of the year's public holidays.
    """
    taken = set(public_holidays)
    moves = {}
    for day in sorted(public_holidays):
        if day.year != year or day.weekday() < 5 or (day.month == 1 and day.day <= 8):
            continue
        target = day + timedelta(days=1)
        while target.weekday() >= 5 or target in taken:
            target += timedelta(days=1)
        taken.add(target)
        moves[target] = day
    return moves


def production_calendar(year, subdiv=None):
    """{date: (type, Russian name)} for ``year``; for a year whose decree the
    package does not know (:func:`decree_known`), with the days off moved by
    Labour Code art. 112 (:func:`article_112_moves`)."""
    english = holidays.country_holidays("RU", years=year, subdiv=subdiv, language="en_US")
    russian = holidays.country_holidays("RU", years=year, subdiv=subdiv, language="ru")
    # the days before 1 January matter for the shortened-day rule of late December
    next_year = holidays.country_holidays("RU", years=year + 1, subdiv=subdiv, language="en_US")
    days = {}
    official = set()
    for day, name in sorted(english.items()):
        if day.year != year:
            continue
        kind = DAY_OFF if _MOVED.search(name) else HOLIDAY
        if kind == HOLIDAY:
            official.add(day)
        days[day] = (kind, russian.get(day) or name)
    if not decree_known(year, subdiv):
        for moved, holiday in article_112_moves(year, official).items():
            days[moved] = (DAY_OFF, f"Выходной (перенесено с {holiday:%d.%m.%Y}, ст. 112 ТК РФ)")
    workdays = {d for d in english.weekend_workdays if d.year == year}
    for day in workdays:
        days[day] = (WORKING, "Рабочий день (перенос выходного)")
    non_working = {d for d, (kind, _name) in days.items() if kind in (HOLIDAY, DAY_OFF)} | set(
        next_year
    )
    working_weekend = set(english.weekend_workdays) | set(next_year.weekend_workdays)
    official_all = official | {d for d, n in next_year.items() if not _MOVED.search(n)}

    def is_working(day):
        if day in working_weekend:
            return True
        return day.weekday() < 5 and day not in non_working

    day = date(year, 1, 1)
    while day.year == year:
        if is_working(day):
            following = day + timedelta(days=1)
            short = False
            if day in working_weekend:
                # only days off between it and the next public holiday
                probe = following
                while probe - day <= timedelta(days=10) and not is_working(probe):
                    if probe in official_all:
                        short = True
                        break
                    probe += timedelta(days=1)
            else:
                short = following in official_all
            if short:
                days[day] = (SHORT, "Предпраздничный день (на 1 час короче)")
        day += timedelta(days=1)
    return days
