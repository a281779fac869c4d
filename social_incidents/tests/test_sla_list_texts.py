"""A list of incidents says of each the same time left as its own card.

The list computes the time left of all its rows at once (one engine per
calendar). Here the rows follow three calendars and both kinds of time, in two
municipalities; at 12:20 on Monday 3 March 2025 (Moscow) each route step,
due at 10:30 or 10:35, is overdue by a different time; the steps of a form and
«Мои инциденты» likewise.
"""

from odoo.tests import new_test_user, tagged

from .test_sla import SlaCase, at


def calendar(env, name, periods):
    """Monday to Friday, Moscow time, the ``periods`` (from, to, day period) of each day."""
    return env["resource.calendar"].create(
        {
            "name": name,
            "tz": "Europe/Moscow",
            "attendance_ids": [(5, 0, 0)]
            + [
                (
                    0,
                    0,
                    {
                        "name": f"{name} {start}",
                        "dayofweek": str(day),
                        "hour_from": start,
                        "hour_to": end,
                        "day_period": period,
                    },
                )
                for day in range(5)
                for start, end, period in periods
            ],
        }
    )


@tagged("post_install", "-at_install")
class TestListTextsAcrossCalendars(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["social.sla.policy"]
        # District A's high importance: an early shift with a half-hour break at noon
        cls.early = calendar(
            cls.env,
            "Early shift",
            [(8, 12, "morning"), (12, 12.5, "lunch"), (12.5, 16.5, "afternoon")],
        )
        Policy.search([("company_id", "=", cls.company.id), ("importance", "=", "high")]).write(
            {"calendar_id": cls.early.id}
        )
        # District B: a dawn shift; its high importance routes in plain minutes
        cls.company_b = cls.env["res.company"].create({"name": "District B"})
        cls.company_b._apply_social_sla_preset("kor")
        cls.dawn = calendar(
            cls.env, "Dawn shift", [(7, 11, "morning"), (11, 12, "lunch"), (12, 16, "afternoon")]
        )
        policies_b = Policy.search([("company_id", "=", cls.company_b.id)])
        policies_b.write({"calendar_id": cls.dawn.id})
        policies_b.filtered(lambda p: p.importance == "high").line_ids.filtered(
            lambda line: line.step == "route"
        ).write({"unit": "calendar_minutes"})
        cls.curator_b = new_test_user(
            cls.env,
            login="t_curator_b",
            groups="base.group_user,social_incidents.group_social_curator",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )

    def register_b(self, **vals):
        type(self)._counter += 1
        values = {
            "network": "vk",
            "text": "Во дворе третий день не вывозят мусор.",
            "external_id": f"-2_{type(self)._counter}",
        }
        values.update(vals)
        return self.Incident.with_user(self.curator_b).with_company(self.company_b).create(values)

    def test_list_shows_each_incident_in_its_own_calendar(self):
        with at(2025, 3, 3, 10, 0):
            normal_a = self.register()
            high_a = self.register(importance="high")
            normal_b = self.register_b()
        with at(2025, 3, 3, 10, 5):
            high_b = self.register_b(importance="high")
        incidents = normal_a | high_a | normal_b | high_b
        self.assertEqual(
            [i.sla_deadline_id.calendar_id for i in incidents],
            [self.calendar, self.early, self.dawn, self.dawn],
        )
        with at(2025, 3, 3, 12, 20):
            self.env.invalidate_all()
            alone = []
            for incident in incidents:
                self.env.invalidate_all()
                one = self.Incident.browse(incident.id)
                alone.append((one.sla_status, one.sla_remaining))
            self.env.invalidate_all()
            listed = [
                (row["sla_status"], row["sla_remaining"])
                for row in self.Incident.browse(incidents.ids).read(["sla_status", "sla_remaining"])
            ]
        self.assertEqual(listed, alone)
        self.assertEqual(
            listed,
            [
                # 10:30 to 12:20 in the administration's hours
                ("overdue", "overdue by 1 h 50 min"),
                # the early shift rests from 12:00 to 12:30
                ("overdue", "overdue by 1 h 30 min"),
                # the dawn shift rests from 11:00 to 12:00
                ("overdue", "overdue by 50 min"),
                # plain minutes from 10:35
                ("overdue", "overdue by 1 h 45 min"),
            ],
        )

    def test_steps_of_several_incidents_read_together_as_alone(self):
        with at(2025, 3, 3, 10, 0):
            normal_a = self.routed()
            high_a = self.routed(importance="high")
            normal_b = self.register_b()
        rows = (normal_a | high_a | normal_b).deadline_ids.filtered(lambda row: row.state == "open")
        self.assertGreater(len(rows.policy_id.calendar_id), 2)
        with at(2025, 3, 3, 11, 40):
            alone = []
            for row in rows:
                self.env.invalidate_all()
                one = self.Deadline.browse(row.id)
                alone.append((one.step, one.status, one.remaining))
            self.env.invalidate_all()
            together = [
                (row["step"], row["status"], row["remaining"])
                for row in self.Deadline.browse(rows.ids).read(["step", "status", "remaining"])
            ]
        self.assertEqual(together, alone)
        self.assertIn(("route", "overdue", "overdue by 30 min"), together)  # dawn shift
        # the whole day's total of District A's normal incident: 8 working hours from 10:00
        self.assertIn(("total", "on_time", "6 h 20 min left"), together)

    def test_my_incidents_list_shows_each_draft_in_its_own_calendar(self):
        with at(2025, 3, 3, 10, 0):
            normal = self.routed()
            high = self.routed(importance="high")
        mine = self.Incident.with_user(self.housing_user)
        with at(2025, 3, 3, 11, 40):
            alone = []
            for incident in normal | high:
                self.env.invalidate_all()
                alone.append(mine.browse(incident.id).my_remaining)
            self.env.invalidate_all()
            listed = [
                row["my_remaining"]
                for row in mine.browse((normal | high).ids).read(["my_remaining"])
            ]
        self.assertEqual(listed, alone)
        # the draft is due 3 working hours before the total: Monday 16:00 in the
        # administration's hours, 11:00 in the early shift's (total at 14:30)
        self.assertEqual(listed, ["3 h 20 min left", "overdue by 40 min"])
