"""The production calendar never guesses.

2028 is a year whose Government decree the holidays package (0.109) does not
know: the calendar moves the day off of Unity Day (Saturday 4 November) to
Monday 6 November by Labour Code art. 112, marks the year provisional and asks
the administrators for the official file; loading the file confirms the year
and moves the open deadlines. Times are Moscow wall-clock times.
"""

import base64
import re
from datetime import date

from odoo.exceptions import AccessError, UserError

from .test_sla import SlaCase, at, msk

# The official calendar of 2028 as a decree could publish it (xmlcalendar.ru
# format): 3 November is made a day off moved from 1 January, so 2 November is
# the shortened pre-holiday day.
OFFICIAL_2028 = """<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2028" lang="ru" date="2027.09.30" country="ru">
    <holidays>
        <holiday id="1" title="Новогодние каникулы"/>
        <holiday id="8" title="День народного единства"/>
    </holidays>
    <days>
        <day d="01.01" t="1" h="1"/>
        <day d="11.02" t="2"/>
        <day d="11.03" t="1" f="01.01"/>
        <day d="11.04" t="1" h="8"/>
        <day d="11.06" t="1" f="11.04"/>
    </days>
</calendar>
""".encode()


class TestProvisionalYear(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Year = cls.env["social.production.year"]
        cls.Year.search([("year", "=", 2028)]).unlink()
        cls.Year._load_years([2028])
        cls.year = cls.Year.search([("year", "=", 2028)])
        cls.admins = cls.env.ref("social_incidents.group_social_admin").users.filtered(
            lambda u: u.active and not u.share
        )

    def in_admins_langs(self, text, *args):
        """``text`` as each administrator reads it (their activities are in their language)."""
        return sorted(
            self.env["social.production.year"]
            .with_context(lang=admin.lang or "en_US")
            .env._(text, *args)
            for admin in self.admins
        )

    def day(self, when):
        return self.year.day_ids.filtered(lambda d: d.date == when)

    def load_file(self, content, name="calendar.xml", user=None, lang="en_US"):
        Wizard = self.env["social.production.year.file.wizard"].with_context(lang=lang)
        wizard = Wizard.with_user(user or self.admin).create(
            {"year_id": self.year.id, "file": base64.b64encode(content), "file_name": name}
        )
        return wizard.action_load_file()

    def test_year_without_decree_is_provisional_and_asks_the_administrators(self):
        year = self.year
        self.assertEqual(year.state, "loaded")
        self.assertTrue(year.provisional)
        self.assertEqual(year.source, "article_112")
        # art. 112: Saturday 4 November's day off moves to Monday 6 November
        self.assertEqual(self.day(date(2028, 11, 4)).day_type, "holiday")
        self.assertEqual(self.day(date(2028, 11, 6)).day_type, "day_off")
        self.assertEqual(self.day(date(2028, 11, 3)).day_type, "short")
        self.assertFalse(self.day(date(2028, 1, 10)))  # January holidays are the decree's
        self.assertEqual(year.activity_ids.user_id, self.admins)
        self.assertEqual(
            sorted(year.activity_ids.mapped("summary")),
            self.in_admins_langs(
                "Confirm the production calendar of %s: load the official file", 2028
            ),
        )
        for activity in year.activity_ids:
            article = "ст. 112" if activity.user_id.lang == "ru_RU" else "Labour Code art. 112"
            self.assertIn(article, activity.note)
        # a year the package knows is not provisional and asks nothing
        known = self.Year.search([("year", "=", 2026)])
        known.write({"source": False})  # as loaded before sources were told
        self.Year._load_years([2026])
        self.assertFalse(known.provisional)
        self.assertEqual(known.source, "holidays")
        self.assertFalse(known.activity_ids)
        # loading again asks nothing twice
        year.action_load()
        self.assertEqual(len(year.activity_ids), len(self.admins))
        # a year asked for because a deadline falls in it: once loaded, the
        # request to load it gives way to the request to confirm it
        later = self.Year._request_years([2030])
        self.assertEqual(
            sorted(later.activity_ids.mapped("summary")),
            self.in_admins_langs("Load the production calendar of %s", 2030),
        )
        later.with_user(self.admin).action_load()
        self.assertTrue(later.provisional)
        self.assertEqual(
            sorted(later.activity_ids.mapped("summary")),
            self.in_admins_langs(
                "Confirm the production calendar of %s: load the official file", 2030
            ),
        )
        self.assertEqual(
            later.day_ids.filtered(lambda d: d.date == date(2030, 2, 25)).day_type, "day_off"
        )

    def test_deadline_on_a_provisional_year_says_so_until_the_file_confirms_it(self):
        with at(2028, 11, 2, 10, 0):  # Thursday
            incident = self.register()
        total = self.row(incident, "total")
        # 8 working hours: 7 on Thursday, 1 on the shortened Friday
        self.assertEqual(total.deadline, msk(2028, 11, 3, 10, 0))
        self.assertTrue(total.provisional)
        self.assertEqual(total.provisional_note, "Provisional calendar: 2028")
        manual = (
            self.env["social.production.day"]
            .with_user(self.admin)
            .create({"date": date(2028, 12, 29), "day_type": "day_off", "name": "Local holiday"})
        )
        with at(2028, 11, 2, 10, 5):
            self.load_file(OFFICIAL_2028, "calendar-2028.xml")
        year = self.year
        self.assertFalse(year.provisional)
        self.assertEqual(year.source, "file")
        self.assertEqual(year.file_name, "calendar-2028.xml")
        self.assertFalse(year.activity_ids)
        # the days are the file's; the day set by hand is kept
        self.assertEqual(self.day(date(2028, 11, 3)).day_type, "day_off")
        self.assertEqual(self.day(date(2028, 11, 3)).origin, "file")
        self.assertEqual(self.day(date(2028, 11, 2)).day_type, "short")
        self.assertFalse(self.day(date(2028, 2, 23)))  # not in the file: an ordinary day now
        self.assertEqual(set((year.day_ids - manual).mapped("origin")), {"file"})
        self.assertEqual(manual.origin, "manual")
        self.assertIn(manual, year.day_ids)
        # the open deadline moved: 6 h on the shortened Thursday, then Friday to
        # Monday are days off, 2 h on Tuesday
        total.invalidate_recordset()
        self.assertEqual(total.deadline, msk(2028, 11, 7, 11, 0))
        self.assertFalse(total.provisional)
        self.assertTrue(
            incident.message_ids.filtered(
                lambda m: "Deadlines recomputed" in (m.body or "") and "2028" in (m.body or "")
            )
        )
        self.assertIn("calendar-2028.xml", year.message_ids[0].body)
        # the yearly reload from the package keeps the official calendar
        with at(2027, 12, 1, 6, 0):
            self.Year._cron_load_years()
        self.assertEqual(year.source, "file")
        self.assertEqual(self.day(date(2028, 11, 3)).day_type, "day_off")

    def test_loading_the_official_file_says_how_many_days_changed(self):
        action = self.load_file(OFFICIAL_2028, "calendar-2028.xml", lang="ru_RU")
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["next"], {"type": "ir.actions.act_window_close"})
        message = action["params"]["message"]
        found = re.fullmatch(
            r"Календарь на 2028 подтверждён официальным файлом, изменено дней: (\d+); "
            r"открытые сроки пересчитаны",
            message,
        )
        self.assertTrue(found, message)
        self.assertGreater(int(found.group(1)), 0)
        # the same file again: nothing to change, and the administrator is told so
        action = self.load_file(OFFICIAL_2028, "calendar-2028.xml", lang="ru_RU")
        self.assertEqual(
            action["params"]["message"],
            "Календарь на 2028 подтверждён официальным файлом: дни уже были актуальны, изменений "
            "нет",
        )

    def test_csv_file_confirms_the_year(self):
        self.load_file(b"date;type\n2028-11-04;holiday\n2028-11-06;day_off\n", "2028.csv")
        self.assertFalse(self.year.provisional)
        self.assertEqual(self.year.day_ids.mapped("date"), [date(2028, 11, 4), date(2028, 11, 6)])

    def test_bad_file_changes_nothing_and_says_why_in_russian(self):
        before = sorted((d.date, d.day_type, d.origin, d.name) for d in self.year.day_ids)
        activities = self.year.activity_ids
        year_ru = self.year.with_context(lang="ru_RU")
        cases = [
            (
                OFFICIAL_2028.replace(b'year="2028"', b'year="2027"'),
                "Файл calendar.xml не загружен, ничего не изменено: это календарь 2027 года, а не "
                "2028.",
            ),
            (
                OFFICIAL_2028.replace(b'd="11.02" t="2"', b'd="11.02" t="7"'),
                "строка 9: неизвестный тип дня «7»",
            ),
            (b"<calendar year='2028'>", "файл не является правильным XML (строка 1)."),
            (b"", "файл пуст."),
            (b"date;type\n2028-11-06;vacation\n", "строка 2: неизвестный тип дня «vacation»"),
        ]
        for content, message in cases:
            with self.subTest(message=message), self.assertRaises(UserError) as error:
                year_ru._load_file(content, "calendar.xml")
            self.assertIn(message, str(error.exception))
        with self.assertRaises(UserError):
            self.load_file(b"date;type\n2028-02-30;holiday\n", "calendar.csv")
        self.year.invalidate_recordset()
        self.assertEqual(
            sorted((d.date, d.day_type, d.origin, d.name) for d in self.year.day_ids), before
        )
        self.assertTrue(self.year.provisional)
        self.assertEqual(self.year.activity_ids, activities)

    def test_only_administrators_load_a_file(self):
        for user in (self.curator, self.head, self.housing_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.load_file(OFFICIAL_2028, user=user)
                with self.assertRaises(UserError):
                    self.year.with_user(user)._load_file(OFFICIAL_2028, "calendar.xml")
                with self.assertRaises(UserError):
                    self.year.with_user(user).action_open_file_wizard()
        self.assertTrue(self.year.provisional)
        action = self.year.with_user(self.admin).action_open_file_wizard()
        self.assertEqual(action["res_model"], "social.production.year.file.wizard")
        self.assertEqual(action["context"], {"default_year_id": self.year.id})

    def test_yearly_job_asks_in_the_administrators_language(self):
        self.year.unlink()
        self.admins.write({"lang": "ru_RU"})
        with at(2027, 12, 1, 6, 0):
            self.Year.with_context(lang=None)._cron_load_years()
        year = self.Year.search([("year", "=", 2028)])
        self.assertTrue(year.provisional)
        self.assertEqual(
            set(year.activity_ids.mapped("summary")),
            {"Подтвердите производственный календарь на 2028 год: загрузите официальный файл"},
        )
        self.assertIn("ст. 112 ТК РФ", year.activity_ids[0].note)


class TestLoadFeedback(SlaCase):
    """The “Load” button of a year always answers: how many days changed, or
    that the calendar was already up to date."""

    def load(self, year):
        # the web client sends the administrator's language with the call
        return year.with_user(self.admin).with_context(lang="ru_RU").action_load()

    def test_loading_tells_whether_anything_changed(self):
        year = self.env["social.production.year"].search([("year", "=", 2026)])
        self.assertEqual(year.state, "loaded")
        action = self.load(year)
        self.assertEqual(action["type"], "ir.actions.client")
        self.assertEqual(action["tag"], "display_notification")
        params = action["params"]
        self.assertEqual(params["title"], "Производственный календарь")
        self.assertEqual(params["message"], "Календарь на 2026 уже актуален, изменений нет")
        self.assertEqual(params["type"], "info")
        # the dialog closes and the year's counts are read again
        self.assertEqual(params["next"], {"type": "ir.actions.act_window_close"})
        # two loaded days deleted by hand: loading puts them back and says so
        days = year.day_ids.filtered(lambda d: d.origin == "holidays").sorted("date")[:2]
        self.assertEqual(len(days), 2)
        dates = days.mapped("date")
        days.with_user(self.admin).unlink()
        action = self.load(year)
        self.assertEqual(
            action["params"]["message"],
            "Календарь на 2026 обновлён, изменено дней: 2; открытые сроки пересчитаны",
        )
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(
            year.day_ids.filtered(lambda d: d.date in dates).mapped("origin"), ["holidays"] * 2
        )
        self.assertEqual(
            self.load(year)["params"]["message"], "Календарь на 2026 уже актуален, изменений нет"
        )

    def test_a_year_confirmed_by_the_file_is_not_loaded_over_and_says_so(self):
        year = self.env["social.production.year"].search([("year", "=", 2026)])
        year._load_file(b"date;type\n2026-01-01;holiday\n", "2026.csv")
        action = self.load(year)
        self.assertEqual(
            action["params"]["message"],
            "Календарь на 2026 подтверждён официальным файлом, "
            "из пакета holidays он не загружается",
        )
        self.assertEqual(year.day_ids.mapped("date"), [date(2026, 1, 1)])
