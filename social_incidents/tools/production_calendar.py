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
"""

import re
from datetime import date, timedelta

import holidays

from .worktime import DAY_OFF, HOLIDAY, SHORT, WORKING

_MOVED = re.compile(r"substituted|observed", re.I)


def production_calendar(year, subdiv=None):
    """{date: (type, Russian name)} for ``year``."""
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
    workdays = {d for d in english.weekend_workdays if d.year == year}
    for day in workdays:
        days[day] = (WORKING, "Рабочий день (перенос выходного)")
    non_working = set(english) | set(next_year)
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
