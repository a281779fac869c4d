"""The weekly posting quota (KOR A1 5, BAT 6): the page's weeks, the short-week alert,
and the verified mark's warning (KOR A1 11-13)."""

from datetime import date, datetime, timedelta, timezone
from unittest.mock import patch
from zoneinfo import ZoneInfo

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..tools import clock, guard
from .common import JsonRpcMixin, SocialIncidentsCase

MSK = ZoneInfo("Europe/Moscow")
MONDAY = date(2026, 11, 30)  # an ordinary week: Friday 4 December is a working day


def utc(day, hour, minute=0):
    """The naive UTC instant of ``day`` ``hour``:``minute`` in Moscow."""
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=MSK)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


class QuotaCase(SocialIncidentsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Europe/Moscow"
        cls.admin = new_test_user(
            cls.env,
            login="t_pages_admin",
            groups="base.group_user,social_incidents.group_social_admin",
            name="Pages Admin",
        )
        cls.page = cls.env["social.account"].create(
            {
                "name": "Администрация района ВКонтакте",
                "network": "vk",
                "url": "https://vk.com/quota_test_page",
                "executor_id": cls.roads.id,
                "weekly_post_quota": 2,
            }
        )
        cls.Week = cls.env["social.account.week"]
        cls._post_counter = 0

    def post(self, when, state="published", origin="network"):
        """A post of the page: published (``when`` its publication) or approved
        (``when`` its planned time)."""
        type(self)._post_counter += 1
        vals = {
            "name": f"Пост {self._post_counter}",
            "account_id": self.page.id,
            "planned_at": when,
            "origin": origin,
            "state": state,
        }
        if state == "published":
            vals.update(published_at=when, external_id=f"-1_{self._post_counter}")
        with guard.system_write():
            return self.env["social.account.post"].create(vals)

    def run_job(self, moment):
        with clock.frozen_at(moment):
            self.Week._cron_weekly_quota()
        self.env.invalidate_all()

    def week(self, monday=MONDAY, page=None):
        return self.Week.search(
            [("account_id", "=", (page or self.page).id), ("week_date", "=", monday)]
        )

    def alerts(self, week):
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "social.account.week"),
                    ("res_id", "=", week.id),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref("social_incidents.mail_act_social_post_quota").id,
                    ),
                ]
            )
        )


