"""The content plan: a planned post's approval cycle, its refusals, and the
publication interface the connectors use (record published / failed, the
page's own posts received from the network, the publishing job)."""

from datetime import timedelta

from odoo.exceptions import AccessError, UserError

from odoo.addons.social_incidents.tools import clock

from .common import SocialIncidentsCase


class ContentPlanCase(SocialIncidentsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.env["social.account"].create(
            {
                "name": "District VK",
                "network": "vk",
                "url": "https://vk.com/t_district",
                "executor_id": cls.roads.id,
            }
        )
        cls.Post = cls.env["social.account.post"]
        cls.company.social_curator_id = cls.curator

    def planned(self, user=None, hours=24, **vals):
        values = {
            "name": "Road repairs",
            "account_id": self.account.id,
            "body": "Ремонт дороги на ул. Ленина начнётся в понедельник.",
            "planned_at": clock.now() + timedelta(hours=hours),
        }
        values.update(vals)
        return self.Post.with_user(user or self.housing_user).create(values)

    def submitted_post(self, user=None, **vals):
        post = self.planned(user=user, **vals)
        post.with_user(user or self.housing_user).action_submit()
        return post

    def approved_post(self, **vals):
        post = self.submitted_post(**vals)
        post.with_user(self.curator).action_approve()
        return post

    def post_activities(self, post, suffix=None):
        """{(activity type suffix, login)} of the post's open activities."""
        acts = (
            self.env["mail.activity"]
            .sudo()
            .search([("res_model", "=", "social.account.post"), ("res_id", "=", post.id)])
        )
        result = {
            (
                a.activity_type_id.get_external_id()[a.activity_type_id.id].split("post_")[-1],
                a.user_id.login,
            )
            for a in acts
        }
        if suffix:
            return {login for key, login in result if key == suffix}
        return result

    def notes(self, post):
        return " | ".join(post.sudo().message_ids.mapped("body"))


class TestContentPlanWorkflow(ContentPlanCase):
    def test_submit_approve_mark_published(self):
        post = self.planned()
        self.assertEqual(
            (post.state, post.author_id, post.origin), ("draft", self.housing_user, "plan")
        )
        self.assertTrue(post.with_user(self.housing_user).can_edit)
        self.assertFalse(post.with_user(self.curator).can_approve, "a draft is not approved")

        post.with_user(self.housing_user).action_submit()
        self.assertEqual(post.state, "submitted")
        self.assertTrue(post.submitted_at)
        # no approver named: the company's default curator is asked
        self.assertEqual(self.post_activities(post), {("review", "t_curator")})
        self.assertFalse(post.with_user(self.housing_user).can_edit)
        self.assertTrue(post.with_user(self.curator).can_approve)

        post.with_user(self.curator).action_approve()
        self.assertEqual((post.state, post.reviewer_id), ("approved", self.curator))
        self.assertEqual(self.post_activities(post), set())
        self.assertIn("Post approved.", self.notes(post))

        # the author marks it published by hand after the approval
        self.assertTrue(post.with_user(self.housing_user).can_mark_published)
        post.with_user(self.housing_user).action_mark_published("https://vk.com/wall-1_77")
        self.assertEqual(post.state, "published")
        self.assertEqual(post.publisher_id, self.housing_user)
        self.assertEqual(post.published_url, "https://vk.com/wall-1_77")
        self.assertIn("https://vk.com/wall-1_77", self.notes(post))
        self.assertFalse(post.with_user(self.housing_user).can_cancel)

    def test_named_approver_gets_the_activity(self):
        post = self.submitted_post(approver_id=self.curator2.id)
        self.assertEqual(self.post_activities(post), {("review", "t_curator2")})
        # an approver who is not a curator: the company's default curator is asked instead
        post = self.submitted_post(approver_id=self.roads_user.id)
        self.assertEqual(self.post_activities(post), {("review", "t_curator")})

    def test_return_with_reason_then_rework(self):
        post = self.submitted_post()
        with self.assertRaisesRegex(UserError, "reason"):
            post.with_user(self.curator).action_return(self.env["social.return.reason"])
        post.with_user(self.curator).action_return(self.reason_spelling, "Опечатка в заголовке")
        self.assertEqual(post.state, "returned")
        self.assertEqual(post.rework_count, 1)
        self.assertEqual(post.return_reason_id, self.reason_spelling)
        self.assertEqual(post.return_comment, "Опечатка в заголовке")
        self.assertEqual(self.post_activities(post), {("rework", "t_housing")})
        self.assertIn("Опечатка в заголовке", self.notes(post))
        # the author reworks it and submits it again: the rework activity is done
        post.with_user(self.housing_user).write({"body": "Исправленный текст поста."})
        post.with_user(self.housing_user).action_submit()
        self.assertEqual(post.state, "submitted")
        self.assertEqual(self.post_activities(post, "rework"), set())
        self.assertEqual(self.post_activities(post, "review"), {"t_curator"})

    def test_return_through_the_dialog(self):
        post = self.submitted_post()
        action = post.with_user(self.curator).action_open_return_wizard()
        wizard = (
            self.env["social.account.post.wizard"]
            .with_user(self.curator)
            .with_context(**action["context"])
            .create({"return_reason_id": self.reason_spelling.id, "comment": "Нет фото"})
        )
        wizard.action_confirm()
        self.assertEqual((post.state, post.return_comment), ("returned", "Нет фото"))

    def test_mark_published_through_the_dialog(self):
        post = self.approved_post()
        action = post.with_user(self.curator).action_open_publish_wizard()
        wizard = (
            self.env["social.account.post.wizard"]
            .with_user(self.curator)
            .with_context(**action["context"])
            .create({"url": "https://vk.com/wall-1_5"})
        )
        wizard.action_confirm()
        self.assertEqual((post.state, post.publisher_id), ("published", self.curator))

    def test_cancel(self):
        post = self.submitted_post()
        with self.assertRaises(AccessError):
            post.with_user(self.outsider).action_cancel()
        with self.assertRaisesRegex(UserError, "author or a curator"):
            post.with_user(self.head).action_cancel()
        post.with_user(self.housing_user).action_cancel()
        self.assertEqual(post.state, "cancelled")
        self.assertEqual(
            self.post_activities(post), set(), "nobody is asked to approve it any more"
        )
        with self.assertRaisesRegex(UserError, "not yet published"):
            post.with_user(self.curator).action_cancel()


class TestContentPlanRefusals(ContentPlanCase):
    def test_nobody_approves_their_own_post(self):
        post = self.submitted_post(user=self.curator)
        # the default curator wrote it: the other curators are asked, never the author
        asked = self.post_activities(post, "review")
        self.assertIn("t_curator2", asked)
        self.assertNotIn("t_curator", asked)
        self.assertFalse(post.with_user(self.curator).can_approve)
        with self.assertRaisesRegex(UserError, "their own post"):
            post.with_user(self.curator).action_approve()
        post.with_user(self.curator2).action_approve()
        self.assertEqual(post.state, "approved")

    def test_executor_does_not_approve(self):
        post = self.submitted_post()
        with self.assertRaisesRegex(UserError, "Only a curator"):
            post.with_user(self.housing_user).action_approve()
        with self.assertRaisesRegex(UserError, "Only a curator"):
            post.with_user(self.housing_user).action_return(self.reason_spelling)
        self.assertEqual(post.state, "submitted")

    def test_wrong_state(self):
        post = self.planned()
        with self.assertRaisesRegex(UserError, "Only a submitted post"):
            post.with_user(self.curator).action_approve()
        with self.assertRaisesRegex(UserError, "Only an approved post"):
            post.with_user(self.curator).action_mark_published("https://vk.com/wall-1_1")
        post.with_user(self.housing_user).action_submit()
        with self.assertRaisesRegex(UserError, "Only a draft or a returned post"):
            post.with_user(self.housing_user).action_submit()
        with self.assertRaisesRegex(UserError, "Only a draft or a returned post"):
            post.with_user(self.housing_user).write({"body": "Другой текст"})
        with self.assertRaisesRegex(UserError, "Only an approved post"):
            post.with_user(self.housing_user).action_mark_published("https://vk.com/wall-1_1")

    def test_submit_needs_text_and_a_time_to_come(self):
        post = self.planned(body=False)
        with self.assertRaisesRegex(UserError, "Write the text"):
            post.with_user(self.housing_user).action_submit()
        post = self.planned(hours=-1)
        with self.assertRaisesRegex(UserError, "planned time has passed"):
            post.with_user(self.housing_user).action_submit()
        self.assertEqual(post.state, "draft")

    def test_executor_sees_and_edits_only_their_own(self):
        post = self.planned()
        other = self.Post.with_user(self.roads_user)
        self.assertFalse(other.search([("id", "=", post.id)]))
        with self.assertRaises(AccessError):
            post.with_user(self.roads_user).write({"body": "Чужой текст"})
        with self.assertRaises(AccessError):
            post.with_user(self.roads_user).action_submit()
        # curators see and edit every post of the company, the head reads them
        self.assertTrue(self.Post.with_user(self.curator).search([("id", "=", post.id)]))
        post.with_user(self.curator).write({"name": "Ремонт дорог"})
        self.assertEqual(post.with_user(self.head).name, "Ремонт дорог")
        with self.assertRaises(AccessError):
            post.with_user(self.head).write({"name": "x"})
        with self.assertRaisesRegex(UserError, "Only executors and curators write posts"):
            self.planned(user=self.head)

    def test_mark_published_time_and_link(self):
        post = self.approved_post()
        with self.assertRaisesRegex(UserError, "not later than now"):
            post.with_user(self.curator).action_mark_published(
                "https://vk.com/wall-1_1", clock.now() + timedelta(hours=1)
            )
        with self.assertRaisesRegex(UserError, "after its approval"):
            post.with_user(self.curator).action_mark_published(
                "https://vk.com/wall-1_1", post.reviewed_at - timedelta(hours=1)
            )
        with self.assertRaisesRegex(UserError, "not a web address"):
            post.with_user(self.curator).action_mark_published("vk wall")
        self.assertEqual(post.state, "approved")

    def test_protected_fields_and_hostile_context(self):
        hostile = self.Post.with_user(self.housing_user).with_context(
            default_state="approved", default_author_id=self.curator.id, default_origin="network"
        )
        post = hostile.create(
            {
                "name": "x",
                "account_id": self.account.id,
                "body": "y",
                "planned_at": clock.now() + timedelta(days=1),
            }
        )
        self.assertEqual(
            (post.state, post.author_id, post.origin), ("draft", self.housing_user, "plan")
        )
        with self.assertRaisesRegex(UserError, "workflow"):
            self.Post.with_user(self.housing_user).create(
                {
                    "name": "x",
                    "account_id": self.account.id,
                    "planned_at": clock.now() + timedelta(days=1),
                    "state": "approved",
                }
            )
        for vals in (
            {"state": "approved"},
            {"published_url": "https://vk.com/x"},
            {"reviewer_id": self.curator.id},
        ):
            with self.assertRaisesRegex(UserError, "workflow"):
                post.with_user(self.curator).write(vals)
        self.assertEqual(post.state, "draft")


class TestContentPlanPublication(ContentPlanCase):
    def test_record_published_closes_activities(self):
        post = self.approved_post()
        post._record_publish_failure("VK is down", final=True)
        self.assertTrue(self.post_activities(post, "failed"))
        post._record_published("4501", "https://vk.com/wall-1_4501")
        self.assertEqual(
            (post.state, post.external_id, post.published_url, post.publish_error),
            ("published", "4501", "https://vk.com/wall-1_4501", False),
        )
        self.assertTrue(post.published_at)
        self.assertEqual(self.post_activities(post), set())
        self.assertIn("Post published", self.notes(post))

    def test_record_publish_failure_retries_then_gives_up(self):
        post = self.approved_post()
        before = clock.now()
        post._record_publish_failure("timeout")
        self.assertEqual(
            (post.state, post.publish_attempts, post.publish_error),
            ("publish_failed", 1, "timeout"),
        )
        self.assertGreaterEqual(post.publish_next_at, before + timedelta(minutes=2))
        self.assertEqual(
            self.post_activities(post), set(), "a passing error: nobody is bothered yet"
        )
        retry_at = clock.now() + timedelta(minutes=30)
        post._record_publish_failure("flood control", retry_at=retry_at)
        self.assertEqual((post.publish_attempts, post.publish_next_at), (2, retry_at))
        for _attempt in range(4):
            post._record_publish_failure("timeout")
        self.assertEqual(post.publish_attempts, 6)
        self.assertFalse(post.publish_next_at, "the attempts are spent")
        # the author and the page's responsible people (who can open the post) are asked
        self.assertEqual(self.post_activities(post, "failed"), {"t_housing"})
        self.assertIn("Publication failed", self.notes(post))

    def test_final_failure_asks_the_curator_holding_the_page(self):
        self.account.access_holder_ids = self.curator2 | self.roads_user
        post = self.approved_post()
        post._record_publish_failure("token rejected", final=True)
        self.assertFalse(post.publish_next_at)
        # the roads executor cannot open another executor's post: not asked
        self.assertEqual(self.post_activities(post, "failed"), {"t_housing", "t_curator2"})

    def test_network_post_recorded_once(self):
        published_at = clock.now() - timedelta(hours=1)
        first = self.Post._record_network_post(
            self.account,
            "9001",
            published_at,
            "Поздравляем выпускников школ района!",
            "https://vk.com/wall-1_9001",
        )
        second = self.Post._record_network_post(self.account, 9001, published_at, "другой текст")
        self.assertEqual(first, second)
        self.assertEqual(self.Post.search_count([("account_id", "=", self.account.id)]), 1)
        self.assertEqual(
            (first.origin, first.state, first.name, first.published_url, first.author_id.id),
            (
                "network",
                "published",
                "Поздравляем выпускников школ района!",
                "https://vk.com/wall-1_9001",
                False,
            ),
        )
        # the head counts it; an executor does not see a post that is not theirs
        self.assertTrue(self.Post.with_user(self.head).search([("id", "=", first.id)]))

    def test_planned_post_echo_is_no_duplicate(self):
        post = self.approved_post()
        post._record_published("9002", "https://vk.com/wall-1_9002")
        echo = self.Post._record_network_post(self.account, "9002", clock.now(), post.body)
        self.assertEqual(echo, post)
        self.assertEqual(post.origin, "plan")

    def test_echo_received_before_the_publication_is_merged(self):
        post = self.approved_post()
        echo = self.Post._record_network_post(self.account, "9003", clock.now(), post.body)
        self.assertNotEqual(echo, post)
        post._record_published("9003", "https://vk.com/wall-1_9003")
        self.assertFalse(echo.exists())
        self.assertEqual(self.Post.search([("external_id", "=", "9003")]), post)

    def test_cron_without_connector_asks_the_author_once(self):
        post = self.approved_post(hours=1)
        Post = self.env["social.account.post"]
        self.assertEqual(Post._cron_publish_due(), 0, "not before its time")
        with clock.frozen_at(clock.now() + timedelta(hours=2)):
            self.assertEqual(Post._cron_publish_due(), 1)
            self.assertEqual(post.state, "approved", "stays approved until marked by hand")
            self.assertEqual(self.post_activities(post, "publish"), {"t_housing"})
            self.assertEqual(Post._cron_publish_due(), 0)
            Post._cron_publish_due()
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search([("res_model", "=", "social.account.post"), ("res_id", "=", post.id)])
        )
        self.assertEqual(len(activities), 1)
        post.with_user(self.housing_user).action_mark_published("https://vk.com/wall-1_3")
        self.assertEqual(self.post_activities(post), set())

    def test_cron_skips_what_is_not_due(self):
        draft = self.planned(hours=1)
        failed = self.approved_post(hours=1)
        failed._record_publish_failure("token", final=True)
        with clock.frozen_at(clock.now() + timedelta(hours=2)):
            self.assertEqual(self.env["social.account.post"]._cron_publish_due(), 0)
        self.assertEqual((draft.state, failed.state), ("draft", "publish_failed"))

    def test_cron_refuses_other_callers(self):
        for user in (self.housing_user, self.curator, self.head):
            with self.assertRaises(AccessError):
                self.env["social.account.post"].with_user(user)._cron_publish_due()

    def test_lock_for_publishing(self):
        post = self.approved_post()
        self.assertTrue(post._lock_for_publishing())

    def test_page_smart_button(self):
        self.planned()
        self.planned(name="Второй")
        account = self.account.with_user(self.curator)
        self.assertEqual(account.post_count, 2)
        action = account.action_view_posts()
        self.assertEqual(action["domain"], [("account_id", "=", self.account.id)])
        self.assertEqual(action["context"]["default_account_id"], self.account.id)


