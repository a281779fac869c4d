import logging
from datetime import timedelta

from odoo import models

from odoo.addons.social_incidents.tools import clock

from ..clients.telegram import (
    TelegramBadRequest,
    TelegramError,
    TelegramForbidden,
    TelegramNotFound,
    TelegramRateLimited,
    TelegramUnauthorized,
)
from .social_account import error_message
from .social_inbound_event_telegram import telegram_channel_url
from .social_incident_reply import PublishAnswerError
from .social_incident_reply_telegram import (
    TG_ALBUM_LIMIT,
    TG_CAPTION_LIMIT,
    TG_PHOTO_TYPES,
    _recall_post,
    _remember_post,
)

_logger = logging.getLogger(__name__)

#: Telegram's limit of a message's text.
TG_TEXT_LIMIT = 4096


class SocialAccountPost(models.Model):
    """The Telegram connector's part of the content plan: an approved post
    goes out in the page's channel (sendMessage, sendPhoto or sendMediaGroup).

    Telegram has no idempotency key: the post's row stays locked while it is
    sent (the publishing job and the Publish button lock it first), and a
    send that may have reached Telegram (a timeout, a 5xx) is never sent
    again automatically: a person checks the channel first."""

    _inherit = "social.account.post"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    def _api_publisher(self):
        publisher = super()._api_publisher()
        if publisher is None and self._tg_post_publishable():
            return self._publish_telegram_post
        return publisher

    def _tg_post_publishable(self):
        self.ensure_one()
        # sudo: the page's administrators-only connector settings, only tested as set
        account = self.account_id.sudo()
        return bool(
            account.network == "telegram"
            and account.connector_enabled
            and account.tg_bot_token
            and (account.tg_channel_id or "").strip()
        )

    def _tg_post_photos(self):
        photos, others = [], self.env["ir.attachment"]
        # sudo: the post's own files, read to upload them
        for attachment in self.sudo().attachment_ids.sorted("id"):
            if attachment.mimetype in TG_PHOTO_TYPES and attachment.raw:
                photos.append((attachment.name, attachment.raw, attachment.mimetype))
            else:
                others |= attachment
        return photos, others

    def _publish_telegram_post(self):
        """Post in the channel: the text (sendMessage), one photo with the
        text as its caption (sendPhoto), or an album (sendMediaGroup); a text
        too long for a caption goes first, the photos after it. Returns True
        when posted."""
        self.ensure_one()
        # sudo: the page's bot client and health, after the publishing checks (or the job)
        account = self.account_id.sudo()
        channel_id = int(account.tg_channel_id.strip())
        photos, others = self._tg_post_photos()
        skipped = photos[TG_ALBUM_LIMIT:]
        photos = photos[:TG_ALBUM_LIMIT]
        body = (self.body or "").strip()
        if len(body) > TG_TEXT_LIMIT:
            self._record_publish_failure(
                self.env._(
                    "The text is %(length)s characters long; Telegram takes %(limit)s at most. "
                    "Shorten it in a new post, or publish it by hand.",
                    length=len(body),
                    limit=TG_TEXT_LIMIT,
                ),
                final=True,
            )
            return False
        if not body and not photos:
            self._record_publish_failure(
                self.env._("The post has neither text nor photos: nothing to send."), final=True
            )
            return False
        with_caption = bool(photos) and len(body) <= TG_CAPTION_LIMIT
        # a run whose transaction was rolled back (a serialization failure at
        # its commit) already sent the post: record what Telegram accepted then
        memory_key = (self._name, self.id)
        posted = _recall_post(self.env.cr, memory_key)
        if posted is not None:
            _logger.info("Planned post %s: recording the post of a run rolled back", self.id)
            return self._tg_record_post(account, posted, None, skipped, others)
        try:
            client = account._telegram_client()
            if with_caption:
                posted = self._tg_send_post_photos(client, channel_id, photos, body)
            else:
                posted = [client.send_message(channel_id, body)]
        except TelegramError as error:
            self._tg_post_failed(error)
            return False
        photo_error = None
        if photos and not with_caption:
            try:
                self._tg_send_post_photos(client, channel_id, photos, None)
            except TelegramError as error:
                photo_error = error
        _remember_post(self.env.cr, memory_key, posted)
        return self._tg_record_post(account, posted, photo_error, skipped, others)

    def _tg_record_post(self, account, posted, photo_error, skipped, others):
        first = posted[0] if isinstance(posted, list) and posted else None
        message_id = first.get("message_id") if isinstance(first, dict) else None
        if not message_id:
            message = self.env._(
                "Telegram accepted the post but did not say which message it is (no message id "
                "in its answer): the post is probably in the channel. Check it and mark it as "
                "published with its link."
            )
            self._record_publish_failure(message, final=True)
            account._connector_error("publish", PublishAnswerError(message))
            return False
        self._record_published(str(message_id), telegram_channel_url(account, message_id))
        account._connector_success()
        self._tg_post_notes(photo_error, skipped, others)
        return True

    def _tg_send_post_photos(self, client, channel_id, photos, caption):
        if len(photos) == 1:
            return [client.send_photo(channel_id, photos[0], caption=caption or None)]
        return client.send_media_group(channel_id, photos, caption=caption or None)

    def _tg_post_notes(self, photo_error, skipped, others):
        if photo_error is not None:
            self.message_post(
                body=self.env._(
                    "The text is posted; the photos are not (%s): add them to the channel by hand.",
                    error_message(self.env, photo_error),
                ),
                subtype_xmlid="mail.mt_note",
            )
        names = [name for name, _data, _type in skipped] + others.mapped("name")
        if names:
            self.message_post(
                body=self.env._(
                    "The post is published with up to 10 photos; these files are not (Telegram "
                    "takes 10 photos at most, and the connector sends photos only): %s. Add "
                    "them to the channel by hand.",
                    ", ".join(names),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _tg_post_failed(self, error):
        """Sort a failed send as a reply's: a retry at Telegram's ``retry_after``
        (429), no automatic retry when the post may have gone through, a
        person acts for the bot's rights or token, else a retry later."""
        # sudo: the page's health (administrators' fields) is recorded whoever publishes
        account = self.account_id.sudo()
        message = error_message(self.env, error)
        final, retry_at, alert = False, None, False
        if isinstance(error, TelegramRateLimited):
            retry_at = clock.now() + timedelta(seconds=max(1, int(error.retry_after or 1)))
        elif getattr(error, "may_have_arrived", False):
            final = True
            message = self.env._(
                "Telegram did not confirm the post (%s): it may already be in the channel. "
                "Check it: if the post is there, mark it as published with its link; if it is not, "
                "publish it by hand, then mark it as published.",
                message,
            )
        elif isinstance(
            error, TelegramForbidden | TelegramUnauthorized | TelegramNotFound | TelegramBadRequest
        ):
            final = alert = True
        self._record_publish_failure(message, final=final, retry_at=retry_at)
        account._connector_error("publish", error, alert=alert)
        _logger.info("Planned post %s: Telegram publication failed: %s", self.id, error)
