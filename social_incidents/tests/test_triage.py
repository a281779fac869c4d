"""Routing suggestions (issue #15, triage): the routing dialog suggests the top three
executors and topics, each with its reason, from the administrators' keyword rules and from
where similar messages of the same administration were routed. The curator confirms."""

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import SocialIncidentsCase


@tagged("post_install", "-at_install")
class TestTriageSuggestions(SocialIncidentsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Topic = cls.env["social.incident.topic"]
        cls.topic_fountains = Topic.create({"name": "Фонтаны"})
        cls.topic_lights = Topic.create({"name": "Светофоры"})
        cls.rule = cls.env["social.triage.rule"].create(
            {
                "topic_id": cls.topic_fountains.id,
                "executor_id": cls.roads.id,
                "keywords": "фонтан\nбрызг",
            }
        )

    def dialog(self, incident, user=None):
        return Form(
            self.env["social.incident.route.wizard"]
            .with_user(user or self.curator)
            .with_context(default_incident_id=incident.id)
        )

    @staticmethod
    def lines(form, kind):
        return [
            form.suggestion_ids.edit(i)._values
            for i in range(len(form.suggestion_ids))
            if form.suggestion_ids.edit(i)._values["kind"] == kind
        ]

    def suggestions(self, incident, kind="executor", user=None):
        """[(record, reason)] of the dialog's suggestions of ``kind``, best first."""
        wizard = self.env["social.incident.route.wizard"].with_user(user or self.curator)
        values = wizard._suggestion_values(incident.with_user(user or self.curator))
        model = self.env["social.executor" if kind == "executor" else "social.incident.topic"]
        return [(model.browse(v[f"{kind}_id"]), v["reason"]) for v in values if v["kind"] == kind]

    def test_keyword_rule_ranks_its_executor_first_with_its_reason(self):
        incident = self.register(text="Фонтан на площади Победы сломан, брызги летят на тротуар.")
        executors = self.suggestions(incident)
        self.assertEqual(executors[0], (self.roads, "keywords: фонтан, брызги"))
        topics = self.suggestions(incident, "topic")
        self.assertEqual(topics[0], (self.topic_fountains, "keywords: фонтан, брызги"))
        self.assertLessEqual(len(executors), 3)
        # the curator reads the reason in Russian, ё read as е in the keywords
        self.rule.keywords = "фонтан\nбрызг\nжелт"
        incident_ru = self.register(text="Фонтан опять весь жёлтый от ржавчины.")
        self.curator.lang = "ru_RU"
        executors = self.suggestions(incident_ru.with_context(lang="ru_RU"))
        self.assertEqual(executors[0], (self.roads, "ключевые слова: фонтан, жёлтый"))

    def test_history_neighbour_executor_appears_with_its_number(self):
        # first routed to housing, which declined it (not its competence), then to schools
        earlier = self.routed(
            executors=self.housing,
            text="Светофор на перекрёстке Лесной и Полевой мигает жёлтым третий день.",
        )
        earlier.assignment_ids.with_user(self.housing_user).action_decline("Не наш вопрос")
        earlier.with_user(self.curator).action_route(self.schools)
        incident = self.register(
            text="На перекрёстке Лесной и Полевой светофор опять мигает жёлтым."
        )
        executors = self.suggestions(incident)
        self.assertIn(self.schools, [e for e, _r in executors])
        reason = dict(executors)[self.schools]
        self.assertIn(f"similar messages: {earlier.name}", reason)
        self.assertRegex(reason, r"\(similarity 0\.\d\d\)")
        # an executor that declined it is not where it belongs
        self.assertNotIn(self.housing, [e for e, _r in executors])

    def test_another_company_history_never_appears(self):
        earlier = self.routed(
            executors=self.schools,
            text="Светофор на перекрёстке Лесной и Полевой мигает жёлтым третий день.",
        )
        company_b = self.env["res.company"].create({"name": "District B"})
        curator_b = new_test_user(
            self.env,
            login="t_triage_curator_b",
            groups="base.group_user,social_incidents.group_social_curator",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        incident_b = self.register(
            user=curator_b,
            company_id=company_b.id,
            text="Светофор на перекрёстке Лесной и Полевой мигает жёлтым третий день.",
        )
        executors = self.suggestions(incident_b, user=curator_b)
        topics = self.suggestions(incident_b, "topic", user=curator_b)
        self.assertEqual(executors, [])
        self.assertNotIn(earlier.name, " ".join(r for _t, r in topics))
        # and A's own history still shows A's number to A's curator
        incident_a = self.register(text=incident_b.text)
        self.assertIn(earlier.name, dict(self.suggestions(incident_a))[self.schools])

    def test_adding_a_suggestion_adds_the_executor_and_confirm_routes_to_it(self):
        incident = self.register(text="Фонтан на площади Победы сломан, брызги летят на тротуар.")
        form = self.dialog(incident)
        self.assertFalse(form.executor_ids)
        for index in range(len(form.suggestion_ids)):
            with form.suggestion_ids.edit(index) as line:
                if line.executor_id == self.roads or line.topic_id == self.topic_fountains:
                    line.chosen = True
        self.assertEqual(form.executor_ids[:], self.roads)
        self.assertEqual(form.topic_ids[:], self.topic_fountains)
        self.assertEqual(incident.state, "new", "nothing is routed before the curator confirms")
        form.save().action_confirm()
        self.assertEqual(incident.state, "assigned")
        self.assertEqual(incident.executor_ids, self.roads)
        self.assertIn(self.topic_fountains, incident.topic_ids)

    def test_no_suggestions_for_who_cannot_route(self):
        incident = self.register(text="Фонтан на площади Победы сломан, брызги летят на тротуар.")
        with self.assertRaises(AccessError):
            self.suggestions(incident, user=self.housing_user)
        # routed to the housing department: its member reads it, and still gets no suggestion
        incident.with_user(self.curator).action_route(self.housing)
        self.assertEqual(self.suggestions(incident, user=self.housing_user), [])
