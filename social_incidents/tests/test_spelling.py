"""The spelling check of the reply assistant (issue #17): the misspelt words in the panel the
executor sees while writing and the curator at review, the words it must not flag (place names,
the administration's dictionary), the server without the dictionary, and who edits the
dictionary."""

from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, tagged

from ..tools import spelling
from .common import JsonRpcMixin
from .test_reply_quality import ReplyQualityCase

MISSPELT = "Ваше абращение рассмотрено, яму заделаем до пятницы."


class TestSpelling(ReplyQualityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        speller, reason = spelling.speller()
        assert speller is not None, f"the Russian dictionary did not load: {reason}"
        cls.Word = cls.env["social.spelling.word"]

    def spelling_items(self, reply):
        html = str(reply.quality_html or "")
        return html.count('data-kind="spelling"')

    def test_the_panel_marks_a_misspelt_word_for_the_executor_and_the_curator(self):
        reply = self.draft(self.routed(), body=MISSPELT).with_user(self.housing_user)
        self.assertEqual(reply.quality_warning_count, 1)
        html = str(reply.quality_html)
        self.assertIn('data-kind="spelling"', html)
        self.assertIn("Spelling", html)
        self.assertIn('Ваше <mark class="px-1">абращение</mark> рассмотрено', html)
        self.assertIn("Not in the dictionary: perhaps «обращение»", html)
        self.assertFalse(reply.quality_blocked)
        self.assertFalse(reply.spelling_status)
        # never blocks; recorded on submission
        reply.action_submit()
        self.assertEqual(reply.state, "submitted")
        note = reply.message_ids.filtered(lambda m: "reply checks" in (m.body or ""))
        self.assertIn("Spelling: «абращение».", note.body)
        # the curator reviewing it sees the same mark, and returning proposes the spelling reason
        as_curator = reply.with_user(self.curator)
        self.assertIn('<mark class="px-1">абращение</mark>', str(as_curator.quality_html))
        context = as_curator.action_open_return_wizard()["context"]
        self.assertEqual(context["default_return_reason_id"], self.reason_spelling.id)
        self.assertIn("Spelling: «абращение».", context["default_text"])

    def test_the_panel_follows_the_text_while_writing(self):
        reply = self.draft(self.routed(), body="Яму заделаем до пятницы.")
        with Form(reply.with_user(self.housing_user)) as form:
            self.assertEqual(form.quality_warning_count, 0)
            form.body = "Яму заделаем до пятницы, кантейнер вывезем завтра."
            self.assertEqual(form.quality_warning_count, 1)
            self.assertIn('<mark class="px-1">кантейнер</mark>', str(form.quality_html))
            self.assertIn("«контейнер»", str(form.quality_html))

    def test_what_the_panel_does_not_flag(self):
        text = (
            "Здравствуйте, Анна! Ещё раз приносим извинения: осмотр МКД по ул. Ленина д. 5 "
            "провёл инженер Ковальчук, предписание ЖКХ выдано, ямочный ремонт сделаем до "
            "пятницы. Подробнее: https://adm-akhtubinsk.ru/news/5 или priemnaya@adm.ru."
        )
        reply = self.draft(self.routed(), body=text)
        self.assertEqual(self.spelling_items(reply), 0, reply.quality_html)

    def test_a_street_name_of_a_location_is_known(self):
        reply = self.draft(self.routed(), body="Верхнезаводскую заасфальтируем до пятницы.")
        self.assertEqual(self.spelling_items(reply), 1)
        self.env["social.incident.location"].with_user(self.admin_user).create(
            {"name": "ул. Верхнезаводская", "kind": "street"}
        )
        reply.invalidate_recordset()
        self.assertEqual(self.spelling_items(reply), 0, reply.quality_html)

    def test_a_word_the_administrator_adds_is_then_recognised(self):
        reply = self.draft(self.routed(), body="Кюветирование проведём до пятницы.")
        self.assertEqual(self.spelling_items(reply), 1)
        word = self.Word.with_user(self.admin_user).create({"name": " кюветирование "})
        self.assertEqual(word.name, "кюветирование")
        self.assertEqual(word.company_id, self.company)
        reply.invalidate_recordset()
        self.assertEqual(self.spelling_items(reply), 0, reply.quality_html)
        # archived, it is flagged again
        word.with_user(self.admin_user).active = False
        reply.invalidate_recordset()
        self.assertEqual(self.spelling_items(reply), 1)
        with self.assertRaises(ValidationError):
            self.Word.with_user(self.admin_user).create({"name": "два слова"})

    def test_a_word_of_another_municipality_does_not_count(self):
        other = self.env["res.company"].create({"name": "Другое МО"})
        self.Word.create({"name": "кюветирование", "company_id": other.id})
        reply = self.draft(self.routed(), body="Кюветирование проведём до пятницы.")
        self.assertEqual(self.spelling_items(reply), 1)

    def test_the_shipped_words(self):
        self.assertGreaterEqual(self.Word.search_count([]), 20)
        reply = self.draft(
            self.routed(),
            body="Грейдирование и подсыпку проведём в пн, ливнёвку в северо-западном р-не "
            "прочистят до пятницы.",
        )
        self.assertEqual(self.spelling_items(reply), 0, reply.quality_html)

    def test_without_the_dictionary_the_panel_says_so_and_the_other_checks_run(self):
        for reason, says in [
            (spelling.NO_BINDING, "the hunspell Python package is not installed"),
            (spelling.NO_DICTIONARY, "(Debian package hunspell-ru) is not installed"),
            (f"{spelling.LOAD_FAILED}: bad .aff", "could not be loaded (bad .aff)"),
        ]:
            with (
                self.subTest(reason=reason),
                patch.object(spelling, "speller", return_value=(None, reason)),
            ):
                reply = self.draft(self.routed(), body="В целях обеспечения абращение закрыто.")
                reply = reply.with_user(self.housing_user)
                self.assertIn("Spelling not checked: ", reply.spelling_status)
                self.assertIn(says, reply.spelling_status)
                html = str(reply.quality_html)
                self.assertIn('data-kind="bureaucratese"', html)
                self.assertNotIn('data-kind="spelling"', html)
                reply.action_submit()
                self.assertEqual(reply.state, "submitted")


@tagged("post_install", "-at_install")
class TestSpellingDictionaryOverRpc(JsonRpcMixin, HttpCase, ReplyQualityCase):
    def test_only_an_administrator_edits_the_dictionary(self):
        model = "social.spelling.word"
        word = self.env[model].create({"name": "кюветирование"})
        for login, method, args in [
            (self.curator.login, "create", [{"name": "обкос"}]),
            (self.curator.login, "write", [word.ids, {"name": "абращение"}]),
            (self.curator.login, "unlink", [word.ids]),
            (self.housing_user.login, "create", [{"name": "обкос"}]),
            (self.housing_user.login, "search_read", [[], ["name"]]),
            (self.head.login, "create", [{"name": "обкос"}]),
        ]:
            with self.subTest(login=login, method=method):
                result, error = self.call_kw(login, model, method, args)
                self.assertTrue(error, f"{login} {method} answered {result!r}")
        self.assertEqual(word.name, "кюветирование")
        self.assertFalse(self.env[model].search([("name", "=", "обкос")]))
        # the curator reads it
        result, error = self.call_kw(
            self.curator.login, model, "search_read", [[("id", "=", word.id)], ["name"]]
        )
        self.assertIsNone(error)
        self.assertEqual(result, [{"id": word.id, "name": "кюветирование"}])
        # the administrator edits it
        result, error = self.call_kw(self.admin_user.login, model, "create", [{"name": "обкос"}])
        self.assertIsNone(error)
        _result, error = self.call_kw(self.admin_user.login, model, "unlink", [word.ids])
        self.assertIsNone(error)
        self.assertFalse(word.exists())


class TestSpellingAccess(ReplyQualityCase):
    def test_a_curator_reads_but_does_not_edit(self):
        Word = self.env["social.spelling.word"]
        self.assertTrue(Word.with_user(self.curator).search_count([]))
        with self.assertRaises(AccessError):
            Word.with_user(self.curator).create({"name": "обкос"})
        with self.assertRaises(AccessError):
            Word.with_user(self.housing_user).search_count([])
