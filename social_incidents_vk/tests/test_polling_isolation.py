"""Polling: one page's failure never stops the others, the page shows it; the
connector's status and its connection check say the truth, in Russian; the
authors' names VK did not give are read later."""

from odoo.tests import TransactionCase

from .common import ConnectorMixin

LOGGER = "odoo.addons.social_incidents_vk.models.social_account_polling"


class TestPollingIsolation(ConnectorMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()

    def setUp(self):
        super().setUp()
        self.clear_fakes()

    def vk_page(self, name, **vals):
        """Another connected VK community on the same fake VK (polled before
        "Test community": the pages are polled by name)."""
        return self.env["social.account"].create(
            dict(
                {
                    "name": name,
                    "network": "vk",
                    "url": f"https://vk.com/{name.replace(' ', '_')}",
                    "vk_group_id": str(self.fake_vk.group_id),
                    "vk_api_url": self.fake_vk.url,
                    "connector_enabled": True,
                },
                **vals,
            )
        )

    def test_one_page_failing_never_stops_the_others(self):
        # A1: no token at all; A2: VK denies access; A3: VK answers what the code does not expect
        no_tokens = self.vk_page("A1 no tokens")
        refused = self.vk_page("A2 refused", vk_service_token=self.fake_vk.service_token)
        broken = self.vk_page("A3 broken answer", vk_service_token=self.fake_vk.service_token)
        self.fake_vk.fail_next("wall.get", error_code=15)
        self.fake_vk.fail_next(
            "wall.get", body={"response": {"count": 1, "items": [{"text": "без id"}]}}
        )
        post = self.fake_vk.add_post("Благоустройство")
        self.fake_vk.add_comment(post["id"], 771234567, "Когда уберут снег во дворе?")
        topic = self.fake_ok.add_topic("Дороги")
        self.fake_ok.add_comment(
            topic["id"], "571203948812", "Яма на Ленина", author_name="Ольга Ким"
        )

        with self.assertLogs(LOGGER, "ERROR") as logs:
            self.assertTrue(
                self.env["social.account"]._cron_poll(), "the scheduled job does not fail"
            )
        # the unexpected fault's traceback is in the server log, for the developers
        self.assertIn("KeyError: 'id'", "\n".join(logs.output))

        # (the fake servers keep the comments of the other tests)
        self.assertIn("Когда уберут снег во дворе?", self.incidents_of(self.vk).mapped("text"))
        self.assertIn("Яма на Ленина", self.incidents_of(self.ok).mapped("text"))
        for page in (self.vk, self.ok):
            self.assertEqual(page.connector_state, "ok")
            self.assertTrue(page.last_poll_at)
        expected = {
            no_tokens: "The page A1 no tokens has no moderator's user token",
            refused: "VK denies access (error 15)",
            broken: "Polling failed unexpectedly (KeyError",
        }
        for page, message in expected.items():
            self.assertEqual(page.connector_state, "error", page.name)
            self.assertIn(message, page.last_error)
            self.assertFalse(page.last_poll_at)
            self.assertFalse(self.incidents_of(page))
            self.assertEqual(page.connector_log_ids.mapped("operation"), ["poll"])
        # a missing token and a refusal are for an administrator to fix
        connector_type = self.env.ref("social_incidents_vk.mail_act_social_connector")
        self.assertEqual(no_tokens.activity_ids.activity_type_id, connector_type)

    def test_polling_now_shows_the_failure_of_any_kind(self):
        page = self.vk_page("A3 broken answer", vk_service_token=self.fake_vk.service_token)
        self.fake_vk.fail_next(
            "wall.get", body={"response": {"count": 1, "items": [{"text": "без id"}]}}
        )
        with self.assertLogs(LOGGER, "ERROR"):
            action = page.with_user(self.admin).action_poll_now()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("Polling failed unexpectedly (KeyError", action["params"]["message"])
        self.assertEqual(page.connector_state, "error")

    def test_status_is_not_checked_yet_until_something_happens(self):
        self.assertEqual(self.vk.connector_state, "unchecked")
        labels = dict(
            self.vk._fields["connector_state"]._description_selection(
                self.env(context={"lang": "ru_RU"})
            )
        )
        self.assertEqual(labels["unchecked"], "Ещё не проверена")
        self.assertEqual(labels["ok"], "Работает")
        self.vk.with_user(self.admin).action_test_connection()
        self.assertEqual(self.vk.connector_state, "ok")
        # a polling counts too
        self.assertEqual(self.ok.connector_state, "unchecked")
        self.env["social.account"]._cron_poll()
        self.assertEqual(self.ok.connector_state, "ok")

    def test_connection_check_answers_in_russian(self):
        self.admin.lang = "ru_RU"
        self.fake_vk.fail_next("users.get", error_code=5)
        action = self.vk.with_user(self.admin).with_context(lang="ru_RU").action_test_connection()
        self.assertEqual(
            action["params"]["message"].split("\n"),
            [
                "Ключ доступа сообщества: работает.",
                "Ключ пользователя-модератора: ВКонтакте отклонил ключ доступа (ошибка 5): "
                "администратору нужно выпустить новый.",
                "Сервисный ключ: работает.",
            ],
        )
        self.assertEqual(action["params"]["type"], "warning")
        action = self.ok.with_user(self.admin).with_context(lang="ru_RU").action_test_connection()
        self.assertEqual(action["params"]["message"], "Подключение к Одноклассникам работает.")

    def test_author_names_vk_did_not_give_are_read_by_the_next_polling(self):
        post = self.fake_vk.add_post("Новости района")
        comment = self.fake_vk.add_comment(post["id"], 771234567, "Почему не горит фонарь?")
        self.fake_vk.fail_next("users.get", http_status=502, times=10)
        incident = self.Event._vk_comments_to_incidents(
            self.vk, [dict(comment, post_id=post["id"], owner_id=-self.fake_vk.group_id)]
        )
        self.assertEqual(incident.author_id.name, "id771234567")
        self.assertIn("it will be retried", self.vk.last_error)
        self.fake_vk.clear_failures()
        self.env["social.account"]._cron_poll()
        self.assertEqual(incident.author_id.name, "Citizen 771234567")
        self.assertEqual(self.vk.connector_state, "ok")
