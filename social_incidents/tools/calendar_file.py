"""The official production calendar of a year, read from a file; no Odoo import.

Two formats are read; both give {date: (day type, Russian name)} for the days
that differ from an ordinary Monday-to-Friday week, as
:func:`production_calendar.production_calendar` does.

**XML** (the open format of xmlcalendar.ru, used by most accounting and HR
software)::

    <calendar year="2028" lang="ru" date="2027.09.30" country="ru">
      <holidays>
        <holiday id="1" title="Новогодние каникулы"/>
        ...
      </holidays>
      <days>
        <day d="01.01" t="1" h="1"/>         <!-- 1 January, a public holiday -->
        <day d="11.03" t="2"/>               <!-- 3 November, shortened -->
        <day d="11.06" t="1" f="11.04"/>     <!-- 6 November, day off moved from 4 November -->
        <day d="12.30" t="3"/>               <!-- a Saturday worked -->
      </days>
    </calendar>

``d`` is the day as MM.DD; ``t`` its type: 1 a day off (a public holiday when
``h`` names one of the ``holidays``, else a moved day off; ``f`` is the day it
was moved from), 2 a shortened working day (any day of the week), 3 a working
Saturday or Sunday. Saturdays and Sundays not listed are days off. The root's
``year`` must be the year loaded; ``country``, when given, must be ``ru``. The
file may be gzip-compressed (``calendar.xml.gz``).

**CSV** (UTF-8, or Windows-1251 as spreadsheets save it), one day a line::

    date;type;name
    2028-11-04;holiday;День народного единства
    2028-11-06;day_off;Перенос выходного с 4 ноября
    2028-11-03;short;

Columns: the date (``YYYY-MM-DD`` or ``DD.MM.YYYY``), the type and an optional
name. Types: ``holiday`` (праздник), ``day_off`` (выходной), ``short``
(сокращённый) and ``working`` (рабочий). The separator is ``;`` or ``,``; a first
line ``date;type…`` (or ``дата;тип…``) is a header; empty lines and lines
starting with ``#`` are skipped.

A file that cannot be read raises :class:`CalendarFileError` with a code and
its parameters; the addon turns them into a message in the user's language.
"""

import csv
import io
import re
import zlib
from datetime import date, datetime

from lxml import etree

from .worktime import DAY_OFF, HOLIDAY, SHORT, WORKING

MAX_SIZE = 1024 * 1024  # a year is a few kilobytes

XML_TYPES = {"1": DAY_OFF, "2": SHORT, "3": WORKING}
CSV_TYPES = {
    "holiday": HOLIDAY,
    "праздник": HOLIDAY,
    "day_off": DAY_OFF,
    "выходной": DAY_OFF,
    "short": SHORT,
    "сокращённый": SHORT,
    "сокращенный": SHORT,
    "working": WORKING,
    "рабочий": WORKING,
}
DEFAULT_NAMES = {
    HOLIDAY: "Праздничный день",
    DAY_OFF: "Выходной день",
    SHORT: "Предпраздничный день (на 1 час короче)",
    WORKING: "Рабочий день (перенос выходного)",
}
_HEADER = re.compile(r"^\s*(date|дата)\s*$", re.I)


class CalendarFileError(ValueError):
    """The file cannot be loaded. ``code`` says why, ``params`` the details:

    - ``empty``: nothing in the file;
    - ``too_large``: over :data:`MAX_SIZE` (``size``);
    - ``encoding``: neither UTF-8 nor Windows-1251;
    - ``gzip``: a damaged compressed file;
    - ``xml``: not well-formed XML (``line``);
    - ``dtd``: XML with a DTD or entities (not accepted);
    - ``not_calendar``: the root element is not ``calendar`` (``tag``);
    - ``country``: a calendar of another country (``country``);
    - ``year``: the file's year is not the year loaded (``found``, ``expected``);
    - ``date``: a day that is not a date of the year (``line``, ``value``, ``year``);
    - ``type``: an unknown day type (``line``, ``value``);
    - ``columns``: a CSV line without a date and a type (``line``);
    - ``duplicate``: the same day twice (``line``, ``value``);
    - ``no_days``: no day in the file.
    """

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


