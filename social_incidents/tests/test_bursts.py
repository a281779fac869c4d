"""Bursts of social activity (LYA 13, BAT 13): five incidents on one topic or at one place
within three hours are reported to the head at once, exactly once; later incidents join the
burst while it is active; it closes after the quiet period, and a later wave is a new burst."""

from datetime import datetime, timedelta

from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.social_incidents.tools import clock
from odoo.addons.social_incidents.tools.guard import system_write

from .common import JsonRpcMixin, SocialIncidentsCase

T0 = datetime(2025, 3, 3, 7, 0)  # 10:00 in Moscow


class BurstCase(SocialIncidentsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "social_head_user_id": cls.head.id,
                "social_burst_threshold": 5,
                "social_burst_window_hours": 3,
                "social_burst_quiet_hours": 3,
            }
        )
        cls.topic = cls.env["social.incident.topic"].create({"name": "Отопление (тест)"})
        cls.other_topic = cls.env["social.incident.topic"].create({"name": "Дороги (тест)"})
        cls.place = cls.env["social.incident.location"].create(
            {"name": "ул. Тестовая", "kind": "street"}
        )
        cls.Burst = cls.env["social.incident.burst"]

    def wave(self, count, start=T0, step_minutes=20, **vals):
        """``count`` incidents on the test topic, detected every ``step_minutes``."""
        values = {"topic_ids": [(6, 0, self.topic.ids)]}
        values.update(vals)
        return self.Incident.browse(
            [
                self.register(detected_at=start + timedelta(minutes=step_minutes * i), **values).id
                for i in range(count)
            ]
        )

    def bursts(self, **domain):
        """The bursts of the test's topics and place (the demo has its own)."""
        return self.Burst.sudo().search(
            [
                ("company_id", "=", self.company.id),
                "|",
                ("topic_id", "in", (self.topic | self.other_topic).ids),
                ("location_id", "=", self.place.id),
            ]
            + [(k, "=", v) for k, v in domain.items()]
        )

    def head_messages(self, burst):
        return burst.message_ids.filtered(lambda m: self.head.partner_id in m.partner_ids)

    def head_activities(self, burst):
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "social.incident.burst"),
                    ("res_id", "in", burst.ids),
                    ("user_id", "=", self.head.id),
                ]
            )
        )


