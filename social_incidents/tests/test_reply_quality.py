"""The reply quality assistant (issue #17): warnings on the draft while it is written and at
review, the server's checks on submission, the restricted mark that blocks until a curator
allows it, and the return reason and comment proposed from the findings."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import JsonRpcMixin, SocialIncidentsCase

BUREAUCRATIC = "В целях обеспечения безопасности яму заделаем до пятницы."
RESTRICTED = "Схема ремонта (для служебного пользования) прилагается, яму заделаем до пятницы."


class ReplyQualityCase(SocialIncidentsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin_user = new_test_user(
            cls.env,
            login="t_social_admin",
            groups="base.group_user,social_incidents.group_social_admin",
        )
        cls.reason_format = cls.env.ref("social_incidents.return_reason_format")


class TestReplyQuality(ReplyQualityCase):
    def test_the_panel_shows_each_finding_highlighted_with_its_explanation(self):
        reply = self.draft(self.routed(), body=BUREAUCRATIC).with_user(self.housing_user)
        self.assertEqual(reply.quality_warning_count, 1)
        self.assertFalse(reply.quality_blocked)
        html = str(reply.quality_html)
        self.assertIn('data-kind="bureaucratese"', html)
        self.assertIn("Bureaucratese", html)
        self.assertIn('<mark class="px-1">В целях обеспечения</mark>', html)
        self.assertIn("Write it in plain words, e.g. “чтобы”.", html)
        # the curator reviewing it sees the same panel
        reply.action_submit()
        self.assertIn("В целях обеспечения", str(reply.with_user(self.curator).quality_html))

    def test_a_plain_reply_has_no_panel(self):
        reply = self.draft(self.routed(), body="Яму на Ленина заделаем до пятницы, 14 мая.")
        self.assertEqual(reply.quality_warning_count, 0)
        self.assertFalse(reply.quality_html)

    def test_the_panel_follows_the_text_while_writing(self):
        reply = self.draft(self.routed(), body="Яму заделаем до пятницы.")
        with Form(reply.with_user(self.housing_user)) as form:
            self.assertEqual(form.quality_warning_count, 0)
            form.body = "Спасибо, вопрос находится на контроле."
            self.assertEqual(form.quality_warning_count, 2)
            self.assertIn("none of these was found", str(form.quality_html))
            self.assertIn("«до 15 мая»", str(form.quality_html))
            form.kind = "intermediate"
            self.assertEqual(form.quality_warning_count, 1)

    def test_length_against_the_incidents_network(self):
        incident = self.routed(network="telegram")
        reply = self.draft(incident, body="Яму заделали 5 мая. " * 250)
        self.assertIn('data-kind="too_long"', str(reply.quality_html))
        self.assertIn("Telegram takes 4096 at most", str(reply.quality_html))

    def test_warnings_never_block_and_are_recorded_on_submission(self):
        body = (
            "Доводим до вашего сведения: по ст. 12 Правил, п. 3.2 Правил и Жилищному кодексу "
            "РФ вопрос находится на контроле."
        )
        reply = self.draft(self.routed(), body=body)
        reply.with_user(self.housing_user).action_submit()
        self.assertEqual(reply.state, "submitted")
        note = reply.message_ids.filtered(lambda m: "reply checks" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("3 citations of legal acts: leave two at most.", note.body)
        self.assertIn("«Доводим до вашего сведения»", note.body)
        self.assertIn("No date or term", note.body)

    def test_a_restricted_mark_blocks_until_a_curator_allows_it(self):
        reply = self.draft(self.routed(), body=RESTRICTED)
        self.assertTrue(reply.quality_blocked)
        self.assertIn('data-kind="restricted"', str(reply.quality_html))
        with self.assertRaisesRegex(UserError, "«для служебного пользования»"):
            reply.with_user(self.housing_user).action_submit()
        self.assertEqual(reply.state, "draft")

        # nobody but a curator allows it, and never by writing the record
        with self.assertRaisesRegex(UserError, "Only a curator"):
            reply.with_user(self.housing_user).action_allow_restricted("Можно")
        with self.assertRaisesRegex(UserError, "Only a curator"):
            reply.with_user(self.housing_user).action_open_allow_restricted_wizard()
        with self.assertRaises(UserError):  # an AccessError is one
            reply.with_user(self.housing_user).write(
                {"restricted_allowed_marks": "для служебного пользования"}
            )
        with self.assertRaises(UserError):  # an AccessError is one
            reply.with_user(self.curator).write(
                {"restricted_allowed_by": self.curator.id, "restricted_allowed_comment": "x"}
            )
        with self.assertRaisesRegex(UserError, "Say why"):
            reply.with_user(self.curator).action_allow_restricted("  ")
        self.assertFalse(reply.restricted_allowed_by)

        # the curator allows it through the dialog, with a comment
        action = reply.with_user(self.curator).action_open_allow_restricted_wizard()
        wizard = (
            self.env["social.incident.step.wizard"]
            .with_user(self.curator)
            .with_context(**action["context"])
            .create({"text": "Гриф снят 1 марта, схема опубликована на сайте."})
        )
        wizard.action_confirm()
        self.assertEqual(reply.restricted_allowed_by, self.curator)
        self.assertTrue(reply.restricted_allowed_at)
        self.assertEqual(
            reply.restricted_allowed_comment, "Гриф снят 1 марта, схема опубликована на сайте."
        )
        self.assertFalse(reply.quality_blocked)
        self.assertIn("allowed by T Curator", str(reply.quality_html))
        self.assertIn("Restricted marks allowed:", reply.message_ids[0].body)

        # a new mark blocks again; the allowed one does not
        reply.with_user(self.housing_user).write({"body": RESTRICTED + " Секретно."})
        with self.assertRaisesRegex(UserError, "«секретно»"):
            reply.with_user(self.housing_user).action_submit()
        reply.with_user(self.housing_user).write({"body": RESTRICTED})
        reply.with_user(self.housing_user).action_submit()
        self.assertEqual(reply.state, "submitted")

    def test_allowing_needs_a_mark_and_an_open_draft(self):
        reply = self.draft(self.routed(), body="Яму заделаем до пятницы.")
        with self.assertRaisesRegex(UserError, "no mark"):
            reply.with_user(self.curator).action_allow_restricted("Можно")
        reply.with_user(self.housing_user).action_submit()
        reply.with_user(self.curator).action_approve()
        with self.assertRaisesRegex(UserError, "not approved yet"):
            reply.with_user(self.curator).action_allow_restricted("Можно")

    def test_returning_proposes_the_reason_and_a_comment_from_the_findings(self):
        body = "В целях обеспечения безопасности вопрос находится на контроле."
        reply = self.draft(self.routed(), body=body)
        reply.with_user(self.housing_user).action_submit()
        action = reply.with_user(self.curator).action_open_return_wizard()
        wizard = Form(
            self.env["social.incident.step.wizard"]
            .with_user(self.curator)
            .with_context(**action["context"])
        )
        self.assertEqual(wizard.return_reason_id, self.reason_format)
        self.assertIn("Bureaucratese: «В целях обеспечения»", wizard.text)
        self.assertIn("No date or term", wizard.text)
        # the curator changes them as they like
        wizard.return_reason_id = self.reason_spelling
        wizard.text = "Исправьте «заделаем»."
        wizard.save().action_confirm()
        self.assertEqual(reply.state, "returned")
        self.assertEqual(reply.review_ids.reason_id, self.reason_spelling)
        self.assertEqual(reply.review_ids.comment, "Исправьте «заделаем».")

    def test_returning_a_clean_draft_proposes_nothing(self):
        reply = self.draft(self.routed(), body="Яму заделаем до пятницы, 14 мая.")
        reply.with_user(self.housing_user).action_submit()
        context = reply.with_user(self.curator).action_open_return_wizard()["context"]
        self.assertNotIn("default_return_reason_id", context)
        self.assertNotIn("default_text", context)

    def test_administrators_edit_the_phrase_list(self):
        Phrase = self.env["social.reply.phrase"]
        with self.assertRaises(AccessError):
            Phrase.with_user(self.curator).create({"name": "в разрезе"})
        Phrase.with_user(self.admin_user).create({"name": "в разрезе", "suggestion": "по"})
        reply = self.draft(self.routed(), body="В разрезах улиц яму заделаем до пятницы.")
        self.assertIn("e.g. “по”", str(reply.quality_html))
        Phrase.with_user(self.admin_user).search([("name", "=", "в разрезе")]).active = False
        reply.invalidate_recordset()
        self.assertFalse(reply.quality_html)
        self.assertGreaterEqual(Phrase.search_count([]), 40)


@tagged("post_install", "-at_install")
class TestReplyQualityOverRpc(JsonRpcMixin, HttpCase, ReplyQualityCase):
    def test_only_a_curator_allows_a_restricted_mark_over_json_rpc(self):
        reply = self.draft(self.routed(), body=RESTRICTED)
        model = "social.incident.reply"
        for method, args in [
            ("action_allow_restricted", [reply.ids, "Можно"]),
            ("write", [reply.ids, {"restricted_allowed_marks": "для служебного пользования"}]),
            ("write", [reply.ids, {"restricted_allowed_by": self.housing_user.id}]),
        ]:
            with self.subTest(method=method, args=args):
                result, error = self.call_kw(self.housing_user.login, model, method, args)
                self.assertTrue(error, f"{method} answered {result!r}")
        _result, error = self.call_kw(self.housing_user.login, model, "action_submit", [reply.ids])
        self.assertIn("restricted information", error)
        # the curator cannot forge the record either, only run the action
        _result, error = self.call_kw(
            self.curator.login, model, "write", [reply.ids, {"restricted_allowed_by": 1}]
        )
        self.assertTrue(error)
        result, error = self.call_kw(
            self.curator.login, model, "action_allow_restricted", [reply.ids, "Гриф снят."]
        )
        self.assertIsNone(error)
        self.assertTrue(result)
        result, error = self.call_kw(self.housing_user.login, model, "action_submit", [reply.ids])
        self.assertIsNone(error)
        reply.invalidate_recordset()
        self.assertEqual(reply.state, "submitted")
        self.assertEqual(reply.restricted_allowed_by, self.curator)
