"""Abusive messages (AKH 3.7, KOR 21): the incident is flagged on registration and when its
text changes, the no-reply reason is proposed with its legal basis, and nothing is closed
until the curator confirms the “No Reply” dialog."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user

from .common import SocialIncidentsCase


class TestAbuse(SocialIncidentsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.no_reply_threat = cls.env.ref("social_incidents.no_reply_reason_threat")
        cls.admin = new_test_user(
            cls.env,
            login="t_abuse_admin",
            groups="base.group_user,social_incidents.group_social_admin",
        )

    def test_masked_obscenity_flags_the_incident_with_the_obscene_reason(self):
        incident = self.register(text="Вы там совсем о***ели? Яма на Ленина третий месяц!")
        self.assertTrue(incident.abuse_flag)
        self.assertEqual(incident.abuse_category, "obscenity")
        self.assertEqual(incident.abuse_words, "о*****и")
        self.assertEqual(incident.abuse_reason_id, self.no_reply_obscene)
        self.assertEqual(incident.abuse_legal_basis, "AKH 3.7; KOR annex 2, cl. 21")
        # flagged, never closed by itself
        self.assertEqual(incident.state, "new")
        self.assertFalse(incident.no_reply_reason_id)

    def test_lookalikes_and_spaced_letters_flag_too(self):
        incident = self.register(text="Глава — cyкa, а зам его х.у.й что сделает")
        self.assertEqual(incident.abuse_words, "c**a, х*й")
        # obscenity outranks an insult; both give the same reason
        self.assertEqual(incident.abuse_category, "obscenity")
        self.assertEqual(incident.abuse_reason_id, self.no_reply_obscene)

    def test_a_threat_proposes_the_threat_reason(self):
        incident = self.register(text="Если не починят дорогу, я главу убью и кабинет подожгу.")
        self.assertEqual(incident.abuse_category, "threat")
        self.assertEqual(incident.abuse_reason_id, self.no_reply_threat)
        self.assertEqual(incident.abuse_words, "у**ю, п*****у")

    def test_clean_text_is_not_flagged(self):
        clean = self.register(
            text="Прошу не оскорблять жителей: команда дворников не приходила, хлеба не купить."
        )
        dirty = self.register(text="б**дь, опять свет отключили")
        self.assertFalse(clean.abuse_flag)
        self.assertFalse(clean.abuse_words)
        self.assertFalse(clean.abuse_reason_id)
        # the search filter “Abusive”
        found = self.Incident.with_user(self.curator).search(
            [("abuse_flag", "=", True), ("id", "in", (clean | dirty).ids)]
        )
        self.assertEqual(found, dirty)

    def test_text_change_flags_and_unflags(self):
        incident = self.register(text="Когда уберут снег во дворе?")
        self.assertFalse(incident.abuse_flag)
        incident.with_user(self.curator).text = "Когда уберут снег, дебилы?"
        self.assertTrue(incident.abuse_flag)
        self.assertEqual(incident.abuse_category, "insult")
        incident.with_user(self.curator).text = "Когда уберут снег?"
        self.assertFalse(incident.abuse_flag)

    def test_banner_button_opens_the_dialog_prefilled_and_nothing_closes_before_confirm(self):
        incident = self.register(text="Я вам кабинет подожгу, если не уберёте мусор")
        action = incident.with_user(self.curator).action_open_abuse_no_reply_wizard()
        self.assertEqual(action["res_model"], "social.incident.step.wizard")
        self.assertEqual(action["target"], "new")
        Wizard = self.env["social.incident.step.wizard"].with_user(self.curator)
        dialog = Form(Wizard.with_context(**action["context"]))
        self.assertEqual(dialog.step, "no_reply")
        self.assertEqual(dialog.no_reply_reason_id, self.no_reply_threat)
        self.assertEqual(dialog.no_reply_legal_basis, "AKH 3.7; KOR annex 2, cl. 21")
        wizard = dialog.save()
        # the dialog is open: the incident is not closed yet
        self.assertEqual(incident.state, "new")
        # the curator may choose another reason before confirming
        wizard.no_reply_reason_id = self.no_reply_obscene
        wizard.action_confirm()
        self.assertEqual(incident.state, "no_reply")
        self.assertEqual(incident.no_reply_reason_id, self.no_reply_obscene)

    def test_the_button_is_the_curators_and_only_for_flagged_open_incidents(self):
        incident = self.routed(text="Ублюдки, когда почините трубу?")
        with self.assertRaises(UserError):
            incident.with_user(self.housing_user).action_open_abuse_no_reply_wizard()
        clean = self.register()
        with self.assertRaisesRegex(UserError, "No abusive words"):
            clean.with_user(self.curator).action_open_abuse_no_reply_wizard()
        incident.with_user(self.curator).action_no_reply(self.no_reply_obscene)
        with self.assertRaisesRegex(UserError, "already finished"):
            incident.with_user(self.curator).action_open_abuse_no_reply_wizard()

    def test_the_flag_is_the_servers(self):
        incident = self.register(text="Мрази, верните автобус!")
        with self.assertRaisesRegex(UserError, "only through the workflow"):
            incident.with_user(self.curator).write({"abuse_flag": False})
        with self.assertRaisesRegex(UserError, "only through the workflow"):
            self.register(text="Спасибо за дорогу", abuse_flag=True)
        self.assertTrue(incident.abuse_flag)

    def test_form_shows_the_banner_with_the_button(self):
        arch = self.Incident.with_user(self.curator).get_view(view_type="form")["arch"]
        self.assertIn('name="abuse_banner"', arch)
        self.assertIn("action_open_abuse_no_reply_wizard", arch)
        self.assertIn('name="abuse_legal_basis"', arch)
        search = self.Incident.with_user(self.curator).get_view(view_type="search")["arch"]
        self.assertIn('name="abusive"', search)

    def test_administrators_edit_the_list_and_curators_read_it(self):
        Term = self.env["social.abuse.term"]
        self.assertTrue(Term.with_user(self.curator).search_count([]) > 80)
        with self.assertRaises(AccessError):
            Term.with_user(self.curator).create(
                {"name": "бюрократ", "category": "insult", "no_reply_reason_id": 1}
            )
        Term.with_user(self.admin).create(
            {
                "name": "бюрократ",
                "category": "insult",
                "no_reply_reason_id": self.no_reply_obscene.id,
                "exceptions": "бюрократия",
                "company_id": self.company.id,
            }
        )
        self.assertTrue(self.register(text="Бюрократы проклятые!").abuse_flag)
        self.assertFalse(self.register(text="Бюрократия заела, справку ждём месяц").abuse_flag)

    def test_a_change_of_the_list_does_not_rewrite_registered_incidents(self):
        incident = self.register(text="Мудаки, где автобус?")
        self.assertTrue(incident.abuse_flag)
        self.env.ref("social_incidents.abuse_term_obscenity_mudak").with_user(
            self.admin
        ).active = False
        self.env.invalidate_all()
        self.assertTrue(incident.abuse_flag)
        self.assertFalse(self.register(text="Мудаки, где автобус?").abuse_flag)

    def test_bad_terms_are_refused_in_plain_words(self):
        Term = self.env["social.abuse.term"].with_user(self.admin)
        for vals in (
            {"name": "х у"},
            {"name": "б"},
            {"name": "б**"},
            {"name": "манда", "exceptions": "команда"},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                Term.create(
                    dict(
                        {"category": "obscenity", "no_reply_reason_id": self.no_reply_obscene.id},
                        **vals,
                    )
                )

    def test_a_deleted_reason_leaves_the_word_and_the_category_reason_is_proposed(self):
        reason = (
            self.env["social.no_reply.reason"]
            .with_user(self.admin)
            .create({"name": "Оскорбление должностного лица", "legal_basis": "KOR 21"})
        )
        term = (
            self.env["social.abuse.term"]
            .with_user(self.admin)
            .create({"name": "бюрократ", "category": "insult", "no_reply_reason_id": reason.id})
        )
        self.assertEqual(self.register(text="Бюрократы!").abuse_reason_id, reason)
        reason.with_user(self.admin).unlink()
        self.assertTrue(term.exists())
        self.assertFalse(term.no_reply_reason_id)
        self.assertEqual(self.register(text="Бюрократы!").abuse_reason_id, self.no_reply_obscene)
