"""A month with known answers: March 2025 of the test municipality, Korenovsk
regulation (8 working hours for a reply, 4 for high importance), working
hours 9:00-18:00 with a 13:00 break, Moscow time.

    A  Mon 3, 10:00  Housing  VK   returned once, published 11:20 → 1.33 h, on time
    B  Tue 4, 10:00  Roads    OK   published 14:00 (across the break) → 3 h, on time
    C  Wed 5, 10:00  Housing  VK   published Thu 12:00 → 10 h, late (due Thu 10:00)
    D  Thu 6, 10:00  Roads    VK   high importance, published 12:00 → 2 h, on time
    E  Fri 7, 10:00  —        VK   no reply: obscene language
    F  Mon 10, 10:00 Housing  VK   repeat of A; intermediate reply 11:00 → 1 h, on time
    G  Mon 31, 23:30 Housing  VK   routed, never answered → overdue
    H  Tue 1 April, 01:00 (Mon 31 March 22:00 UTC): April, outside the period

Answered 5 (A B C D F), on time 4, late 1 → 80 %; reply hours 1, 1.33, 2, 3, 10
→ median 2, 90th percentile 7.2 (3 + 0.6 × 7).
"""

from datetime import date

from odoo.addons.social_incidents.tests.test_sla import SlaCase, at

MARCH = (date(2025, 3, 1), date(2025, 3, 31))


class ReportsCase(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic_roads = cls.env["social.incident.topic"].create({"name": "Test Roads"})
        cls.topic_light = cls.env["social.incident.topic"].create({"name": "Test Lighting"})
        cls.location_north = cls.env["social.incident.location"].create({"name": "Test North"})
        cls.location_south = cls.env["social.incident.location"].create({"name": "Test South"})
        cls.Report = cls.env["social.incident.report"]
        case = cls
        case.dataset = {}

        def register(key, *when, **vals):
            values = {
                "network": "vk",
                "text": "На улице Ленина яма уже месяц.",
                "external_id": f"reports-{key}",
                "url": f"https://vk.com/wall-1_100?reply={key}",
                "topic_ids": [(6, 0, cls.topic_roads.ids)],
                "location_id": cls.location_north.id,
                **vals,
            }
            with at(*when):
                incident = cls.Incident.with_user(cls.curator).create(values)
            case.dataset[key] = incident
            return incident

        def route(incident, executor, *when):
            with at(*when):
                incident.with_user(cls.curator).action_route(executor)

        def reply(incident, user, kind, submit, approve, publish, returned=None):
            with at(*submit):
                draft = cls.Reply.with_user(user).create(
                    {"incident_id": incident.id, "kind": kind, "body": "Сделаем."}
                )
                draft.with_user(user).action_submit()
            if returned:
                with at(*returned[0]):
                    draft.with_user(cls.curator).action_return(cls.reason_spelling, "запятые")
                with at(*returned[1]):
                    draft.with_user(user).action_submit()
            with at(*approve):
                draft.with_user(cls.curator).action_approve()
            with at(*publish):
                draft.with_user(user).action_mark_published("https://vk.com/wall-1_1?reply=7")
            return draft

        a = register(
            "A", 2025, 3, 3, 10, 0, text="Яма на Ленина <script>alert(1)</script><b>жирный</b>"
        )
        route(a, cls.housing, 2025, 3, 3, 10, 10)
        reply(
            a,
            cls.housing_user,
            "final",
            (2025, 3, 3, 10, 40),
            (2025, 3, 3, 11, 10),
            (2025, 3, 3, 11, 20),
            returned=((2025, 3, 3, 10, 50), (2025, 3, 3, 11, 0)),
        )

        b = register(
            "B",
            2025,
            3,
            4,
            10,
            0,
            network="ok",
            topic_ids=[(6, 0, cls.topic_light.ids)],
            location_id=cls.location_south.id,
        )
        route(b, cls.roads, 2025, 3, 4, 10, 10)
        reply(
            b,
            cls.roads_user,
            "final",
            (2025, 3, 4, 11, 0),
            (2025, 3, 4, 11, 20),
            (2025, 3, 4, 14, 0),
        )

        c = register("C", 2025, 3, 5, 10, 0)
        route(c, cls.housing, 2025, 3, 5, 10, 10)
        reply(
            c,
            cls.housing_user,
            "final",
            (2025, 3, 6, 11, 0),
            (2025, 3, 6, 11, 20),
            (2025, 3, 6, 12, 0),
        )

        d = register(
            "D", 2025, 3, 6, 10, 0, importance="high", topic_ids=[(6, 0, cls.topic_light.ids)]
        )
        route(d, cls.roads, 2025, 3, 6, 10, 10)
        reply(
            d,
            cls.roads_user,
            "final",
            (2025, 3, 6, 11, 0),
            (2025, 3, 6, 11, 20),
            (2025, 3, 6, 12, 0),
        )

        e = register("E", 2025, 3, 7, 10, 0, text="Нецензурное сообщение")
        with at(2025, 3, 7, 10, 5):
            e.with_user(cls.curator).action_no_reply(cls.no_reply_obscene, "брань")

        f = register("F", 2025, 3, 10, 10, 0, repeat_of_id=a.id)
        route(f, cls.housing, 2025, 3, 10, 10, 10)
        reply(
            f,
            cls.housing_user,
            "intermediate",
            (2025, 3, 10, 10, 30),
            (2025, 3, 10, 10, 40),
            (2025, 3, 10, 11, 0),
        )

        g = register("G", 2025, 3, 31, 23, 30)
        route(g, cls.housing, 2025, 3, 31, 23, 40)

        register("H", 2025, 4, 1, 1, 0)
        with at(2025, 4, 2, 12, 0):
            cls.Deadline._cron_watchdog(batch_size=10000)

    def march_rows(self, user=None):
        Report = self.Report.with_user(user) if user else self.Report
        return Report.search(Report._period_domain(self.company, *MARCH))
