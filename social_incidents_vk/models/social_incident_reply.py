import logging
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.social_incidents.models.helpers import in_company_lang, scheduled_job
from odoo.addons.social_incidents.tools import clock
from odoo.addons.social_incidents.tools.guard import system_method, workflow_action
from odoo.addons.social_incidents_vk.clients.vk import (
    VkAccessError,
    VkAuthError,
    VkCaptchaError,
    VkError,
)

from .social_account import error_message

_logger = logging.getLogger(__name__)

MAX_PUBLISH_ATTEMPTS = 6
# Errors a retry cannot fix: a person must act (new token, rights, captcha).
FINAL_ERRORS = (VkAuthError, VkAccessError, VkCaptchaError)


class SocialIncidentReply(models.Model):
    _inherit = "social.incident.reply"

    publish_attempts = fields.Integer(readonly=True, copy=False)
    publish_next_at = fields.Datetime(string="Next Attempt", readonly=True, copy=False)
    publish_channel = fields.Selection(
        [("api", "By the Connector"), ("manual", "By Hand")],
        compute="_compute_publish_channel",
    )

    @api.model
    def _get_protected_fields(self):
        return super()._get_protected_fields() | {"publish_attempts", "publish_next_at"}

    @api.depends("incident_id.network", "incident_id.account_id")
    def _compute_publish_channel(self):
        for reply in self:
            reply.publish_channel = "api" if reply._vk_publishable() else "manual"

    def _vk_publishable(self):
        self.ensure_one()
        incident = self.incident_id
        account = incident.account_id.sudo()
        return bool(
            incident.network == "vk"
            and account.connector_enabled
            and account.vk_community_token
            and incident.external_id
            and incident.external_id.startswith("wall")
        )

    @workflow_action
    def action_open_publish_wizard(self):
        """A reply to a VK comment of a connected community is posted by the
        community itself; anything else is posted by hand (LYA 11) with the
        ready-to-copy text and the link, then marked published."""
        self.ensure_one()
        self._check_publishable()
        if self._vk_publishable():
            ok = self._publish_vk()
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": self.env._("Publication"),
                    "message": self.env._("The reply is posted in VK.")
                    if ok
                    else self.publish_error,
                    "type": "success" if ok else "danger",
                    "sticky": not ok,
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        return super().action_open_publish_wizard()

    def _publish_vk(self):
        """Post the reply as the community under the citizen's comment. The
        guid is the reply's own, so a retry never posts twice. Returns True
        when posted; on failure the reply is "publication failed" with the
        error in words and a retry is planned."""
        self.ensure_one()
        incident = self.incident_id
        account = incident.account_id.sudo()
        owner_id, post_id, comment_id = incident._vk_ids()
        try:
            result = account._vk_client("community").wall_create_comment(
                owner_id,
                post_id,
                self.body,
                from_group=int(account.vk_group_id),
                reply_to_comment=comment_id,
                guid=f"social-incidents-reply-{self.env.cr.dbname}-{self.id}",
            )
        except VkError as error:
            self._publish_failed(error)
            return False
        account._connector_success()
        new_id = result["comment_id"]
        url = f"https://vk.com/wall{owner_id}_{post_id}?reply={new_id}&thread={comment_id}"
        self._write_system({"publish_attempts": self.publish_attempts + 1, "publish_next_at": False})
        self.action_mark_published(url, clock.now(), str(new_id))
        if self.attachment_ids:
            # photo and video uploads to VK are not part of the connector yet
            self._post_both(
                self.env._(
                    "The text is posted; the photos and videos (%s) are not: add them to the "
                    "community's answer in VK by hand."
                ),
                ", ".join(self.attachment_ids.mapped("name")),
            )
        return True

    def _publish_failed(self, error):
        attempts = self.publish_attempts + 1
        retry = not isinstance(error, FINAL_ERRORS) and attempts < MAX_PUBLISH_ATTEMPTS
        message = error_message(self.env, error)
        self._transition(
            {
                "state": "publish_failed",
                "publish_error": message,
                "publish_attempts": attempts,
                "publish_next_at": clock.now() + timedelta(minutes=2**attempts) if retry else False,
            }
        )
        account = self.incident_id.account_id
        account._connector_error("publish", error, alert=isinstance(error, VkAuthError))
        self._post_both(self.env._("Publication failed:") + " %s", message)
        self.incident_id._update_activities_and_deadlines()
        _logger.info("Reply %s: publication failed (attempt %s): %s", self.id, attempts, message)

    @api.model
    @scheduled_job
    @system_method
    def _cron_retry_publish(self, limit=50):
        """Retry the VK publications that failed for a passing reason, with
        a growing delay (2, 4, 8 … minutes)."""
        replies = self.sudo().search(
            [
                ("state", "=", "publish_failed"),
                ("publish_next_at", "!=", False),
                ("publish_next_at", "<=", clock.now()),
            ],
            limit=limit,
            order="publish_next_at",
        )
        for reply in replies.filtered(lambda r: r._vk_publishable()):
            # the job has no user's language: what it writes is in the company's
            in_company_lang(reply)._publish_vk()
        return len(replies)
