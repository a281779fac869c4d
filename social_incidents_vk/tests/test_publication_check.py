"""Proof of publication: the posted reply is read back from the network
(10 minutes after posting, then the next day) by a scheduled job, against the
fake VK and Telegram servers."""

import json
from datetime import timedelta

from odoo.tests import HttpCase, TransactionCase, tagged

from odoo.addons.social_incidents.tools import clock

from .common import ConnectorMixin
from .test_telegram_publish_moderate import REPLY, TelegramPublishCase

GONE_TYPE = "social_incidents_vk.mail_act_social_reply_gone"


class PublicationCheckCase(ConnectorMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()
        cls.page_head = cls.env["res.users"].create(
            {"name": "Page Executor", "login": "vk_page_executor"}
        )
        cls.page_executor = cls.env["social.executor"].create(
            {"name": "Press Office", "member_ids": [(6, 0, cls.page_head.ids)]}
        )
        cls.vk.executor_id = cls.page_executor
        cls.Reply = cls.env["social.incident.reply"]

    def setUp(self):
        super().setUp()
        self.clear_fakes()

    def published_vk_reply(self, text="Почему не вывезли мусор?", from_id=305118722):
        post = self.fake_vk.add_post("Новости района")
        comment = self.fake_vk.add_comment(post["id"], from_id, text)
        incident = self.Event._vk_comments_to_incidents(
            self.vk, [dict(comment, post_id=post["id"], owner_id=-self.fake_vk.group_id)]
        )
        reply = self.answer(incident)
        reply.with_user(self.executor_user).action_open_publish_wizard()
        self.assertEqual(reply.state, "published")
        return reply

    def run_job(self, at):
        with clock.frozen_at(at):
            return self.Reply._cron_verify_publication()

    def reads(self):
        return [r for r in self.fake_vk.requests if r["method"] == "wall.getComment"]

    def gone_activities(self, incident):
        return incident.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(GONE_TYPE)
        )

    def label(self, state):
        return dict(self.Reply._fields["verify_state"]._description_selection(self.env))[state]


class TestVkPublicationCheck(PublicationCheckCase):
    def test_visible_reply_is_checked_twice_then_left_alone(self):
        reply = self.published_vk_reply()
        self.assertEqual(reply.verify_state, "pending")
        posted = reply.published_at
        self.assertEqual(self.run_job(posted + timedelta(minutes=5)), 0, "not due yet")
        self.assertFalse(self.reads())

        first = posted + timedelta(minutes=11)
        self.assertEqual(self.run_job(first), 1)
        [call] = self.reads()
        self.assertEqual(call["params"]["owner_id"], str(-self.fake_vk.group_id))
        self.assertEqual(call["params"]["comment_id"], reply.external_id)
        self.assertEqual(call["token_type"], "service")
        self.assertEqual(reply.verify_state, "visible")
        self.assertEqual(reply.verify_first_at, first)
        self.assertFalse(reply.verify_second_at)
        self.assertEqual(reply.verify_next_at, posted + timedelta(hours=24))

        # the job again at once: nothing due, nothing read, nothing changed
        self.assertEqual(self.run_job(first + timedelta(minutes=5)), 0)
        self.assertEqual(len(self.reads()), 1)
        self.assertEqual(reply.verify_first_at, first)

        second = posted + timedelta(hours=24, minutes=3)
        self.assertEqual(self.run_job(second), 1)
        self.assertEqual(reply.verify_state, "visible")
        self.assertEqual(reply.verify_second_at, second)
        self.assertFalse(reply.verify_next_at)
        self.assertEqual(self.run_job(second + timedelta(days=3)), 0, "two checks, no more")
        self.assertEqual(len(self.reads()), 2)
        self.assertFalse(self.gone_activities(reply.incident_id))
        self.assertFalse(reply.incident_id.reply_gone)

    def test_deleted_reply_alerts_curator_and_page_executor_once(self):
        reply = self.published_vk_reply()
        incident = reply.incident_id
        posted = reply.published_at
        self.run_job(posted + timedelta(minutes=11))
        self.assertEqual(reply.verify_state, "visible")
        # a moderator of the community deletes the reply in VK
        self.fake_vk.deleted_comments.add((-self.fake_vk.group_id, int(reply.external_id)))
        self.assertEqual(self.run_job(posted + timedelta(hours=25)), 1)
        self.assertEqual(reply.verify_state, "deleted")
        self.assertTrue(incident.reply_gone)
        activities = self.gone_activities(incident)
        self.assertEqual(activities.user_id, self.curator | self.page_head)
        self.assertIn("The published reply is no longer in the network", activities[0].note)
        self.assertIn(
            "The published reply is no longer in the network (check result: deleted)",
            incident.message_ids[:1].body,
        )
        # done: the job changes nothing and alerts no one again
        messages = len(incident.message_ids)
        self.assertEqual(self.run_job(posted + timedelta(days=5)), 0)
        self.assertEqual(len(self.gone_activities(incident)), 2)
        self.assertEqual(len(incident.message_ids), messages)

    def test_reply_not_found_at_the_first_check(self):
        reply = self.published_vk_reply()
        incident = reply.incident_id
        # the whole thread is gone: VK does not know the comment any more
        del self.fake_vk.comments[int(reply.external_id)]
        self.assertEqual(self.run_job(reply.published_at + timedelta(minutes=11)), 1)
        self.assertEqual(reply.verify_state, "not_found")
        self.assertEqual(len(self.gone_activities(incident)), 2)
        self.assertTrue(incident.reply_gone)
        messages = len(incident.message_ids)
        # the next-day check finds it still missing: no second alert
        self.assertEqual(self.run_job(reply.published_at + timedelta(hours=25)), 1)
        self.assertEqual(reply.verify_state, "not_found")
        self.assertTrue(reply.verify_second_at)
        self.assertEqual(len(self.gone_activities(incident)), 2)
        self.assertEqual(len(incident.message_ids), messages, "no second note")

    def test_vk_failure_postpones_the_check(self):
        reply = self.published_vk_reply()
        self.fake_vk.fail_next("wall.getComment", error_code=10, times=3)
        at = reply.published_at + timedelta(minutes=11)
        self.assertEqual(self.run_job(at), 0)
        self.assertEqual(reply.verify_state, "pending")
        self.assertFalse(reply.verify_first_at)
        self.assertEqual(reply.verify_next_at, at + timedelta(minutes=30))

    def test_page_switched_off_is_not_called(self):
        reply = self.published_vk_reply()
        self.vk.connector_enabled = False
        at = reply.published_at + timedelta(minutes=11)
        self.assertEqual(self.run_job(at), 0)
        self.assertFalse(self.reads())
        self.assertEqual(reply.verify_state, "pending")
        self.assertEqual(reply.verify_next_at, at + timedelta(minutes=30))
        self.vk.connector_enabled = True
        self.assertEqual(self.run_job(at + timedelta(minutes=31)), 1)
        self.assertEqual(reply.verify_state, "visible")

    def test_reply_marked_published_by_hand_is_not_verified(self):
        post = self.fake_vk.add_post("Новости района")
        comment = self.fake_vk.add_comment(post["id"], 305118723, "Где автобус?")
        incident = self.Event._vk_comments_to_incidents(
            self.vk, [dict(comment, post_id=post["id"], owner_id=-self.fake_vk.group_id)]
        )
        reply = self.answer(incident)
        self.vk.connector_enabled = False
        self.assertEqual(reply.publish_channel, "manual")
        reply.with_user(self.executor_user).action_mark_published("https://vk.com/wall-1_2?reply=9")
        self.assertEqual(reply.verify_state, "not_verified")
        self.assertFalse(reply.verify_next_at)
        self.assertEqual(self.run_job(clock.now() + timedelta(days=2)), 0)
        self.assertFalse(self.reads())
        self.assertEqual(reply.verify_state, "not_verified")

    def test_incident_card_pdf_says_the_check(self):
        if "report.social_incidents_reports.report_incident_card" not in self.env:
            self.skipTest("social_incidents_reports is not installed")
        from odoo.addons.social_incidents_reports.tests.pdf import pdf_text

        reply = self.published_vk_reply()
        self.fake_vk.deleted_comments.add((-self.fake_vk.group_id, int(reply.external_id)))
        self.run_job(reply.published_at + timedelta(minutes=11))
        env = self.env(context=dict(self.env.context, lang="ru_RU", force_report_rendering=True))
        pdf, _kind = env["ir.actions.report"]._render_qweb_pdf(
            "social_incidents_reports.report_incident_card", reply.incident_id.ids
        )
        text = pdf_text(pdf)
        label = dict(
            env["social.incident.reply"]._fields["verify_state"]._description_selection(env)
        )["deleted"]
        self.assertIn(label, text)
        self.assertNotIn(self.label("visible"), text.replace(label, ""))


