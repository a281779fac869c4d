"""The content plan over the web client's JSON-RPC: hostile context keys and
protected values sent by a client change nothing."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.social_incidents.tools import clock

from .common import JsonRpcMixin


@tagged("post_install", "-at_install")
class TestContentPlanRpc(JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,social_incidents.group_social_"
        cls.author = new_test_user(cls.env, login="t_cp_author", groups=groups + "executor")
        cls.other = new_test_user(cls.env, login="t_cp_other", groups=groups + "executor")
        cls.curator = new_test_user(cls.env, login="t_cp_curator", groups=groups + "curator")
        cls.head = new_test_user(cls.env, login="t_cp_head", groups=groups + "head")
        cls.no_group = new_test_user(cls.env, login="t_cp_nogroup", groups="base.group_user")
        cls.account = cls.env["social.account"].create(
            {"name": "RPC page", "network": "vk", "url": "https://vk.com/t_cp_rpc"}
        )

    def vals(self, **extra):
        values = {
            "name": "RPC post",
            "account_id": self.account.id,
            "body": "Текст поста",
            "planned_at": fields.Datetime.to_string(clock.now() + timedelta(days=1)),
        }
        values.update(extra)
        return values

    def test_hostile_defaults_and_protected_values(self):
        Post = self.env["social.account.post"]
        post_id, error = self.call_kw(
            "t_cp_author",
            "social.account.post",
            "create",
            [self.vals()],
            {"context": {"default_state": "approved", "default_author_id": self.curator.id}},
        )
        self.assertIsNone(error)
        post = Post.browse(post_id)
        self.assertEqual((post.state, post.author_id), ("draft", self.author))

        _result, error = self.call_kw(
            "t_cp_author", "social.account.post", "create", [self.vals(state="published")]
        )
        self.assertIn("workflow", error)
        _result, error = self.call_kw(
            "t_cp_author", "social.account.post", "write", [[post_id], {"state": "approved"}]
        )
        self.assertIn("workflow", error)
        # the private steps are not reachable over RPC
        for method, args in (
            ("_record_published", [[post_id], "1", "https://vk.com/wall-1_1"]),
            ("action_mark_published", [[post_id], "https://vk.com/wall-1_1"]),
            ("action_return", [[post_id], 1]),
            ("_record_network_post", [self.account.id, "5", "2026-01-01 00:00:00"]),
        ):
            _result, error = self.call_kw("t_cp_curator", "social.account.post", method, args)
            self.assertTrue(error, method)
        # a hostile context does not let the author approve their own post
        self.call_kw("t_cp_author", "social.account.post", "action_submit", [[post_id]])
        _result, error = self.call_kw(
            "t_cp_author",
            "social.account.post",
            "action_approve",
            [[post_id]],
            {"context": {"social_incidents_transition": True, "install_mode": True}},
        )
        self.assertTrue(error)
        # another executor cannot reach it at all
        _result, error = self.call_kw(
            "t_cp_other", "social.account.post", "action_cancel", [[post_id]]
        )
        self.assertTrue(error)
        post.invalidate_recordset()
        self.assertEqual(post.state, "submitted")

    def test_attackers_change_nothing_through_any_public_method(self):
        """Another executor, the head and a user without the module's groups
        call every public method of the post with a hostile context: its state
        and history do not change."""
        Post = self.env["social.account.post"]
        post = Post.browse(
            self.call_kw("t_cp_author", "social.account.post", "create", [self.vals()])[0]
        )
        self.call_kw("t_cp_author", "social.account.post", "action_submit", [[post.id]])
        history = [
            "state",
            "author_id",
            "reviewer_id",
            "published_url",
            "external_id",
            "rework_count",
        ]

        def snapshot():
            post.invalidate_recordset()
            return post.read(history)

        before = snapshot()
        self.assertEqual(before[0]["state"], "submitted")
        cls = type(Post)
        methods = [
            name
            for name in dir(cls)
            if not name.startswith("_")
            and callable(getattr(cls, name, None))
            and (getattr(getattr(cls, name), "__module__", "") or "").startswith(
                "odoo.addons.social_incidents"
            )
            and not getattr(getattr(cls, name), "_api_private", False)
        ]
        self.assertIn("action_approve", methods)
        hostile = {
            "default_state": "approved",
            "default_published_url": "https://vk.com/fake",
            "tracking_disable": True,
            "active_test": False,
        }
        calls = 0
        for login in ("t_cp_other", "t_cp_head", "t_cp_nogroup"):
            for method in methods:
                for args in ([[post.id]], [[post.id], "x"]):
                    self.call_kw(login, "social.account.post", method, args, {"context": hostile})
                    calls += 1
        self.assertGreater(calls, 20)
        self.assertEqual(snapshot(), before)