def parse_calendar_file(data, year):
    """{date: (type, name)} of ``year`` from the bytes of an XML or CSV file."""
    if not data or not data.strip():
        raise CalendarFileError("empty")
    if data[:2] == b"\x1f\x8b":
        # unpack no more than the limit: a small archive may unpack to gigabytes
        unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            data = unpacker.decompress(data, MAX_SIZE + 1)
        except zlib.error:
            raise CalendarFileError("gzip") from None
        if len(data) <= MAX_SIZE and not unpacker.eof:
            raise CalendarFileError("gzip")
    if len(data) > MAX_SIZE:
        raise CalendarFileError("too_large", size=len(data))
    text_start = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text_start:
        raise CalendarFileError("empty")
    if text_start[:1] == b"<":
        return parse_xml(data, year)
    return parse_csv(data, year)


def parse_xml(data, year):
    """{date: (type, name)} from a calendar in the xmlcalendar.ru format."""
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.I):
        # a calendar needs no DTD; entities are how XML bombs are built
        raise CalendarFileError("dtd")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise CalendarFileError("xml", line=error.lineno or 1) from None
    if root is None:
        raise CalendarFileError("empty")
    if root.tag != "calendar":
        raise CalendarFileError("not_calendar", tag=str(root.tag))
    country = (root.get("country") or "ru").strip().lower()
    if country != "ru":
        raise CalendarFileError("country", country=country)
    found = (root.get("year") or "").strip()
    if found != str(year):
        raise CalendarFileError("year", found=found or "—", expected=year)
    titles = {
        (holiday.get("id") or "").strip(): (holiday.get("title") or "").strip()
        for holiday in root.iterfind("holidays/holiday")
    }
    days = {}
    for element in root.iterfind("days/day"):
        line = element.sourceline
        value = (element.get("d") or "").strip()
        day = _month_day(value, year)
        if day is None:
            raise CalendarFileError("date", line=line, value=value or "—", year=year)
        kind_code = (element.get("t") or "").strip()
        if kind_code not in XML_TYPES:
            raise CalendarFileError("type", line=line, value=kind_code or "—")
        if day in days:
            raise CalendarFileError("duplicate", line=line, value=value)
        kind = XML_TYPES[kind_code]
        holiday_id = (element.get("h") or "").strip()
        moved_from = _month_day((element.get("f") or "").strip(), year)
        name = DEFAULT_NAMES[kind]
        if kind == DAY_OFF and holiday_id:
            kind = HOLIDAY
            name = titles.get(holiday_id) or DEFAULT_NAMES[HOLIDAY]
        elif kind == DAY_OFF and moved_from:
            name = f"Выходной (перенесено с {moved_from:%d.%m.%Y})"
        days[day] = (kind, name)
    if not days:
        raise CalendarFileError("no_days")
    return days


def parse_csv(data, year):
    """{date: (type, name)} from a CSV of date, type and an optional name."""
    text = _decode(data)
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), "")
    delimiter = ";" if ";" in first else ","
    days = {}
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header_seen = False
    for row in reader:
        line = reader.line_num
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if not header_seen and _HEADER.match(cells[0]):
            header_seen = True
            continue
        header_seen = True
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise CalendarFileError("columns", line=line)
        day = _full_date(cells[0])
        if day is None or day.year != year:
            raise CalendarFileError("date", line=line, value=cells[0], year=year)
        kind = CSV_TYPES.get(cells[1].lower())
        if kind is None:
            raise CalendarFileError("type", line=line, value=cells[1])
        if day in days:
            raise CalendarFileError("duplicate", line=line, value=cells[0])
        name = cells[2] if len(cells) > 2 and cells[2] else DEFAULT_NAMES[kind]
        days[day] = (kind, name)
    if not days:
        raise CalendarFileError("no_days")
    return days


def _decode(data):
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CalendarFileError("encoding")


def _month_day(value, year):
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})", value or "")
    if not match:
        return None
    try:
        return date(year, int(match.group(1)), int(match.group(2)))
    except ValueError:
        return None


def _full_date(value):
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None
