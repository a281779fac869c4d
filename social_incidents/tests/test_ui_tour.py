"""Browser tours of the incident workflow: what a curator and an executor do
in the web client, and what they leave behind in the database.

The tours live in static/tests/tours/social_incident_tour.js; they find
elements by technical names only, so they do not depend on the users' language.
Nothing here relies on demo data.
"""

from odoo.tests import HttpCase, new_test_user, tagged

# Values typed by the tours (see social_incident_tour.js).
TOUR_EXTERNAL_ID = "tour-wall-1_4242"
TOUR_MESSAGE = "Tour: the street lamp at Lenina 12 has not been working for a week."
TOUR_URL = "https://vk.com/wall-1_4242"
TOUR_REPLY = "Tour reply: the lamp at Lenina 12 will be repaired by Friday."

INCIDENT_ACTION_URL = "/odoo/action-social_incidents.social_incident_action"


@tagged("post_install", "-at_install")
class TestSocialIncidentTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.curator = new_test_user(
            cls.env,
            login="tour_curator",
            name="Tour Curator",
            groups="social_incidents.group_social_curator",
        )
        cls.executor_user = new_test_user(
            cls.env,
            login="tour_executor",
            name="Tour Executor",
            groups="social_incidents.group_social_executor",
        )
        cls.executor = cls.env["social.executor"].create(
            {
                "name": "Tour Department",
                "kind": "department",
                "member_ids": [(6, 0, cls.executor_user.ids)],
            }
        )
        cls.draft_type = cls.env.ref("social_incidents.mail_act_social_draft")
        cls.review_type = cls.env.ref("social_incidents.mail_act_social_review")

    def _activities(self, incident, activity_type, user):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "social.incident"),
                ("res_id", "=", incident.id),
                ("activity_type_id", "=", activity_type.id),
                ("user_id", "=", user.id),
            ]
        )

    def test_curator_registers_and_routes(self):
        self.start_tour(
            INCIDENT_ACTION_URL, "social_incident_curator_tour", login=self.curator.login
        )

        self.env.invalidate_all()
        incident = self.env["social.incident"].search([("external_id", "=", TOUR_EXTERNAL_ID)])
        self.assertEqual(len(incident), 1, "The tour registers exactly one incident")
        self.assertEqual(incident.network, "vk")
        self.assertEqual(incident.text, TOUR_MESSAGE)
        self.assertEqual(incident.url, TOUR_URL)
        self.assertEqual(incident.curator_id, self.curator)
        self.assertTrue(incident.name and incident.name != "/", "The incident got a number")
        self.assertEqual(incident.state, "assigned")
        self.assertEqual(len(incident.assignment_ids), 1)
        self.assertEqual(incident.assignment_ids.executor_id, self.executor)
        self.assertEqual(incident.assignment_ids.state, "sent")
        self.assertEqual(incident.lead_executor_id, self.executor)
        self.assertEqual(
            len(self._activities(incident, self.draft_type, self.executor_user)),
            1,
            "The executor is asked to prepare a reply",
        )
        steps = {(row.step, row.state) for row in incident.deadline_ids}
        self.assertIn(("route", "done"), steps)
        self.assertIn(("draft", "open"), steps)
        self.assertEqual(
            incident.assignment_ids.sla_deadline,
            incident.deadline_ids.filtered(lambda d: d.step == "draft").deadline,
        )

    def test_executor_takes_and_submits_reply(self):
        incident = (
            self.env["social.incident"]
            .with_user(self.curator)
            .create(
                {
                    "network": "vk",
                    "text": "Tour: the bus stop on Mira street has no shelter.",
                    "url": "https://vk.com/wall-1_4343",
                    "external_id": "tour-wall-1_4343",
                }
            )
        )
        incident.with_user(self.curator).action_route(self.executor)
        self.assertEqual(incident.state, "assigned")

        self.start_tour(
            f"{INCIDENT_ACTION_URL}/{incident.id}",
            "social_incident_executor_tour",
            login=self.executor_user.login,
        )

        self.env.invalidate_all()
        self.assertEqual(incident.state, "review")
        self.assertEqual(incident.assignment_ids.state, "accepted")
        reply = incident.reply_ids
        self.assertEqual(len(reply), 1, "The tour writes exactly one reply")
        self.assertEqual(reply.state, "submitted")
        self.assertEqual(reply.body, TOUR_REPLY)
        self.assertEqual(reply.kind, "final")
        self.assertEqual(reply.author_id, self.executor_user)
        self.assertEqual(reply.executor_id, self.executor)
        self.assertEqual(
            len(self._activities(incident, self.review_type, self.curator)),
            1,
            "The curator is asked to review the draft",
        )
        self.assertFalse(
            self._activities(incident, self.draft_type, self.executor_user),
            "The executor's 'Prepare a reply' activity is closed",
        )

    def test_curator_returns_approves_and_executor_publishes(self):
        incident = (
            self.env["social.incident"]
            .with_user(self.curator)
            .create({"text": TOUR_MESSAGE, "network": "vk", "external_id": "tour-review-1"})
        )
        incident.with_user(self.curator).action_route(self.executor)
        reply = (
            self.env["social.incident.reply"]
            .with_user(self.executor_user)
            .create({"incident_id": incident.id, "body": TOUR_REPLY})
        )
        reply.with_user(self.executor_user).action_submit()
        url = f"{INCIDENT_ACTION_URL}/{incident.id}"

        self.start_tour(url, "social_incident_review_tour", login=self.curator.login)
        self.env.invalidate_all()
        self.assertEqual(reply.state, "returned")
        self.assertEqual(reply.rework_count, 1)
        self.assertEqual(reply.review_ids.decision, "returned")
        self.assertTrue(reply.review_ids.reason_id)
        self.assertEqual(reply.review_ids.comment, "Tour: give the date of the repair.")
        self.assertEqual(incident.state, "in_progress")

        reply.with_user(self.executor_user).write({"body": TOUR_REPLY + " On 14 May."})
        reply.with_user(self.executor_user).action_submit()
        self.start_tour(url, "social_incident_approve_tour", login=self.curator.login)
        self.env.invalidate_all()
        self.assertEqual(reply.state, "approved")
        self.assertEqual(reply.reviewer_id, self.curator)

        self.start_tour(url, "social_incident_publish_tour", login=self.executor_user.login)
        self.env.invalidate_all()
        self.assertEqual(reply.state, "published")
        self.assertEqual(reply.published_url, "https://vk.com/wall-1_4242?reply=4343")
        self.assertEqual(reply.publisher_id, self.executor_user)
        self.assertEqual(incident.state, "answered")
