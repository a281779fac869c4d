"""Recomputing deadlines never fabricates anything; excusing is never one's own.

Same administration and regulation as ``test_sla.py``: Monday to Friday,
9:00-13:00 and 14:00-18:00 Moscow time, the Korenovsk deadlines (KOR 9-19).
"""

from odoo.exceptions import UserError
from odoo.tests import new_test_user

from .test_sla import SlaCase, at, msk


class TruthfulCase(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.user_admin").write(
            {"groups_id": [(4, cls.env.ref("social_incidents.group_social_admin").id)]}
        )

    def switch_regulation(self, preset):
        """As the administrator does it: Settings → Deadline regulation."""
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        settings.social_sla_preset = preset
        settings.execute()

    def accepted_and_late(self):
        """Routed on Monday 10:10, accepted, nothing drafted: on Tuesday 11:00
        the draft (due Monday 16:00) and the reply (due Tuesday 10:00) are missed."""
        with at(2025, 3, 3, 10, 0):
            incident = self.register()
        with at(2025, 3, 3, 10, 10):
            incident.with_user(self.curator).action_route(self.housing)
        with at(2025, 3, 3, 10, 15):
            incident.assignment_ids.with_user(self.housing_user).action_accept()
        with at(2025, 3, 4, 11, 0):
            self.watchdog()
        self.assertEqual(len(self.violations(incident)), 2)
        return incident


