"""The publishing dialog cites the regulation the administration works under
(Settings → Deadline Regulation), never another one: under Korenovsk it says
where KOR 16 puts the reply; only under Lyambir does it allow one's own account
with a link to the author (LYA 11)."""

from odoo.addons.social_incidents.tests.common import SocialIncidentsCase


class TestPublishDialogCitation(SocialIncidentsCase):
    def publish_dialog(self, user):
        """The dialog as ``user`` opens it in Russian: an OK message, which is
        posted by hand."""
        incident = self.routed(network="ok", url="https://ok.ru/group/1/topic/2?comment=3")
        reply = self.approved(incident)
        action = reply.with_user(user).action_open_publish_wizard()
        self.assertEqual(action["res_model"], "social.incident.step.wizard")
        return (
            self.env["social.incident.step.wizard"]
            .with_user(user)
            .with_context(action["context"], lang="ru_RU")
            .create({})
        )

    def test_korenovsk_is_cited_under_the_korenovsk_regulation(self):
        self.company.social_sla_preset = "kor"
        self.assertEqual(self.company.social_reply_publisher, "executor")
        text = self.publish_dialog(self.housing_user).publish_instruction
        self.assertIn("(Кореновск, п. 16)", text)
        self.assertIn("в той социальной сети, где оно размещено", text)
        self.assertNotIn("Лямбирь", text)
        self.assertNotIn("в своём аккаунте", text)

    def test_lyambir_is_cited_under_the_lyambir_regulation(self):
        self.company.social_sla_preset = "lya"
        self.assertEqual(self.company.social_reply_publisher, "curator")  # LYA 6
        text = self.publish_dialog(self.curator).publish_instruction
        self.assertIn("в своём аккаунте со ссылкой на автора (Лямбирь, п. 11)", text)
        self.assertNotIn("Кореновск", text)

    def test_bataysk_and_akhtubinsk(self):
        self.company.social_sla_preset = "bat"
        text = self.publish_dialog(self.housing_user).publish_instruction
        self.assertIn("(Батайск, п. 10)", text)
        self.assertNotIn("Лямбирь", text)
        # Akhtubinsk says nothing of where to post: no clause is cited
        self.company.social_sla_preset = "akh"
        text = self.publish_dialog(self.housing_user).publish_instruction
        self.assertNotIn("п. ", text)
        self.assertIn("Разместите этот текст под сообщением жителя", text)

    def test_the_dialog_shows_the_citation_of_the_company(self):
        arch = self.env["social.incident.step.wizard"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn('name="publish_instruction"', arch)
        self.assertNotIn("LYA 11", arch)
