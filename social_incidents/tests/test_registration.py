from odoo.exceptions import UserError

from .common import SocialIncidentsCase
from .test_sla import SlaCase, at


class TestRegistration(SocialIncidentsCase):
    def test_registered_incident_gets_number_curator_and_route_activity(self):
        incident = self.register()
        self.assertRegex(incident.name, r"^ИНЦ-\d{4}-\d{5}$")
        self.assertEqual(incident.state, "new")
        self.assertEqual(incident.curator_id, self.curator)
        self.assertEqual(self.activities(incident), {("route", "t_curator")})

    def test_numbers_follow_the_sequence(self):
        first, second = self.register(), self.register()
        self.assertEqual(int(second.name[-5:]), int(first.name[-5:]) + 1)

    def test_same_message_cannot_be_registered_twice(self):
        incident = self.register(external_id="-1_555")
        with self.assertRaisesRegex(UserError, incident.name):
            self.register(external_id="-1_555")
        # Another network, or another official page, is another message.
        self.register(external_id="-1_555", network="ok")
        account = self.env["social.account"].create(
            {"name": "Page", "network": "vk", "url": "https://vk.com/page_test"}
        )
        self.register(external_id="-1_555", account_id=account.id)
        with self.assertRaisesRegex(UserError, "already registered"):
            self.register(external_id=" -1_555 ", account_id=account.id)

    def test_duplicate_refused_on_edit_too(self):
        first = self.register(external_id="A")
        second = self.register(external_id="B")
        with self.assertRaisesRegex(UserError, first.name):
            second.with_user(self.curator).write({"external_id": "A"})

    def test_network_taken_from_the_official_page(self):
        account = self.env["social.account"].create(
            {"name": "OK group", "network": "ok", "url": "https://ok.ru/group/1"}
        )
        incident = self.Incident.with_user(self.curator).create(
            {"text": "Когда починят фонари?", "account_id": account.id, "network": False}
        )
        self.assertEqual(incident.network, "ok")

    def test_author_found_or_created_by_network_and_external_id(self):
        Author = self.env["social.author"]
        author = Author._find_or_create("vk", "id777", "Иван Петров", "https://vk.com/id777")
        self.assertEqual(Author._find_or_create("vk", "id777"), author)
        # The curator finds an author by name, account id or profile link.
        self.assertEqual(Author.name_search("vk.com/id777"), [(author.id, "Иван Петров")])
        other = Author._find_or_create("ok", "id777", "Иван Петров")
        self.assertNotEqual(other, author)
        first = self.register(author_id=author.id)
        second = self.register(author_id=author.id)
        self.assertEqual(author.incident_count, 2)
        action = second.action_view_author_history()
        self.assertEqual((action["res_model"], action["res_id"]), ("social.author", author.id))
        history = str(author.history_html)
        self.assertLess(history.index(first.name), history.index(second.name))

    def test_repeat_links_to_the_earlier_incident(self):
        earlier = self.register()
        repeat = self.register(repeat_of_id=earlier.id)
        self.assertTrue(repeat.is_repeat)
        self.assertEqual(earlier.repeat_ids, repeat)
        action = repeat.action_view_repeat_of()
        self.assertEqual(action["res_id"], earlier.id)
        self.assertEqual(
            self.Incident.search([("is_repeat", "=", True), ("id", "=", repeat.id)]), repeat
        )

    def test_incident_cannot_repeat_itself(self):
        incident = self.register()
        with self.assertRaisesRegex(UserError, "repeat of itself"):
            incident.with_user(self.curator).write({"repeat_of_id": incident.id})

    def test_state_cannot_be_written_directly(self):
        incident = self.register()
        with self.assertRaisesRegex(UserError, "only through the workflow"):
            incident.with_user(self.curator).write({"state": "closed"})

    def test_html_in_message_is_escaped_in_chatter(self):
        incident = self.routed(text="<script>alert(1)</script> Свет не горит")
        self.draft(incident, body="<b>жирно</b>").with_user(self.housing_user).action_submit()
        bodies = "".join(incident.sudo().message_ids.mapped("body"))
        self.assertIn("&lt;b&gt;жирно&lt;/b&gt;", bodies)
        self.assertNotIn("<b>жирно</b>", bodies)


class TestDefaultOrder(SlaCase):
    def test_lists_show_high_importance_first_then_newest(self):
        with at(2025, 3, 3, 10, 0):
            high_old = self.register(importance="high")
        with at(2025, 3, 3, 11, 0):
            normal_new = self.register()
        with at(2025, 3, 3, 12, 0):
            high_new = self.register(importance="high")
        mine = high_old | normal_new | high_new
        rows = self.Incident.with_user(self.curator).web_search_read(
            [("id", "in", mine.ids)], {"name": {}}
        )["records"]
        self.assertEqual([row["id"] for row in rows], [high_new.id, high_old.id, normal_new.id])
