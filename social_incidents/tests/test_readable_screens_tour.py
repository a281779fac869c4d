"""Readable screens at 1366 × 768, in the browser (issue #13): nothing that
matters is cut in the lists and the routing tab, executors are found and
shown by their short names, «My Incidents» shows the user's own deadline,
and the author's history opens from an incident.

The tours are in static/tests/tours/social_readable_screens_tour.js. Nothing
here relies on demo data.
"""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.social_incidents.tools import clock

INCIDENTS = "/odoo/action-social_incidents.social_incident_action"
MY_INCIDENTS = "/odoo/action-social_incidents.social_incident_action_mine"
EXECUTORS = "/odoo/action-social_incidents.social_executor_action"
REPLIES = "/odoo/action-social_incidents.social_incident_reply_action"
VIOLATIONS = "/odoo/action-social_incidents.social_sla_violation_action"
# the summary of the list is cut at 90 characters: a message longer than that
LONG_TEXT = (
    "Во дворе дома 14 по улице Николая Островского третью неделю не вывозят мусор, "
    "контейнеры переполнены, крысы бегают по детской площадке, просим срочно принять меры."
)


@tagged("post_install", "-at_install")
class TestReadableScreensTour(HttpCase):
    browser_size = "1366x768"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        company = cls.env.company
        today = fields.Date.context_today(cls.env["res.users"])
        cls.env["social.production.year"]._load_years([today.year, today.year + 1])
        company._apply_social_sla_preset("kor")
        company.social_reply_publisher = "executor"

        def user(login, group):
            return new_test_user(
                cls.env,
                login=login,
                name=login.replace("_", " ").title(),
                lang="ru_RU",
                tz="Europe/Moscow",
                groups=f"base.group_user,social_incidents.{group}",
            )

        cls.curator = user("readable_curator", "group_social_curator")
        company.social_curator_id = cls.curator
        cls.user_a = user("readable_exec_a", "group_social_executor")
        cls.user_b = user("readable_exec_b", "group_social_executor")
        Executor = cls.env["social.executor"]
        cls.unit_a = Executor.create(
            {
                "name": "Управление благоустройства и дорожного хозяйства",
                "short_name": "УБДХ",
                "member_ids": [(6, 0, cls.user_a.ids)],
            }
        )
        cls.unit_b = Executor.create(
            {
                "name": "Отдел по безопасности жизнедеятельности населения",
                "short_name": "ОБЖ",
                "member_ids": [(6, 0, cls.user_b.ids)],
            }
        )
        cls.Incident = cls.env["social.incident"].with_user(cls.curator)

    def register(self, **vals):
        values = {"network": "vk", "text": LONG_TEXT, **vals}
        return self.Incident.create(values)

    def consolidated(self):
        incident = self.register(external_id="readable-1")
        incident.action_route(self.unit_a | self.unit_b, lead=self.unit_a)
        return incident

    def test_list_and_routing_tab_are_not_cut(self):
        self.consolidated()
        self.start_tour(INCIDENTS, "social_incident_list_readable_tour", login=self.curator.login)

    def test_replies_list_is_not_cut(self):
        incident = self.consolidated()
        incident.assignment_ids.filtered(lambda a: a.executor_id == self.unit_a).with_user(
            self.user_a
        ).action_accept()
        reply = (
            self.env["social.incident.reply"]
            .with_user(self.user_a)
            .create(
                {"incident_id": incident.id, "kind": "final", "body": "\n\n".join([LONG_TEXT] * 4)}
            )
        )
        reply.action_submit()
        self.start_tour(REPLIES, "social_reply_list_readable_tour", login=self.curator.login)

    def test_missed_deadlines_list_is_not_cut(self):
        # detected a week ago and routed only now: the routing step and, at the
        # watchdog, the executor's draft step are missed
        incident = self.register(
            external_id="readable-late", detected_at=clock.now() - timedelta(days=7)
        )
        incident.action_route(self.unit_a)
        self.env["social.incident.deadline"]._cron_watchdog(batch_size=10000)
        violations = self.env["social.sla.violation"].search([("incident_id", "=", incident.id)])
        self.assertIn(
            self.unit_a,
            violations.executor_id,
            "nothing of the executor's was missed: nothing is tested",
        )
        self.start_tour(VIOLATIONS, "social_violation_list_readable_tour", login=self.curator.login)

    def test_executor_found_by_short_name(self):
        self.start_tour(
            EXECUTORS, "social_executor_short_name_search_tour", login=self.curator.login
        )
        incident = self.register(external_id="readable-2")
        self.start_tour(
            f"{INCIDENTS}/{incident.id}",
            "social_route_by_short_name_tour",
            login=self.curator.login,
        )
        self.assertEqual(incident.assignment_ids.executor_id, self.unit_a)

    def test_my_incidents_show_my_own_deadline(self):
        incident = self.consolidated()
        mine = incident.with_user(self.user_a)
        line_a = incident.assignment_ids.filtered(lambda a: a.executor_id == self.unit_a)
        line_b = incident.assignment_ids.filtered(lambda a: a.executor_id == self.unit_b)
        # the unit giving information is due first: the incident's nearest deadline is its
        self.assertEqual(incident.sla_deadline, line_b.sla_deadline)
        self.assertLess(line_b.sla_deadline, line_a.sla_deadline)
        self.assertEqual(mine.my_deadline, line_a.sla_deadline)
        self.start_tour(MY_INCIDENTS, "social_my_incidents_deadline_tour", login=self.user_a.login)

    def test_author_history_opens_from_the_incident(self):
        author = self.env["social.author"]._find_or_create("vk", "id777001", "Мария Лебедева")
        now = clock.now()
        first = self.register(
            external_id="readable-3",
            author_id=author.id,
            text="Яма на Ленина, 5.",
            detected_at=now - timedelta(days=2),
        )
        first.action_route(self.unit_a)
        reply = (
            self.env["social.incident.reply"]
            .with_user(self.user_a)
            .create({"incident_id": first.id, "body": "Яму заделаем до пятницы."})
        )
        reply.action_submit()
        reply.with_user(self.curator).action_approve()
        reply.action_mark_published("https://vk.com/wall-1_5?reply=6")
        second = self.register(external_id="readable-4", author_id=author.id, text="Опять яма!")
        second.action_no_reply(self.env.ref("social_incidents.no_reply_reason_obscene"))
        self.start_tour(
            f"{INCIDENTS}/{second.id}", "social_author_history_tour", login=self.curator.login
        )
