"""Deadlines counted as the regulation counts them, on frozen time.

The administration works Monday to Friday, 9:00-13:00 and 14:00-18:00, Moscow
time; the company follows the Korenovsk regulation (KOR 9-19). Times below are
Moscow wall-clock times; Odoo stores UTC (Moscow is UTC+3 all year).
"""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SocialIncidentsCase

MSK = timedelta(hours=3)


def msk(*args):
    return datetime(*args) - MSK


def at(*args):
    return freeze_time(msk(*args))


class SlaCase(SocialIncidentsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["social.production.year"]._load_years([2025, 2026])
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Test administration hours",
                "tz": "Europe/Moscow",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": name,
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        },
                    )
                    for day in range(5)
                    for name, start, end, period in (
                        ("Morning", 9, 13, "morning"),
                        ("Lunch", 13, 14, "lunch"),
                        ("Afternoon", 14, 18, "afternoon"),
                    )
                ],
            }
        )
        cls.company.resource_calendar_id = cls.calendar
        cls.company.social_head_user_id = cls.head
        cls.housing.head_user_id = cls.housing_user2
        cls.company._apply_social_sla_preset("kor")
        cls.company.social_reply_publisher = "executor"
        cls.Deadline = cls.env["social.incident.deadline"]
        cls.Violation = cls.env["social.sla.violation"]
        cls.admin = cls.env.ref("base.user_admin")

    def row(self, incident, step, state=None):
        rows = incident.deadline_ids.filtered(lambda d: d.step == step)
        if state:
            rows = rows.filtered(lambda d: d.state == state)
        self.assertEqual(len(rows), 1, f"one {step} row expected, got {rows.mapped('state')}")
        return rows

    def violations(self, incident):
        return self.Violation.search([("incident_id", "=", incident.id)], order="id")

    def watchdog(self):
        """The job as the scheduler runs it: batch after batch while it records
        something; the number of steps recorded."""
        total = 0
        for _batch in range(100):
            done = self.Deadline._cron_watchdog()
            if not done:
                return total
            total += done
        raise AssertionError("the watchdog never ran out of steps to record")


