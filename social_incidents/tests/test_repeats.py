"""Repeated messages (LYA 10, AKH 3.6, BAT 11): on registration the earlier incident of the
same author within the company's period, or with a similar text on the same location or
topic, is proposed to the curator, who links it or dismisses it. Nothing is linked by
itself, and a dismissed proposal is never made again."""

import json
from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..tools import clock, guard
from .common import SocialIncidentsCase

LEAK = "Во дворе дома 5 на улице Садовой прорвало трубу, вода течёт в подвал, воняет сыростью."
LEAK_AGAIN = "На Садовой, 5 прорвало трубу, вода течёт в подвал второй день."


class RepeatsCase(SocialIncidentsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.author = cls.env["social.author"].create(
            {"name": "Пётр Повторов", "network": "vk", "external_id": "t_repeat_author"}
        )
        Location = cls.env["social.incident.location"]
        cls.sadovaya = Location.create({"name": "ул. Садовая (тест)"})
        cls.lesnaya = Location.create({"name": "ул. Лесная (тест)"})

    def earlier(self, days, **vals):
        """An incident detected ``days`` days ago."""
        return self.register(detected_at=clock.now() - timedelta(days=days), **vals)

    def proposals(self, incident, user=None):
        """{(earlier incident, reason, state)} of the incident's proposals, as the curator
        sees them."""
        incident = incident.with_user(user or self.curator)
        incident.invalidate_recordset()
        return {(c.earlier_id, c.reason, c.state) for c in incident.repeat_candidate_ids}


@tagged("post_install", "-at_install")
class TestRepeats(RepeatsCase):
    def test_same_author_within_30_days_is_proposed_at_day_31_not(self):
        in_period = self.earlier(29, author_id=self.author.id, text="Когда отремонтируют крышу?")
        too_old = self.earlier(31, author_id=self.author.id, text="Где купить проездной?")
        incident = self.register(author_id=self.author.id, text="Крыша так и течёт.")
        self.assertEqual(self.proposals(incident), {(in_period, "author", "proposed")})
        self.assertNotIn(too_old, incident.repeat_candidate_ids.earlier_id)
        self.assertTrue(incident.with_user(self.curator).is_possible_repeat)
        found = self.Incident.with_user(self.curator).search([("is_possible_repeat", "=", True)])
        self.assertIn(incident, found)
        self.assertFalse(incident.repeat_of_id, "nothing is linked by itself")
        # the period is the company's setting
        self.company.social_repeat_days = 40
        later = self.register(author_id=self.author.id, text="И ещё про крышу.")
        self.assertIn(too_old, {e for e, _r, _s in self.proposals(later)})

    def test_similar_text_same_location_is_proposed_other_location_not(self):
        same_place = self.earlier(3, text=LEAK, location_id=self.sadovaya.id)
        elsewhere = self.earlier(2, text=LEAK, location_id=self.lesnaya.id)
        incident = self.register(text=LEAK_AGAIN, location_id=self.sadovaya.id)
        self.assertEqual(self.proposals(incident), {(same_place, "text", "proposed")})
        candidate = incident.repeat_candidate_ids
        self.assertGreaterEqual(candidate.score, 0.25)
        self.assertNotIn(elsewhere, candidate.earlier_id)
        # an unrelated text at the same place is not a repeat
        other = self.register(text="Когда покрасят лавочки во дворе?", location_id=self.sadovaya.id)
        self.assertFalse(other.repeat_candidate_ids)

    def test_location_set_later_proposes_once(self):
        same_place = self.earlier(3, text=LEAK, location_id=self.sadovaya.id)
        incident = self.register(text=LEAK_AGAIN)
        self.assertFalse(incident.repeat_candidate_ids)
        incident.with_user(self.curator).write({"location_id": self.sadovaya.id})
        self.assertEqual(self.proposals(incident), {(same_place, "text", "proposed")})
        # a shared topic later, and the location again: still one proposal
        topic = self.env["social.incident.topic"].create({"name": "Трубы (тест)"})
        same_place.with_user(self.curator).topic_ids = topic
        incident.with_user(self.curator).write({"topic_ids": [(4, topic.id)]})
        incident.with_user(self.curator).write({"location_id": self.sadovaya.id})
        self.assertEqual(len(incident.repeat_candidate_ids), 1)

    def test_shared_topic_within_the_period_from_either_side(self):
        pipes = self.env["social.incident.topic"].create({"name": "Трубы (тест периода)"})
        roads = self.env["social.incident.topic"].create({"name": "Дороги (тест периода)"})
        in_period = self.earlier(29, text=LEAK, topic_ids=[(6, 0, [pipes.id, roads.id])])
        too_old = self.earlier(31, text=LEAK, topic_ids=[(6, 0, [pipes.id])])
        other_topic = self.earlier(2, text=LEAK, topic_ids=[(6, 0, [roads.id])])
        incident = self.register(text=LEAK_AGAIN, topic_ids=[(6, 0, [pipes.id])])
        self.assertEqual(self.proposals(incident), {(in_period, "text", "proposed")})
        self.assertNotIn(too_old | other_topic, incident.repeat_candidate_ids.earlier_id)
        # the earlier side: an incident of 40 days ago given the topic now is proposed to
        # the later one of 11 days after it, not to today's (40 days after it)
        earlier = self.earlier(40, text=LEAK)
        earlier.with_user(self.curator).write({"topic_ids": [(4, pipes.id)]})
        self.assertIn((earlier, "text", "proposed"), self.proposals(in_period))
        self.assertNotIn(earlier, incident.repeat_candidate_ids.earlier_id)

    def test_shows_the_earlier_outcome(self):
        answered = self.routed(author_id=self.author.id, text="Когда уберут листья в сквере?")
        reply = self.published(answered)
        incident = self.register(author_id=self.author.id, text="Листья в сквере так и лежат.")
        candidate = incident.with_user(self.curator).repeat_candidate_ids
        self.assertEqual(candidate.earlier_id, answered)
        self.assertIn(reply.body, candidate.earlier_outcome)
        self.assertIn(answered.name, candidate.earlier_id.display_name)
        pending = self.register(author_id=self.author.id, text="И ещё про сквер.")
        outcomes = pending.with_user(self.curator).repeat_candidate_ids.mapped("earlier_outcome")
        self.assertIn("In progress (New)", outcomes)

    def test_link_sets_repeat_of_and_the_chatter_shows_it(self):
        earlier = self.earlier(5, author_id=self.author.id, text="Когда отремонтируют крышу?")
        incident = self.register(author_id=self.author.id, text="Крыша так и течёт.")
        candidate = incident.with_user(self.curator).repeat_candidate_ids
        self.env.cr.precommit.run()  # registered in an earlier transaction: its chatter tracks
        candidate.action_link()
        self.assertEqual(incident.repeat_of_id, earlier)
        self.assertEqual(candidate.state, "linked")
        self.assertEqual(candidate.decided_by_id, self.curator)
        self.assertFalse(incident.with_user(self.curator).is_possible_repeat)
        self.env.cr.precommit.run()  # the tracking of the transaction, as at its commit
        incident.invalidate_recordset()
        tracked = incident.message_ids.sudo().tracking_value_ids.filtered(
            lambda t: t.field_id.name == "repeat_of_id"
        )
        self.assertEqual(tracked.new_value_char, earlier.display_name)
        self.assertEqual(tracked.mail_message_id.author_id, self.curator.partner_id)
        with self.assertRaisesRegex(UserError, "already been decided"):
            candidate.action_dismiss()

    def test_dismiss_is_final(self):
        earlier = self.earlier(3, text=LEAK, location_id=self.sadovaya.id)
        incident = self.register(text=LEAK_AGAIN, location_id=self.sadovaya.id)
        incident.with_user(self.curator).repeat_candidate_ids.action_dismiss()
        self.assertEqual(self.proposals(incident), {(earlier, "text", "dismissed")})
        self.assertFalse(incident.with_user(self.curator).is_possible_repeat)
        # what made the repeat changes back and forth: never proposed again
        incident.with_user(self.curator).write({"location_id": self.lesnaya.id})
        incident.with_user(self.curator).write({"location_id": self.sadovaya.id})
        incident.with_user(self.curator).write({"author_id": self.author.id})
        earlier.with_user(self.curator).write({"author_id": self.author.id})
        self.assertEqual(self.proposals(incident), {(earlier, "text", "dismissed")})
        self.assertFalse(incident.repeat_of_id)

    def test_executor_and_other_company_cannot_decide(self):
        self.earlier(5, author_id=self.author.id, text="Когда отремонтируют крышу?")
        incident = self.routed(author_id=self.author.id, text="Крыша так и течёт.")
        candidate = incident.repeat_candidate_ids
        with self.assertRaises(AccessError):
            candidate.with_user(self.housing_user).action_link()
        with self.assertRaises(AccessError):
            candidate.with_user(self.housing_user).action_dismiss()
        company_b = self.env["res.company"].create({"name": "District B"})
        curator_b = new_test_user(
            self.env,
            login="t_repeat_curator_b",
            groups="base.group_user,social_incidents.group_social_curator",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        with self.assertRaises(AccessError):
            candidate.with_user(curator_b).action_link()
        self.assertEqual(candidate.state, "proposed")
        self.assertFalse(incident.repeat_of_id)

    def test_another_company_incident_is_never_proposed(self):
        company_b = self.env["res.company"].create({"name": "District B"})
        curator_b = new_test_user(
            self.env,
            login="t_repeat_curator_b2",
            groups="base.group_user,social_incidents.group_social_curator",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        shared_author = self.env["social.author"].create(
            {"name": "Общий автор", "network": "vk", "external_id": "t_shared", "company_id": False}
        )
        topic = self.env["social.incident.topic"].create({"name": "Трубы (тест)"})
        in_a = self.earlier(2, author_id=shared_author.id, text=LEAK, topic_ids=[(4, topic.id)])
        in_b = self.register(
            user=curator_b,
            company_id=company_b.id,
            author_id=shared_author.id,
            text=LEAK,
            topic_ids=[(4, topic.id)],
        )
        self.assertFalse(in_b.sudo().repeat_candidate_ids)
        # the same message in A is proposed, by the author and the text
        again_a = self.register(author_id=shared_author.id, text=LEAK, topic_ids=[(4, topic.id)])
        self.assertEqual(self.proposals(again_a), {(in_a, "author_text", "proposed")})
        self.assertNotIn(in_b, again_a.sudo().repeat_candidate_ids.earlier_id)

    def test_batch_registration_proposes_within_the_batch(self):
        first, second = self.Incident.with_user(self.curator).create(
            [
                {
                    "network": "vk",
                    "text": LEAK,
                    "location_id": self.sadovaya.id,
                    "detected_at": clock.now() - timedelta(hours=2),
                },
                {"network": "vk", "text": LEAK_AGAIN, "location_id": self.sadovaya.id},
            ]
        )
        self.assertEqual(self.proposals(second), {(first, "text", "proposed")})
        self.assertFalse(first.repeat_candidate_ids)


@tagged("post_install", "-at_install")
class TestRepeatsOverRpc(HttpCase, RepeatsCase):
    def call_kw(self, login, model, method, args):
        self.authenticate(login, login)
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": {}},
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        error = response.json().get("error")
        return error["data"]["message"] if error else None

    def test_executor_cannot_link_or_dismiss_over_json_rpc(self):
        self.earlier(5, author_id=self.author.id, text="Когда отремонтируют крышу?")
        incident = self.routed(author_id=self.author.id, text="Крыша так и течёт.")
        candidate = incident.repeat_candidate_ids
        model = "social.incident.repeat.candidate"
        for method in ("action_link", "action_dismiss"):
            error = self.call_kw("t_housing", model, method, [candidate.ids])
            self.assertTrue(error, f"{method} was accepted from an executor")
        error = self.call_kw("t_housing", model, "write", [candidate.ids, {"state": "linked"}])
        self.assertTrue(error)
        error = self.call_kw(
            "t_housing",
            "social.incident",
            "write",
            [incident.ids, {"repeat_of_id": candidate.earlier_id.id}],
        )
        self.assertTrue(error)
        # a curator may not write the decision either, only press the buttons
        error = self.call_kw("t_curator", model, "write", [candidate.ids, {"state": "dismissed"}])
        self.assertIn("only through the workflow", error)
        self.env.invalidate_all()
        self.assertEqual(candidate.state, "proposed")
        self.assertFalse(incident.repeat_of_id)
        # the curator's button works
        self.assertIsNone(self.call_kw("t_curator", model, "action_dismiss", [candidate.ids]))
        self.env.invalidate_all()
        self.assertEqual(candidate.state, "dismissed")


@tagged("post_install", "-at_install")
class TestRepeatsInBulk(RepeatsCase):
    """A large batch (an import) compares its texts in Python first: it proposes exactly
    what the SQL comparison of every pair proposes."""

    def test_bulk_batch_proposes_what_the_sql_comparison_proposes(self):
        from ..models import social_incident_repeat

        streets = ["ул. Жуковского", "ул. Волгоградская", "ул. Агурина"]
        problems = [
            "не вывозят мусор, контейнеры переполнены",
            "нет горячей воды третий день",
            "яма во всю полосу, пробили колесо",
            "Продам гараж, недорого",
        ]
        authors = self.env["social.author"].create(
            [{"name": f"Житель {i}", "network": "vk", "external_id": f"88{i}"} for i in range(7)]
        )
        topic = self.env["social.incident.topic"].create({"name": "Мусор (тест)"})
        start = clock.now() - timedelta(days=10)
        earlier = self.register(
            text="ул. Жуковского: не вывозят мусор, контейнеры переполнены.",
            location_id=self.sadovaya.id,
            detected_at=start - timedelta(days=1),
        )
        # registered before the batch but detected after it: it may repeat the batch's
        later = self.register(
            text="ул. Агурина: нет горячей воды третий день. № 999",
            location_id=self.sadovaya.id,
            detected_at=start + timedelta(days=2),
        )
        vals_list = []
        for index in range(social_incident_repeat.BULK_SIZE + 10):
            vals_list.append(
                {
                    "network": "vk",
                    "external_id": f"-5_{index}",
                    "text": f"{streets[index % 3]}: {problems[index % 4]}. № {index}",
                    "author_id": authors[index % 7].id,
                    "location_id": self.sadovaya.id if index % 2 else False,
                    "topic_ids": [(6, 0, topic.ids)] if index % 5 == 0 else [],
                    "detected_at": start + timedelta(minutes=7 * index),
                }
            )
        incidents = self.Incident.with_user(self.curator).create(vals_list)
        Candidate = self.env["social.incident.repeat.candidate"]

        def proposals():
            return {
                (c.incident_id.id, c.earlier_id.id, c.reason, round(c.score, 3))
                for c in Candidate.search(
                    [("incident_id", "in", (incidents | earlier | later).ids)]
                )
            }

        bulk = proposals()
        self.assertTrue(bulk)
        self.assertIn(later.id, {p[0] for p in bulk}, "the later incident repeats the batch's")
        with guard.system_write():  # the test starts over: no proposal made yet
            Candidate.search([("incident_id", "in", (incidents | later).ids)]).unlink()
        self.assertFalse(proposals())
        limit = social_incident_repeat.BULK_SIZE
        social_incident_repeat.BULK_SIZE = 10**6
        try:
            incidents._detect_repeats()
        finally:
            social_incident_repeat.BULK_SIZE = limit
        self.assertEqual(proposals(), bulk)
