import logging
import re
import threading
import time
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
from .social_incident_reply import PublishAnswerError

_logger = logging.getLogger(__name__)

#: The external id of a Telegram comment (social_incidents/tools/links.py):
#: ``{chat}/{post}/{comment}``, chat = the channel's user name in lower case
#: or its Bot API id ``-100…`` (a private channel).
TG_COMMENT_ID = re.compile(r"^(-100\d+|[a-z0-9_]+)/(\d+)/(\d+)$")
#: Telegram's limit of a photo's caption (a message's text is 4096).
TG_CAPTION_LIMIT = 1024
#: Photos in one album (sendMediaGroup).
TG_ALBUM_LIMIT = 10
TG_PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")

#: What Telegram accepted for a reply whose recording is not committed yet:
#: (database, reply id) -> (monotonic time, messages). Odoo runs a request
#: again, in the same process, when its transaction fails (a serialization
#: failure at commit): that run records these messages instead of sending the
#: reply a second time. Forgotten after the commit, or after an hour.
_UNCOMMITTED_POSTS = {}
_UNCOMMITTED_LOCK = threading.Lock()
UNCOMMITTED_TTL = 3600


def _remember_post(cr, reply_id, posted):
    key = (cr.dbname, reply_id)
    with _UNCOMMITTED_LOCK:
        _UNCOMMITTED_POSTS[key] = (time.monotonic(), posted)

    def forget():
        with _UNCOMMITTED_LOCK:
            _UNCOMMITTED_POSTS.pop(key, None)

    cr.postcommit.add(forget)


def _recall_post(cr, reply_id):
    """The messages Telegram already accepted for this reply in a run whose
    transaction was rolled back, or None."""
    now = time.monotonic()
    with _UNCOMMITTED_LOCK:
        for key, (at, _posted) in list(_UNCOMMITTED_POSTS.items()):
            if now - at > UNCOMMITTED_TTL:
                del _UNCOMMITTED_POSTS[key]
        entry = _UNCOMMITTED_POSTS.get((cr.dbname, reply_id))
    return entry[1] if entry else None


def telegram_target(incident):
    """``(chat id, message id, thread id)`` of the citizen's comment of
    ``incident`` in the discussion group of its connected Telegram page, for
    the connector to answer or moderate it; None when there is none (a
    direct message, another chat, a page not connected).

    The intake records where the message is (``tg_chat_id``,
    ``tg_message_id``, ``tg_thread_id``); an incident registered from a
    pasted ``t.me/<channel>/<post>?comment=<id>`` link of the page's channel
    has the comment's id in its external id."""
    # sudo: the page's connector settings (the bot token only tested as set); only the
    # comment's chat, message and thread ids leave
    account = incident.account_id.sudo()
    if incident.network != "telegram" or not telegram_connected(account):
        return None
    try:
        group_id = int(account.tg_group_id.strip())
    except ValueError:
        return None
    if incident.tg_chat_id and incident.tg_message_id:
        if incident.tg_chat_id.strip() != str(group_id):
            return None
        return group_id, incident.tg_message_id, incident.tg_thread_id or None
    match = TG_COMMENT_ID.match(incident.external_id or "")
    channel_keys = {
        (account.tg_channel_username or "").strip().lstrip("@").lower(),
        (account.tg_channel_id or "").strip(),
    } - {""}
    if not match or match[1] not in channel_keys:
        return None
    return group_id, int(match[3]), None


def telegram_connected(account):
    """The page is a Telegram channel whose connector can act in its
    discussion group (sudo record)."""
    return bool(
        account
        and account.network == "telegram"
        and account.connector_enabled
        and account.tg_bot_token
        and (account.tg_group_id or "").strip()
    )


def telegram_reply_url(incident, group_id, thread_id, message_id):
    """The link of our message ``message_id`` answering ``incident``:
    ``https://t.me/<channel>/<post>?comment=<id>`` (``t.me/c/<id>/…`` for a
    private channel) as links.py normalizes it, or, when the channel post is
    unknown, the message's link in the group (``t.me/c/<group>/<thread>/<id>``)."""
    match = TG_COMMENT_ID.match(incident.external_id or "")
    if match:
        chat, post_id = match[1], match[2]
        channel = f"c/{chat[4:]}" if chat.startswith("-100") else chat
        return f"https://t.me/{channel}/{post_id}?comment={message_id}"
    group = str(group_id).removeprefix("-100")
    thread = f"{thread_id}/" if thread_id else ""
    return f"https://t.me/c/{group}/{thread}{message_id}"


