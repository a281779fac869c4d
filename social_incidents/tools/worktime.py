"""Working time on a weekly schedule plus the Russian production calendar.

No Odoo import: the addon builds a :class:`WorkTime` from the company's
``resource.calendar`` and the loaded production-calendar days, and places every
deadline with it. Instants are naive UTC ``datetime`` objects (as Odoo stores
them). Working time is a sorted list of intervals with the cumulative working
seconds at each interval start, so placing a deadline is two binary searches,
not a walk over the calendar (``resource.calendar.plan_hours`` costs about
2 ms a call; this costs a few microseconds).
"""

import bisect
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

EPOCH = datetime(1970, 1, 1)

# Units of a deadline line.
WORKING_UNITS = ("minutes", "hours", "days")
CALENDAR_UNITS = ("calendar_minutes", "calendar_hours", "calendar_days")

# Production-calendar day types.
HOLIDAY = "holiday"  # non-working public holiday (Labour Code art. 112)
DAY_OFF = "day_off"  # a day off moved from another date
WORKING = "working"  # a weekend day worked in place of a moved day off
SHORT = "short"  # working day one hour shorter before a holiday (art. 95)
NON_WORKING_TYPES = (HOLIDAY, DAY_OFF)
WORKING_TYPES = (WORKING, SHORT)
SHORTENING_SECONDS = 3600


class CalendarMissing(Exception):
    """The production calendar of ``year`` is not loaded: a deadline that
    falls in it cannot be computed."""

    def __init__(self, year):
        super().__init__(year)
        self.year = year


def to_ts(dt):
    return (dt - EPOCH).total_seconds()


def from_ts(ts):
    # Deadlines are kept to the second, as Odoo stores them.
    return EPOCH + timedelta(seconds=round(ts))