class TestContentPlanQuality(ContentPlanCase):
    def test_restricted_mark_blocks_the_submission(self):
        post = self.planned(body="Материалы для служебного пользования: график проверок.")
        self.assertTrue(post.quality_blocked)
        self.assertIn("restricted", post.quality_html)
        self.assertTrue(post.with_user(self.housing_user).can_edit, "the author can still fix it")
        with self.assertRaisesRegex(UserError, "restricted information"):
            post.with_user(self.housing_user).action_submit()
        self.assertEqual(post.state, "draft")
        post.with_user(self.housing_user).write({"body": "График приёма граждан на неделю."})
        self.assertFalse(post.quality_blocked)
        post.with_user(self.housing_user).action_submit()
        self.assertEqual(post.state, "submitted")


class TestContentPlanScreens(ContentPlanCase):
    def test_views_open_for_each_role(self):
        """The content plan's calendar, list, form and search load for the
        executor, the curator and the head; the page's form has its «Posts» button."""
        views = [(False, "calendar"), (False, "list"), (False, "form"), (False, "search")]
        for user in (self.housing_user, self.curator, self.head):
            result = self.env["social.account.post"].with_user(user).get_views(views)
            self.assertIn('date_start="planned_at"', result["views"]["calendar"]["arch"])
            self.assertIn("action_submit", result["views"]["form"]["arch"])
        form = self.env["social.account"].with_user(self.curator).get_views([(False, "form")])
        self.assertIn("action_view_posts", form["views"]["form"]["arch"])
        menu = self.env.ref("social_incidents.social_account_post_menu")
        visible = self.env["ir.ui.menu"].with_user(self.housing_user)._visible_menu_ids()
        self.assertIn(menu.id, visible)


