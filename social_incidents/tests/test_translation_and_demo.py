from odoo.tests import tagged

from .common import SocialIncidentsCase


@tagged("post_install", "-at_install")
class TestTranslationAndDemo(SocialIncidentsCase):
    def test_labels_read_in_russian(self):
        self.assertTrue(self.env["res.lang"]._lang_get("ru_RU").active)
        Incident = self.Incident.with_context(lang="ru_RU")
        fields_ = Incident.fields_get(
            ["state", "importance", "executor_ids"], ["string", "selection"]
        )
        self.assertEqual(fields_["executor_ids"]["string"], "Исполнители")
        states = dict(fields_["state"]["selection"])
        self.assertEqual(states["review"], "На согласовании")
        self.assertEqual(dict(fields_["importance"]["selection"])["high"], "Повышенная")
        draft_kinds = dict(
            Incident.fields_get(["current_reply_kind"], ["selection"])["current_reply_kind"][
                "selection"
            ]
        )
        self.assertEqual(draft_kinds["final"], "Окончательный ответ")
        action = self.env.ref("social_incidents.social_incident_action").with_context(lang="ru_RU")
        self.assertEqual(action.name, "Инциденты")

    def test_error_messages_read_in_russian(self):
        incident = self.register()
        try:
            incident.with_user(self.housing_user).with_context(lang="ru_RU").action_route(
                self.roads
            )
        except Exception as error:  # noqa: BLE001
            message = str(error)
        self.assertIn("куратор", message)

    def test_demo_data_is_installed(self):
        demo = self.env.ref("social_incidents.social_executor_demo_zhkh", raise_if_not_found=False)
        self.assertTrue(demo, "demo executors are installed")
        self.assertEqual(
            self.env["social.executor"].search_count(
                [
                    ("id", "in", self.env["social.executor"].search([]).ids),
                    ("name", "not in", ["Housing", "Roads", "Schools"]),
                ]
            ),
            15,
        )
        curator = self.env["res.users"].search([("login", "=", "curator")])
        self.assertEqual(curator.lang, "ru_RU")
        states = set(self.Incident.search([]).mapped("state"))
        self.assertLessEqual(
            {
                "new",
                "assigned",
                "in_progress",
                "clarification",
                "review",
                "approved",
                "intermediate",
                "answered",
                "closed",
                "no_reply",
                "merged",
            },
            states,
        )
