"""The production calendar never guesses; no Odoo.

- For a year whose Government decree the ``holidays`` package does not know,
  Labour Code art. 112 moves the day off of a holiday that falls on a Saturday
  or Sunday to the next working day, except the January holidays.
- The official calendar file (xmlcalendar.ru XML, or CSV of date and type) is
  read exactly; a bad file is refused with the reason.
"""

import gzip
from datetime import date

import holidays
import pytest

from addon_files import REPO_ROOT, load

TOOLS = REPO_ROOT / "social_incidents" / "tools"
load("si_tools", TOOLS / "__init__.py", TOOLS)

from si_tools.calendar_file import CalendarFileError, parse_calendar_file  # noqa: E402
from si_tools.production_calendar import (  # noqa: E402
    article_112_moves,
    decree_known,
    production_calendar,
)


def non_working(days):
    return sorted(d for d, (kind, _name) in days.items() if kind in ("holiday", "day_off"))


# ----------------------------------------------------------------------
# Labour Code art. 112
# ----------------------------------------------------------------------
def test_which_decrees_the_package_knows():
    assert holidays.__version__.startswith("0.109")
    assert all(decree_known(year) for year in range(1992, 2028))
    assert not decree_known(2028)
    assert not decree_known(2030)


def test_2028_unity_day_on_saturday_moves_to_monday():
    days = production_calendar(2028)
    assert days[date(2028, 11, 4)][0] == "holiday"  # a Saturday
    assert days[date(2028, 11, 6)] == (
        "day_off",
        "Выходной (перенесено с 04.11.2028, ст. 112 ТК РФ)",
    )
    assert date(2028, 11, 5) not in days  # an ordinary Sunday
    # the Friday before the holiday is one hour shorter, the moved Monday is not a holiday
    assert days[date(2028, 11, 3)][0] == "short"
    assert date(2028, 11, 7) not in days
    # art. 112 is the only change: the package alone gives no moved day for 2028
    moved = sorted(d for d, (kind, _n) in days.items() if kind == "day_off")
    assert moved == [date(2028, 11, 6)]


def test_january_holidays_are_not_moved():
    # 1 and 2 January 2028 are a Saturday and a Sunday: only the decree moves those days off
    days = production_calendar(2028)
    assert days[date(2028, 1, 1)][0] == days[date(2028, 1, 2)][0] == "holiday"
    assert date(2028, 1, 10) not in days and date(2028, 1, 9) not in days
    moves = article_112_moves(2028, [date(2028, 1, d) for d in range(1, 9)] + [date(2028, 11, 4)])
    assert moves == {date(2028, 11, 6): date(2028, 11, 4)}


def test_holiday_on_sunday_and_a_holiday_already_on_monday():
    # 23 February 2030 is a Saturday: the day off moves to Monday 25 February
    assert article_112_moves(2030, [date(2030, 2, 23)]) == {date(2030, 2, 25): date(2030, 2, 23)}
    # a Sunday holiday followed by a Monday holiday: the day off goes to Tuesday
    assert article_112_moves(2033, [date(2033, 6, 12), date(2033, 6, 13)]) == {
        date(2033, 6, 14): date(2033, 6, 12)
    }


def test_a_year_the_package_knows_is_unchanged():
    """2027: the decree moves 2 and 3 January to 5 November and 31 December and
    the package has them; art. 112 adds nothing."""
    english = holidays.country_holidays("RU", years=2027, language="en_US")
    days = production_calendar(2027)
    assert non_working(days) == sorted(d for d in english if d.year == 2027)
    assert not [name for _kind, name in days.values() if "ст. 112" in name]
    assert days[date(2027, 11, 5)][0] == "day_off"
    assert days[date(2027, 2, 20)][0] == "short"  # a Saturday worked, one hour shorter


# ----------------------------------------------------------------------
# The official file: XML (xmlcalendar.ru)
# ----------------------------------------------------------------------
XML_2028 = """<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2028" lang="ru" date="2027.09.30" country="ru">
    <holidays>
        <holiday id="1" title="Новогодние каникулы"/>
        <holiday id="2" title="Рождество Христово"/>
        <holiday id="8" title="День народного единства"/>
    </holidays>
    <days>
        <day d="01.01" t="1" h="1"/>
        <day d="01.07" t="1" h="2"/>
        <day d="01.10" t="1" f="01.01"/>
        <day d="11.03" t="2"/>
        <day d="11.04" t="1" h="8"/>
        <day d="11.06" t="1" f="11.04"/>
        <day d="12.30" t="3"/>
    </days>
</calendar>
"""


def test_xml_calendar_is_read_as_published():
    days = parse_calendar_file(XML_2028.encode(), 2028)
    assert days == {
        date(2028, 1, 1): ("holiday", "Новогодние каникулы"),
        date(2028, 1, 7): ("holiday", "Рождество Христово"),
        date(2028, 1, 10): ("day_off", "Выходной (перенесено с 01.01.2028)"),
        date(2028, 11, 3): ("short", "Предпраздничный день (на 1 час короче)"),
        date(2028, 11, 4): ("holiday", "День народного единства"),
        date(2028, 11, 6): ("day_off", "Выходной (перенесено с 04.11.2028)"),
        date(2028, 12, 30): ("working", "Рабочий день (перенос выходного)"),
    }


