import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.social_incidents.models.constants import DONE_STATES
from odoo.addons.social_incidents.models.helpers import in_company_lang
from odoo.addons.social_incidents.tools import clock, links
from odoo.addons.social_incidents.tools.guard import system_write

from .social_inbound_event import _from_unix

_logger = logging.getLogger(__name__)

# Bot API update kinds the connector reads; any other kind is kept as ignored.
# The channel's own posts (channel_post) count for the weekly posting quota.
TG_HANDLED = ("message", "edited_message", "channel_post")
# Update kinds the connector asks Telegram for (setWebhook, getUpdates).
TG_ALLOWED_UPDATES = ["message", "edited_message", "channel_post"]
# The fields of a Bot API Message that make it a service message (someone
# joined, a message was pinned, the chat changed...), not something a person wrote.
TG_SERVICE_FIELDS = (
    "new_chat_members",
    "left_chat_member",
    "new_chat_title",
    "new_chat_photo",
    "delete_chat_photo",
    "group_chat_created",
    "supergroup_chat_created",
    "channel_chat_created",
    "message_auto_delete_timer_changed",
    "migrate_to_chat_id",
    "migrate_from_chat_id",
    "pinned_message",
    "forum_topic_created",
    "forum_topic_edited",
    "forum_topic_closed",
    "forum_topic_reopened",
    "general_forum_topic_hidden",
    "general_forum_topic_unhidden",
    "video_chat_scheduled",
    "video_chat_started",
    "video_chat_ended",
    "video_chat_participants_invited",
    "write_access_allowed",
    "proximity_alert_triggered",
    "boost_added",
    "chat_background_set",
    "giveaway_created",
    "users_shared",
    "chat_shared",
    "successful_payment",
    "refunded_payment",
    "connected_website",
)
TG_EMPTY_TEXT = "(сообщение без текста: только вложения)"


def tg_event_id(account_id, update_id):
    """The stored event's id of a Telegram update: update ids are a bot's own
    sequence, so the page's id comes first."""
    return f"{account_id}:{update_id}"


def tg_update_kind(update):
    """The kind of a Bot API Update: its one field besides update_id."""
    kinds = [key for key in update if key != "update_id"]
    return kinds[0] if kinds else "unknown"


def tg_link(account, post_id, comment_id):
    """The parsed t.me link of comment ``comment_id`` on the channel's post
    ``post_id`` (a :class:`links.MessageLink`), as a pasted link is read."""
    username = (account.tg_channel_username or "").strip().lstrip("@")
    if username:
        url = f"https://t.me/{username}/{post_id}?comment={comment_id}"
    else:
        channel = (account.tg_channel_id or "").strip()
        url = f"https://t.me/c/{channel.removeprefix('-100')}/{post_id}?comment={comment_id}"
    return links.parse_link(url)


def telegram_channel_url(account, message_id):
    """The link of message ``message_id`` of the page's channel:
    ``https://t.me/<user name>/<id>``, ``https://t.me/c/<id>/<id>`` for a private channel."""
    username = (account.tg_channel_username or "").strip().lstrip("@")
    if username:
        return f"https://t.me/{username}/{message_id}"
    channel = (account.tg_channel_id or "").strip().removeprefix("-100")
    return f"https://t.me/c/{channel}/{message_id}"


def _same_chat(value, chat_id):
    return bool(chat_id) and str(value or "").strip() == str(chat_id)


def _int(value):
    if isinstance(value, bool):
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return 0
    return number if 0 < number < 2**31 else 0