class WorkTime:
    """Working intervals over the years whose production calendar is loaded."""

    def __init__(self, starts, ends, cum, day_ends, years, tz_name):
        self.starts = starts
        self.ends = ends
        self.cum = cum  # working seconds before each interval (len = len(starts) + 1)
        self.day_ends = day_ends  # sorted (local date ordinal, end ts) of every working day
        self._day_ordinals = [d for d, _end in day_ends]
        self.years = frozenset(years)
        self.tz_name = tz_name
        self.tz = ZoneInfo(tz_name)

    # ------------------------------------------------------------------
    # Construction
    # ------------------------------------------------------------------
    @classmethod
    def build(cls, tz_name, attendance, day_types, years, leaves=()):
        """``attendance``: {weekday 0-6: [(hour_from, hour_to), …]} in local
        time; ``day_types``: {date: HOLIDAY|DAY_OFF|WORKING|SHORT};
        ``years``: the years whose production calendar is loaded;
        ``leaves``: [(start, end)] naive UTC periods not worked (the
        calendar's global time off)."""
        tz = ZoneInfo(tz_name or "UTC")
        attendance = {
            int(day): sorted((float(a), float(b)) for a, b in spans if b > a)
            for day, spans in attendance.items()
        }
        # A weekend day that is worked follows the schedule of the first
        # working weekday (Monday for the usual five-day week).
        fallback = next((attendance[d] for d in range(7) if attendance.get(d)), [])
        day_spans = []
        for year in sorted(set(years)):
            day = date(year, 1, 1)
            while day.year == year:
                kind = day_types.get(day)
                spans = attendance.get(day.weekday(), [])
                if kind in NON_WORKING_TYPES:
                    spans = []
                elif kind in WORKING_TYPES and not spans:
                    spans = fallback
                intervals = [
                    (cls._local_ts(day, a, tz), cls._local_ts(day, b, tz)) for a, b in spans
                ]
                if kind == SHORT and intervals:
                    intervals = cls._shorten(intervals, SHORTENING_SECONDS)
                if intervals:
                    day_spans.append((day.toordinal(), intervals))
                day += timedelta(days=1)
        leave_ts = sorted((to_ts(a), to_ts(b)) for a, b in leaves if b > a)
        starts, ends, day_ends = [], [], []
        for ordinal, intervals in day_spans:
            for start, end in cls._subtract(intervals, leave_ts):
                starts.append(start)
                ends.append(end)
            if starts and ends[-1] > cls._local_ts(date.fromordinal(ordinal), 0, tz):
                # the day keeps some working time after the time off
                day_ends.append((ordinal, ends[-1]))
        cum = [0.0]
        for start, end in zip(starts, ends, strict=True):
            cum.append(cum[-1] + end - start)
        return cls(starts, ends, cum, day_ends, years, tz.key)

    @staticmethod
    def _local_ts(day, hour, tz):
        hours = int(hour)
        minutes = round((hour - hours) * 60)
        if hours >= 24:
            local = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz)
        else:
            local = datetime.combine(day, time(hours, minutes), tzinfo=tz)
        return local.astimezone(timezone.utc).replace(tzinfo=None).__sub__(EPOCH).total_seconds()

    @staticmethod
    def _shorten(intervals, seconds):
        """Cut ``seconds`` off the end of the day."""
        result = list(intervals)
        while seconds > 0 and result:
            start, end = result[-1]
            if end - start > seconds:
                result[-1] = (start, end - seconds)
                seconds = 0
            else:
                seconds -= end - start
                result.pop()
        return result

    @staticmethod
    def _subtract(intervals, leaves):
        if not leaves:
            return intervals
        result = []
        for start, end in intervals:
            pieces = [(start, end)]
            # leaves are sorted; only those that may overlap matter
            i = bisect.bisect_left(leaves, (start - 400 * 86400,))
            for lstart, lend in leaves[i:]:
                if lstart >= end:
                    break
                cut = []
                for pstart, pend in pieces:
                    if lend <= pstart or lstart >= pend:
                        cut.append((pstart, pend))
                        continue
                    if lstart > pstart:
                        cut.append((pstart, lstart))
                    if lend < pend:
                        cut.append((lend, pend))
                pieces = cut
            result.extend(pieces)
        return result

    # ------------------------------------------------------------------
    # Coverage
    # ------------------------------------------------------------------
    def _check_years(self, *instants):
        """Raise CalendarMissing for the first year between the instants that
        is not loaded (local years)."""
        years = [self._local_year(ts) for ts in instants]
        for year in range(min(years), max(years) + 1):
            if year not in self.years:
                raise CalendarMissing(year)

    def _local_year(self, ts):
        return datetime.fromtimestamp(ts, self.tz).year

    # ------------------------------------------------------------------
    # Working-time arithmetic on timestamps
    # ------------------------------------------------------------------
    def _cum_at(self, ts):
        """Working seconds from the start of the loaded range to ``ts``."""
        i = bisect.bisect_right(self.starts, ts) - 1
        if i < 0:
            return 0.0
        if ts < self.ends[i]:
            return self.cum[i] + ts - self.starts[i]
        return self.cum[i + 1]

    def _at_cum(self, target):
        """The instant at which ``target`` working seconds have elapsed; a
        boundary lands at the end of an interval, not at the next start."""
        j = bisect.bisect_left(self.cum, target) - 1
        if j < 0:
            j = 0
        if j >= len(self.starts):
            raise CalendarMissing(max(self.years) + 1)
        return self.starts[j] + target - self.cum[j]

    def add_ts(self, ts, seconds):
        result = self._at_cum(self._cum_at(ts) + seconds) if seconds > 0 else ts
        self._check_years(ts, result)
        return result

    def subtract_ts(self, ts, seconds):
        target = self._cum_at(ts) - seconds
        if target < 0:
            raise CalendarMissing(min(self.years) - 1)
        result = self._at_cum(target) if seconds > 0 else ts
        self._check_years(result, ts)
        return result

    def add_days_ts(self, ts, days):
        """End of the working hours of the ``days``-th working day after the
        day of ``ts`` (the term runs from the next day: Civil Code art. 191, 194)."""
        ordinal = datetime.fromtimestamp(ts, self.tz).date().toordinal()
        k = bisect.bisect_right(self._day_ordinals, ordinal) + max(int(days), 1) - 1
        if k >= len(self.day_ends):
            raise CalendarMissing(max(self.years) + 1)
        result = self.day_ends[k][1]
        self._check_years(ts, result)
        return result

    def last_working_day(self, first, last):
        """The last working day (a ``date``) from ``first`` to ``last`` inclusive, or
        None when there is none or the production calendar of either year is not loaded."""
        if first.year not in self.years or last.year not in self.years:
            return None
        i = bisect.bisect_right(self._day_ordinals, last.toordinal()) - 1
        if i < 0 or self._day_ordinals[i] < first.toordinal():
            return None
        return date.fromordinal(self._day_ordinals[i])

    def between_ts(self, a, b):
        """Working seconds between two instants (negative when b < a)."""
        return self._cum_at(b) - self._cum_at(a)

    # ------------------------------------------------------------------
    # Public API on naive UTC datetimes
    # ------------------------------------------------------------------
    def add(self, dt, minutes):
        return from_ts(self.add_ts(to_ts(dt), minutes * 60))

    def subtract(self, dt, minutes):
        return from_ts(self.subtract_ts(to_ts(dt), minutes * 60))

    def add_days(self, dt, days):
        return from_ts(self.add_days_ts(to_ts(dt), days))

    def working_minutes(self, a, b):
        self._check_years(to_ts(a), to_ts(b))
        return self.between_ts(to_ts(a), to_ts(b)) / 60

    def place(self, dt, amount, unit):
        """The deadline ``amount`` ``unit`` after ``dt``."""
        return from_ts(self.place_ts(to_ts(dt), amount, unit))

    def place_before(self, dt, amount, unit):
        """The instant ``amount`` ``unit`` before ``dt``."""
        return from_ts(self.place_before_ts(to_ts(dt), amount, unit))

    def place_ts(self, ts, amount, unit):
        if unit == "minutes":
            return self.add_ts(ts, amount * 60)
        if unit == "hours":
            return self.add_ts(ts, amount * 3600)
        if unit == "days":
            return self.add_days_ts(ts, amount)
        return ts + calendar_seconds(amount, unit)

    def place_before_ts(self, ts, amount, unit):
        if unit == "minutes":
            return self.subtract_ts(ts, amount * 60)
        if unit == "hours":
            return self.subtract_ts(ts, amount * 3600)
        if unit == "days":
            raise ValueError("“N working days before” is not supported")
        return ts - calendar_seconds(amount, unit)

    def elapsed_ts(self, a, b, unit):
        """Seconds from ``a`` to ``b`` measured in the unit's kind of time."""
        if unit in WORKING_UNITS:
            return self.between_ts(a, b)
        return b - a


def calendar_seconds(amount, unit):
    factor = {"calendar_minutes": 60, "calendar_hours": 3600, "calendar_days": 86400}[unit]
    return amount * factor
