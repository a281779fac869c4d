"""Readable screens: executors' short names, «My Incidents» showing the
user's own deadline, and the author's history (issue #13)."""

from datetime import datetime

from lxml import html

from .common import SocialIncidentsCase
from .test_sla import SlaCase, at, msk


class TestExecutorShortName(SocialIncidentsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zhkh = cls.env["social.executor"].create(
            {"name": "Управление благоустройства и дорожного хозяйства", "short_name": "УБДХ"}
        )

    def test_searching_the_short_name_finds_the_executor(self):
        Executor = self.env["social.executor"].with_user(self.curator)
        self.assertEqual(
            Executor.name_search("УБДХ"),
            [(self.zhkh.id, "Управление благоустройства и дорожного хозяйства")],
        )
        self.assertEqual(Executor.name_search("благоустройства"), Executor.name_search("УБДХ"))
        incident = self.routed(executors=self.zhkh)
        # the incidents' search box: «Исполнители» УБДХ
        found = self.Incident.with_user(self.curator).search([("executor_ids", "ilike", "УБДХ")])
        self.assertEqual(found, incident)

    def test_lists_show_the_short_name_forms_the_full_name(self):
        executor = self.zhkh.with_user(self.curator)
        self.assertEqual(executor.display_name, "Управление благоустройства и дорожного хозяйства")
        self.assertEqual(
            executor.with_context(social_executor_short_name=True).display_name, "УБДХ"
        )
        # without a short name the full name is shown everywhere
        self.assertEqual(
            self.housing.with_context(social_executor_short_name=True).display_name, "Housing"
        )
        # the incidents' list and the routing tab ask for it
        incident = self.routed(executors=self.zhkh)
        views = self.Incident.with_user(self.curator).get_views([(False, "list"), (False, "form")])[
            "views"
        ]
        for view, path in (
            ("list", "//list/field[@name='executor_ids']"),
            ("list", "//list/field[@name='lead_executor_id']"),
            ("form", "//field[@name='assignment_ids']/list/field[@name='executor_id']"),
        ):
            node = html.fromstring(views[view]["arch"]).xpath(path.replace("@name", "@name"))
            self.assertIn("social_executor_short_name", node[0].get("context"), path)
        data = incident.with_user(self.curator).web_read(
            {
                "executor_ids": {
                    "fields": {"display_name": {}},
                    "context": {"social_executor_short_name": True},
                },
                "assignment_ids": {
                    "fields": {
                        "executor_id": {
                            "fields": {"display_name": {}},
                            "context": {"social_executor_short_name": True},
                        }
                    }
                },
            }
        )[0]
        self.assertEqual(data["executor_ids"], [{"id": self.zhkh.id, "display_name": "УБДХ"}])
        self.assertEqual(
            data["assignment_ids"][0]["executor_id"], {"id": self.zhkh.id, "display_name": "УБДХ"}
        )


class TestMyDeadline(SlaCase):
    """Routed to Roads (lead, drafts the consolidated reply: Monday 16:00) and
    Housing (gives information: 12:10). The incident's nearest deadline is
    Housing's; each executor sees their own in «My Incidents»."""

    def setUp(self):
        super().setUp()
        with at(2025, 3, 3, 10, 0):  # Monday
            self.incident = self.register()
        with at(2025, 3, 3, 10, 10):
            self.incident.with_user(self.curator).action_route(
                self.roads | self.housing, lead=self.roads
            )

    def test_each_executor_sees_the_deadline_of_their_own_line(self):
        self.assertEqual(
            self.incident.sla_deadline, msk(2025, 3, 3, 12, 10)
        )  # Housing's information
        with at(2025, 3, 3, 11, 0):
            roads = self.incident.with_user(self.roads_user)
            self.assertEqual(roads.my_deadline, msk(2025, 3, 3, 16, 0))  # KOR 12: his draft
            # (11:00 → 16:00 is 4 working hours: 13:00-14:00 is the lunch break)
            self.assertEqual(roads.my_step, "draft")
            self.assertEqual(roads.my_sla_status, "on_time")
            self.assertEqual(roads.my_remaining, "4 h left")
            housing = self.incident.with_user(self.housing_user)
            self.assertEqual(
                housing.my_deadline, msk(2025, 3, 3, 12, 10)
            )  # KOR 19: 2 working hours
            self.assertEqual(housing.my_step, "info")
            self.assertEqual(housing.my_remaining, "1 h 10 min left")
            # the curator is not an executor: the incident's nearest deadline
            curator = self.incident.with_user(self.curator)
            self.assertEqual(curator.my_deadline, msk(2025, 3, 3, 12, 10))

    def test_my_incidents_list_shows_my_deadline(self):
        action = self.env.ref("social_incidents.social_incident_action_mine")
        view = action.view_ids.filtered(lambda v: v.view_mode == "list").view_id
        self.assertEqual(view, self.env.ref("social_incidents.social_incident_view_list_mine"))
        arch = self.Incident.with_user(self.roads_user).get_views([(view.id, "list")])["views"][
            "list"
        ]["arch"]
        columns = html.fromstring(arch).xpath("//list/field/@name")
        self.assertIn("my_deadline", columns)
        self.assertIn("my_remaining", columns)
        self.assertNotIn("sla_deadline", columns)
        self.assertNotIn("sla_remaining", columns)
        # the list's read, as the web client does it, in the user's time zone
        self.roads_user.tz = "Europe/Moscow"
        with at(2025, 3, 3, 11, 0):
            rows = self.Incident.with_user(self.roads_user).web_search_read(
                [("id", "=", self.incident.id)], {"my_deadline": {}, "my_remaining": {}}
            )["records"]
        self.assertEqual(rows[0]["my_deadline"], msk(2025, 3, 3, 16, 0))
        self.assertEqual(rows[0]["my_remaining"], "4 h left")

    def test_as_many_queries_for_six_incidents_as_for_one(self):
        with at(2025, 3, 3, 10, 20):
            others = [self.register() for _ in range(5)]
            for incident in others:
                incident.with_user(self.curator).action_route(self.roads)

        def queries(incidents):
            incidents = incidents.with_user(self.roads_user)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with at(2025, 3, 3, 11, 0):
                incidents.mapped("my_deadline")
            return self.env.cr.sql_log_count - before

        one = queries(self.incident)
        six = queries(self.incident | self.Incident.browse([i.id for i in others]))
        self.assertGreater(one, 0)
        self.assertEqual(six, one)
        self.assertEqual(
            set(
                self.Incident.browse([i.id for i in others])
                .with_user(self.roads_user)
                .mapped("my_step")
            ),
            {"draft"},
        )

    def test_returned_draft_and_publication_are_the_lead_executors(self):
        self.incident.assignment_ids.filtered(lambda a: a.executor_id == self.housing).with_user(
            self.housing_user
        ).action_give_info("Трубы заменим в мае.")
        with at(2025, 3, 3, 11, 0):
            reply = self.submitted(self.incident, user=self.roads_user)
        with at(2025, 3, 3, 11, 20):
            reply.with_user(self.curator).action_return(self.reason_spelling, "запятые")
        roads = self.incident.with_user(self.roads_user)
        self.assertEqual((roads.my_step, roads.my_deadline), ("rework", msk(2025, 3, 3, 12, 20)))
        with at(2025, 3, 3, 11, 30):
            reply.with_user(self.roads_user).action_submit()
        self.env.invalidate_all()
        # on review: the curator's step, nothing of Roads' is due
        self.assertFalse(self.incident.with_user(self.roads_user).my_deadline)
        with at(2025, 3, 3, 11, 40):
            reply.with_user(self.curator).action_approve()
        self.env.invalidate_all()
        roads = self.incident.with_user(self.roads_user)
        self.assertEqual((roads.my_step, roads.my_deadline), ("publish", msk(2025, 3, 3, 12, 10)))


class TestAuthorHistory(SocialIncidentsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.author = cls.env["social.author"]._find_or_create("vk", "id501", "Ирина Соколова")

    def entries(self, author):
        """[(class, text)] of the history's entries, in the order shown."""
        tree = html.fromstring(str(author.history_html))
        return [
            (
                next(c for c in node.get("class").split() if c.startswith("o_social_history_")),
                " ".join(node.text_content().split()),
            )
            for node in tree.xpath(
                "//*[contains(@class, 'o_social_history_number') or contains(@class, "
                "'o_social_history_message') or contains(@class, 'o_social_history_reply') or "
                "contains(@class, 'o_social_history_outcome')]"
            )
        ]

    def test_messages_replies_and_outcomes_in_time_order(self):
        first = self.routed(
            author_id=self.author.id,
            text="Фонарь на Ленина 12 не горит.",
            detected_at=datetime(2025, 3, 3, 7, 0),
        )
        self.published(first)
        second = self.register(
            author_id=self.author.id,
            text="Опять не горит, уже неделю!",
            detected_at=datetime(2025, 3, 10, 7, 0),
        )
        second.with_user(self.curator).action_no_reply(self.no_reply_obscene, "мат")
        other = self.register(text="Чужое сообщение")
        self.assertNotEqual(other.author_id, self.author)

        action = second.with_user(self.curator).action_view_author_history()
        self.assertEqual((action["res_model"], action["res_id"]), ("social.author", self.author.id))
        self.assertEqual(
            action["views"],
            [(self.env.ref("social_incidents.social_author_view_form_history").id, "form")],
        )
        author = self.author.with_user(self.curator)
        entries = self.entries(author)
        self.assertEqual(
            [kind for kind, _text in entries],
            [
                "o_social_history_number",
                "o_social_history_message",
                "o_social_history_reply",
                "o_social_history_outcome",
                "o_social_history_number",
                "o_social_history_message",
                "o_social_history_outcome",
            ],
        )
        self.assertEqual(entries[0][1], first.name)
        self.assertEqual(entries[1][1], "Фонарь на Ленина 12 не горит.")
        self.assertIn("Яму заделаем до пятницы.", entries[2][1])
        self.assertIn("Final Reply", entries[2][1])
        self.assertEqual(entries[3][1].split(",")[0], "Answered")
        self.assertEqual(entries[4][1], second.name)
        self.assertEqual(entries[5][1], "Опять не горит, уже неделю!")
        self.assertEqual(entries[6][1], f"Closed without a reply: {self.no_reply_obscene.name}")
        self.assertNotIn("Чужое сообщение", str(author.history_html))

    def test_executor_sees_only_the_messages_routed_to_them(self):
        mine = self.routed(author_id=self.author.id, text="Про двор")
        self.routed(executors=self.roads, author_id=self.author.id, text="Про дорогу")
        history = str(self.author.with_user(self.housing_user).history_html)
        self.assertIn(mine.name, history)
        self.assertNotIn("Про дорогу", history)

    def test_message_text_and_links_are_escaped(self):
        incident = self.routed(author_id=self.author.id, text="<script>alert(1)</script> свет")
        reply = self.published(incident)
        # a link stored before links were checked
        self.env.cr.execute(
            "UPDATE social_incident_reply SET published_url = 'javascript:alert(2)' WHERE id = %s",
            [reply.id],
        )
        self.env.invalidate_all()
        history = str(self.author.with_user(self.curator).history_html)
        self.assertNotIn("<script>", history)
        self.assertIn("&lt;script&gt;", history)
        self.assertNotIn('href="javascript', history)
