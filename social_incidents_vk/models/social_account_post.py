import logging
from datetime import UTC

import psycopg2.errors

from odoo import models

from ..clients.vk import VkAccessError, VkAuthError, VkCaptchaError, VkError
from .social_account import error_message
from .social_incident_reply import PublishAnswerError

_logger = logging.getLogger(__name__)

#: Errors a retry cannot fix: a person must act (new token, rights, captcha).
FINAL_ERRORS = (VkAuthError, VkAccessError, VkCaptchaError)
#: VK takes up to 10 attachments on a post.
VK_ATTACHMENT_LIMIT = 10
#: How many of the community's latest posts a retry reads to find the post already there.
VK_WALL_CHECK_COUNT = 20
PHOTO_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")


class SocialAccountPost(models.Model):
    """The VK connector's part of the content plan: an approved post goes out
    on the community's wall (``wall.post`` with the moderator's user token, as
    the community, with its photos uploaded first)."""

    _inherit = "social.account.post"

    def _api_publisher(self):
        publisher = super()._api_publisher()
        if publisher is None and self._vk_post_publishable():
            return self._publish_vk_post
        return publisher

    def _vk_post_publishable(self):
        """A post of a connected VK community whose moderator's user token is
        set: wall.post accepts a user token only."""
        self.ensure_one()
        # sudo: the page's administrators-only connector settings, only tested as set
        account = self.account_id.sudo()
        return bool(
            account.network == "vk"
            and account.connector_enabled
            and account.vk_user_token
            and (account.vk_group_id or "").strip().lstrip("-").isdigit()
        )

    def _vk_post_guid(self):
        """The post's own guid: VK answers a repeated guid with the post
        already made, so a retry (after a lost answer, say) never posts twice."""
        self.ensure_one()
        return f"social-incidents-post-{self.env.cr.dbname}-{self.id}"

    def _post_photos(self):
        """(photos to upload as ``(name, bytes, mimetype)``, the other files)."""
        photos, others = [], self.env["ir.attachment"]
        # sudo: the post's own files, read to upload them
        for attachment in self.sudo().attachment_ids.sorted("id"):
            if attachment.mimetype in PHOTO_TYPES and attachment.raw:
                photos.append((attachment.name, attachment.raw, attachment.mimetype))
            else:
                others |= attachment
        return photos, others

    def _publish_vk_post(self):
        """Post on the community's wall at the planned time. Returns True when
        posted; on failure the post is "publication failed" with the error in
        words, and a retry is planned unless a person must act."""
        self.ensure_one()
        # sudo: the page's user token and health, after the publishing checks (or the job)
        account = self.account_id.sudo()
        group_id = int(account.vk_group_id.strip().lstrip("-"))
        photos, others = self._post_photos()
        skipped = photos[VK_ATTACHMENT_LIMIT:]
        photos = photos[:VK_ATTACHMENT_LIMIT]
        body = (self.body or "").strip()
        try:
            client = account._vk_client("user")
            result = self._vk_find_on_wall(client, group_id, body)
            if result is None:
                attachments = [client.upload_wall_photo(group_id, photo) for photo in photos]
                result = client.wall_post(
                    -group_id,
                    body or None,
                    from_group=True,
                    attachments=attachments,
                    guid=self._vk_post_guid(),
                )
        except VkError as error:
            self._vk_post_failed(error)
            return False
        post_id = result.get("post_id") if isinstance(result, dict) else None
        if not post_id:
            message = self.env._(
                "VK accepted the post but did not say which post it is (no post id in its "
                "answer): it may already be on the wall. It is sent again with the same "
                "identifier, which VK does not post twice."
            )
            self._record_publish_failure(message)
            account._connector_error("publish", PublishAnswerError(message))
            return False
        url = f"https://vk.com/wall-{group_id}_{post_id}"
        if not self._record_network_twin(str(post_id), url):
            return False
        account._connector_success()
        names = [name for name, _data, _type in skipped] + others.mapped("name")
        if names:
            self.message_post(
                body=self.env._(
                    "The post is published with up to 10 photos; these files are not (VK takes "
                    "10 attachments, and the connector sends photos only): %s. Add them to the "
                    "post in VK by hand.",
                    ", ".join(names),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _vk_find_on_wall(self, client, group_id, body):
        """Before a retry: the post already on the wall, as ``{"post_id"}``,
        or None. VK honours a guid for about an hour, and the retries of a
        post whose answer was lost may run later than that: the community's
        latest own posts are read (wall.get) and one with this text, made
        since the post was approved, is this post."""
        if not self.publish_attempts or not body:
            return None
        approved = self.reviewed_at or self.planned_at
        since = int(approved.replace(tzinfo=UTC).timestamp()) - 60
        wall = client.call(
            "wall.get", owner_id=-group_id, count=VK_WALL_CHECK_COUNT, filter="owner"
        )
        for item in (wall or {}).get("items") or []:
            if (
                isinstance(item, dict)
                and item.get("from_id") == -group_id
                and (item.get("text") or "").strip() == body
                and (item.get("date") or 0) >= since
                and item.get("id")
            ):
                return {"post_id": item["id"]}
        return None

    def _record_network_twin(self, external_id, url):
        """Record the publication (an echo of the post received from the
        network first is merged into it by ``_record_published``). When the
        echo is being recorded by another worker at this very moment, the
        post stays to be recorded by the next try, under the same guid.
        Returns True when recorded."""
        self.ensure_one()
        self.env.flush_all()
        try:
            with self.env.cr.savepoint():
                self._record_published(external_id, url)
                self.env.flush_all()
        except psycopg2.errors.UniqueViolation:
            self._record_publish_failure(
                self.env._(
                    "The post is on the wall (%s) but its echo from the network was being "
                    "recorded at the same moment: it is recorded on the next try.",
                    url,
                )
            )
            return False
        return True

    def _vk_post_failed(self, error):
        # sudo: the page's health (administrators' fields) is recorded whoever publishes
        account = self.account_id.sudo()
        self._record_publish_failure(
            error_message(self.env, error), final=isinstance(error, FINAL_ERRORS)
        )
        account._connector_error("publish", error, alert=isinstance(error, VkAuthError))
        _logger.info("Planned post %s: publication failed: %s", self.id, error)
