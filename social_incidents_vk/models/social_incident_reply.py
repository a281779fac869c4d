import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.social_incidents.models.helpers import (
    each_in_own_transaction,
    in_company_lang,
    lock_if_due,
    lock_row,
    scheduled_job,
)
from odoo.addons.social_incidents.tools import clock
from odoo.addons.social_incidents.tools.guard import system_method, workflow_action

from ..clients.vk import (
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


class PublishAnswerError(Exception):
    """The network accepted the post but its answer cannot be recorded (no comment id, say)."""


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
            reply.publish_channel = "api" if reply._api_publisher() else "manual"

    def _api_publisher(self):
        """The method that posts this reply through a connector (VK here,
        Telegram in social_incident_reply_telegram.py), or None when the reply
        is posted by hand. Each returns True when posted, False when failed."""
        self.ensure_one()
        if self._vk_publishable():
            return self._publish_vk
        return None

    def _published_message(self):
        """What the publish button says after a successful post."""
        networks = {"vk": self.env._("The reply is posted in VK.")}
        return networks.get(self.incident_id.network) or self.env._("The reply is posted.")

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
        """A reply to a VK comment of a connected community (or a Telegram
        comment of a connected channel) is posted by the page itself; anything
        else is posted by hand (LYA 11) with the ready-to-copy text and the
        link, then marked published."""
        self.ensure_one()
        self._check_publishable()
        if self._api_publisher():
            if not self._lock_for_publishing():
                raise UserError(
                    self.env._(
                        "This reply is being published right now (from another session or by the "
                        "retry job): reload the page in a moment."
                    )
                )
            self._check_publishable()
            publisher = self._api_publisher()
            if publisher is None:  # another worker changed the page meanwhile
                return super().action_open_publish_wizard()
            ok = publisher()
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": self.env._("Publication"),
                    "message": self._published_message() if ok else self.publish_error,
                    "type": "success" if ok else "danger",
                    "sticky": not ok,
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        return super().action_open_publish_wizard()

    def _lock_for_publishing(self):
        """Lock this reply's row until the end of the transaction; False when
        another transaction holds it (it is posting the reply). Re-reads the
        reply after the lock: what another worker committed counts."""
        return lock_row(self)

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
        # VK accepted the post: what fails from here is recorded on this reply only
        self.env.flush_all()
        try:
            with self.env.cr.savepoint():
                self._record_vk_post(result, owner_id, post_id, comment_id)
        except Exception as error:  # noqa: BLE001 - recorded on the reply, the others go on
            if not isinstance(error, PublishAnswerError):
                _logger.exception("Reply %s: VK accepted the post, recording it failed", self.id)
            self._publish_failed(error)
            return False
        account._connector_success()
        return True

    def _record_vk_post(self, result, owner_id, post_id, comment_id):
        new_id = result.get("comment_id") if isinstance(result, dict) else None
        if not new_id:
            raise PublishAnswerError(
                self.env._(
                    "VK accepted the post but did not say which comment it is (no comment id in "
                    "its answer): the reply may already be on the wall. It is sent again with the "
                    "same identifier, which VK does not post twice."
                )
            )
        url = f"https://vk.com/wall{owner_id}_{post_id}?reply={new_id}&thread={comment_id}"
        self._write_system(
            {"publish_attempts": self.publish_attempts + 1, "publish_next_at": False}
        )
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

    def _publish_failed(self, error, *, final=None, retry_at=None, alert=None, message=None):
        """Record a failed publication: "publication failed" with the error in
        words, a retry planned (at ``retry_at``, else after 2, 4, 8 … minutes)
        unless the error is ``final`` (a person must act), the page's health
        and, with ``alert``, an activity for the administrators. The defaults
        are VK's: final for its token, access and captcha errors, alert for a
        rejected token."""
        attempts = self.publish_attempts + 1
        if final is None:
            final = isinstance(error, FINAL_ERRORS)
        if alert is None:
            alert = isinstance(error, VkAuthError)
        retry = not final and attempts < MAX_PUBLISH_ATTEMPTS
        message = message or error_message(self.env, error)
        self._transition(
            {
                "state": "publish_failed",
                "publish_error": message,
                "publish_attempts": attempts,
                "publish_next_at": (retry_at or clock.now() + timedelta(minutes=2**attempts))
                if retry
                else False,
            }
        )
        account = self.incident_id.account_id
        account._connector_error("publish", error, alert=alert)
        self._post_both(self.env._("Publication failed:") + " %s", message)
        self.incident_id._update_activities_and_deadlines()
        _logger.info("Reply %s: publication failed (attempt %s): %s", self.id, attempts, message)

    @api.model
    @scheduled_job
    @system_method
    def _cron_retry_publish(self, limit=50):
        """Retry the publications (VK, Telegram) that failed for a passing reason, with
        a growing delay (2, 4, 8 … minutes). Each reply in its own transaction
        (outside tests), its row locked: a reply another worker is posting is
        skipped, and a post that succeeded is committed before the next."""
        replies = self.sudo().search(self._retry_due_domain(), limit=limit, order="publish_next_at")
        each_in_own_transaction(
            replies, lambda reply: reply._retry_publish_one(), "the publication retry"
        )
        return len(replies)

    @api.model
    def _retry_due_domain(self):
        return [
            ("state", "=", "publish_failed"),
            ("publish_next_at", "!=", False),
            ("publish_next_at", "<=", clock.now()),
        ]

    def _retry_publish_one(self):
        """The retry job's unit: lock the reply, check it is still due, post
        it. Returns True (posted), False (failed again) or None (skipped:
        another worker holds it or has already dealt with it)."""
        self.ensure_one()
        if not lock_if_due(self, self._retry_due_domain()):
            return None
        # the job has no user's language: what it writes is in the company's
        publisher = in_company_lang(self)._api_publisher()
        if publisher is None:
            return None
        return publisher()