class TestDeadlinesOfTheSteps(SlaCase):
    def test_registration_and_routing_place_each_step(self):
        with at(2025, 3, 3, 10, 0):  # Monday
            incident = self.register()
        self.assertEqual(self.row(incident, "route").deadline, msk(2025, 3, 3, 10, 30))  # KOR 10
        total = self.row(incident, "total")
        self.assertEqual(total.deadline, msk(2025, 3, 4, 10, 0))  # KOR 9: 8 working hours
        self.assertEqual(incident.total_deadline, msk(2025, 3, 4, 10, 0))
        self.assertEqual(incident.sla_step, "route")
        self.assertEqual(incident.sla_deadline, msk(2025, 3, 3, 10, 30))
        self.assertEqual(self.activities(incident, "route"), {"t_curator"})

        with at(2025, 3, 3, 10, 20):
            incident.with_user(self.curator).action_route(self.housing)
        route = self.row(incident, "route")
        self.assertEqual((route.state, route.done_at), ("done", msk(2025, 3, 3, 10, 20)))
        assignment = incident.assignment_ids
        draft = self.row(incident, "draft")
        # KOR 12: 3 working hours before the total deadline (Tuesday 10:00)
        self.assertEqual(draft.deadline, msk(2025, 3, 3, 16, 0))
        self.assertEqual(draft.assignment_id, assignment)
        self.assertEqual(self.row(incident, "decline").deadline, msk(2025, 3, 3, 10, 50))  # KOR 11
        self.assertEqual(
            self.row(incident, "clarification").deadline, msk(2025, 3, 3, 11, 20)
        )  # KOR 13
        self.assertEqual(assignment.sla_deadline, msk(2025, 3, 3, 16, 0))
        self.assertEqual(
            (incident.sla_step, incident.sla_deadline), ("draft", msk(2025, 3, 3, 16, 0))
        )
        activity = self.activities_of_type(incident, "draft")
        self.assertEqual(set(activity.user_id.mapped("login")), {"t_housing", "t_housing2"})
        self.assertEqual(set(activity.mapped("date_deadline")), {date(2025, 3, 3)})
        self.assertIn("03.03.2025 16:00", activity[0].note)

    def test_review_rework_publication_and_late_steps_recorded(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register()
        with at(2025, 3, 3, 10, 10):
            incident.with_user(self.curator).action_route(self.housing)
        with at(2025, 3, 3, 11, 0):
            reply = self.submitted(incident)
        self.assertEqual(reply.sla_deadline, msk(2025, 3, 3, 11, 30))  # KOR 14
        self.assertEqual(self.row(incident, "draft").state, "done")
        with at(2025, 3, 3, 11, 40):  # 10 minutes late
            reply.with_user(self.curator).action_return(self.reason_spelling, "запятые")
        self.assertEqual(self.row(incident, "rework").deadline, msk(2025, 3, 3, 12, 40))  # KOR 15
        with at(2025, 3, 3, 14, 10):  # across the lunch break: 30 working minutes late
            reply.with_user(self.housing_user).write({"body": "Исправлено."})
            reply.with_user(self.housing_user).action_submit()
        with at(2025, 3, 3, 14, 20):
            reply.with_user(self.curator).action_approve()
        self.assertEqual(self.row(incident, "publish").deadline, msk(2025, 3, 3, 14, 50))  # KOR 16
        with at(2025, 3, 3, 14, 30):
            reply.with_user(self.housing_user).action_mark_published(
                "https://vk.com/wall-1_1?reply=2"
            )
        self.assertEqual(incident.state, "answered")
        self.assertFalse(incident.deadline_ids.filtered(lambda d: d.state == "open"))
        self.assertEqual(self.row(incident, "total").done_at, msk(2025, 3, 3, 14, 30))
        self.assertFalse(incident.sla_deadline)
        late = self.violations(incident)
        self.assertEqual(
            [(v.step, v.user_id, v.delay_minutes, v.done_at) for v in late],
            [
                ("review", self.curator, 10, msk(2025, 3, 3, 11, 40)),
                ("rework", self.housing_user, 30, msk(2025, 3, 3, 14, 10)),
            ],
        )
        self.assertEqual(late[1].executor_id, self.housing)

    def test_high_importance_has_four_hours_and_the_head_is_told(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register(importance="high")
        self.assertEqual(incident.total_deadline, msk(2025, 3, 3, 15, 0))  # KOR 17
        self.assertEqual(incident.head_notified_at, msk(2025, 3, 3, 10, 0))
        head_activity = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "social.incident"),
                    ("res_id", "=", incident.id),
                    ("user_id", "=", self.head.id),
                ]
            )
        )
        self.assertEqual(
            head_activity.activity_type_id,
            self.env.ref("social_incidents.mail_act_social_high_importance"),
        )
        told = incident.message_ids.filtered(lambda m: self.head.partner_id in m.partner_ids)
        self.assertEqual(len(told), 1)
        self.assertIn("reported to the head", told.body)
        with at(2025, 3, 3, 10, 5):
            incident.with_user(self.curator).action_route(self.housing)
        # the draft is due 3 working hours before 15:00, across the lunch break
        self.assertEqual(self.row(incident, "draft").deadline, msk(2025, 3, 3, 11, 0))

    def test_importance_change_recomputes_and_says_so(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register()
        with at(2025, 3, 3, 10, 10):
            incident.with_user(self.curator).action_route(self.housing)
        self.assertEqual(self.row(incident, "draft").deadline, msk(2025, 3, 3, 16, 0))
        with at(2025, 3, 3, 10, 30):
            incident.with_user(self.curator).importance = "high"
        self.assertEqual(incident.total_deadline, msk(2025, 3, 3, 15, 0))
        self.assertEqual(self.row(incident, "draft").deadline, msk(2025, 3, 3, 11, 0))
        self.assertEqual(incident.sla_deadline, msk(2025, 3, 3, 11, 0))
        note = incident.message_ids.filtered(lambda m: "Deadlines recomputed" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("03.03.2025 16:00", note.body)
        self.assertIn("03.03.2025 11:00", note.body)
        self.assertTrue(incident.head_notified_at)
        with at(2025, 3, 3, 10, 40):
            incident.with_user(self.curator).importance = "normal"
        self.assertEqual(self.row(incident, "draft").deadline, msk(2025, 3, 3, 16, 0))

    def test_intermediate_then_final_in_seven_working_days(self):
        with at(2026, 4, 24, 10, 0):  # Friday
            incident = self.register()
            incident.with_user(self.curator).action_route(self.housing)
            reply = self.submitted(incident, kind="intermediate")
            reply.with_user(self.curator2).action_approve()
        with at(2026, 4, 24, 15, 0):
            reply.with_user(self.housing_user).action_mark_published(
                "https://vk.com/wall-1_1?reply=3"
            )
        self.assertEqual(incident.state, "intermediate")
        self.assertEqual(self.row(incident, "total").state, "done")
        # KOR 18: 27, 28, 29, 30 April (shortened), 4, 5, 6 May; 1 May is a holiday
        final = self.row(incident, "final")
        self.assertEqual(final.deadline, msk(2026, 5, 6, 18, 0))
        self.assertEqual(incident.total_deadline, msk(2026, 5, 6, 18, 0))
        self.assertEqual(incident.sla_step, "final")

    def test_late_decline_is_recorded_on_time_decline_is_not(self):
        with at(2025, 3, 3, 10, 0):
            late = self.routed()
            in_time = self.routed()
        with at(2025, 3, 3, 10, 20):
            in_time.assignment_ids.with_user(self.housing_user).action_decline("Не наше")
        with at(2025, 3, 3, 10, 45):
            late.assignment_ids.with_user(self.housing_user).action_decline("Не наше")
        self.assertFalse(self.violations(in_time))
        violation = self.violations(late)
        self.assertEqual((violation.step, violation.delay_minutes), ("decline", 15))
        # back to the curator: re-routing within 30 minutes of the decline (KOR 11)
        self.assertEqual(self.row(late, "reroute").deadline, msk(2025, 3, 3, 11, 15))

    def test_status_and_time_left(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register()
        with at(2025, 3, 3, 10, 10):
            incident.invalidate_recordset(["sla_status", "sla_remaining"])
            self.assertEqual(
                (incident.sla_status, incident.sla_remaining), ("on_time", "20 min left")
            )
        with at(2025, 3, 3, 10, 25):
            incident.invalidate_recordset(["sla_status", "sla_remaining"])
            self.assertEqual(
                (incident.sla_status, incident.sla_remaining), ("at_risk", "5 min left")
            )
            self.assertEqual(
                self.Incident.search([("id", "=", incident.id), ("sla_status", "=", "at_risk")]),
                incident,
            )
        with at(2025, 3, 3, 12, 45):
            incident.invalidate_recordset(["sla_status", "sla_remaining"])
            self.assertEqual(incident.sla_status, "overdue")
            self.assertEqual(incident.sla_remaining, "overdue by 2 h 15 min")
            self.assertEqual(
                self.Incident.search([("id", "=", incident.id), ("sla_status", "=", "overdue")]),
                incident,
            )
        with at(2025, 3, 3, 16, 0):
            incident.invalidate_recordset(["sla_status", "sla_remaining"])
            # the lunch break does not count
            self.assertEqual(incident.sla_remaining, "overdue by 4 h 30 min")


class TestClarificationPause(SlaCase):
    def _ask_and_answer(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register()
        with at(2025, 3, 3, 10, 5):
            incident.with_user(self.curator).action_route(self.housing)
        with at(2025, 3, 3, 10, 20):
            request = self.submitted(incident, kind="clarification")
        with at(2025, 3, 3, 10, 30):
            request.with_user(self.curator).action_approve()
        with at(2025, 3, 3, 10, 35):
            request.with_user(self.housing_user).action_mark_published(
                "https://vk.com/wall-1_1?reply=4"
            )
        self.assertEqual(incident.state, "clarification")
        with at(2025, 3, 4, 10, 5):  # after the 8 working hours of the reply
            self.watchdog()
        with at(2025, 3, 4, 10, 30):  # the author answers a working day later
            incident.with_user(self.curator).action_record_clarification("Ленина, 5")
        return incident

    def test_waiting_for_the_author_stops_the_clock(self):
        incident = self._ask_and_answer()
        self.assertFalse(self.violations(incident))
        # 8 working hours waited: the reply is due a working day later
        self.assertEqual(incident.total_deadline, msk(2025, 3, 5, 10, 0))
        # the clarification request itself was asked in time (KOR 13)
        self.assertEqual(self.row(incident, "clarification").state, "done")
        self.assertEqual(self.row(incident, "draft", state="open").deadline, msk(2025, 3, 4, 16, 0))

    def test_without_the_pause_the_clock_runs(self):
        self.company.social_sla_policy_ids.write({"pause_on_clarification": False})
        incident = self._ask_and_answer()
        self.assertEqual(incident.total_deadline, msk(2025, 3, 4, 10, 0))
        self.assertEqual(self.violations(incident).mapped("step"), ["total"])


class TestWatchdog(SlaCase):
    def test_one_violation_per_step_notified_and_escalated(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register()
        with at(2025, 3, 3, 10, 10):
            incident.with_user(self.curator).action_route(self.housing)
        with at(2025, 3, 3, 10, 15):
            incident.assignment_ids.with_user(self.housing_user).action_accept()
        with at(2025, 3, 3, 15, 59):
            self.assertEqual(self.watchdog(), 0)
        with at(2025, 3, 3, 16, 5):
            self.assertEqual(self.watchdog(), 1)
            self.assertEqual(self.watchdog(), 0)
        violation = self.violations(incident)
        self.assertEqual(
            (violation.step, violation.user_id, violation.executor_id, violation.deadline),
            ("draft", self.housing_user, self.housing, msk(2025, 3, 3, 16, 0)),
        )
        self.assertEqual(violation.escalated_user_ids, self.housing_user2)
        message = incident.message_ids.filtered(lambda m: "Deadline missed" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn(
            "Draft Sent for Approval: due 03.03.2025 16:00, responsible T Housing (Housing)",
            message.body,
        )
        self.assertIn("Escalated to: T Housing2", message.body)
        overdue = self.env.ref("social_incidents.mail_act_social_overdue")
        escalation = self.env.ref("social_incidents.mail_act_social_escalation")

        def flags():
            acts = (
                self.env["mail.activity"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", "social.incident"),
                        ("res_id", "=", incident.id),
                        ("activity_type_id", "in", (overdue | escalation).ids),
                    ]
                )
            )
            return sorted((a.activity_type_id.id, a.user_id.login) for a in acts)

        self.assertEqual(
            flags(),
            sorted(
                [
                    (overdue.id, "t_housing"),
                    (overdue.id, "t_curator"),
                    (escalation.id, "t_housing2"),
                ]
            ),
        )
        self.assertEqual(incident.violation_count, 1)
        with at(2025, 3, 4, 10, 5):  # the total deadline passes too
            self.assertEqual(self.watchdog(), 1)
        self.assertEqual(self.violations(incident).mapped("step"), ["draft", "total"])
        self.assertEqual(len(flags()), 3, "no second activity for the same people")
        with at(2025, 3, 4, 11, 0):
            self.submitted(incident)
        self.assertEqual(violation.done_at, msk(2025, 3, 4, 11, 0))
        # Monday 16:00-18:00 and Tuesday 9:00-11:00
        self.assertEqual(violation.delay_minutes, 240)
        self.assertEqual(violation.delay_display, "4 h")

    def test_batches_report_progress(self):
        with at(2025, 3, 3, 10, 0):
            incidents = self.register() | self.register() | self.register()
        with at(2025, 3, 3, 11, 0):
            self.assertEqual(self.Deadline._cron_watchdog(batch_size=2), 2)
        first = self.Violation.search([("incident_id", "in", incidents.ids)])
        delays = first.mapped("delay_minutes")
        with at(2025, 3, 3, 11, 30):
            # the burst's last batch brings every open delay up to now, once
            self.assertEqual(self.Deadline._cron_watchdog(batch_size=2), 1)
            self.assertEqual(self.Deadline._cron_watchdog(batch_size=2), 0)
        self.assertEqual(self.Violation.search_count([("incident_id", "in", incidents.ids)]), 3)
        first.invalidate_recordset(["delay_minutes"])
        self.assertEqual(first.mapped("delay_minutes"), [delay + 30 for delay in delays])

    def test_finished_incident_is_not_watched(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register()
            incident.with_user(self.curator).action_no_reply(self.no_reply_obscene)
        with at(2025, 3, 5, 10, 0):
            self.watchdog()
        self.assertFalse(self.violations(incident))
        self.assertEqual(set(incident.deadline_ids.mapped("state")), {"cancelled"})

    def test_excusing(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register()
        with at(2025, 3, 3, 11, 0):
            self.watchdog()
        violation = self.violations(incident)
        with self.assertRaises(UserError):
            violation.with_user(self.housing_user).action_excuse("Сбой сети")
        with self.assertRaises(UserError):
            violation.with_user(self.head).action_excuse("  ")
        violation.with_user(self.head).action_excuse("Сбой сети ВКонтакте")
        self.assertTrue(violation.excused)
        self.assertEqual(violation.excused_by_id, self.head)
        self.assertIn("Сбой сети ВКонтакте", incident.message_ids[0].body)


class TestProductionCalendar(SlaCase):
    def test_loading_a_year_twice_changes_nothing(self):
        year = self.env["social.production.year"].search([("year", "=", 2025)])
        self.assertEqual(year.state, "loaded")
        before = [(d.id, d.date, d.day_type, d.write_date) for d in year.day_ids]
        messages = len(year.message_ids)
        year.action_load()
        year.action_load()
        year.invalidate_recordset()
        self.assertEqual([(d.id, d.date, d.day_type, d.write_date) for d in year.day_ids], before)
        self.assertEqual(len(year.message_ids), messages)
        self.assertEqual(year.short_count, 4)
        self.assertEqual(year.working_count, 247)

    def test_exception_by_hand_moves_open_deadlines(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register()
        self.assertEqual(incident.total_deadline, msk(2025, 3, 4, 10, 0))
        day = (
            self.env["social.production.day"]
            .with_user(self.admin)
            .create({"date": date(2025, 3, 4), "day_type": "day_off", "name": "Local holiday"})
        )
        self.assertEqual(day.origin, "manual")
        self.assertEqual(incident.total_deadline, msk(2025, 3, 5, 10, 0))
        self.assertTrue(
            incident.message_ids.filtered(lambda m: "Deadlines recomputed" in (m.body or ""))
        )
        # reloading the year keeps the day set by hand
        day.year_id.action_load()
        self.assertTrue(day.exists())
        day.unlink()
        self.assertEqual(incident.total_deadline, msk(2025, 3, 4, 10, 0))

    def test_a_year_not_loaded_is_asked_for_not_guessed(self):
        self.env["social.production.year"].search([("year", "=", 2024)]).unlink()
        with at(2024, 6, 3, 10, 0):
            incident = self.register()
        route = self.row(incident, "route")
        self.assertFalse(route.deadline)
        self.assertEqual(route.missing_year, 2024)
        incident.invalidate_recordset(["sla_status", "sla_remaining"])
        self.assertEqual(incident.sla_status, "missing")
        year = self.env["social.production.year"].search([("year", "=", 2024)])
        self.assertEqual(year.state, "missing")
        admins = self.env.ref("social_incidents.group_social_admin").users
        self.assertTrue(year.activity_ids)
        self.assertTrue(year.activity_ids.user_id <= admins)
        with self.assertRaises(UserError):
            year.with_user(self.curator).action_load()
        with at(2024, 6, 3, 10, 5):
            year.with_user(self.admin).action_load()
        self.assertEqual(year.state, "loaded")
        self.assertFalse(year.activity_ids)
        self.assertEqual(self.row(incident, "route").deadline, msk(2024, 6, 3, 10, 30))
        self.assertEqual(incident.sla_deadline, msk(2024, 6, 3, 10, 30))

    def test_yearly_action_loads_the_next_year(self):
        self.env["social.production.year"].search([("year", "=", 2027)]).unlink()
        with freeze_time("2026-12-01 03:00:00"):
            self.env["social.production.year"]._cron_load_years()
        year = self.env["social.production.year"].search([("year", "=", 2027)])
        self.assertEqual(year.state, "loaded")
        self.assertIn(date(2027, 2, 20), year.day_ids.mapped("date"))


@tagged("post_install", "-at_install")
class TestPresets(SlaCase):
    def test_each_preset_sets_its_numbers(self):
        company = self.company
        company._apply_social_sla_preset("lya")
        self.assertEqual(company.social_reply_publisher, "curator")
        normal = company.social_sla_policy_ids.filtered(lambda p: p.importance == "normal")
        self.assertEqual(
            {(line.step, line.duration, line.unit, line.anchor) for line in normal.line_ids},
            {
                ("route", 2, "calendar_hours", "detection"),
                ("draft", 8, "calendar_hours", "start"),
                ("review", 1, "calendar_hours", "start"),
                ("rework", 1, "calendar_hours", "start"),
                ("publish", 1, "calendar_hours", "start"),
                ("control", 1, "calendar_days", "start"),
            },
        )
        with at(2025, 3, 1, 22, 0):  # Saturday night: plain hours run
            incident = self.register()
        self.assertEqual(self.row(incident, "route").deadline, msk(2025, 3, 2, 0, 0))
        company._apply_social_sla_preset("bat")
        self.assertEqual(company.social_reply_publisher, "executor")
        self.assertEqual(incident.total_deadline, msk(2025, 3, 2, 22, 0))  # BAT 7: 24 h
        company._apply_social_sla_preset("akh")
        self.assertEqual(
            {
                (line.step, line.duration, line.unit)
                for line in company.social_sla_policy_ids.line_ids
            },
            {("info", 2, "hours")},
        )
        # no rule for routing or the reply: the steps stay open (nothing was done), without a
        # deadline
        open_rows = incident.deadline_ids.filtered(lambda d: d.state == "open")
        self.assertEqual(sorted(open_rows.mapped("step")), ["route", "total"])
        self.assertFalse(any(open_rows.mapped("deadline")))
        self.assertFalse(incident.sla_deadline)
        company._apply_social_sla_preset("kor")
        high = company.social_sla_policy_ids.filtered(lambda p: p.importance == "high")
        self.assertEqual(high.line_ids.filtered(lambda line: line.step == "total").duration, 4)

    def test_editing_a_line_recomputes(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register()
        normal = self.company.social_sla_policy_ids.filtered(lambda p: p.importance == "normal")
        normal.line_ids.filtered(lambda line: line.step == "total").duration = 4
        self.assertEqual(incident.total_deadline, msk(2025, 3, 3, 15, 0))


class TestDeadlineAccess(SlaCase):
    def test_who_sees_the_missed_deadlines(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.routed()
            incident.assignment_ids.with_user(self.housing_user).action_accept()
        with at(2025, 3, 3, 16, 5):
            self.watchdog()
        violation = self.violations(incident)
        self.assertEqual(violation.step, "draft")
        Violation = self.env["social.sla.violation"]
        self.assertEqual(
            Violation.with_user(self.housing_user).search([("id", "=", violation.id)]), violation
        )
        self.assertFalse(Violation.with_user(self.roads_user).search([("id", "=", violation.id)]))
        self.assertEqual(
            Violation.with_user(self.head).search([("id", "=", violation.id)]), violation
        )
        # the executor reads the deadlines of the incident routed to it, not others'
        rows = self.Deadline.with_user(self.housing_user).search(
            [("incident_id", "=", incident.id)]
        )
        self.assertEqual(rows, incident.deadline_ids)
        self.assertFalse(
            self.Deadline.with_user(self.roads_user).search([("incident_id", "=", incident.id)])
        )
        with self.assertRaises(UserError):
            self.env["social.production.day"].with_user(self.curator).create(
                {"date": date(2025, 3, 4), "day_type": "day_off"}
            )