class TestContentPlanRetryWithoutConnector(ContentPlanCase):
    def test_failed_post_of_a_page_without_connector_is_not_retried_forever(self):
        post = self.approved_post(hours=1)
        post._record_publish_failure("timeout")
        self.assertTrue(post.publish_next_at)
        Post = self.env["social.account.post"]
        with clock.frozen_at(clock.now() + timedelta(hours=2)):
            self.assertEqual(Post._cron_publish_due(), 1)
            self.assertFalse(post.publish_next_at)
            self.assertEqual(self.post_activities(post, "publish"), {"t_housing"})
            self.assertEqual(Post._cron_publish_due(), 0)
        self.assertEqual(post.state, "publish_failed")


class TestContentPlanCompanies(ContentPlanCase):
    def test_pages_and_posts_of_another_company(self):
        company_b = self.env["res.company"].create({"name": "Municipality B"})
        page_b = self.env["social.account"].create(
            {
                "name": "B page",
                "network": "vk",
                "url": "https://vk.com/t_b",
                "company_id": company_b.id,
            }
        )
        with self.assertRaises(AccessError):
            self.planned(user=self.curator, account_id=page_b.id)
        post = self.planned()
        curator_b = self.curator.copy(
            {
                "login": "t_curator_b",
                "company_id": company_b.id,
                "company_ids": [(6, 0, company_b.ids)],
            }
        )
        self.assertFalse(self.Post.with_user(curator_b).search([("id", "=", post.id)]))


class TestContentPlanDialog(ContentPlanCase):
    def test_dialog_for_another_executors_post_shows_nothing(self):
        post = self.planned()
        wizard = (
            self.env["social.account.post.wizard"]
            .with_user(self.roads_user)
            .create({"mode": "return", "post_id": post.id})
        )
        with self.assertRaises(AccessError):
            wizard.read(["post_body"])
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertEqual(post.state, "draft")
