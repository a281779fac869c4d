"""The content plan on VK: an approved post goes out on the community's wall
at its time, once, with its photos; failures are retried, then handed to a
person; the community's own posts received from VK count for the weekly
quota once; the connection check reads the verified mark."""

from odoo.tests import TransactionCase, tagged

from .common_content_plan import PNG, ContentPlanMixin


@tagged("post_install", "-at_install")
class TestContentPlanVk(ContentPlanMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_content_plan()

    def setUp(self):
        super().setUp()
        self.clear_fakes()
        self.fake_vk.posts.clear()  # the fake lives for the class: each test its own wall

    def store_event(self, payload):
        """What the Callback API controller stores for a delivery."""
        self.Event.sudo()._store(self.vk, "vk", payload["event_id"], payload["type"], payload)

    def own_posts(self):
        return self.fake_vk.wall_posts(from_id=self.fake_vk.owner_id)

    def test_an_approved_post_goes_out_once_at_its_time(self):
        post = self.planned_post(self.vk)
        self.run_job(hours=0)
        self.assertEqual(post.state, "approved", "not before its time")
        self.assertFalse(self.fake_vk.requests_of("wall.post"))

        self.run_job()
        self.run_job(hours=3)

        (wall_post,) = self.own_posts()
        self.assertEqual(wall_post["text"], "Субботник во дворах в эту субботу.")
        (request,) = self.fake_vk.requests_of("wall.post")
        self.assertEqual(request["token_type"], "user", "wall.post takes a user token only")
        self.assertEqual(request["params"]["owner_id"], str(self.fake_vk.owner_id))
        self.assertEqual(request["params"]["from_group"], "1")
        self.assertEqual(
            request["params"]["guid"], f"social-incidents-post-{self.env.cr.dbname}-{post.id}"
        )
        self.assertEqual(post.state, "published")
        self.assertEqual(post.external_id, str(wall_post["id"]))
        self.assertEqual(
            post.published_url,
            f"https://vk.com/wall-{self.fake_vk.group_id}_{wall_post['id']}",
        )
        self.assertTrue(self.vk.last_success_at)

    def test_a_page_with_a_community_token_only_is_published_by_hand(self):
        self.vk.vk_user_token = False
        post = self.planned_post(self.vk)
        self.run_job()
        self.assertFalse(self.fake_vk.requests_of("wall.post"))
        self.assertEqual(post.state, "approved")
        self.assertTrue(post.activity_ids, "its author is asked to publish it by hand")

    def test_a_lost_answer_is_sent_again_under_the_same_guid(self):
        post = self.planned_post(self.vk)
        # VK posts it but its answer comes after the client's timeout (Odoo's
        # test framework lifts any timeout under 10 s to 10 s); the client tries again
        self.fake_vk.fail_next("wall.post", delay=11)
        self.run_job()
        self.assertTrue(self.fake_vk.wait_idle(timeout=15))
        first, second = self.fake_vk.requests_of("wall.post")
        self.assertEqual(first["params"]["guid"], second["params"]["guid"])
        (wall_post,) = self.own_posts()
        self.assertEqual(post.state, "published")
        self.assertEqual(post.external_id, str(wall_post["id"]))

    def test_a_retry_finds_the_post_already_on_the_wall(self):
        self.env["ir.config_parameter"].sudo().set_param("social_incidents_vk.max_retries", "0")
        post = self.planned_post(self.vk)
        self.fake_vk.fail_next("wall.post", delay=11)
        self.run_job()
        self.assertTrue(self.fake_vk.wait_idle(timeout=15))
        self.assertEqual(post.state, "publish_failed")
        self.assertIn("VK does not answer", post.publish_error)
        self.assertTrue(post.publish_next_at, "a retry is planned")
        (wall_post,) = self.own_posts()
        self.assertFalse(self.fake_vk.requests_of("wall.get"), "the first try reads nothing")

        # VK keeps a guid about an hour: the retry looks at the wall first
        self.run_job(hours=3)

        self.assertEqual(post.state, "published")
        self.assertEqual(post.external_id, str(wall_post["id"]))
        self.assertEqual(len(self.fake_vk.requests_of("wall.post")), 1, "not posted again")
        (check,) = self.fake_vk.requests_of("wall.get")
        self.assertEqual(check["params"]["filter"], "owner")
        self.assertEqual(len(self.own_posts()), 1)

    def test_a_retry_posts_when_the_post_is_not_on_the_wall(self):
        post = self.planned_post(self.vk)
        self.fake_vk.fail_next("wall.post", error_code=10, times=3)
        self.fake_vk.add_post("Другая новость")
        self.run_job()
        self.assertEqual(post.state, "publish_failed")
        self.run_job(hours=3)
        self.assertEqual(post.state, "published")
        self.assertEqual(len(self.fake_vk.requests_of("wall.get")), 1)
        self.assertEqual(len(self.own_posts()), 2)

    def test_the_photos_are_uploaded_and_attached(self):
        post = self.planned_post(self.vk, photos=[PNG, PNG + b"\0"])
        self.run_job()
        self.assertEqual(post.state, "published")
        self.assertEqual(len(self.fake_vk.requests_of("photos.getWallUploadServer")), 2)
        uploads = self.fake_vk.requests_of("upload")
        self.assertEqual(len(uploads), 2)
        self.assertTrue(all("multipart/form-data" in u["content_type"] for u in uploads))
        saved = self.fake_vk.requests_of("photos.saveWallPhoto")
        self.assertEqual([r["params"]["group_id"] for r in saved], [str(self.fake_vk.group_id)] * 2)
        (wall_post,) = self.own_posts()
        self.assertEqual(len(wall_post["attachments"]), 2)
        (request,) = self.fake_vk.requests_of("wall.post")
        attachments = request["params"]["attachments"].split(",")
        self.assertEqual(
            attachments,
            [f"photo{p['photo']['owner_id']}_{p['photo']['id']}" for p in wall_post["attachments"]],
        )

    def test_files_other_than_photos_are_named_for_the_author(self):
        post = self.planned_post(self.vk, photos=[PNG], files=[("Приказ.pdf", "application/pdf")])
        self.run_job()
        self.assertEqual(post.state, "published")
        (wall_post,) = self.own_posts()
        self.assertEqual(len(wall_post["attachments"]), 1, "the photo only")
        self.assertIn("Приказ.pdf", post.message_ids[0].body)
        self.assertIn("Add them to the post in VK by hand", post.message_ids[0].body)

    def test_a_passing_error_is_retried_then_a_rejected_token_goes_to_a_person(self):
        post = self.planned_post(self.vk)
        self.fake_vk.fail_next("wall.post", error_code=10, times=3)
        self.run_job()
        self.assertEqual(post.state, "publish_failed")
        self.assertEqual(post.publish_attempts, 1)
        self.assertTrue(post.publish_next_at)
        self.assertIn("VK is failing", post.publish_error)
        self.assertFalse(self.own_posts())
        self.assertEqual(self.vk.connector_state, "error")

        self.fake_vk.fail_next("wall.post", error_code=5)
        self.run_job(hours=3)

        self.assertEqual(post.state, "publish_failed")
        self.assertEqual(post.publish_attempts, 2)
        self.assertFalse(post.publish_next_at, "a retry cannot fix a rejected token")
        self.assertIn("VK rejected the token", post.publish_error)
        self.assertIn(self.executor_user, post.activity_ids.user_id, "the author acts")
        page_activities = self.vk.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("social_incidents_vk.mail_act_social_connector")
        )
        self.assertTrue(page_activities, "the administrators are told to renew the token")
        self.run_job(hours=5)
        self.assertEqual(len(self.fake_vk.requests_of("wall.post")), 4, "no more tries")

    def test_the_echo_of_a_published_post_is_not_counted_twice(self):
        post = self.planned_post(self.vk)
        self.run_job()
        (wall_post,) = self.own_posts()
        # VK sends the new post back to the Callback API; a post by the
        # community's editor in VK, and a citizen's suggested post, come too
        by_hand = self.fake_vk.add_post("Фото с праздника")
        suggested = self.fake_vk.add_post("Предлагаю новость", from_id=5550001)
        for wall_id in (wall_post["id"], by_hand["id"], suggested["id"]):
            self.store_event(self.fake_vk.post_event(wall_id))
        self.Event._cron_process()
        self.env.invalidate_all()

        posts = self.Post.search([("account_id", "=", self.vk.id)], order="id")
        self.assertEqual(posts.mapped("external_id"), [str(wall_post["id"]), str(by_hand["id"])])
        self.assertEqual(posts[0], post)
        self.assertEqual(posts[1].origin, "network")
        self.assertEqual(posts[1].state, "published")
        self.assertEqual(
            posts[1].published_url,
            f"https://vk.com/wall-{self.fake_vk.group_id}_{by_hand['id']}",
        )
        self.assertEqual(
            set(self.Event.search([("account_id", "=", self.vk.id)]).mapped("state")), {"done"}
        )

    def test_an_echo_received_before_the_post_is_recorded_is_merged(self):
        post = self.planned_post(self.vk)
        self.env["ir.config_parameter"].sudo().set_param("social_incidents_vk.max_retries", "0")
        self.fake_vk.fail_next("wall.post", delay=11)
        self.run_job()
        self.assertTrue(self.fake_vk.wait_idle())
        (wall_post,) = self.own_posts()
        self.store_event(self.fake_vk.post_event(wall_post["id"]))
        self.Event._cron_process()
        self.assertEqual(self.Post.search_count([("account_id", "=", self.vk.id)]), 2)

        self.run_job(hours=3)

        posts = self.Post.search([("account_id", "=", self.vk.id)])
        self.assertEqual(posts, post, "the echo is the planned post")
        self.assertEqual(post.state, "published")
        self.assertEqual(post.external_id, str(wall_post["id"]))

    def test_the_connection_check_reads_the_verified_mark(self):
        self.assertFalse(self.vk.verified)
        self.fake_vk.verified = True
        self.vk.with_user(self.admin).action_test_connection()
        self.assertTrue(self.vk.verified)
        (request,) = self.fake_vk.requests_of("groups.getById")
        self.assertEqual(request["params"]["fields"], "verified")
        self.assertIn("VK shows the community's verified mark", self.vk.message_ids[0].body)

        self.fake_vk.verified = False
        self.vk.with_user(self.admin).action_test_connection()
        self.assertFalse(self.vk.verified)
        self.assertIn("no longer shows", self.vk.message_ids[0].body)
        messages = len(self.vk.message_ids)
        self.vk.with_user(self.admin).action_test_connection()
        self.assertEqual(len(self.vk.message_ids), messages, "no change, no note")
