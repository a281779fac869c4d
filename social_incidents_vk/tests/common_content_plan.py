"""The content plan's test world: a VK community and (with TelegramMixin) a
Telegram channel connected to the fake servers, posts written by an executor
and approved by a curator."""

import base64
from datetime import timedelta

from odoo.addons.social_incidents.tools import clock

from .common import ConnectorMixin

# the smallest PNG files: a photo is uploaded as it is
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class ContentPlanMixin(ConnectorMixin):
    @classmethod
    def setup_content_plan(cls):
        cls.setup_connector()
        cls.Post = cls.env["social.account.post"]
        cls.vk.executor_id = cls.executor

    def planned_post(self, account, body="Субботник во дворах в эту субботу.", photos=(), files=()):
        """A post written by the executor, approved by the curator, planned an
        hour from now; ``photos`` are PNG contents, ``files`` (name, mimetype)."""
        values = [
            {"name": f"photo{index}.png", "raw": data, "mimetype": "image/png"}
            for index, data in enumerate(photos)
        ] + [{"name": name, "raw": b"%PDF-1.4", "mimetype": mimetype} for name, mimetype in files]
        attachments = (
            self.env["ir.attachment"].with_user(self.executor_user).create(values)
            if values
            else self.env["ir.attachment"]
        )
        post = self.Post.with_user(self.executor_user).create(
            {
                "name": "Субботник",
                "account_id": account.id,
                "body": body,
                "planned_at": clock.now() + timedelta(hours=1),
                "approver_id": self.curator.id,
                "attachment_ids": [(6, 0, attachments.ids)],
            }
        )
        post.with_user(self.executor_user).action_submit()
        post.with_user(self.curator).action_approve()
        self.assertEqual(post.state, "approved")
        return post

    def run_job(self, hours=2):
        """The publishing job, ``hours`` from now."""
        with clock.frozen_at(clock.now() + timedelta(hours=hours)):
            self.Post._cron_publish_due()
        self.env.invalidate_all()
