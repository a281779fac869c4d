"""Links are web addresses: the link of a message and the link of a published
reply open a page, whoever records them (the form, the publishing dialog, a
client over RPC). Anything else is refused with a message in the user's
language, and nothing is stored."""

from odoo.exceptions import UserError, ValidationError

from .common import SocialIncidentsCase

BAD_LINKS = (
    "не ссылка вовсе",
    "ответ опубликован",
    "vk.com/wall-1_100?reply=7",  # no scheme: the web client would make it http://…
    "ftp://vk.com/wall-1_100",
    "https://vk",
    "https://vk.com/wall-1 100",
    "javascript:alert(1)",
)
GOOD_LINKS = (
    "https://vk.com/wall-1_100?reply=7&thread=5",
    "http://ok.ru/group/1/topic/2",
    "https://кореновск.рф/новости/1",
    "http://localhost:8069/odoo",
)


class TestLinks(SocialIncidentsCase):
    def register_in_russian(self, **vals):
        """Register as the curator does in the web client, which sends the
        user's language with every call."""
        type(self)._counter += 1
        values = {
            "network": "vk",
            "text": "Фонарь у дома 12 не горит неделю.",
            "external_id": f"-1_links_{type(self)._counter}",
            **vals,
        }
        return self.Incident.with_user(self.curator).with_context(lang="ru_RU").create(values)

    def test_message_link_must_be_a_web_address(self):
        for bad in BAD_LINKS:
            with self.subTest(link=bad):
                with self.assertRaises(ValidationError) as caught:
                    self.register_in_russian(url=bad)
                self.assertIn(
                    f"Ссылка на сообщение «{bad}» — не адрес страницы", str(caught.exception)
                )
                self.assertIn("https://vk.com/wall-1_2?reply=3", str(caught.exception))
        incident = self.register_in_russian(url="https://vk.com/wall-1_100?reply=1")
        with self.assertRaises(ValidationError) as caught:
            incident.write({"url": "не ссылка вовсе"})
        self.assertIn(
            "Ссылка на сообщение «не ссылка вовсе» — не адрес страницы", str(caught.exception)
        )
        self.assertEqual(incident.url, "https://vk.com/wall-1_100?reply=1")
        for good in GOOD_LINKS:
            with self.subTest(link=good):
                incident.write({"url": good})
                self.assertEqual(incident.url, good)
        # a message found without a link stays possible (monitoring, import)
        self.assertFalse(self.register_in_russian().url)

    def test_published_reply_link_must_be_a_web_address(self):
        incident = self.routed()
        reply = self.approved(incident)
        executor = self.housing_user
        action = reply.with_user(executor).action_open_publish_wizard()
        Wizard = (
            self.env[action["res_model"]]
            .with_user(executor)
            .with_context(action["context"], lang="ru_RU")
        )
        for bad in ("ответ опубликован", "не ссылка вовсе", "wall-1_100?reply=9"):
            with self.subTest(link=bad):
                wizard = Wizard.create({"url": bad})
                with self.assertRaises(UserError) as caught:
                    wizard.action_confirm()
                self.assertIn(f"Ссылка на ответ «{bad}» — не адрес страницы", str(caught.exception))
                self.assertEqual(reply.state, "approved")
                self.assertFalse(reply.published_url)
        wizard = Wizard.create({"url": "https://vk.com/wall-1_100?reply=501"})
        wizard.action_confirm()
        self.assertEqual(reply.state, "published")
        self.assertEqual(reply.published_url, "https://vk.com/wall-1_100?reply=501")
        self.assertEqual(incident.state, "answered")