class SocialInboundEvent(models.Model):
    """Telegram's part of the event store and of the processing job: Bot API
    updates (from the webhook or the polling) become incidents."""

    _inherit = "social.inbound.event"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    network = fields.Selection(
        selection_add=[("telegram", "Telegram")], ondelete={"telegram": "cascade"}
    )
    tg_message_key = fields.Char(
        string="Telegram Message Key",
        readonly=True,
        index="btree_not_null",
        help="chat id:message id of the update's message, once processed.",
    )
    tg_post_id = fields.Integer(
        string="Channel Post",
        readonly=True,
        help="The channel post the message belongs to (its automatic forward or a comment on it).",
    )

    @api.model
    def _handled_types(self, network):
        if network == "telegram":
            return TG_HANDLED
        return super()._handled_types(network)

    # ------------------------------------------------------------------
    # Receiving
    # ------------------------------------------------------------------
    @api.model
    def _tg_store(self, account_id, company_id, update):
        """Store a Bot API update of the page once (by its update_id): its id,
        or None for a re-delivery."""
        return self._insert_event(
            account_id,
            company_id,
            "telegram",
            tg_event_id(account_id, update["update_id"]),
            tg_update_kind(update),
            update,
        )

    @api.model
    def _tg_webhook_page(self, account_id):
        """The connected Telegram page ``account_id`` as a dict, or None."""
        if not 0 < account_id < 2**31:
            return None
        self.env.cr.execute(
            """
            SELECT id, company_id, tg_webhook_secret, tg_intake_mode
              FROM social_account
             WHERE id = %s AND network = 'telegram' AND connector_enabled
            """,
            (account_id,),
        )
        return self.env.cr.dictfetchone()

    # ------------------------------------------------------------------
    # Processing (the same job as VK's: _cron_process → _process)
    # ------------------------------------------------------------------
    def _process(self):
        telegram = self.filtered(lambda e: e.network == "telegram")
        # new messages of a page in one batch (one create of their incidents); an
        # event of a failing batch is then processed on its own, to isolate it
        messages = telegram.filtered(lambda e: e.event_type == "message")
        messages._process_per_page("_tg_process_messages")
        # edits after the messages they edit
        for event in telegram - messages:
            in_company_lang(event)._process_guarded(lambda e: e._tg_process())
        return super(SocialInboundEvent, self - telegram)._process()

    def _tg_message(self):
        self.ensure_one()
        message = json.loads(self.payload or "{}").get(self.event_type)
        return message if isinstance(message, dict) else None

    def _tg_process(self):
        self.ensure_one()
        message = self._tg_message()
        if message is None:
            self._done(note=self.env._("Not a message"), state="ignored")
        elif self.event_type == "channel_post":
            self._tg_process_channel_post(message)
        elif self.event_type == "edited_message":
            self._tg_process_edit(message)
        else:
            self._tg_process_messages()

    def _tg_process_channel_post(self, message):
        """Count a post of the page's channel for the weekly quota, once (by
        its message id); an album counts once, by its first message. The bot
        receives no update of its own posts; a planned post recorded by hand
        with the same message id is the same post."""
        # sudo: the page's connector settings (the channel's id), for the processing
        account = self.account_id.sudo()
        chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
        message_id = _int(message.get("message_id"))
        channel_id = (account.tg_channel_id or "").strip()
        if not message_id or not _same_chat(chat.get("id"), channel_id):
            self._done(note=self.env._("A post of another chat"), state="ignored")
            return
        album = message.get("media_group_id")
        if album and self._tg_album_counted(str(album)):
            self._done(note=self.env._("Another photo of an album already recorded"))
            return
        # sudo: the server records what the network published (the quota counts it)
        self.env["social.account.post"].sudo()._record_network_post(
            account,
            str(message_id),
            _from_unix(message.get("date")) or self.received_at,
            body=message.get("text") or message.get("caption") or "",
            url=telegram_channel_url(account, message_id),
        )
        if album:
            # the album's other photos are the same post
            self.write({"tg_message_key": f"{channel_id}:album:{album}"})
        self._done(note=self.env._("The channel's own post recorded for the weekly quota"))

    def _tg_album_counted(self, album):
        # sudo: the channel's id is a connector setting, read by the intake job
        channel_id = (self.account_id.sudo().tg_channel_id or "").strip()
        return bool(
            self.search_count(
                [
                    ("account_id", "=", self.account_id.id),
                    ("tg_message_key", "=", f"{channel_id}:album:{album}"),
                    ("id", "!=", self.id),
                ],
                limit=1,
            )
        )

    def _tg_process_messages(self, from_edit=False):
        """Turn these message events (of one page, in order) into incidents:
        the citizens' messages not registered yet are created in one batch;
        the others are noted as already registered or ignored."""
        # sudo: the page's administrators-only settings (direct messages), for the processing
        account = self.account_id.sudo()
        account.ensure_one()
        # sudo: the incidents the server registers from Telegram's updates (its processing)
        Incident = (
            self.env["social.incident"]
            .sudo()
            .with_context(active_test=False, mail_create_nosubscribe=True)
        )
        wanted = {}  # (chat id, message id) → (events, vals)
        for event in self:
            message = event._tg_message()
            if message is None:
                event._done(note=self.env._("Not a message"), state="ignored")
                continue
            kind, post, reason = event._tg_classify(account, message)
            chat_id = (message.get("chat") or {}).get("id")
            # remembered before the next message is classified: a reply finds its post by it
            event.write(
                {
                    "tg_message_key": f"{chat_id}:{message.get('message_id')}",
                    "tg_post_id": post or 0,
                }
            )
            if reason:
                event._done(note=reason, state="ignored")
                continue
            vals = event._tg_incident_values(account, message, kind, post)
            key = (vals["tg_chat_id"], vals["tg_message_id"])
            if key in wanted:
                wanted[key][0].append(event)
            else:
                wanted[key] = ([event], vals)
        if not wanted:
            return
        known = {
            (incident.tg_chat_id, incident.tg_message_id): incident
            for incident in Incident.search(
                [
                    ("network", "=", "telegram"),
                    ("account_id", "=", account.id),
                    ("tg_chat_id", "in", list({chat for chat, _id in wanted})),
                    ("tg_message_id", "in", list({message for _chat, message in wanted})),
                ]
            )
        }
        missing = {key: value for key, value in wanted.items() if key not in known}
        # the same message registered from a pasted link (or by another page)
        duplicates = Incident._find_duplicates([vals for _events, vals in missing.values()])
        for key, duplicate in zip(list(missing), duplicates, strict=True):
            if duplicate:
                known[key] = duplicate
                del missing[key]
        created = {}
        if missing:
            with system_write():
                incidents = Incident.with_company(account.company_id).create(
                    [vals for _events, vals in missing.values()]
                )
            created = dict(zip(missing, incidents, strict=True))
        registered = (
            self.env._("Incident registered from an edit")
            if from_edit
            else self.env._("Incident registered")
        )
        for key, (events, _vals) in wanted.items():
            if key in created:
                events[0]._done(created[key], registered)
                # a second update of the same message: the incident is its first's
                events = events[1:]
            incident = created.get(key) or known[key]
            for event in events:
                event._done(
                    incident, self.env._("Already registered as incident %s", incident.name)
                )

    def _tg_classify(self, account, message):
        """(kind, channel post id, reason to ignore) of a message: kind is
        "comment" (on a channel post, in the discussion group) or "direct" (in
        the bot's private chat); a reason (in the company's language) when it is
        no citizen's message."""
        chat = message.get("chat") or {}
        sender = message.get("from") or {}
        sender_chat = message.get("sender_chat") or {}
        group_id = (account.tg_group_id or "").strip()
        channel_id = (account.tg_channel_id or "").strip()
        if chat.get("type") == "private":
            if sender.get("is_bot"):
                return None, 0, self.env._("A bot's message")
            if any(key in message for key in TG_SERVICE_FIELDS):
                return None, 0, self.env._("Service message")
            if not account.tg_direct_messages:
                return None, 0, self.env._("Direct messages to the bot are not registered")
            return "direct", 0, None
        if not _same_chat(chat.get("id"), group_id):
            return None, 0, self.env._("A message of another chat")
        if message.get("is_automatic_forward"):
            origin = message.get("forward_origin") or {}
            post = _int(origin.get("message_id") or message.get("forward_from_message_id"))
            return None, post, self.env._("Automatic forward of a channel post")
        post = self._tg_post_of(account, message)
        if any(key in message for key in TG_SERVICE_FIELDS):
            return None, post, self.env._("Service message")
        if sender_chat:
            if _same_chat(sender_chat.get("id"), channel_id):
                return None, post, self.env._("The channel's own message")
            if _same_chat(sender_chat.get("id"), group_id):
                return None, post, self.env._("A message of the group's anonymous administrator")
            return None, post, self.env._("A message on behalf of another chat")
        if sender.get("is_bot") or not sender.get("id"):
            return None, post, self.env._("A bot's message")
        if not post and not message.get("message_thread_id"):
            return None, 0, self.env._("Not a comment on a channel post")
        return "comment", post, None

    def _tg_post_of(self, account, message):
        """The channel post a group message comments on: the automatic forward
        it replies to, or the post of the message it replies to or of its
        thread (known from the events processed before, or the incidents)."""
        reply_to = message.get("reply_to_message") or {}
        if reply_to.get("is_automatic_forward"):
            origin = reply_to.get("forward_origin") or {}
            return _int(origin.get("message_id") or reply_to.get("forward_from_message_id"))
        chat_id = (message.get("chat") or {}).get("id")
        wanted = [
            f"{chat_id}:{message_id}"
            for message_id in (reply_to.get("message_id"), message.get("message_thread_id"))
            if _int(message_id)
        ]
        if not wanted:
            return 0
        # sudo: the post ids of this page's earlier events (the server's); only a post id leaves
        known = self.sudo().search_read(
            [
                ("account_id", "=", account.id),
                ("network", "=", "telegram"),
                ("tg_message_key", "in", wanted),
                ("tg_post_id", ">", 0),
            ],
            ["tg_post_id"],
            limit=1,
        )
        if known:
            return known[0]["tg_post_id"]
        # sudo: the replied-to message's incident, searched by the server; only its post id leaves
        incident = (
            self.env["social.incident"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("network", "=", "telegram"),
                    ("account_id", "=", account.id),
                    ("tg_chat_id", "=", str(chat_id)),
                    ("tg_message_id", "=", _int(reply_to.get("message_id"))),
                ],
                limit=1,
            )
        )
        link = links.parse_link(incident.url) if incident else None
        return _int(link.post) if link else 0

    def _tg_incident_values(self, account, message, kind, post):
        chat_id = str((message.get("chat") or {}).get("id"))
        message_id = _int(message.get("message_id"))
        if kind == "direct":
            # a private chat has no public link: the id names the chat and the message
            external_id, url = f"dm{chat_id}/{message_id}", False
        elif post:
            link = tg_link(account, post, message_id)
            external_id, url = link.external_id, link.url
        else:
            # the post is unknown (its forward came before the bot was there): the
            # comment's own link in the discussion group
            link = links.parse_link(
                f"https://t.me/c/{chat_id.removeprefix('-100')}/"
                f"{_int(message.get('message_thread_id'))}/{message_id}"
            )
            external_id, url = link.external_id, link.url
        author = self._tg_author(account, message.get("from") or {})
        reply_to = message.get("reply_to_message") or {}
        company = account.company_id
        return {
            "network": "telegram",
            "account_id": account.id,
            "source": "own_page",
            "external_id": external_id,
            "url": url,
            "text": message.get("text") or message.get("caption") or TG_EMPTY_TEXT,
            "published_at": _from_unix(message.get("date")) or clock.now(),
            "detected_at": clock.now(),
            "author_id": author.id,
            "company_id": company.id,
            "curator_id": company.social_curator_id.id,
            "tg_chat_id": chat_id,
            "tg_message_id": message_id,
            "tg_thread_id": _int(message.get("message_thread_id")),
            "tg_reply_to_message_id": _int(reply_to.get("message_id")),
        }

    @api.model
    def _tg_author(self, account, user):
        """The social.author of a Telegram user (by the user's id), created
        with the name and the profile link the message gives."""
        user_id = str(user.get("id"))
        name = " ".join(filter(None, [user.get("first_name"), user.get("last_name")])).strip()
        username = user.get("username")
        values = {
            "name": name or (f"@{username}" if username else f"id{user_id}"),
            "profile_url": f"https://t.me/{username}" if username else False,
            "company_id": account.company_id.id,
        }
        # sudo: the server finds or creates the message's author in the page's company
        authors = (
            self.env["social.author"]
            .sudo()
            ._find_or_create_many(
                "telegram", [user_id], lambda _ids: {user_id: values}, company=account.company_id
            )
        )
        return authors[user_id]

    def _tg_process_edit(self, message):
        # sudo: the event's page, read by the server's processing; only its id is used
        account = self.account_id.sudo()
        chat_id = str((message.get("chat") or {}).get("id"))
        # sudo: the incident of the edited message, found by the server's processing
        incident = (
            self.env["social.incident"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("network", "=", "telegram"),
                    ("account_id", "=", account.id),
                    ("tg_chat_id", "=", chat_id),
                    ("tg_message_id", "=", _int(message.get("message_id"))),
                ],
                limit=1,
            )
        )
        if not incident:
            self._tg_process_messages(from_edit=True)
            return
        old = incident.text
        new = message.get("text") or message.get("caption") or TG_EMPTY_TEXT
        if old == new:
            self._done(incident, self.env._("Text unchanged"))
            return
        if incident.state in DONE_STATES:
            incident._post(
                self.env._(
                    "The author edited the message after the incident was finished; its text "
                    "here is kept. New text:"
                )
                + "<br/>%s",
                new,
            )
            self._done(incident, self.env._("Edit noted; the incident is finished"))
            return
        # sudo: the author's own edit in Telegram, copied by the server to an unfinished incident
        incident.sudo().write({"text": new})
        incident._post(
            self.env._("The author edited the message. Before:")
            + "<br/>%s<br/>"
            + self.env._("After:")
            + "<br/>%s",
            old,
            new,
        )
        self._done(incident, self.env._("Text updated"))

    @api.model
    def _tg_updates_to_events(self, account, updates):
        """Store the updates the polling read; returns how many were new."""
        stored = 0
        for update in updates:
            update_id = update.get("update_id") if isinstance(update, dict) else None
            if not isinstance(update_id, int) or isinstance(update_id, bool) or update_id <= 0:
                raise UserError(self.env._("Telegram returned an update without an update_id."))
            if self._tg_store(account.id, account.company_id.id, update):
                stored += 1
        return stored