class TestPostQuota(QuotaCase):
    def test_short_week_alerts_the_responsible_executor_once(self):
        self.run_job(utc(MONDAY, 9))
        week = self.week()
        self.assertEqual((week.quota, week.published_count, week.short), (2, 0, True))
        self.post(utc(MONDAY + timedelta(days=1), 11))  # Tuesday, received from the network
        self.run_job(utc(MONDAY + timedelta(days=4), 11))  # Friday 11:00: not yet
        self.assertEqual(week.published_count, 1)
        self.assertFalse(self.alerts(week))
        friday_noon = utc(MONDAY + timedelta(days=4), 12, 30)
        self.run_job(friday_noon)
        self.run_job(friday_noon + timedelta(hours=1))
        alerts = self.alerts(week)
        self.assertEqual(len(alerts), 1)
        self.assertEqual(alerts.user_id, self.roads_user)
        self.assertIn("1 post(s) missing", alerts.note)
        self.assertIn("1 published", alerts.note)
        self.assertIn("06.12.2026", alerts.note)
        self.assertEqual(alerts.date_deadline, date(2026, 12, 6))
        self.assertEqual(week.alerted_at, friday_noon)
        # the executor opens the week from the activity
        self.assertEqual(
            week.with_user(self.roads_user).read(["missing_count"])[0]["missing_count"], 1
        )
        # the week ends short
        self.run_job(utc(MONDAY + timedelta(days=7), 0, 30))
        self.assertTrue(week.closed)
        self.assertEqual((week.published_count, week.missing_count, week.short), (1, 1, True))
        # the activity is done: the week's row keeps the story
        self.assertFalse(self.alerts(week))
        self.assertIn("The week closed short.", week.message_ids.mapped("body")[0])
        self.assertEqual(week.alerted_at, friday_noon)

    def test_alert_is_written_in_the_company_language(self):
        """The scheduler's context has no language: the alert is in the company's."""
        self.company.partner_id.lang = "ru_RU"
        langs = []
        texts = type(self.Week)._alert_texts

        def spy(week):
            langs.append(week.env.lang)
            return texts(week)

        with (
            patch.object(type(self.Week), "_alert_texts", spy),
            clock.frozen_at(utc(MONDAY + timedelta(days=4), 13)),
        ):
            self.Week.with_context(lang=None)._cron_weekly_quota()
        self.assertTrue(self.alerts(self.week()))
        self.assertEqual(set(langs), {"ru_RU"})

    def test_alert_goes_to_the_head_then_the_curators_when_nobody_acts(self):
        self.roads.member_ids = False
        self.roads.head_user_id = self.housing_user2
        self.run_job(utc(MONDAY + timedelta(days=4), 13))
        self.assertEqual(self.alerts(self.week()).user_id, self.housing_user2)
        page2 = self.env["social.account"].create(
            {"name": "Глава района", "url": "https://vk.com/quota_head", "weekly_post_quota": 1}
        )
        self.run_job(utc(MONDAY + timedelta(days=4), 14))
        curators = self.env.ref("social_incidents.group_social_curator").users.filtered(
            lambda u: u.active and not u.share and self.company in u.company_ids
        )
        self.assertIn(self.curator, self.alerts(self.week(page=page2)).user_id)
        self.assertEqual(self.alerts(self.week(page=page2)).user_id, curators)

    def test_alert_is_done_when_the_missing_post_is_published(self):
        self.post(utc(MONDAY, 10))
        self.run_job(utc(MONDAY + timedelta(days=4), 13))
        week = self.week()
        self.assertEqual(len(self.alerts(week)), 1)
        with clock.frozen_at(utc(MONDAY + timedelta(days=5), 10)):
            self.post(utc(MONDAY + timedelta(days=5), 10))
        self.env.invalidate_all()
        self.assertEqual((week.published_count, week.short), (2, False))
        self.assertFalse(self.alerts(week))
        self.assertIn("The week's quota is met.", week.message_ids.mapped("body")[0])
        self.run_job(utc(MONDAY + timedelta(days=5), 12))
        self.assertFalse(self.alerts(week))

    def test_full_week_does_not_alert(self):
        self.post(utc(MONDAY, 10), origin="plan")
        self.post(utc(MONDAY + timedelta(days=2), 15))
        self.run_job(utc(MONDAY + timedelta(days=4), 13))
        week = self.week()
        self.assertEqual((week.published_count, week.short), (2, False))
        self.assertFalse(self.alerts(week))
        self.run_job(utc(MONDAY + timedelta(days=7), 1))
        self.assertTrue(week.closed)
        self.assertFalse(week.short)

    def test_approved_post_planned_before_sunday_holds_the_alert_but_not_the_count(self):
        self.post(utc(MONDAY, 10))
        self.post(utc(MONDAY + timedelta(days=5), 10), state="approved", origin="plan")
        self.post(utc(MONDAY + timedelta(days=7), 10), state="approved", origin="plan")
        self.run_job(utc(MONDAY + timedelta(days=4), 13))
        week = self.week()
        self.assertEqual((week.published_count, week.planned_count), (1, 1))
        self.assertFalse(self.alerts(week))
        # never published: the week closes short all the same
        self.run_job(utc(MONDAY + timedelta(days=7), 1))
        self.assertEqual((week.closed, week.published_count, week.short), (True, 1, True))

    def test_a_post_published_recounts_its_open_week_at_once(self):
        self.run_job(utc(MONDAY, 9))
        week = self.week()
        with clock.frozen_at(utc(MONDAY, 10)):
            post = self.post(utc(MONDAY + timedelta(days=1), 10), state="approved", origin="plan")
        self.assertEqual((week.published_count, week.planned_count), (0, 1))
        with clock.frozen_at(utc(MONDAY + timedelta(days=1), 10)), guard.system_write():
            post.write({"state": "published", "published_at": utc(MONDAY + timedelta(days=1), 10)})
        self.assertEqual((week.published_count, week.planned_count, week.missing_count), (1, 0, 1))
        self.assertEqual(week.counted_at, utc(MONDAY, 9))  # the job's cursor is the job's

    def test_job_in_small_batches_counts_every_page_once(self):
        pages = self.env["social.account"].create(
            [{"name": f"Страница {i}", "url": f"https://vk.com/quota_batch_{i}"} for i in range(3)]
        )
        with clock.frozen_at(utc(MONDAY + timedelta(days=4), 13)):
            for _i in range(30):
                if not self.Week._cron_weekly_quota(batch_size=2):
                    break
        self.env.invalidate_all()
        weeks = self.Week.search([("account_id", "in", pages.ids)])
        self.assertEqual(len(weeks), 3)
        self.assertTrue(all(weeks.mapped("counted_at")))
        for week in weeks:
            self.assertEqual(len(self.alerts(week)), len(week._responsible_users()))

    def test_quota_change_applies_from_the_next_week(self):
        self.run_job(utc(MONDAY, 9))
        week = self.week()
        self.page.with_user(self.admin).weekly_post_quota = 5
        self.run_job(utc(MONDAY, 11))
        self.assertEqual(week.quota, 2)
        self.run_job(utc(MONDAY + timedelta(days=7), 9))
        self.assertEqual(self.week().quota, 2)
        self.assertEqual(self.week(MONDAY + timedelta(days=7)).quota, 5)

    def test_closed_week_is_frozen(self):
        self.run_job(utc(MONDAY, 9))
        self.post(utc(MONDAY, 10))
        self.run_job(utc(MONDAY + timedelta(days=7), 1))
        week = self.week()
        self.assertEqual((week.closed, week.published_count), (True, 1))
        # a post of that week received late does not rewrite the closed week
        self.post(utc(MONDAY + timedelta(days=3), 10))
        self.run_job(utc(MONDAY + timedelta(days=7), 5))
        self.assertEqual(week.published_count, 1)
        self.assertEqual(len(self.Week.search([("account_id", "=", self.page.id)])), 2)
        for user in (self.admin, self.curator, self.head):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                week.with_user(user).write({"published_count": 2})
        with self.assertRaises(UserError):
            self.Week.with_user(self.admin).create(
                {"account_id": self.page.id, "company_id": self.company.id}
            )

    def test_week_follows_the_company_time_zone(self):
        sunday = MONDAY + timedelta(days=6)
        self.post(utc(sunday, 23, 30))  # Sunday 23:30 in Moscow, 20:30 UTC: this week
        self.post(utc(sunday + timedelta(days=1), 0, 30))  # Monday 00:30 in Moscow: the next
        self.post(utc(MONDAY, 0, 10))  # Monday 00:10 in Moscow, Sunday 21:10 UTC: this week
        self.run_job(utc(sunday, 23, 45))
        week = self.week()
        self.assertEqual(week.week_start, datetime(2026, 11, 29, 21, 0))
        self.assertEqual(week.published_count, 2)
        self.run_job(utc(sunday + timedelta(days=1), 0, 45))
        self.assertEqual((week.closed, week.published_count), (True, 2))
        self.assertEqual(self.week(MONDAY + timedelta(days=7)).published_count, 1)

    def test_each_company_counts_its_weeks_in_its_own_time_zone(self):
        calendar = self.env["resource.calendar"].create(
            {"name": "Владивосток", "tz": "Asia/Vladivostok"}
        )
        other = self.env["res.company"].create(
            {"name": "Приморский район", "resource_calendar_id": calendar.id}
        )
        page = self.env["social.account"].create(
            {
                "name": "Приморский район",
                "url": "https://vk.com/quota_primorye",
                "company_id": other.id,
            }
        )
        # Monday 00:30 in Vladivostok is still Sunday 17:30 in Moscow
        self.run_job(datetime(2026, 11, 29, 14, 30))
        self.assertEqual(self.week(page=page).week_start, datetime(2026, 11, 29, 14, 0))
        self.assertFalse(self.week())
        self.assertTrue(self.week(MONDAY - timedelta(days=7)))

    def test_alert_comes_on_the_last_working_day_before_a_holiday(self):
        # 2026: Friday 1 May is a public holiday; Thursday 30 April is the last working day
        if 2026 not in self.env["social.production.year"].search([("state", "=", "loaded")]).mapped(
            "year"
        ):
            self.skipTest("the 2026 production calendar is not loaded")
        monday = date(2026, 4, 27)
        self.run_job(utc(monday, 9))
        self.assertEqual(self.week(monday).alert_at, utc(date(2026, 4, 30), 12))

    def test_alert_falls_back_to_friday_without_a_production_calendar(self):
        monday = date(2031, 3, 3)
        self.run_job(utc(monday, 9))
        self.assertEqual(self.week(monday).alert_at, utc(date(2031, 3, 7), 12))

    def test_only_the_scheduler_runs_the_job(self):
        for user in (self.admin, self.curator, self.head):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Week.with_user(user)._cron_weekly_quota()

    def test_page_form_opens_its_weeks(self):
        self.run_job(utc(MONDAY, 9))
        self.run_job(utc(MONDAY + timedelta(days=7), 1))
        self.assertEqual(self.page.with_user(self.head).short_week_count, 1)
        action = self.page.with_user(self.head).action_view_weeks()
        weeks = self.Week.with_user(self.head).search(action["domain"])
        self.assertEqual(weeks, self.week() | self.week(MONDAY + timedelta(days=7)))


