from odoo.exceptions import UserError

from .common import SocialIncidentsCase


class TestReplyApproval(SocialIncidentsCase):
    def test_draft_submit_approve_publish(self):
        incident = self.routed()
        reply = self.draft(incident)
        # Drafting takes the incident into work.
        self.assertEqual(incident.assignment_ids.state, "accepted")
        self.assertEqual(incident.state, "in_progress")
        self.assertEqual(reply.author_id, self.housing_user)
        self.assertEqual(reply.executor_id, self.housing)
        self.assertEqual(
            self.activities(incident), {("draft", "t_housing"), ("draft", "t_housing2")}
        )

        reply.with_user(self.housing_user).action_submit()
        self.assertEqual(reply.state, "submitted")
        self.assertEqual(incident.state, "review")
        self.assertEqual(self.activities(incident), {("review", "t_curator")})
        # The executor's own activity is marked done, the colleague's removed.
        done = incident.sudo().message_ids.filtered(
            lambda m: m.mail_activity_type_id
            == self.env.ref("social_incidents.mail_act_social_draft")
        )
        self.assertEqual(done.author_id, self.housing_user.partner_id)

        reply.with_user(self.curator).action_approve()
        self.assertEqual(reply.state, "approved")
        self.assertEqual(reply.reviewer_id, self.curator)
        self.assertEqual(incident.state, "approved")
        self.assertEqual(reply.review_ids.decision, "approved")
        self.assertEqual(
            self.activities(incident), {("publish", "t_housing"), ("publish", "t_housing2")}
        )

        reply.with_user(self.housing_user2).action_mark_published(
            "https://vk.com/wall-1_100?reply=501", external_id="501"
        )
        self.assertEqual(reply.state, "published")
        self.assertEqual(reply.publisher_id, self.housing_user2)
        self.assertEqual(reply.published_url, "https://vk.com/wall-1_100?reply=501")
        self.assertTrue(reply.published_at)
        self.assertEqual(incident.state, "answered")
        self.assertTrue(incident.answered_at)
        self.assertEqual(self.activities(incident), set())

        incident.with_user(self.curator).action_close()
        self.assertEqual(incident.state, "closed")

    def test_return_with_reason_then_rework(self):
        incident = self.routed()
        reply = self.submitted(incident)
        with self.assertRaisesRegex(UserError, "reason"):
            reply.with_user(self.curator).action_return(self.env["social.return.reason"])
        reply.with_user(self.curator).action_return(self.reason_spelling, "«Заделаем» с ошибкой")
        self.assertEqual(reply.state, "returned")
        self.assertEqual(reply.rework_count, 1)
        self.assertEqual(incident.state, "in_progress")
        self.assertEqual(reply.review_ids.reason_id, self.reason_spelling)
        self.assertEqual(reply.review_ids.comment, "«Заделаем» с ошибкой")
        self.assertIn("Spelling", reply.last_return_note)
        self.assertEqual(
            self.activities(incident),
            {("rework", "t_housing"), ("rework", "t_housing2")},
        )
        reply.with_user(self.housing_user).write({"body": "Яму заделаем до пятницы, 14 мая."})
        reply.with_user(self.housing_user).action_submit()
        self.assertEqual(incident.state, "review")
        reply.with_user(self.curator).action_return(self.reason_other)
        reply.with_user(self.housing_user).action_submit()
        reply.with_user(self.curator).action_approve()
        self.assertEqual(reply.rework_count, 2)
        self.assertEqual(incident.rework_count, 2)
        self.assertEqual(reply.review_ids.mapped("decision"), ["approved", "returned", "returned"])

    def test_nobody_approves_their_own_draft(self):
        self.company.social_curator_id = self.curator2
        incident = self.routed()
        reply = self.Reply.with_user(self.curator).create(
            {"incident_id": incident.id, "body": "Сводный ответ куратора"}
        )
        self.assertFalse(reply.executor_id)
        reply.with_user(self.curator).action_submit()
        with self.assertRaisesRegex(UserError, "own draft"):
            reply.with_user(self.curator).action_approve()
        self.assertFalse(reply.with_user(self.curator).can_review)
        # Review goes to another curator.
        self.assertEqual(self.activities(incident, "review"), {"t_curator2"})
        reply.with_user(self.curator2).action_approve()
        self.assertEqual(reply.state, "approved")

    def test_only_a_curator_approves_or_returns(self):
        incident = self.routed()
        reply = self.submitted(incident)
        with self.assertRaisesRegex(UserError, "Only a curator"):
            reply.with_user(self.housing_user2).action_approve()
        with self.assertRaisesRegex(UserError, "Only a curator"):
            reply.with_user(self.head).action_return(self.reason_spelling)
        self.assertEqual(reply.state, "submitted")

    def test_wrong_state_refused(self):
        incident = self.routed()
        reply = self.draft(incident)
        with self.assertRaisesRegex(UserError, "Only a submitted draft"):
            reply.with_user(self.curator).action_approve()
        with self.assertRaisesRegex(UserError, "Only an approved reply"):
            reply.with_user(self.curator).action_mark_published("https://x")
        reply.with_user(self.housing_user).action_submit()
        with self.assertRaisesRegex(UserError, "Only a draft or a returned reply can be submitted"):
            reply.with_user(self.housing_user).action_submit()
        with self.assertRaisesRegex(UserError, "Only a draft or a returned reply can be edited"):
            reply.with_user(self.housing_user).write({"body": "подмена"})
        with self.assertRaisesRegex(UserError, "only through the workflow"):
            reply.with_user(self.housing_user).write({"state": "approved"})
        with self.assertRaisesRegex(UserError, "Only an answered incident"):
            incident.with_user(self.curator).action_close()

    def test_empty_draft_cannot_be_submitted(self):
        incident = self.routed()
        reply = self.draft(incident, body="   ")
        with self.assertRaisesRegex(UserError, "Write the text"):
            reply.with_user(self.housing_user).action_submit()

    def test_one_draft_at_a_time(self):
        incident = self.routed()
        self.draft(incident)
        with self.assertRaisesRegex(UserError, "already has a draft"):
            self.draft(incident, user=self.housing_user2)

    def test_executor_of_another_department_cannot_draft(self):
        incident = self.routed()
        # a refusal (the routing check, or the record rules: AccessError is a UserError),
        # not any crash
        with self.assertRaises(UserError):
            self.draft(incident, user=self.roads_user)
        self.assertFalse(incident.reply_ids)

    def test_publisher_setting_curator(self):
        self.company.social_reply_publisher = "curator"
        incident = self.routed()
        reply = self.approved(incident)
        self.assertEqual(self.activities(incident), {("publish", "t_curator")})
        with self.assertRaisesRegex(UserError, "published by the curator"):
            reply.with_user(self.housing_user).action_mark_published("https://vk.com/x")
        reply.with_user(self.curator).action_mark_published("https://vk.com/x")
        self.assertEqual(incident.state, "answered")

    def test_publish_needs_a_link(self):
        incident = self.routed()
        reply = self.approved(incident)
        with self.assertRaisesRegex(UserError, "link"):
            reply.with_user(self.housing_user).action_mark_published("  ")
        self.assertEqual(reply.state, "approved")

    def test_intermediate_then_final(self):
        incident = self.routed()
        self.published(incident, kind="intermediate")
        self.assertEqual(incident.state, "intermediate")
        self.assertEqual(incident.assignment_ids.state, "accepted")
        self.assertEqual(self.activities(incident, "draft"), {"t_housing", "t_housing2"})
        final = self.published(incident, kind="final")
        self.assertEqual(incident.state, "answered")
        self.assertEqual(incident.reply_ids.mapped("kind"), ["final", "intermediate"])
        self.assertEqual(final.state, "published")

    def test_clarification_round_trip(self):
        incident = self.routed()
        request = self.draft(
            incident, kind="clarification", body="Уточните, пожалуйста, номер дома?"
        )
        request.with_user(self.housing_user).action_submit()
        request.with_user(self.curator).action_approve()
        self.assertEqual(incident.state, "clarification")
        # The question must be posted before the answer is recorded.
        self.assertEqual(
            self.activities(incident), {("publish", "t_housing"), ("publish", "t_housing2")}
        )
        with self.assertRaisesRegex(UserError, "Publish the clarification"):
            incident.with_user(self.curator).action_record_clarification("Дом 5")
        request.with_user(self.housing_user).action_mark_published("https://vk.com/q")
        self.assertEqual(incident.state, "clarification")
        self.assertEqual(self.activities(incident), {("answer", "t_curator")})
        with self.assertRaisesRegex(UserError, "Only a curator"):
            incident.with_user(self.housing_user).action_record_clarification("Дом 5")
        incident.with_user(self.curator).action_record_clarification("Дом 5, подъезд 2")
        self.assertEqual(incident.state, "in_progress")
        self.assertEqual(incident.clarification_answer, "Дом 5, подъезд 2")
        self.assertEqual(self.activities(incident, "draft"), {"t_housing", "t_housing2"})
        self.published(incident)
        self.assertEqual(incident.state, "answered")

    def test_button_flags_follow_the_user(self):
        incident = self.routed()
        self.assertTrue(incident.with_user(self.curator).can_route)
        self.assertFalse(incident.with_user(self.housing_user).can_route)
        self.assertTrue(incident.with_user(self.housing_user).can_accept)
        self.assertTrue(incident.with_user(self.housing_user).can_draft)
        reply = self.submitted(incident)
        self.assertTrue(incident.with_user(self.curator).can_review)
        self.assertFalse(incident.with_user(self.housing_user).can_review)
        self.assertFalse(reply.with_user(self.housing_user).can_edit)
        reply.with_user(self.curator).action_approve()
        self.assertTrue(incident.with_user(self.housing_user).can_publish)
        self.assertFalse(incident.with_user(self.roads_user).can_publish)