class TestRegulationSwitch(TruthfulCase):
    def test_round_trip_keeps_one_violation_and_fabricates_no_completion(self):
        incident = self.accepted_and_late()
        before = self.violations(incident)
        self.assertEqual(before.mapped("step"), ["draft", "total"])
        draft, total = before
        rows = incident.deadline_ids
        history = [(row.step, row.state, row.done_at) for row in rows]
        # routed at 10:10: the only step done; the draft and the reply are open
        self.assertEqual(
            [
                (step, state)
                for step, state, _done in history
                if step in ("route", "total", "draft")
            ],
            [("route", "done"), ("total", "open"), ("draft", "open")],
        )
        with at(2025, 3, 4, 11, 30):
            self.switch_regulation("lya")
        self.assertEqual(
            [(v.step, v.done_at) for v in self.violations(incident)],
            [("draft", False), ("total", False)],
        )
        # nothing was done: no step is closed, no completion time written
        self.assertEqual([(row.step, row.state, row.done_at) for row in rows], history)
        self.assertEqual(incident.deadline_ids, rows)
        self.assertFalse(any(before.mapped("done_at")))
        # Lyambir: the draft in 8 plain hours from the routing, still missed
        self.assertFalse(draft.voided)
        self.assertEqual(draft.deadline, msk(2025, 3, 3, 18, 10))
        self.assertEqual(draft.delay_minutes, 17 * 60 + 20)
        # Lyambir has no total deadline: the miss is voided, and says why
        self.assertTrue(total.voided)
        self.assertIn("the deadline policy changed", total.void_reason)
        self.assertTrue(total.message_ids.filtered(lambda m: "Voided" in (m.body or "")))
        self.assertEqual(incident.violation_count, 1)
        with at(2025, 3, 4, 12, 0):
            self.switch_regulation("kor")
            self.assertEqual(self.watchdog(), 0, "the same misses are not recorded again")
        after = self.violations(incident)
        self.assertEqual(after, before, "a step keeps its one violation")
        self.assertFalse(after.filtered("voided"))
        self.assertEqual(draft.deadline, msk(2025, 3, 3, 16, 0))
        self.assertEqual(total.deadline, msk(2025, 3, 4, 10, 0))
        self.assertFalse(any(after.mapped("done_at")))
        self.assertEqual(incident.violation_count, 2)
        self.assertEqual([(row.step, row.state, row.done_at) for row in rows], history)
        self.assertEqual(incident.deadline_ids, rows)
        with at(2025, 3, 5, 12, 0):
            self.assertEqual(self.watchdog(), 0)
        self.assertEqual(self.Violation.search_count([("incident_id", "=", incident.id)]), 2)
        # the draft done later: its own time, and the same violation finished
        with at(2025, 3, 5, 12, 0):
            self.submitted(incident)
        self.assertEqual(draft.done_at, msk(2025, 3, 5, 12, 0))
        self.assertEqual(self.row(incident, "draft").done_at, msk(2025, 3, 5, 12, 0))

    def test_no_context_key_skips_the_recompute(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register()
        normal = self.company.social_sla_policy_ids.filtered(lambda p: p.importance == "normal")
        line = normal.line_ids.filtered(lambda line: line.step == "total")
        line.with_context(social_sla_no_recompute=True).duration = 4
        self.assertEqual(incident.total_deadline, msk(2025, 3, 3, 15, 0))


class TestVoidedViolation(TruthfulCase):
    def test_violation_voided_when_no_longer_missed_then_reinstated(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register()
        with at(2025, 3, 3, 11, 0):
            self.watchdog()
        violation = self.violations(incident)
        self.assertEqual((violation.step, violation.delay_minutes), ("route", 30))
        overdue = self.env.ref("social_incidents.mail_act_social_overdue")
        self.assertTrue(incident.activity_ids.filtered(lambda a: a.activity_type_id == overdue))
        normal = self.company.social_sla_policy_ids.filtered(lambda p: p.importance == "normal")
        with at(2025, 3, 3, 11, 5):
            normal.line_ids.filtered(lambda line: line.step == "route").with_user(
                self.admin
            ).duration = 120
        # routing now due at 12:00: not missed
        self.assertEqual(self.row(incident, "route").deadline, msk(2025, 3, 3, 12, 0))
        self.assertTrue(violation.voided)
        note = violation.message_ids.filtered(lambda m: "Voided" in (m.body or ""))
        self.assertIn("the deadline policy changed", note.body)
        self.assertIn("03.03.2025 12:00", note.body)
        self.assertEqual(incident.violation_count, 0)
        self.assertFalse(violation.can_excuse)
        # nothing is overdue any more: the alert goes
        self.assertFalse(incident.activity_ids.filtered(lambda a: a.activity_type_id == overdue))
        with at(2025, 3, 3, 11, 30):
            self.assertEqual(self.watchdog(), 0)
        with at(2025, 3, 3, 12, 10):  # missed again under the new rule: the same record counts
            self.assertEqual(self.watchdog(), 1)
        self.assertEqual(self.violations(incident), violation)
        self.assertFalse(violation.voided)
        self.assertEqual(
            (violation.deadline, violation.delay_minutes), (msk(2025, 3, 3, 12, 0), 10)
        )

    def test_later_detection_time_voids_the_miss(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register()
        with at(2025, 3, 3, 11, 0):
            self.watchdog()
        violation = self.violations(incident)
        with at(2025, 3, 3, 11, 5):
            incident.with_user(self.curator).detected_at = msk(2025, 3, 3, 10, 50)
        self.assertTrue(violation.voided)
        self.assertIn("detection time", violation.void_reason)
        self.assertFalse(incident.deadline_ids.filtered(lambda d: d.state != "open"))


class TestStepNoLongerNeeded(TruthfulCase):
    def test_decline_and_clarification_windows_close_on_accept(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.routed()
        with at(2025, 3, 3, 10, 10):
            incident.assignment_ids.with_user(self.housing_user).action_accept()
        for step in ("decline", "clarification"):
            row = self.row(incident, step)
            self.assertEqual(
                (row.state, row.done_at, row.status), ("not_needed", False, "not_needed")
            )
        with at(
            2025, 3, 3, 15, 0
        ):  # the windows (30 min, 1 h) have passed; the draft is due at 16:00
            rows = incident.deadline_ids
            rows.invalidate_recordset(["status", "remaining"])
            self.assertFalse(rows.filtered(lambda d: d.status == "overdue"))
            self.assertFalse(
                [text for text in rows.mapped("remaining") if text and "overdue" in text]
            )
            self.assertEqual(self.watchdog(), 0)
        self.assertFalse(self.violations(incident))


class TestActivitiesFollowTheDeadline(TruthfulCase):
    def test_activity_redated_with_its_note(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.routed()

        def activity():
            return self.activities_of_type(incident, "draft").filtered(
                lambda a: a.user_id == self.housing_user
            )

        self.assertEqual(str(activity().date_deadline), "2025-03-03")
        self.assertIn("Due 03.03.2025 16:00", activity().note)
        normal = self.company.social_sla_policy_ids.filtered(lambda p: p.importance == "normal")
        with at(2025, 3, 3, 10, 30):
            normal.line_ids.filtered(lambda line: line.step == "total").with_user(
                self.admin
            ).duration = 16
        # total: Wednesday 10:00; the draft 3 working hours before it
        self.assertEqual(self.row(incident, "draft").deadline, msk(2025, 3, 4, 16, 0))
        self.assertEqual(str(activity().date_deadline), "2025-03-04")
        self.assertIn("Due 04.03.2025 16:00", activity().note)
        self.assertNotIn("03.03.2025", activity().note)


class TestExcusing(TruthfulCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.head_member = new_test_user(
            cls.env,
            login="t_head_member",
            name="T Head Member",
            groups="base.group_user,social_incidents.group_social_head",
        )
        cls.head_curator = new_test_user(
            cls.env,
            login="t_head_curator",
            name="T Head Curator",
            groups="base.group_user,social_incidents.group_social_curator,social_incidents.group_social_head",
        )
        cls.housing.member_ids = [(4, cls.head_member.id)]

    def draft_violation(self):
        incident = self.accepted_and_late()
        return self.violations(incident).filtered(lambda v: v.step == "draft")

    def test_answerable_people_never_excuse(self):
        violation = self.draft_violation()
        self.assertEqual(
            (violation.user_id, violation.executor_id), (self.housing_user, self.housing)
        )
        # the head of the municipality who is a member of the executor at fault
        self.assertFalse(violation.with_user(self.head_member).can_excuse)
        with self.assertRaisesRegex(UserError, "answerable"):
            violation.with_user(self.head_member).action_excuse("Сбой сети")
        # the executor's own head (housing_user2) is no head of the municipality
        with self.assertRaises(UserError):
            violation.with_user(self.housing_user2).action_excuse("Сбой сети")
        self.assertFalse(violation.excused)
        # the head excuses, and says so in the violation's and the incident's chatter
        self.assertTrue(violation.with_user(self.head).can_excuse)
        violation.with_user(self.head).action_excuse("Сбой сети ВКонтакте")
        self.assertEqual((violation.excused, violation.excused_by_id), (True, self.head))
        self.assertIn("Сбой сети ВКонтакте", violation.message_ids[0].body)
        self.assertIn("Excused by T Head", violation.message_ids[0].body)
        self.assertIn("Сбой сети ВКонтакте", violation.incident_id.message_ids[0].body)
        self.assertFalse(violation.with_user(self.head).can_excuse)

    def test_the_responsible_person_never_excuses(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register(user=self.head_curator)
        with at(2025, 3, 3, 11, 0):
            self.watchdog()
        violation = self.violations(incident)
        self.assertEqual((violation.step, violation.user_id), ("route", self.head_curator))
        with self.assertRaisesRegex(UserError, "answerable"):
            violation.with_user(self.head_curator).action_excuse("Был на совещании")
        violation.with_user(self.head).action_excuse("Совещание у главы")
        self.assertTrue(violation.excused)

    def test_curators_only_with_the_setting_and_never_their_own(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register()
        with at(2025, 3, 3, 11, 0):
            self.watchdog()
        route = self.violations(incident)
        self.assertEqual(route.user_id, self.curator)
        draft = self.draft_violation()
        self.assertFalse(draft.with_user(self.curator2).can_excuse)
        with self.assertRaises(UserError):
            draft.with_user(self.curator2).action_excuse("Сбой сети")
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        settings.social_curators_may_excuse = True
        settings.execute()
        self.assertTrue(self.company.social_curators_may_excuse)
        self.assertFalse(route.with_user(self.curator).can_excuse)
        with self.assertRaisesRegex(UserError, "answerable"):
            route.with_user(self.curator).action_excuse("Сбой сети")
        self.assertTrue(route.with_user(self.curator2).can_excuse)
        route.with_user(self.curator2).action_excuse("Сбой сети")
        draft.with_user(self.curator).action_excuse("Сбой сети")
        self.assertEqual((route.excused_by_id, draft.excused_by_id), (self.curator2, self.curator))