class TestVerifiedMark(QuotaCase):
    def test_renaming_a_verified_page_warns(self):
        page = self.page.with_user(self.admin)
        spec = {"name": {}, "verified": {}}
        result = page.onchange({"name": "Новое название"}, ["name"], spec)
        self.assertFalse(result.get("warning"))
        self.page.verified = True
        result = page.onchange({"name": "Новое название"}, ["name"], spec)
        self.assertIn("may cost the page its verified mark", result["warning"]["message"])
        result = page.onchange({"name": self.page.name}, ["name"], spec)
        self.assertFalse(result.get("warning"))

    def test_saved_rename_of_a_verified_page_leaves_a_note(self):
        def notes():
            return self.page.message_ids.filtered(lambda m: "verified mark" in (m.body or ""))

        self.page.with_user(self.admin).name = "Новое название"
        self.assertFalse(notes())
        self.page.verified = True
        self.page.with_user(self.admin).name = "Администрация района"
        self.assertEqual(len(notes()), 1)
        self.assertIn("«Новое название»", notes().body)
        self.page.with_user(self.admin).write({"name": "Администрация района", "verified": True})
        self.assertEqual(len(notes()), 1)


@tagged("post_install", "-at_install")
class TestPostQuotaOverRpc(JsonRpcMixin, HttpCase, QuotaCase):
    def test_nobody_writes_a_week_over_json_rpc(self):
        self.run_job(utc(MONDAY, 9))
        self.run_job(utc(MONDAY + timedelta(days=7), 1))
        week = self.week()
        for login in (self.curator.login, self.admin.login, self.roads_user.login):
            for method, args in (
                ("write", [week.ids, {"published_count": 5, "short": False}]),
                ("create", [{"account_id": self.page.id, "company_id": self.company.id}]),
                ("unlink", [week.ids]),
                ("_cron_weekly_quota", []),
                ("_count_posts", [week.ids, "2026-12-07 00:00:00"]),
            ):
                with self.subTest(login=login, method=method):
                    result, error = self.call_kw(login, "social.account.week", method, args)
                    self.assertTrue(error, f"{login} {method} answered {result!r}")
        result, error = self.call_kw(
            self.head.login, "social.account.week", "read", [week.ids, ["published_count"]]
        )
        self.assertEqual(result[0]["published_count"], 0)
        self.env.invalidate_all()
        self.assertEqual((week.published_count, week.short), (0, True))