class TestBursts(BurstCase):
    def test_fifth_incident_alerts_the_head_once_and_the_sixth_joins(self):
        first_four = self.wave(4)
        self.assertFalse(self.bursts())
        fifth = self.wave(1, start=T0 + timedelta(minutes=90))
        burst = self.bursts()
        self.assertEqual(len(burst), 1)
        self.assertEqual(burst.state, "active")
        self.assertEqual(burst.kind, "topic")
        self.assertEqual(burst.topic_id, self.topic)
        self.assertEqual(burst.incident_ids, first_four | fifth)
        self.assertEqual(burst.first_incident_at, T0)
        self.assertEqual(burst.last_incident_at, T0 + timedelta(minutes=90))
        self.assertTrue(burst.alerted_at)
        told = self.head_messages(burst)
        self.assertEqual(len(told), 1)
        for incident in first_four | fifth:
            # each number is a link to the incident
            self.assertIn(f'/odoo/social.incident/{incident.id}">{incident.name}</a>', told.body)
        activity = self.head_activities(burst)
        self.assertEqual(len(activity), 1)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("social_incidents.mail_act_social_burst")
        )
        self.assertIn("5 incidents", activity.summary)
        # the head's inbox holds it
        self.assertTrue(
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("mail_message_id", "=", told.id),
                    ("res_partner_id", "=", self.head.partner_id.id),
                ]
            )
        )
        sixth = self.wave(1, start=T0 + timedelta(minutes=150))
        self.assertEqual(self.bursts(), burst)
        self.assertIn(sixth, burst.incident_ids)
        self.assertEqual(burst.last_incident_at, T0 + timedelta(minutes=150))
        self.assertEqual(len(self.head_messages(burst)), 1)
        self.assertEqual(len(self.head_activities(burst)), 1)
        joined = burst.message_ids.filtered(lambda m: "Joined the burst" in (m.body or ""))
        self.assertEqual(len(joined), 1)
        self.assertIn(sixth.name, joined.body)
        # the curator and the head see it from the incident
        self.assertEqual(sixth.with_user(self.curator).burst_ids, burst)

    def test_a_retry_alerts_nobody_again(self):
        incidents = self.wave(6)
        burst = self.bursts()
        messages = burst.message_ids
        # the registration job runs again on the same incidents, the cron too
        incidents._check_bursts()
        incidents[2]._check_bursts()
        with clock.frozen_at(T0 + timedelta(hours=2)):
            self.Burst._cron_close_quiet()
            self.Burst._cron_close_quiet()
        self.assertEqual(self.bursts(), burst)
        self.assertEqual(burst.state, "active")
        self.assertEqual(len(self.head_messages(burst)), 1)
        self.assertEqual(len(self.head_activities(burst)), 1)
        # the sixth joined once, when it was registered; nothing was posted since
        self.assertEqual(burst.message_ids, messages)
        self.assertEqual(len(burst.message_ids.filtered(lambda m: "Joined" in m.body)), 1)

    def test_four_in_three_hours_make_no_burst(self):
        self.wave(4, step_minutes=30)
        self.assertFalse(self.bursts())

    def test_five_spread_over_four_hours_make_no_burst(self):
        self.wave(5, step_minutes=60)  # 10:00 … 14:00: never five within three hours
        self.assertFalse(self.bursts())

    def test_other_topics_and_another_company_do_not_count(self):
        self.wave(2)
        self.wave(2, topic_ids=[(6, 0, self.other_topic.ids)])
        company_b = self.env["res.company"].create({"name": "Municipality B (bursts)"})
        curator_b = new_test_user(
            self.env,
            login="t_burst_curator_b",
            groups="base.group_user,social_incidents.group_social_curator",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        for i in range(3):
            self.register(
                user=curator_b,
                company_id=company_b.id,
                detected_at=T0 + timedelta(minutes=5 * i),
                topic_ids=[(6, 0, self.topic.ids)],
            )
        self.assertFalse(self.Burst.sudo().search([]).filtered(lambda b: b.topic_id == self.topic))

    def test_a_topic_set_later_counts_by_the_detection_time(self):
        incidents = self.wave(5, topic_ids=[])
        self.assertFalse(self.bursts())
        # routing days later sets the topic: the detection times, 80 min apart, count
        with clock.frozen_at(T0 + timedelta(days=2)):
            for incident in incidents:
                incident.with_user(self.curator).topic_ids = [(6, 0, self.topic.ids)]
        burst = self.bursts()
        self.assertEqual(burst.incident_ids, incidents)
        self.assertEqual(burst.first_incident_at, T0)
        self.assertEqual(len(self.head_messages(burst)), 1)

    def test_the_same_location_makes_a_burst_too(self):
        incidents = self.wave(5, topic_ids=[], location_id=self.place.id, step_minutes=10)
        burst = self.bursts(kind="location")
        self.assertEqual(burst.location_id, self.place)
        self.assertEqual(burst.incident_ids, incidents)
        self.assertEqual(burst.name, "ул. Тестовая")

    def test_one_wave_on_one_topic_at_one_place_is_told_once(self):
        incidents = self.wave(5, location_id=self.place.id)
        by_topic = self.bursts(kind="topic")
        by_place = self.bursts(kind="location")
        self.assertEqual(by_topic.incident_ids, incidents)
        self.assertEqual(by_place.incident_ids, incidents)
        told = self.head_messages(by_topic | by_place)
        self.assertEqual(len(told), 1)
        self.assertEqual(len(self.head_activities(by_topic | by_place)), 1)
        self.assertTrue(by_place.alerted_at and by_topic.alerted_at)
        twin_notes = (by_topic | by_place).message_ids.filtered(
            lambda m: "the head was told there" in (m.body or "")
        )
        self.assertEqual(len(twin_notes), 1)

    def test_quiet_period_closes_it_and_a_later_wave_alerts_again(self):
        self.wave(5)
        first = self.bursts()
        last = first.last_incident_at
        with clock.frozen_at(last + timedelta(hours=2, minutes=59)):
            self.assertEqual(self.Burst._cron_close_quiet(), 0)
        self.assertEqual(first.state, "active")
        with clock.frozen_at(last + timedelta(hours=3)):
            self.assertEqual(self.Burst._cron_close_quiet(), 1)
            self.assertEqual(self.Burst._cron_close_quiet(), 0)
        self.assertEqual(first.state, "closed")
        self.assertEqual(first.closed_at, last + timedelta(hours=3))
        second_wave = self.wave(5, start=T0 + timedelta(days=1))
        second = self.bursts(state="active")
        self.assertNotEqual(second, first)
        self.assertEqual(second.incident_ids, second_wave)
        self.assertEqual(len(self.head_messages(second)), 1)
        self.assertEqual(len(self.head_activities(second)), 1)
        self.assertEqual(len(self.head_messages(first)), 1)

    def test_a_late_incident_after_the_quiet_period_does_not_join(self):
        self.wave(5)
        first = self.bursts()
        # the cron has not run yet, but the next message comes 5 h later
        self.wave(1, start=T0 + timedelta(hours=6))
        self.assertEqual(first.state, "closed")
        self.assertFalse(self.bursts(state="active"))

    def test_one_active_burst_a_topic_even_under_concurrent_registrations(self):
        self.wave(5)
        burst = self.bursts()
        with (
            system_write(),
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.Burst.sudo().create(
                {
                    "company_id": self.company.id,
                    "kind": "topic",
                    "topic_id": self.topic.id,
                    "first_incident_at": T0,
                    "last_incident_at": T0,
                }
            )
        self.assertEqual(self.bursts(), burst)

    def test_settings_change_the_threshold(self):
        self.company.social_burst_threshold = 3
        self.wave(3)
        self.assertEqual(self.bursts().incident_count, 3)

    def test_nobody_writes_a_burst_by_hand(self):
        self.wave(5)
        burst = self.bursts()
        for user in (self.curator, self.head):
            with self.subTest(user=user.login), self.assertRaises(UserError):  # AccessError is one
                burst.with_user(user).write({"state": "closed"})
        self.assertEqual(burst.state, "active")


@tagged("post_install", "-at_install")
class TestBurstsOverRpc(JsonRpcMixin, HttpCase, BurstCase):
    def test_executors_cannot_write_or_read_bursts_over_json_rpc(self):
        self.wave(5)
        burst = self.bursts()
        calls = [
            ("write", [burst.ids, {"state": "closed", "alerted_at": False}]),
            ("create", [{"company_id": self.company.id, "kind": "topic"}]),
            ("unlink", [burst.ids]),
            ("read", [burst.ids, ["state"]]),
            ("_close", [burst.ids]),
            ("_alert_head", [burst.ids]),
            ("_cron_close_quiet", []),
        ]
        for method, args in calls:
            with self.subTest(method=method):
                result, error = self.call_kw(
                    self.housing_user.login,
                    "social.incident.burst",
                    method,
                    args,
                    {"context": {"active_test": False}},
                )
                self.assertTrue(error, f"{method} answered {result!r}")
        # the curator reads it, and cannot write it either
        result, error = self.call_kw(
            self.curator.login, "social.incident.burst", "read", [burst.ids, ["state"]]
        )
        self.assertEqual(result[0]["state"], "active")
        _result, error = self.call_kw(
            self.curator.login, "social.incident.burst", "write", [burst.ids, {"state": "closed"}]
        )
        self.assertTrue(error)
        self.env.invalidate_all()
        self.assertEqual(burst.state, "active")
        self.assertEqual(len(self.head_messages(burst)), 1)
