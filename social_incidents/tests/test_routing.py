from datetime import date, timedelta

from odoo.exceptions import UserError

from .common import SocialIncidentsCase


class TestRouting(SocialIncidentsCase):
    def test_route_to_one_executor(self):
        incident = self.register()
        incident.with_user(self.curator).action_route(self.housing, note="Проверьте адрес")
        self.assertEqual(incident.state, "assigned")
        self.assertEqual(incident.executor_ids, self.housing)
        self.assertEqual(incident.lead_executor_id, self.housing)
        self.assertFalse(incident.is_consolidated)
        self.assertEqual(
            self.activities(incident), {("draft", "t_housing"), ("draft", "t_housing2")}
        )
        self.assertIn(self.housing_user.partner_id, incident.message_partner_ids)

    def test_executor_cannot_route(self):
        incident = self.register()
        with self.assertRaisesRegex(UserError, "Only a curator"):
            incident.with_user(self.housing_user).action_route(self.housing)

    def test_accept_moves_to_in_progress(self):
        incident = self.routed()
        incident.with_user(self.housing_user).action_accept()
        self.assertEqual(incident.state, "in_progress")
        self.assertEqual(incident.assignment_ids.state, "accepted")
        with self.assertRaisesRegex(UserError, "already been taken"):
            incident.assignment_ids.with_user(self.housing_user).action_accept()

    def test_other_executor_cannot_accept(self):
        incident = self.routed()
        with self.assertRaisesRegex(UserError, "Only the members of Housing"):
            incident.assignment_ids.with_user(self.roads_user).action_accept()

    def test_several_executors_need_a_lead(self):
        incident = self.register()
        with self.assertRaisesRegex(UserError, "name the lead executor"):
            incident.with_user(self.curator).action_route(self.housing | self.roads)
        self.assertEqual(incident.state, "new")
        self.assertFalse(incident.assignment_ids)

    def test_consolidated_reply_flow(self):
        incident = self.register()
        incident.with_user(self.curator).action_route(
            self.housing | self.roads | self.schools, lead=self.housing
        )
        self.assertTrue(incident.is_consolidated)
        self.assertEqual(incident.lead_executor_id, self.housing)
        self.assertEqual(
            self.activities(incident),
            {
                ("draft", "t_housing"),
                ("draft", "t_housing2"),
                ("info", "t_roads"),
                ("info", "t_school"),
            },
        )
        # A non-lead executor cannot write the consolidated reply.
        with self.assertRaisesRegex(UserError, "lead executor"):
            self.draft(incident, user=self.roads_user)
        roads = incident.assignment_ids.filtered(lambda a: a.executor_id == self.roads)
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.roads_user)
            .create({"name": "фото.jpg", "raw": b"jpg"})
        )
        roads.with_user(self.roads_user).action_give_info("Асфальт будет в мае", attachment)
        self.assertEqual(roads.state, "info_given")
        self.assertEqual(roads.info_attachment_ids, attachment)
        self.assertEqual(incident.state, "in_progress")
        # The lead sees the information given in the incident.
        lead_view = incident.with_user(self.housing_user)
        self.assertIn("Асфальт будет в мае", lead_view.assignment_ids.mapped("info_text"))
        self.assertNotIn(("info", "t_roads"), self.activities(incident))
        self.assertIn(("info", "t_school"), self.activities(incident))
        # The lead cannot "give information" to itself.
        lead = incident.assignment_ids.filtered("is_lead")
        with self.assertRaisesRegex(UserError, "writes the consolidated reply"):
            lead.with_user(self.housing_user).action_give_info("x")
        reply = self.submitted(incident)
        self.assertEqual(reply.executor_id, self.housing)
        reply.with_user(self.curator).action_approve()
        reply.with_user(self.housing_user).action_mark_published("https://vk.com/x")
        self.assertEqual(incident.state, "answered")
        self.assertEqual(set(incident.assignment_ids.mapped("state")), {"done"})

    def test_curator_changes_the_lead(self):
        incident = self.register()
        incident.with_user(self.curator).action_route(self.housing | self.roads, lead=self.housing)
        roads = incident.assignment_ids.filtered(lambda a: a.executor_id == self.roads)
        roads.with_user(self.curator).action_set_lead()
        self.assertEqual(incident.lead_executor_id, self.roads)
        self.assertEqual(self.activities(incident, "draft"), {"t_roads"})
        self.assertEqual(self.activities(incident, "info"), {"t_housing", "t_housing2"})

    def test_decline_returns_to_curator_who_reroutes(self):
        incident = self.routed()
        assignment = incident.assignment_ids
        with self.assertRaisesRegex(UserError, "not in your competence"):
            assignment.with_user(self.housing_user).action_decline("  ")
        assignment.with_user(self.housing_user).action_decline("Это дороги, не ЖКХ")
        self.assertEqual(assignment.state, "declined")
        self.assertEqual(assignment.declined_by_id, self.housing_user)
        self.assertEqual(incident.state, "new")
        self.assertEqual(self.activities(incident), {("route", "t_curator")})
        note = (
            self.env["mail.activity"]
            .sudo()
            .search([("res_model", "=", "social.incident"), ("res_id", "=", incident.id)])
            .note
        )
        self.assertIn("Это дороги, не ЖКХ", note)
        # Re-route to the right executor.
        incident.with_user(self.curator).action_route(self.roads)
        self.assertEqual(incident.state, "assigned")
        self.assertEqual(incident.executor_ids, self.roads)
        self.assertEqual(self.activities(incident), {("draft", "t_roads")})

    def test_decline_of_one_of_several_keeps_the_others(self):
        incident = self.register()
        incident.with_user(self.curator).action_route(self.housing | self.roads, lead=self.housing)
        lead = incident.assignment_ids.filtered("is_lead")
        lead.with_user(self.housing_user).action_decline("Не наше")
        self.assertEqual(incident.state, "assigned")
        self.assertEqual(incident.executor_ids, self.roads)
        # Only one executor left: it writes the reply itself.
        self.assertEqual(incident.lead_executor_id, self.roads)
        self.assertEqual(self.activities(incident), {("draft", "t_roads")})

    def test_cannot_route_twice_to_the_same_executor(self):
        incident = self.routed()
        with self.assertRaisesRegex(UserError, "already routed"):
            incident.with_user(self.curator).action_route(self.housing)

    def test_withdraw_routing(self):
        incident = self.routed()
        incident.assignment_ids.with_user(self.curator).action_cancel()
        self.assertEqual(incident.state, "new")
        self.assertEqual(self.activities(incident), {("route", "t_curator")})

    def test_substitute_gets_the_work_of_an_absent_member(self):
        today = date.today()
        self.env["social.executor.substitute"].create(
            {
                "executor_id": self.housing.id,
                "user_id": self.housing_user2.id,
                "substitute_user_id": self.outsider.id,
                "date_from": today - timedelta(days=1),
                "date_to": today + timedelta(days=3),
            }
        )
        incident = self.routed()
        self.assertEqual(self.activities(incident, "draft"), {"t_housing", "t_outsider"})
        # The substitute sees the incident and may act on it.
        self.assertEqual(self.Incident.with_user(self.outsider).search([]), incident)
        incident.with_user(self.outsider).action_accept()
        self.assertEqual(incident.state, "in_progress")
        reply = self.draft(incident, user=self.outsider)
        self.assertEqual(reply.executor_id, self.housing)

    def test_substitution_out_of_its_period_changes_nothing(self):
        today = date.today()
        self.env["social.executor.substitute"].create(
            {
                "executor_id": self.housing.id,
                "user_id": self.housing_user2.id,
                "substitute_user_id": self.outsider.id,
                "date_from": today + timedelta(days=5),
                "date_to": today + timedelta(days=9),
            }
        )
        incident = self.routed()
        self.assertEqual(self.activities(incident, "draft"), {"t_housing", "t_housing2"})
        self.assertFalse(self.Incident.with_user(self.outsider).search([]))

    def test_substitute_period_is_checked(self):
        today = date.today()
        with self.assertRaisesRegex(Exception, "on or after"):
            self.env["social.executor.substitute"].create(
                {
                    "executor_id": self.housing.id,
                    "user_id": self.housing_user2.id,
                    "substitute_user_id": self.outsider.id,
                    "date_from": today,
                    "date_to": today - timedelta(days=1),
                }
            )