class TestTelegramPublicationCheck(TelegramPublishCase):
    def test_telegram_reply_is_recorded_not_verifiable_without_reading_it(self):
        incident, _post_id, _comment = self.tg_incident()
        reply = self.answer_with(incident, REPLY)
        self.publish(reply)
        self.assertEqual(reply.state, "published")
        self.assertEqual(reply.verify_state, "pending")
        self.fake_tg.requests.clear()
        at = reply.published_at + timedelta(minutes=11)
        with clock.frozen_at(at):
            self.assertEqual(self.env["social.incident.reply"]._cron_verify_publication(), 1)
        self.assertEqual(reply.verify_state, "not_verifiable")
        self.assertEqual(reply.verify_first_at, at)
        self.assertFalse(reply.verify_next_at, "nothing more to learn")
        self.assertFalse(self.fake_tg.requests, "no message forwarded nor copied anywhere")
        self.assertFalse(
            incident.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(GONE_TYPE))
        )


@tagged("post_install", "-at_install")
class TestPublicationCheckOverRpc(ConnectorMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_connector()

    def call_kw(self, login, method, args, kwargs=None):
        self.authenticate(login, login)
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": "social.incident.reply",
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        }
        response = self.url_open(
            f"/web/dataset/call_kw/social.incident.reply/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_curator_cannot_write_the_check_nor_run_the_job(self):
        post = self.fake_vk.add_post("Новости района")
        comment = self.fake_vk.add_comment(post["id"], 305118724, "Когда свет дадут?")
        incident = self.Event._vk_comments_to_incidents(
            self.vk, [dict(comment, post_id=post["id"], owner_id=-self.fake_vk.group_id)]
        )
        reply = self.answer(incident)
        reply.with_user(self.executor_user).action_open_publish_wizard()
        self.assertEqual(reply.verify_state, "pending")
        for login in ("vk_curator", "vk_executor"):
            body = self.call_kw(
                login,
                "write",
                [reply.ids, {"verify_state": "visible", "verify_first_at": "2026-01-01 10:00:00"}],
            )
            self.assertIn(
                "change only through the workflow's buttons", body["error"]["data"]["message"]
            )
            body = self.call_kw(login, "_cron_verify_publication", [])
            self.assertIn("cannot be called remotely", body["error"]["data"]["message"])
        reply.invalidate_recordset()
        self.assertEqual(reply.verify_state, "pending")
        self.assertFalse(reply.verify_first_at)
