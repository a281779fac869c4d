"""One transition, several records: each routing line, each incident and each
user gets its own deadline and activity (the deadlines and activities of a
transition are written in one batch).

Korenovsk rules on the test administration's hours (Monday to Friday,
9:00-13:00 and 14:00-18:00, Moscow time): see test_sla.py.
"""

from datetime import date

from .test_sla import SlaCase, at, msk


class TestTransitionsOverSeveralRecords(SlaCase):
    def open_rows(self, incident):
        """{(step, executor name or ''): deadline} of the incident's open rows."""
        return {
            (row.step, row.executor_id.name or ""): row.deadline
            for row in incident.deadline_ids.filtered(lambda d: d.state == "open")
        }

    def activity_of(self, incident, step):
        """{login: (date, note)} of the incident's open activities of ``step``."""
        activities = self.activities_of_type(incident, step)
        return {a.user_id.login: (a.date_deadline, str(a.note)) for a in activities}

    def route_to_three(self):
        with at(2025, 3, 3, 10, 0):  # Monday
            incident = self.register()
        with at(2025, 3, 3, 10, 20):
            incident.with_user(self.curator).action_route(
                self.housing | self.roads | self.schools, lead=self.housing
            )
        return incident

    def test_route_to_three_executors_places_each_line_and_activity(self):
        incident = self.route_to_three()
        self.assertEqual(
            self.open_rows(incident),
            {
                ("total", ""): msk(2025, 3, 4, 10, 0),  # KOR 9: 8 working hours
                # KOR 11: each executor may decline within 30 working minutes
                ("decline", "Housing"): msk(2025, 3, 3, 10, 50),
                ("decline", "Roads"): msk(2025, 3, 3, 10, 50),
                ("decline", "Schools"): msk(2025, 3, 3, 10, 50),
                # KOR 12, 13: the lead drafts 3 h before the total deadline
                ("draft", "Housing"): msk(2025, 3, 3, 16, 0),
                ("clarification", "Housing"): msk(2025, 3, 3, 11, 20),
                # KOR 19: the co-executors give information in 2 working hours
                ("info", "Roads"): msk(2025, 3, 3, 12, 20),
                ("info", "Schools"): msk(2025, 3, 3, 12, 20),
            },
        )
        route = self.row(incident, "route")
        self.assertEqual((route.state, route.done_at), ("done", msk(2025, 3, 3, 10, 20)))
        by_executor = {a.executor_id: a for a in incident.assignment_ids}
        self.assertEqual(by_executor[self.housing].sla_deadline, msk(2025, 3, 3, 16, 0))
        self.assertEqual(by_executor[self.roads].sla_deadline, msk(2025, 3, 3, 12, 20))
        self.assertEqual(by_executor[self.schools].sla_deadline, msk(2025, 3, 3, 12, 20))
        self.assertEqual(
            (incident.sla_step, incident.sla_deadline), ("info", msk(2025, 3, 3, 12, 20))
        )
        # each user: the activity of their own line, due on its deadline
        monday = date(2025, 3, 3)
        self.assertEqual(
            self.activity_of(incident, "draft"),
            {
                "t_housing": (monday, "<p>Due 03.03.2025 16:00</p>"),
                "t_housing2": (monday, "<p>Due 03.03.2025 16:00</p>"),
            },
        )
        self.assertEqual(
            self.activity_of(incident, "info"),
            {
                "t_roads": (monday, "<p>Due 03.03.2025 12:20</p>"),
                "t_school": (monday, "<p>Due 03.03.2025 12:20</p>"),
            },
        )
        # the curator who routed it: the routing activity is done, nobody has it
        self.assertEqual(self.activity_of(incident, "route"), {})
        self.assertEqual(
            self.activities(incident),
            {
                ("draft", "t_housing"),
                ("draft", "t_housing2"),
                ("info", "t_roads"),
                ("info", "t_school"),
            },
        )

    def test_routing_several_incidents_at_once_keeps_each_its_own_deadline(self):
        incidents = self.Incident
        for minute in (0, 5, 10):
            with at(2025, 3, 3, 10, minute):
                incidents |= self.register()
        with at(2025, 3, 3, 10, 20):
            incidents.with_user(self.curator).action_route(self.housing)
        for incident, minute in zip(incidents, (0, 5, 10), strict=True):
            self.assertEqual(incident.state, "assigned")
            # KOR 12: 3 working hours before each one's own total deadline
            self.assertEqual(self.row(incident, "draft").deadline, msk(2025, 3, 3, 16, minute))
            self.assertEqual(self.row(incident, "total").deadline, msk(2025, 3, 4, 10, minute))
            self.assertEqual(self.row(incident, "decline").deadline, msk(2025, 3, 3, 10, 50))
            self.assertEqual(incident.sla_deadline, msk(2025, 3, 3, 16, minute))
            note = f"<p>Due 03.03.2025 16:{minute:02d}</p>"
            self.assertEqual(
                self.activity_of(incident, "draft"),
                {"t_housing": (date(2025, 3, 3), note), "t_housing2": (date(2025, 3, 3), note)},
            )
            self.assertEqual(self.activity_of(incident, "route"), {})

    def test_approving_a_consolidated_reply(self):
        incident = self.route_to_three()
        by_executor = {a.executor_id: a for a in incident.assignment_ids}
        with at(2025, 3, 3, 10, 40):
            by_executor[self.roads].with_user(self.roads_user).action_give_info("Асфальт в мае")
            by_executor[self.schools].with_user(self.school_user).action_give_info(
                "Школа ни при чём"
            )
        with at(2025, 3, 3, 11, 0):
            reply = self.submitted(incident)
        self.assertEqual(self.row(incident, "review").deadline, msk(2025, 3, 3, 11, 30))  # KOR 14
        self.assertEqual(
            self.activity_of(incident, "review"),
            {"t_curator": (date(2025, 3, 3), "<p>Due 03.03.2025 11:30</p>")},
        )
        with at(2025, 3, 3, 11, 10):
            reply.with_user(self.curator).action_approve()
        self.assertEqual(incident.state, "approved")
        # every step before the approval is closed, each at its own moment
        closed = {
            (row.step, row.executor_id.name or ""): (row.state, row.done_at)
            for row in incident.deadline_ids
            if row.state != "open"
        }
        self.assertEqual(
            closed,
            {
                ("route", ""): ("done", msk(2025, 3, 3, 10, 20)),
                ("decline", "Housing"): ("not_needed", False),
                ("decline", "Roads"): ("not_needed", False),
                ("decline", "Schools"): ("not_needed", False),
                ("clarification", "Housing"): ("not_needed", False),
                ("info", "Roads"): ("done", msk(2025, 3, 3, 10, 40)),
                ("info", "Schools"): ("done", msk(2025, 3, 3, 10, 40)),
                ("draft", "Housing"): ("done", msk(2025, 3, 3, 11, 0)),
                ("review", "Housing"): ("done", msk(2025, 3, 3, 11, 10)),
            },
        )
        # KOR 16: the lead executor publishes within 30 working minutes
        self.assertEqual(
            self.open_rows(incident),
            {
                ("total", ""): msk(2025, 3, 4, 10, 0),
                ("publish", "Housing"): msk(2025, 3, 3, 11, 40),
            },
        )
        self.assertEqual(reply.sla_deadline, msk(2025, 3, 3, 11, 40))
        note = "<p>Due 03.03.2025 11:40</p>"
        self.assertEqual(
            self.activity_of(incident, "publish"),
            {"t_housing": (date(2025, 3, 3), note), "t_housing2": (date(2025, 3, 3), note)},
        )
        self.assertEqual(
            self.activities(incident), {("publish", "t_housing"), ("publish", "t_housing2")}
        )
        self.assertFalse(self.violations(incident))
