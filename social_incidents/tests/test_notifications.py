"""Notifications: whoever must act learns of it in Discuss (inbox) or by email,
as each prefers, with a link to the incident, what to do and by when, in their
language and time zone; a kind can be muted on one incident or everywhere.

Frozen time on the Korenovsk regulation (see test_sla.py): times are Moscow
wall-clock times. t_housing reads Yekaterinburg time (Moscow + 2 h) in his
inbox, t_housing2 Moscow time by email, both in English; the curator reads
Russian."""

from datetime import date

from .test_sla import MSK, SlaCase, at, msk

SUBTYPE = "social_incidents.mt_social_incident_%s"


class TestNotifications(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.housing_user.write(
            {
                "notification_type": "inbox",
                "tz": "Asia/Yekaterinburg",
                "lang": "en_US",
                "email": "housing@example.org",
            }
        )
        cls.housing_user2.write(
            {
                "notification_type": "email",
                "tz": "Europe/Moscow",
                "lang": "en_US",
                "email": "housing2@example.org",
            }
        )
        cls.curator.write(
            {
                "notification_type": "inbox",
                "tz": "Europe/Moscow",
                "lang": "ru_RU",
                "email": "cur@example.org",
            }
        )
        for user in (cls.roads_user, cls.school_user, cls.outsider, cls.curator2, cls.head):
            user.write({"notification_type": "inbox", "tz": "Europe/Moscow", "lang": "en_US"})
        cls.author = cls.env["social.author"].create(
            {"name": "Иван Петров", "network": "vk", "external_id": "4242"}
        )

    # ------------------------------------------------------------------
    def told(self, incident, kind):
        """{login: mail.notification} of everyone told of ``kind`` on the incident."""
        messages = self.messages(incident, kind)
        return {n.res_partner_id.user_ids[:1].login: n for n in messages.sudo().notification_ids}

    def messages(self, incident, kind):
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "social.incident"),
                    ("res_id", "=", incident.id),
                    ("subtype_id", "=", self.env.ref(SUBTYPE % kind).id),
                ]
            )
        )

    def body_of(self, notification):
        return notification.mail_message_id.body

    def assert_told(self, incident, kind, expected):
        """``expected``: {login: (notification type, texts the body holds)}."""
        told = self.told(incident, kind)
        self.assertEqual(set(told), set(expected), f"who was told of {kind}")
        for login, (notification_type, texts) in expected.items():
            notification = told[login]
            self.assertEqual(notification.notification_type, notification_type, login)
            if notification_type == "email":
                self.assertTrue(notification.mail_mail_id, f"{login}: an email is queued")
                self.assertEqual(notification.mail_mail_id.state, "outgoing")
            body = self.body_of(notification)
            self.assertIn(incident.name, body)
            self.assertIn(f"/mail/view?model=social.incident&amp;res_id={incident.id}", body)
            for text in texts:
                self.assertIn(text, body, f"{login} reads {text!r}")
        return told

    def unfollow_kind(self, user, incident, kind):
        """What the chatter's Following menu does when ``user`` unticks ``kind``."""
        follower = incident.sudo().message_follower_ids.filtered(
            lambda f: f.partner_id == user.partner_id
        )
        self.assertTrue(follower, f"{user.login} follows the incident")
        subtypes = follower.subtype_ids - self.env.ref(SUBTYPE % kind)
        incident.with_user(user).message_subscribe(
            partner_ids=user.partner_id.ids, subtype_ids=subtypes.ids
        )

    # ------------------------------------------------------------------
    def test_routed_members_are_told_in_inbox_or_by_email_in_their_time_zone(self):
        with at(2025, 3, 3, 10, 0):  # Monday
            incident = self.register()
        with at(2025, 3, 3, 10, 20):
            incident.with_user(self.curator).action_route(self.housing)
        self.assertEqual(self.row(incident, "draft").deadline, msk(2025, 3, 3, 16, 0))
        self.assert_told(
            incident,
            "routed",
            {
                # the draft is due 16:00 Moscow time, 18:00 in Yekaterinburg
                "t_housing": (
                    "inbox",
                    ["routed to Housing", "Take it into work", "Due 03.03.2025 18:00"],
                ),
                "t_housing2": (
                    "email",
                    ["routed to Housing", "Take it into work", "Due 03.03.2025 16:00"],
                ),
            },
        )
        # one message for each time zone; the email names the incident in its subject
        messages = self.messages(incident, "routed")
        self.assertEqual(len(messages), 2)
        self.assertEqual(messages.mapped("message_type"), ["user_notification"] * 2)
        mail = self.told(incident, "routed")["t_housing2"].mail_mail_id
        self.assertEqual(mail.subject, f"{incident.name}: Routed to Executor")
        self.assertIn("housing2@example.org", mail.email_to or mail.recipient_ids.email)
        # the members follow the incident: its Following menu mutes a kind there
        followers = incident.sudo().message_follower_ids.filtered(
            lambda f: f.partner_id == self.housing_user.partner_id
        )
        self.assertIn(self.env.ref(SUBTYPE % "returned"), followers.subtype_ids)

    def test_consolidated_reply_lead_and_co_executor_each_told_their_part(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.register()
            incident.with_user(self.curator).action_route(
                self.housing | self.roads, lead=self.housing
            )
        told = self.told(incident, "routed")
        self.assertEqual(set(told), {"t_housing", "t_housing2", "t_roads"})
        self.assertIn("Take it into work", self.body_of(told["t_housing2"]))
        roads = self.body_of(told["t_roads"])
        self.assertIn("Give your information for the consolidated reply", roads)
        info = self.row(incident, "info").deadline
        self.assertIn(f"Due {(info + MSK):%d.%m.%Y %H:%M}", roads)
        # the lead's draft is returned: the co-executor is not told
        with at(2025, 3, 3, 10, 30):
            reply = self.submitted(incident)
            reply.with_user(self.curator).action_return(self.reason_spelling, "запятые")
        self.assertEqual(set(self.told(incident, "returned")), {"t_housing", "t_housing2"})

    def test_draft_for_review_reaches_the_curator_in_russian(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.routed()
        with at(2025, 3, 3, 11, 0):
            reply = self.submitted(incident)
        self.assertEqual(reply.sla_deadline, msk(2025, 3, 3, 11, 30))
        told = self.assert_told(
            incident,
            "submitted",
            {
                "t_curator": (
                    "inbox",
                    [
                        f"На согласование поступил черновик по инциденту {incident.name}",
                        "Утвердите его или верните на доработку.",
                        "Срок: 03.03.2025 11:30",
                    ],
                ),
            },
        )
        self.assertEqual(
            told["t_curator"].mail_message_id.subject, f"{incident.name}: Черновик на согласовании"
        )
        # the second curator is not the incident's curator; the executors wrote it
        self.assertFalse(self.told(incident, "routed").get("t_curator2"))

    def test_returned_approved_published_tell_the_executor_only(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.routed()
        with at(2025, 3, 3, 11, 0):
            reply = self.submitted(incident)
        with at(2025, 3, 3, 11, 10):
            reply.with_user(self.curator).action_return(self.reason_spelling, "запятые")
        self.assertEqual(self.row(incident, "rework").deadline, msk(2025, 3, 3, 12, 10))
        self.assert_told(
            incident,
            "returned",
            {
                "t_housing": (
                    "inbox",
                    ["returned for rework", "запятые", "Rework the draft", "Due 03.03.2025 14:10"],
                ),
                "t_housing2": ("email", ["returned for rework", "запятые", "Due 03.03.2025 12:10"]),
            },
        )
        with at(2025, 3, 3, 11, 30):
            reply.with_user(self.housing_user).action_submit()
        with at(2025, 3, 3, 11, 40):
            reply.with_user(self.curator).action_approve()
        self.assertEqual(self.row(incident, "publish").deadline, msk(2025, 3, 3, 12, 10))
        self.assert_told(
            incident,
            "approved",
            {
                "t_housing": (
                    "inbox",
                    ["is approved", "Publish it in the network.", "Due 03.03.2025 14:10"],
                ),
                "t_housing2": (
                    "email",
                    ["is approved", "Publish it in the network.", "Due 03.03.2025 12:10"],
                ),
            },
        )
        with at(2025, 3, 3, 11, 50):
            reply.with_user(self.housing_user2).action_mark_published(
                "https://vk.com/wall-1_1?reply=7"
            )
        # the publisher is not told of their own action
        self.assert_told(
            incident,
            "published",
            {
                "t_housing": (
                    "inbox",
                    ["is published", "https://vk.com/wall-1_1?reply=7", "nothing more to do"],
                )
            },
        )
        for kind in (
            "routed",
            "returned",
            "approved",
            "published",
            "missed",
            "submitted",
            "declined",
        ):
            told = set(self.told(incident, kind))
            self.assertFalse(
                told & {"t_roads", "t_school", "t_outsider", "t_head", "t_curator2"}, kind
            )

    def test_curator_publishes_executor_told_nothing_to_do(self):
        self.company.social_reply_publisher = "curator"
        with at(2025, 3, 3, 10, 0):
            incident = self.routed()
            reply = self.submitted(incident)
            reply.with_user(self.curator).action_approve()
        told = self.told(incident, "approved")
        self.assertEqual(set(told), {"t_housing", "t_housing2"})
        self.assertIn("The curator publishes it", self.body_of(told["t_housing"]))
        self.assertNotIn("Due", self.body_of(told["t_housing"]))

    def test_declined_tells_the_curator_to_route_again(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.routed()
        with at(2025, 3, 3, 10, 10):
            incident.assignment_ids.with_user(self.housing_user).action_decline(
                "Это дороги, не ЖКХ."
            )
        self.assertEqual(incident.state, "new")
        reroute = self.row(incident, "reroute", state="open").deadline
        self.assert_told(
            incident,
            "declined",
            {
                "t_curator": (
                    "inbox",
                    [
                        f"Housing: отказ от инцидента {incident.name}",
                        "Это дороги, не ЖКХ.",
                        "Направьте его исполнителю, в чьей компетенции вопрос.",
                        # Moscow time
                        f"Срок: {(reroute + MSK):%d.%m.%Y %H:%M}",
                    ],
                ),
            },
        )
        self.assertFalse(self.told(incident, "declined").get("t_housing2"))

    def test_missed_deadline_tells_the_executor_as_each_reads_it(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.routed()
        with at(2025, 3, 3, 16, 5):  # the draft was due 16:00
            self.watchdog()
        self.assertEqual(self.violations(incident).mapped("step"), ["draft"])
        self.assert_told(
            incident,
            "missed",
            {
                "t_housing": (
                    "inbox",
                    [
                        "Deadline missed",
                        "Draft Sent for Approval, due 03.03.2025 18:00",
                        "Do it now",
                    ],
                ),
                "t_housing2": (
                    "email",
                    ["Deadline missed", "Draft Sent for Approval, due 03.03.2025 16:00"],
                ),
            },
        )
        # the job has no user: OdooBot tells them
        self.assertEqual(
            self.messages(incident, "missed").author_id, self.env.ref("base.partner_root")
        )

    def test_a_burst_of_missed_deadlines_is_one_message_a_person(self):
        """Three incidents miss their draft at the same minute: each executor
        member gets one message listing the incidents, not one an incident;
        one who muted the kind on an incident is told of the others only, and
        of a single one on that incident as usual. Every incident's chatter
        keeps its own note."""
        with at(2025, 3, 3, 10, 0):
            first, second, third = self.routed(), self.routed(), self.routed()
        self.unfollow_kind(self.housing_user2, third, "missed")
        self.unfollow_kind(self.housing_user2, second, "missed")
        Message = self.env["mail.message"].sudo()
        before = Message.search([]).ids
        with at(2025, 3, 3, 16, 5):  # the drafts were due 16:00
            self.watchdog()
        self.assertEqual(
            len(self.Violation.search([("incident_id", "in", [first.id, second.id, third.id])])), 3
        )
        # t_housing: one digest in his inbox, on no incident, in English and
        # Yekaterinburg time
        digest = Message.search(
            [
                ("id", "not in", before),
                ("model", "=", False),
                ("subtype_id", "=", self.env.ref(SUBTYPE % "missed").id),
            ]
        )
        self.assertEqual(len(digest), 1)
        self.assertEqual(digest.notification_ids.res_partner_id, self.housing_user.partner_id)
        self.assertEqual(digest.notification_ids.notification_type, "inbox")
        self.assertEqual(digest.subject, "Deadlines missed, incidents: 3")
        self.assertEqual(digest.author_id, self.env.ref("base.partner_root"))
        self.assertIn("Deadlines missed on 3 incidents", digest.body)
        for incident in (first, second, third):
            self.assertIn(f">{incident.name}</a>", digest.body)
            self.assertIn(f"res_id={incident.id}", digest.body)
        self.assertEqual(digest.body.count("Draft Sent for Approval, due 03.03.2025 18:00"), 3)
        self.assertIn("Do it now", digest.body)
        # t_housing2 muted two of them: told of the first alone, on it, by e-mail
        self.assertEqual(set(self.told(first, "missed")), {"t_housing2"})
        self.assertEqual(self.told(first, "missed")["t_housing2"].notification_type, "email")
        self.assertFalse(self.told(second, "missed"))
        self.assertFalse(self.told(third, "missed"))
        # each chatter keeps its note, and whoever answers for the step their activity
        for incident in (first, second, third):
            self.assertTrue(
                incident.message_ids.filtered(lambda m: "Deadline missed" in (m.body or ""))
            )
            overdue = self.activities_of_type(incident, "overdue")
            self.assertIn(self.violations(incident).user_id, overdue.user_id)

    def test_a_burst_over_several_batches_is_told_once_after_the_last(self):
        """The batches record the steps, their notes and activities at once;
        the people are told after the run's last batch, each once of all
        their incidents, and never again for the same steps."""
        with at(2025, 3, 3, 10, 0):
            incidents = self.routed() | self.routed() | self.routed()
        digests = [
            ("model", "=", False),
            ("subtype_id", "=", self.env.ref(SUBTYPE % "missed").id),
            ("partner_ids", "in", self.housing_user.partner_id.ids),
        ]
        Message = self.env["mail.message"].sudo()
        with at(2025, 3, 3, 16, 5):  # the drafts were due 16:00
            self.assertEqual(self.Deadline._cron_watchdog(batch_size=2), 2)
            recorded = self.Violation.search([("incident_id", "in", incidents.ids)])
            self.assertEqual(len(recorded), 2)
            self.assertFalse(any(recorded.mapped("told")))
            for incident in recorded.incident_id:
                self.assertTrue(
                    incident.message_ids.filtered(lambda m: "Deadline missed" in (m.body or ""))
                )
            self.assertFalse(Message.search(digests))
            self.assertFalse(self.told(recorded.incident_id[:1], "missed"))
            self.assertEqual(self.Deadline._cron_watchdog(batch_size=2), 1)
        digest = Message.search(digests)
        self.assertEqual(len(digest), 1)
        self.assertIn("Deadlines missed on 3 incidents", digest.body)
        violations = self.Violation.search([("incident_id", "in", incidents.ids)])
        self.assertEqual(len(violations), 3)
        self.assertTrue(all(violations.mapped("told")))
        with at(2025, 3, 3, 16, 10):
            self.assertEqual(self.watchdog(), 0)
        self.assertEqual(len(Message.search(digests)), 1)

    def test_the_curators_digest_is_in_russian(self):
        with at(2025, 3, 3, 10, 0):
            first, second = self.register(), self.register()
        with at(2025, 3, 3, 10, 35):  # routing was due 10:30 (KOR 10)
            self.watchdog()
        digest = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", False),
                    ("subtype_id", "=", self.env.ref(SUBTYPE % "missed").id),
                    ("partner_ids", "in", self.curator.partner_id.ids),
                ]
            )
        )
        self.assertEqual(len(digest), 1)
        self.assertEqual(digest.subject, "Пропущены сроки, инцидентов: 2")
        self.assertIn("Пропущены сроки по инцидентам (2):", digest.body)
        self.assertEqual(digest.body.count("due"), 0)
        for incident in (first, second):
            self.assertIn(f">{incident.name}</a>", digest.body)
        self.assertFalse(self.told(first, "missed"))

    def test_author_answers_clarification_curator_then_executors_told(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.routed(author_id=self.author.id)
            request = self.submitted(incident, kind="clarification")
            request.with_user(self.curator).action_approve()
            request.with_user(self.housing_user).action_mark_published(
                "https://vk.com/wall-1_1?reply=8"
            )
        self.assertEqual(incident.state, "clarification")
        self.assertIn(
            "Wait for the author's answer",
            self.body_of(self.told(incident, "published")["t_housing2"]),
        )
        # the author writes again (the VK connector registers the comment, as a job)
        with at(2025, 3, 3, 10, 30):
            answer = (
                self.env["social.incident"]
                .sudo()
                .create(
                    {
                        "network": "vk",
                        "text": "Дом 5, подъезд 2.",
                        "external_id": "-1_answer",
                        "author_id": self.author.id,
                    }
                )
            )
        self.assert_told(
            incident,
            "clarified",
            {
                "t_curator": (
                    "inbox",
                    [f"снова написал: {answer.name}", "Дом 5, подъезд 2.", "запишите ответ автора"],
                ),
            },
        )
        self.assertFalse(self.told(answer, "clarified"))
        # the curator records the answer: the executor goes on
        with at(2025, 3, 3, 10, 40):
            incident.with_user(self.curator).action_record_clarification("Дом 5, подъезд 2.")
        told = self.told(incident, "clarified")
        self.assertEqual(set(told), {"t_curator", "t_housing", "t_housing2"})
        self.assertIn("answered the clarification request", self.body_of(told["t_housing"]))
        self.assertIn("Go on with the reply.", self.body_of(told["t_housing"]))

    def test_a_kind_muted_on_the_incident_or_everywhere_is_not_told(self):
        with at(2025, 3, 3, 10, 0):
            incident = self.routed()
        # the chatter's Following menu offers every kind of the incident
        offered = incident.with_user(self.housing_user)._mail_get_message_subtypes()
        self.assertFalse(
            {
                self.env.ref(SUBTYPE % kind)
                for kind in ("routed", "returned", "approved", "published", "missed")
            }
            - set(offered)
        )
        # t_housing unticks "Draft Returned" on this incident; t_housing2 mutes
        # "Draft Approved" everywhere in his preferences
        self.unfollow_kind(self.housing_user, incident, "returned")
        self.housing_user2.with_user(self.housing_user2).write(
            {"social_muted_subtype_ids": [(4, self.env.ref(SUBTYPE % "approved").id)]}
        )
        with at(2025, 3, 3, 11, 0):
            reply = self.submitted(incident)
            reply.with_user(self.curator).action_return(self.reason_spelling, "запятые")
            reply.with_user(self.housing_user).action_submit()
            reply.with_user(self.curator).action_approve()
        self.assertEqual(set(self.told(incident, "returned")), {"t_housing2"})
        self.assertEqual(set(self.told(incident, "approved")), {"t_housing"})
        # the activities, the to-do list, are there all the same
        self.assertEqual(self.activities(incident, "publish"), {"t_housing", "t_housing2"})
        # another incident: the kind muted on the first one is told again
        with at(2025, 3, 3, 11, 30):
            other = self.routed()
            reply = self.submitted(other)
            reply.with_user(self.curator).action_return(self.reason_spelling, "запятые")
        self.assertEqual(set(self.told(other, "returned")), {"t_housing", "t_housing2"})

    def test_substitute_of_an_absent_member_is_told_instead(self):
        self.env["social.executor.substitute"].create(
            {
                "executor_id": self.housing.id,
                "user_id": self.housing_user2.id,
                "substitute_user_id": self.outsider.id,
                "date_from": date(2025, 3, 1),
                "date_to": date(2025, 3, 10),
            }
        )
        with at(2025, 3, 3, 10, 0):
            incident = self.routed()
        self.assertEqual(set(self.told(incident, "routed")), {"t_housing", "t_outsider"})
