"""The demo's two months of history read like real messages: a plain complaint
is answered, not closed as obscene; what is left without a reply has the
reason that fits it; the high-importance incidents are different messages."""

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
        self.assertTrue(all(i.reply_ids.filtered(lambda r: r.state == "published") for i in bus_stop))

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
            lambda i: i.no_reply_reason_id == self.env.ref("social_incidents.no_reply_reason_obscene")
        )
        self.assertIn("*****", obscene.text)  # the obscenity, masked as it is shown

    def test_high_importance_incidents_are_different_messages(self):
        high = self.history.filtered(lambda i: i.importance == "high")
        self.assertEqual(len(high), 4)
        self.assertEqual(len(set(high.mapped("text"))), len(high))
        # last month's report lists three of them
        self.assertEqual(len(set(high[1:].mapped("text"))), 3)
