from odoo.exceptions import UserError

from .common import SocialIncidentsCase


class TestControlNoReplyMerge(SocialIncidentsCase):
    def test_additional_control_cycle(self):
        incident = self.routed()
        self.published(incident)
        with self.assertRaisesRegex(UserError, "Only a curator"):
            incident.with_user(self.housing_user).action_set_control("Яму так и не заделали")
        incident.with_user(self.curator).action_set_control("Яму так и не заделали")
        self.assertTrue(incident.on_control)
        self.assertEqual(
            self.activities(incident),
            {("control_report", "t_housing"), ("control_report", "t_housing2")},
        )
        with self.assertRaisesRegex(UserError, "additional control"):
            incident.with_user(self.curator).action_close()
        with self.assertRaisesRegex(UserError, "lead executor or a curator"):
            incident.with_user(self.roads_user).action_report_control("x")
        incident.with_user(self.housing_user).action_report_control(
            "Заделали 12 мая, фото приложено"
        )
        self.assertEqual(incident.control_report, "Заделали 12 мая, фото приложено")
        self.assertEqual(self.activities(incident), {("control_review", "t_curator")})
        incident.with_user(self.curator).action_lift_control()
        self.assertFalse(incident.on_control)
        self.assertEqual(self.activities(incident), set())
        incident.with_user(self.curator).action_close()
        self.assertEqual(incident.state, "closed")

    def test_control_reopens_a_closed_incident(self):
        incident = self.routed()
        self.published(incident)
        incident.with_user(self.curator).action_close()
        incident.with_user(self.curator).action_set_control("Жители пишут снова")
        self.assertEqual(incident.state, "answered")
        self.assertTrue(incident.on_control)

    def test_control_needs_a_published_reply(self):
        incident = self.routed()
        with self.assertRaisesRegex(UserError, "published reply"):
            incident.with_user(self.curator).action_set_control("x")

    def test_no_reply_with_reason(self):
        incident = self.routed(text="Нецензурная брань")
        self.draft(incident)
        with self.assertRaisesRegex(UserError, "Only a curator"):
            incident.with_user(self.housing_user).action_no_reply(self.no_reply_obscene)
        incident.with_user(self.curator).action_no_reply(
            self.no_reply_obscene, "Мат в каждом слове"
        )
        self.assertEqual(incident.state, "no_reply")
        self.assertEqual(incident.no_reply_reason_id, self.no_reply_obscene)
        self.assertIn("21", incident.no_reply_legal_basis)
        self.assertEqual(incident.assignment_ids.state, "cancelled")
        self.assertEqual(incident.reply_ids.state, "cancelled")
        self.assertEqual(self.activities(incident), set())
        with self.assertRaisesRegex(UserError, "already finished"):
            incident.with_user(self.curator).action_no_reply(self.no_reply_obscene)

    def test_merge_duplicate(self):
        target = self.routed()
        duplicate = self.register(text="Та же яма на Ленина")
        with self.assertRaisesRegex(UserError, "another incident"):
            duplicate.with_user(self.curator).action_merge(duplicate)
        duplicate.with_user(self.curator).action_merge(target)
        self.assertEqual(duplicate.state, "merged")
        self.assertEqual(duplicate.merged_into_id, target)
        self.assertEqual(target.merged_ids, duplicate)
        self.assertEqual(self.activities(duplicate), set())
        self.assertIn("Та же яма на Ленина", "".join(target.sudo().message_ids.mapped("body")))
        other = self.register()
        with self.assertRaisesRegex(UserError, "itself merged"):
            other.with_user(self.curator).action_merge(duplicate)

    def test_wizard_runs_the_same_rules(self):
        incident = self.routed()
        action = incident.with_user(self.housing_user).action_open_decline_wizard()
        wizard = (
            # pylint: disable-next=context-overridden  # the action's context alone
            self.env["social.incident.step.wizard"]
            .with_user(self.housing_user)
            .with_context(action["context"])
            .create({"text": "Не наша компетенция"})
        )
        wizard.action_confirm()
        self.assertEqual(incident.state, "new")
        route = (
            self.env["social.incident.route.wizard"]
            .with_user(self.curator)
            .create(
                {
                    "incident_id": incident.id,
                    "executor_ids": [(6, 0, (self.roads | self.schools).ids)],
                    "lead_executor_id": self.schools.id,
                }
            )
        )
        route.action_confirm()
        self.assertEqual(incident.executor_ids, self.roads | self.schools)
        self.assertEqual(incident.lead_executor_id, self.schools)
