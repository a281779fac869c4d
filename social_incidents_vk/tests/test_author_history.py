"""The author's history quotes the VK comment each reply in a thread
answers: a citizen's comment, the community's own reply, or one the
connector never registered (issue #13)."""

from lxml import html

from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

OWNER = -4301
POST = 5


class AuthorHistoryMixin:
    @classmethod
    def setup_thread(cls):
        """A thread under post 5: Пётр's comment 10, answered by the community
        (its comment 20) and by Анна (11); Анна then answers the community
        (12) and a comment the connector never saw (13)."""
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US", mail_notify_force_send=False))
        company = cls.env.company
        company.social_reply_publisher = "executor"
        cls.curator = new_test_user(
            cls.env,
            login="thread_curator",
            name="Thread Curator",
            groups="base.group_user,social_incidents.group_social_curator",
        )
        company.social_curator_id = cls.curator
        cls.executor_user = new_test_user(
            cls.env,
            login="thread_executor",
            name="Thread Executor",
            groups="base.group_user,social_incidents.group_social_executor",
        )
        cls.executor = cls.env["social.executor"].create(
            {"name": "Thread Housing", "member_ids": [(6, 0, cls.executor_user.ids)]}
        )
        cls.page = cls.env["social.account"].create(
            {
                "name": "Администрация района",
                "network": "vk",
                "url": "https://vk.com/adm_thread",
                "vk_group_id": str(-OWNER),
            }
        )
        Author = cls.env["social.author"]
        cls.petr = Author._find_or_create("vk", "501", "Пётр Иванов")
        cls.anna = Author._find_or_create("vk", "502", "Анна Смирнова")
        Event = cls.env["social.inbound.event"]
        cls.parent = Event._vk_comments_to_incidents(
            cls.page, [cls.comment(10, 501, "Когда отремонтируют крышу дома 3?")]
        )
        cls.parent.with_user(cls.curator).action_route(cls.executor)
        reply = (
            cls.env["social.incident.reply"]
            .with_user(cls.executor_user)
            .create({"incident_id": cls.parent.id, "body": "Крышу отремонтируют в июне."})
        )
        reply.action_submit()
        reply.with_user(cls.curator).action_approve()
        reply.with_user(cls.executor_user).action_mark_published(
            f"https://vk.com/wall{OWNER}_{POST}?reply=20&thread=10"
        )
        cls.to_petr = Event._vk_comments_to_incidents(
            cls.page, [cls.comment(11, 502, "И у нас в доме 5 течёт!", reply_to=10, root=10)]
        )
        cls.to_us = Event._vk_comments_to_incidents(
            cls.page, [cls.comment(12, 502, "В июне уже поздно.", reply_to=20, root=10)]
        )
        cls.to_unknown = Event._vk_comments_to_incidents(
            cls.page, [cls.comment(13, 502, "Согласна с соседом.", reply_to=99, root=10)]
        )

    @staticmethod
    def comment(comment_id, from_id, text, reply_to=None, root=None):
        comment = {
            "id": comment_id,
            "from_id": from_id,
            "post_id": POST,
            "owner_id": OWNER,
            "text": text,
            "date": 1764000000 + comment_id,
            "parents_stack": [root] if root else [],
        }
        if reply_to:
            comment["reply_to_comment"] = reply_to
        return comment


@tagged("post_install", "-at_install")
class TestAuthorHistoryVk(AuthorHistoryMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_thread()

    def quotes(self, author, user):
        """{message: (the quote's heading, the quoted text)} of the author's history."""
        tree = html.fromstring(str(author.with_user(user).history_html))
        result = {}
        for section in tree.xpath("//section"):
            message = section.xpath(".//*[contains(@class, 'o_social_history_message')]")[
                0
            ].text_content()
            quote = section.xpath(".//blockquote[contains(@class, 'o_social_history_parent')]")
            result[message] = (
                (
                    quote[0].xpath("./div")[0].text_content(),
                    quote[0].xpath("./div")[1].text_content(),
                )
                if quote
                else None
            )
        return result

    def test_the_connector_records_which_comment_a_reply_answers(self):
        self.assertEqual(self.parent.vk_reply_to_comment, 0)
        self.assertEqual(self.to_petr.vk_reply_to_comment, 10)
        self.assertEqual(self.to_us.vk_reply_to_comment, 20)
        self.assertEqual(self.to_unknown.vk_reply_to_comment, 99)
        # a reply in a thread without reply_to_comment answers the thread's root
        root_only = dict(self.comment(14, 502, "Ещё вопрос.", root=10))
        incident = self.env["social.inbound.event"]._vk_comments_to_incidents(
            self.page, [root_only]
        )
        self.assertEqual(incident.vk_reply_to_comment, 10)

    def test_history_quotes_the_parent_comment(self):
        self.assertEqual(
            self.quotes(self.anna, self.curator),
            {
                "И у нас в доме 5 течёт!": (
                    "In reply to (Пётр Иванов):",
                    "Когда отремонтируют крышу дома 3?",
                ),
                "В июне уже поздно.": (
                    "In reply to (Администрация района):",
                    "Крышу отремонтируют в июне.",
                ),
                "Согласна с соседом.": (
                    "In reply to (not registered, VK id 99):",
                    f"https://vk.com/wall{OWNER}_{POST}?reply=99",
                ),
            },
        )
        # a comment on the post itself quotes nothing
        self.assertEqual(
            self.quotes(self.petr, self.curator), {"Когда отремонтируют крышу дома 3?": None}
        )

    def test_the_parent_comment_is_written_by_the_connector_only(self):
        with self.assertRaisesRegex(UserError, "only through the workflow"):
            self.to_petr.with_user(self.curator).write({"vk_reply_to_comment": 11})


@tagged("post_install", "-at_install")
class TestAuthorHistoryVkTour(AuthorHistoryMixin, HttpCase):
    browser_size = "1366x768"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_thread()

    def test_history_opened_from_a_reply_in_a_thread_shows_the_parent(self):
        self.start_tour(
            f"/odoo/action-social_incidents.social_incident_action/{self.to_petr.id}",
            "social_vk_author_history_tour",
            login=self.curator.login,
        )