def test_xml_calendar_gzipped_as_served():
    assert (
        parse_calendar_file(gzip.compress(XML_2028.encode()), 2028)[date(2028, 11, 6)][0]
        == "day_off"
    )


@pytest.mark.parametrize(
    "content, code, params",
    [
        ("", "empty", {}),
        ("   \n", "empty", {}),
        ("<calendar year='2028'>\n<days>", "xml", None),
        ("<root year='2028'/>", "not_calendar", {"tag": "root"}),
        (
            XML_2028.replace('year="2028"', 'year="2027"'),
            "year",
            {"found": "2027", "expected": 2028},
        ),
        (XML_2028.replace(' year="2028"', ""), "year", {"found": "—", "expected": 2028}),
        (XML_2028.replace('country="ru"', 'country="by"'), "country", {"country": "by"}),
        (
            XML_2028.replace('d="11.03" t="2"', 'd="11.03" t="5"'),
            "type",
            {"line": 12, "value": "5"},
        ),
        (
            XML_2028.replace('d="11.03"', 'd="02.30"'),
            "date",
            {"line": 12, "value": "02.30", "year": 2028},
        ),
        (XML_2028.replace('d="11.03"', 'd="11.04"'), "duplicate", {"line": 13, "value": "11.04"}),
        ('<calendar year="2028" country="ru"><days></days></calendar>', "no_days", {}),
    ],
    ids=[
        "empty",
        "blank",
        "malformed",
        "not-a-calendar",
        "wrong-year",
        "no-year",
        "country",
        "unknown-type",
        "bad-date",
        "duplicate",
        "no-days",
    ],
)
def test_bad_xml_is_refused_with_the_reason(content, code, params):
    with pytest.raises(CalendarFileError) as error:
        parse_calendar_file(content.encode(), 2028)
    assert error.value.code == code
    if params is not None:
        assert error.value.params == params


def test_xml_with_entities_is_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<calendar year="2028" country="ru"><holidays><holiday id="1" title="&b;"/></holidays>'
        '<days><day d="11.04" t="1" h="1"/></days></calendar>'
    )
    with pytest.raises(CalendarFileError) as error:
        parse_calendar_file(bomb.encode(), 2028)
    assert error.value.code == "dtd"
    with pytest.raises(CalendarFileError) as error:
        parse_calendar_file(b"\x1f\x8b\x08\x00broken", 2028)
    assert error.value.code == "gzip"


# ----------------------------------------------------------------------
# The official file: CSV
# ----------------------------------------------------------------------
CSV_2028 = """date;type;name
2028-01-01;holiday;Новогодние каникулы
# moved by the decree
2028-01-10;day_off;Перенос с 1 января

03.11.2028;short;
2028-11-04;праздник;День народного единства
2028-11-06;day_off;Перенос с 4 ноября
2028-12-30;working
"""


def test_csv_calendar_is_read():
    days = parse_calendar_file(CSV_2028.encode(), 2028)
    assert days == {
        date(2028, 1, 1): ("holiday", "Новогодние каникулы"),
        date(2028, 1, 10): ("day_off", "Перенос с 1 января"),
        date(2028, 11, 3): ("short", "Предпраздничный день (на 1 час короче)"),
        date(2028, 11, 4): ("holiday", "День народного единства"),
        date(2028, 11, 6): ("day_off", "Перенос с 4 ноября"),
        date(2028, 12, 30): ("working", "Рабочий день (перенос выходного)"),
    }


def test_csv_from_a_spreadsheet_comma_and_windows_1251():
    content = "Дата,Тип\r\n2028-11-06,выходной\r\n".encode("cp1251")
    assert parse_calendar_file(content, 2028) == {date(2028, 11, 6): ("day_off", "Выходной день")}
    bom = "\ufeffdate;type\n2028-11-06;day_off\n".encode()
    assert parse_calendar_file(bom, 2028) == {date(2028, 11, 6): ("day_off", "Выходной день")}


@pytest.mark.parametrize(
    "content, code, params",
    [
        ("date;type\n", "no_days", {}),
        ("date;type\n2028-11-06;vacation\n", "type", {"line": 2, "value": "vacation"}),
        (
            "date;type\n2027-11-06;day_off\n",
            "date",
            {"line": 2, "value": "2027-11-06", "year": 2028},
        ),
        (
            "date;type\n2028-13-01;day_off\n",
            "date",
            {"line": 2, "value": "2028-13-01", "year": 2028},
        ),
        ("date;type\n2028-11-06\n", "columns", {"line": 2}),
        (
            "2028-11-06;day_off\n06.11.2028;holiday\n",
            "duplicate",
            {"line": 2, "value": "06.11.2028"},
        ),
    ],
    ids=["header-only", "unknown-type", "other-year", "bad-date", "no-type", "duplicate"],
)
def test_bad_csv_is_refused_with_the_reason(content, code, params):
    with pytest.raises(CalendarFileError) as error:
        parse_calendar_file(content.encode(), 2028)
    assert error.value.code == code
    assert error.value.params == params


def test_a_huge_file_is_refused():
    with pytest.raises(CalendarFileError) as error:
        parse_calendar_file(b"2028-11-06;day_off\n" * 60000, 2028)
    assert error.value.code == "too_large"
    with pytest.raises(CalendarFileError) as error:
        parse_calendar_file(gzip.compress(b" " * (3 * 1024 * 1024)), 2028)
    assert error.value.code == "too_large"
