"""The demo's two months of history read like real messages: a plain complaint
is answered, not closed as obscene; what is left without a reply has the
reason that fits it; the high-importance incidents are different messages; an
author who writes again says so, is answered so, and a repeat is marked as the
repeat of that author's earlier message."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoHistory(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.history = cls.env["social.incident"].search(
            [("external_id", "=like", "demo-history-%")], order="detected_at"
        )

    def test_history_has_its_44_incidents(self):
        # README: "44 closed incidents of the two months before"
        self.assertEqual(len(self.history), 44)
        self.assertEqual(set(self.history.mapped("state")), {"closed", "no_reply"})

    def test_plain_messages_are_answered_not_closed_as_obscene(self):
        bus_stop = self.history.filtered(lambda i: i.text.startswith("Остановку на Чкалова снесли"))
        self.assertTrue(bus_stop)
        self.assertEqual(set(bus_stop.mapped("state")), {"closed"})
        self.assertTrue(
            all(i.reply_ids.filtered(lambda r: r.state == "published") for i in bus_stop)
        )

        unanswered = self.history.filtered(lambda i: i.state == "no_reply")
        self.assertEqual(len(unanswered), 3)
        self.assertEqual(len(set(unanswered.mapped("text"))), 3)
        self.assertEqual(
            set(unanswered.mapped("no_reply_reason_id")),
            {
                self.env.ref("social_incidents.no_reply_reason_obscene"),
                self.env.ref("social_incidents.no_reply_reason_threat"),
                self.env.ref("social_incidents.no_reply_reason_not_about"),
            },
        )
        answered_texts = set((self.history - unanswered).mapped("text"))
        for incident in unanswered:
            self.assertNotIn(incident.text, answered_texts)
        obscene = unanswered.filtered(
            lambda i: i.no_reply_reason_id
            == self.env.ref("social_incidents.no_reply_reason_obscene")
        )
        self.assertIn("*****", obscene.text)  # the obscenity, masked as it is shown

    def test_high_importance_incidents_are_different_messages(self):
        high = self.history.filtered(lambda i: i.importance == "high")
        self.assertEqual(len(high), 4)
        self.assertEqual(len(set(high.mapped("text"))), len(high))
        # last month's report lists three of them
        self.assertEqual(len(set(high[1:].mapped("text"))), 3)

    def test_an_author_never_writes_or_is_answered_the_same_words_twice(self):
        # The author's history (Сообщения автора) lists an author's messages and our replies:
        # a message written again says so, and its reply says it was checked again.
        for author in self.history.author_id:
            mine = self.history.filtered(lambda i, a=author: i.author_id == a)
            self.assertEqual(len(set(mine.mapped("text"))), len(mine), author.name)
            finals = mine.reply_ids.filtered(lambda r: r.kind == "final" and r.state == "published")
            self.assertEqual(len(set(finals.mapped("body"))), len(finals), author.name)
        again = self.history.filtered(lambda i: i.text.startswith("Пишу повторно. "))
        self.assertGreaterEqual(len(again), 5)
        for incident in again:
            first = self.history.filtered(
                lambda i, a=incident: i.author_id == a.author_id and a.text.endswith(" " + i.text)
            )
            self.assertEqual(len(first), 1, incident.text)
            self.assertLess(first.detected_at, incident.detected_at)
            reply = incident.reply_ids.filtered(
                lambda r: r.kind == "final" and r.state == "published"
            )
            self.assertIn("повторно проверили", reply.body)

    def test_a_repeat_is_the_same_author_writing_again(self):
        repeats = self.history.filtered("repeat_of_id")
        self.assertEqual(len(repeats), 3)
        for repeat in repeats:
            earlier = repeat.repeat_of_id
            self.assertIn(earlier, self.history)
            self.assertEqual(earlier.author_id, repeat.author_id)
            self.assertTrue(repeat.text.endswith(" " + earlier.text), repeat.text)
            self.assertNotEqual(repeat.text, earlier.text)
            # written again after the first one was answered and closed
            self.assertLess(earlier.closed_at, repeat.detected_at)
