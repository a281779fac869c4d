"""Browser tours of the content plan (static/tests/tours/social_content_plan_tour.js):
the author submits a planned post in its form, the curator opens it from the
calendar and approves it."""

from datetime import timedelta

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.social_incidents.tools import clock


@tagged("post_install", "-at_install")
class TestContentPlanTour(HttpCase):
    def test_author_submits_curator_approves_from_the_calendar(self):
        groups = "social_incidents.group_social_"
        author = new_test_user(self.env, login="tour_cp_author", groups=groups + "executor")
        curator = new_test_user(self.env, login="tour_cp_curator", groups=groups + "curator")
        self.env.company.social_curator_id = curator
        account = self.env["social.account"].create(
            {"name": "Tour page", "network": "vk", "url": "https://vk.com/tour_cp"}
        )
        post = (
            self.env["social.account.post"]
            .with_user(author)
            .create(
                {
                    "name": "Tour fair",
                    "account_id": account.id,
                    # soon: the calendar opens on this week
                    "planned_at": clock.now() + timedelta(minutes=15),
                }
            )
        )
        action = "/odoo/action-social_incidents.social_account_post_action"
        self.start_tour(
            f"{action}/{post.id}", "social_content_plan_submit_tour", login=author.login
        )
        self.assertEqual(post.state, "submitted")
        self.assertIn("weekend fair", post.body)
        self.start_tour(action, "social_content_plan_approve_tour", login=curator.login)
        self.assertEqual((post.state, post.reviewer_id), ("approved", curator))