class SocialIncidentReply(models.Model):
    _inherit = "social.incident.reply"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    def _tg_publishable(self):
        self.ensure_one()
        return bool(telegram_target(self.incident_id))

    def _api_publisher(self):
        publisher = super()._api_publisher()
        if publisher is None and self._tg_publishable():
            return self._publish_telegram
        return publisher

    def _published_message(self):
        if self.incident_id.network == "telegram":
            return self.env._("The reply is posted in Telegram.")
        return super()._published_message()

    def _tg_photos(self):
        """(photos to upload as ``(name, bytes, mimetype)``, the other files)."""
        photos, others = [], self.env["ir.attachment"]
        # sudo: the reply's own files, read to upload them
        for attachment in self.sudo().attachment_ids:
            if attachment.mimetype in TG_PHOTO_TYPES and attachment.raw:
                photos.append((attachment.name, attachment.raw, attachment.mimetype))
            else:
                others |= attachment
        return photos, others

    def _publish_telegram(self):
        """Post the reply in the discussion group as a reply to the citizen's
        comment (sendMessage; sendPhoto or sendMediaGroup with the photos).
        Returns True when posted; on failure the reply is "publication failed"
        with the error in words and, when a retry can help, a retry planned.

        Telegram has no idempotency key: a send that may have reached it (a
        timeout, a 5xx) is never sent again automatically, a person checks
        the group first."""
        self.ensure_one()
        # sudo: the page's bot client and health, after the publishing action's checks (or the job)
        account = self.incident_id.account_id.sudo()
        group_id, comment_id, thread_id = telegram_target(self.incident_id)
        photos, others = self._tg_photos()
        skipped = photos[TG_ALBUM_LIMIT:]
        photos = photos[:TG_ALBUM_LIMIT]
        body = (self.body or "").strip()
        posted = _recall_post(self.env.cr, self.id)
        if posted is not None:
            _logger.info("Reply %s: recording the post of a run rolled back", self.id)
            return self._tg_record(account, posted, group_id, thread_id, None, skipped, others)
        try:
            client = account._telegram_client()
            with_caption = bool(photos) and len(body) <= TG_CAPTION_LIMIT
            if with_caption:
                posted = self._tg_send_photos(client, group_id, photos, body, comment_id, thread_id)
            else:
                posted = [
                    client.send_message(
                        group_id,
                        body,
                        reply_to_message_id=comment_id,
                        message_thread_id=thread_id,
                    )
                ]
        except TelegramError as error:
            self._tg_publish_failed(error)
            return False
        photo_error = None
        if photos and not with_caption:
            # the text was too long for a caption: the photos follow it
            try:
                self._tg_send_photos(client, group_id, photos, None, comment_id, thread_id)
            except TelegramError as error:
                photo_error = error
        _remember_post(self.env.cr, self.id, posted)
        return self._tg_record(account, posted, group_id, thread_id, photo_error, skipped, others)

    def _tg_record(self, account, posted, group_id, thread_id, photo_error, skipped, others):
        # Telegram accepted the post: what fails from here is recorded on this reply only
        self.env.flush_all()
        try:
            with self.env.cr.savepoint():
                self._record_telegram_post(posted, group_id, thread_id)
        except Exception as error:  # noqa: BLE001 - recorded on the reply, the others go on
            if not isinstance(error, PublishAnswerError):
                _logger.exception(
                    "Reply %s: Telegram accepted the post, recording it failed", self.id
                )
            self._publish_failed(error, final=True)
            return False
        self._tg_notes(photo_error, skipped, others)
        account._connector_success()
        return True

    def _tg_send_photos(self, client, group_id, photos, caption, comment_id, thread_id):
        if len(photos) == 1:
            return [
                client.send_photo(
                    group_id,
                    photos[0],
                    caption=caption or None,
                    reply_to_message_id=comment_id,
                    message_thread_id=thread_id,
                )
            ]
        return client.send_media_group(
            group_id,
            photos,
            caption=caption or None,
            reply_to_message_id=comment_id,
            message_thread_id=thread_id,
        )

    def _record_telegram_post(self, posted, group_id, thread_id):
        first = posted[0] if isinstance(posted, list) and posted else None
        new_id = first.get("message_id") if isinstance(first, dict) else None
        if not new_id:
            raise PublishAnswerError(
                self.env._(
                    "Telegram accepted the post but did not say which message it is (no message "
                    "id in its answer): the reply is probably in the discussion group. Check it "
                    "and mark the reply published by hand with its link."
                )
            )
        self._write_system(
            {"publish_attempts": self.publish_attempts + 1, "publish_next_at": False}
        )
        url = telegram_reply_url(self.incident_id, group_id, thread_id, new_id)
        self.action_mark_published(url, clock.now(), str(new_id))

    def _tg_notes(self, photo_error, skipped, others):
        if photo_error is not None:
            self._post_both(
                self.env._(
                    "The text is posted; the photos are not (%s): add them to the discussion in "
                    "Telegram by hand."
                ),
                self._tg_error_text(photo_error),
            )
        names = [name for name, _data, _type in skipped] + others.mapped("name")
        if names:
            self._post_both(
                self.env._(
                    "The reply is posted with up to 10 photos; these files are not (Telegram "
                    "takes 10 photos at most, and videos and documents are not sent by the "
                    "connector): %s. Add them to the discussion in Telegram by hand."
                ),
                ", ".join(names),
            )

    def _tg_error_text(self, error):
        return error_message(self.env, error)

    def _tg_publish_failed(self, error):
        """Sort a failed send: a person must act (the bot's rights, the token,
        a deleted comment), a retry at Telegram's ``retry_after`` (429), no
        automatic retry when the post may have gone through, else VK's
        growing delay."""
        if isinstance(error, TelegramRateLimited):
            wait = max(1, int(error.retry_after or 1))
            self._publish_failed(error, final=False, retry_at=clock.now() + timedelta(seconds=wait))
            return
        if getattr(error, "may_have_arrived", False):
            self._publish_failed(
                error,
                final=True,
                message=self.env._(
                    "Telegram did not confirm the post (%s): the reply may already be in the "
                    "discussion group. Check it: if the reply is there, mark it published by "
                    "hand with its link; if it is not, press Publish again.",
                    self._tg_error_text(error),
                ),
            )
            return
        if isinstance(error, TelegramBadRequest) and "replied not found" in (error.message or ""):
            self._publish_failed(
                error,
                final=True,
                alert=False,
                message=self.env._(
                    "The citizen's comment is no longer in the discussion group (Telegram: %s): "
                    "the reply cannot be posted under it. Publish it by hand if it is still "
                    "needed.",
                    error.message,
                ),
            )
            return
        if isinstance(
            error, TelegramForbidden | TelegramUnauthorized | TelegramNotFound | TelegramBadRequest
        ):
            # the bot was removed, lost its rights or its token: an administrator acts
            self._publish_failed(error, final=True, alert=True)
            return
        self._publish_failed(error, final=False, alert=False)
