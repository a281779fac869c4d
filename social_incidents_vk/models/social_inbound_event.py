import contextlib
import functools
import json
import logging
import threading
from datetime import UTC, datetime, timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.modules.registry import Registry
from odoo.sql_db import connection_info_for
from odoo.tools import SQL

from odoo.addons.base.models.ir_cron import ODOO_NOTIFY_FUNCTION
from odoo.addons.social_incidents.models.constants import ADMIN_GROUP
from odoo.addons.social_incidents.models.helpers import (
    in_company_lang,
    read_committed,
    scheduled_job,
)
from odoo.addons.social_incidents.tools import clock
from odoo.addons.social_incidents.tools.guard import system_write

from ..clients.base import ApiError
from ..clients.ok import parse_ok_date
from ..clients.vk import VkError

_logger = logging.getLogger(__name__)

# Callback API events turned into something; any other type is kept as ignored.
VK_HANDLED = (
    "wall_reply_new",
    "wall_reply_edit",
    "wall_reply_delete",
    "wall_reply_restore",
    "wall_post_new",
)
MAX_ATTEMPTS = 5
PROCESS_CRON = "social_incidents_vk.ir_cron_social_inbound_process"
EMPTY_TEXT = "(комментарий без текста: только вложения)"


class SocialInboundEvent(models.Model):
    """A raw event received from a network, stored before anything else so that
    nothing is lost: a re-delivery finds it and makes nothing new; a failure
    while turning it into an incident leaves it here with its error, for a retry."""

    _name = "social.inbound.event"
    _description = "Incoming Event"
    _order = "id desc"
    _rec_name = "event_type"

    account_id = fields.Many2one(
        "social.account", string="Official Page", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    network = fields.Selection([("vk", "VK"), ("ok", "OK")], required=True, default="vk")
    event_id = fields.Char(string="Event ID", readonly=True)
    event_type = fields.Char(string="Type", readonly=True)
    payload = fields.Text(readonly=True)
    state = fields.Selection(
        [
            ("pending", "To Process"),
            ("done", "Processed"),
            ("ignored", "Ignored"),
            ("error", "Failed"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    note = fields.Char(readonly=True)
    error = fields.Text(readonly=True)
    attempts = fields.Integer(readonly=True)
    next_try_at = fields.Datetime(readonly=True)
    received_at = fields.Datetime(readonly=True, default=lambda self: clock.now(), index=True)
    processed_at = fields.Datetime(readonly=True)
    incident_id = fields.Many2one("social.incident", readonly=True, index="btree_not_null")

    def init(self):
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS social_inbound_event_uniq
                ON social_inbound_event (network, event_id) WHERE event_id IS NOT NULL
            """
        )

    # ------------------------------------------------------------------
    # Receiving
    # ------------------------------------------------------------------
    @api.model
    def _store(self, account, network, event_id, event_type, payload):
        """Store the raw event once: returns its id, or None for a re-delivery
        (also when two deliveries of it arrive at the same moment)."""
        return self._insert_event(
            account.id, account.company_id.id, network, event_id, event_type, payload
        )

    @api.model
    def _store_webhook(self, page, event_id, event_type, payload):
        """Store a Callback API event of the page ``page`` (a row of
        ``_webhook_page``); the payload no longer carries the secret."""
        return self._insert_event(
            page["id"], page["company_id"], "vk", event_id, event_type, payload
        )

    @api.model
    def _handled_types(self, network):
        """The event types of ``network`` turned into something (others are
        stored as ignored), or None when every type is."""
        return VK_HANDLED if network == "vk" else None

    @api.model
    def _insert_event(self, account_id, company_id, network, event_id, event_type, payload):
        handled_types = self._handled_types(network)
        handled = handled_types is None or event_type in handled_types
        note = None
        if not handled:
            account = self.env["social.account"].browse(account_id)
            note = in_company_lang(account).env._("Unknown event type")
        stored = dict(payload)
        stored.pop("secret", None)  # never kept, never in a logged query
        # a re-delivery conflicts with the stored event: nothing is inserted,
        # no statement fails (the webhook's transaction reads what is committed)
        self.env.cr.execute(
            """
            INSERT INTO social_inbound_event
                   (account_id, company_id, network, event_id, event_type, payload, state, note,
                    attempts, received_at, create_uid, create_date, write_uid, write_date)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 0, %s, %s, now() at time zone 'UTC',
                    %s, now() at time zone 'UTC')
            ON CONFLICT (network, event_id) WHERE event_id IS NOT NULL DO NOTHING
            RETURNING id
            """,
            (
                account_id,
                company_id,
                network,
                event_id,
                event_type,
                json.dumps(stored, ensure_ascii=False),
                "pending" if handled else "ignored",
                note,
                clock.now(),
                self.env.uid,
                self.env.uid,
            ),
        )
        row = self.env.cr.fetchone()
        if row and handled:
            self._trigger_processing()
        return row[0] if row else None

    @api.model
    def _trigger_processing(self):
        """Wake the processing job once this transaction is committed (once
        per transaction). Waking after the commit means the job's next run
        sees the event: it is never left for the next minute."""
        cr = self.env.cr
        if cr.postcommit.data.get(PROCESS_CRON):
            return
        cr.postcommit.data[PROCESS_CRON] = True
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(PROCESS_CRON)
        cr.postcommit.add(functools.partial(_wake_processing, cr.dbname, cron_id))

    # ------------------------------------------------------------------
    # Webhook helpers (hot path: plain SQL, nothing locked)
    # ------------------------------------------------------------------
    @api.model
    def _read_committed(self):
        """READ COMMITTED before the webhook writes: a concurrent duplicate delivery then
        finds the committed event (ON CONFLICT DO NOTHING)."""
        read_committed(self.env.cr)

    @api.model
    def _webhook_page(self, account_id):
        """The connected VK page ``account_id`` as a dict, or None."""
        if not 0 < account_id < 2**31:
            return None  # not an id PostgreSQL can even compare
        self.env.cr.execute(
            """
            SELECT id, company_id, vk_group_id, vk_secret, vk_confirmation, webhook_token
              FROM social_account
             WHERE id = %s AND network = 'vk' AND connector_enabled
            """,
            (account_id,),
        )
        return self.env.cr.dictfetchone()

    @api.model
    def _count_refusal(self, account_id, reason):
        self.env["social.webhook.refusal"]._count(account_id, reason)

    # ------------------------------------------------------------------
    # Processing
    # ------------------------------------------------------------------
    @api.model
    @scheduled_job
    def _cron_process(self, limit=200):
        """Turn pending events into incidents, in batches; failed ones are
        retried with a growing delay."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT id FROM social_inbound_event
             WHERE state = 'pending'
                OR (state = 'error' AND attempts < %s AND next_try_at <= %s)
             ORDER BY id
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            (MAX_ATTEMPTS, clock.now(), limit),
        )
        events = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        events._process()
        remaining = 0
        if len(events) == limit:
            self.env.cr.execute("SELECT count(*) FROM social_inbound_event WHERE state = 'pending'")
            remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(events), remaining=remaining)
        return len(events)

    def _process(self):
        """Process the events, each in its page's company's language when no
        user's language is at hand (the job has none)."""
        new = self.filtered(lambda e: e.network == "vk" and e.event_type == "wall_reply_new")
        new._process_per_page("_process_new_comments")
        for event in self - new:
            in_company_lang(event)._process_guarded(lambda e: e._process_other())
        return True

    def _process_per_page(self, method):
        """Run the method named ``method`` on the events of each page at once (one create of
        their incidents), in the page's company's language; a page's batch that fails is
        undone and its events processed one by one, to isolate the event that fails."""
        for account in self.account_id:
            batch = in_company_lang(
                self.filtered(lambda e, a=account: e.account_id == a), account.company_id
            )
            try:
                with self.env.cr.savepoint():
                    getattr(batch, method)()
            except Exception:  # noqa: BLE001 - isolate the event that fails
                for event in batch:
                    event._process_guarded(lambda e: getattr(e, method)())

    def _process_guarded(self, function):
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                function(self)
        except Exception as error:  # noqa: BLE001 - kept with the event for a retry
            self._fail(error)

    def _fail(self, error):
        from .social_account import error_message

        attempts = self.attempts + 1
        message = (
            error_message(self.env, error)
            if isinstance(error, ApiError)
            else (str(error) or type(error).__name__)
        )
        self.write(
            {
                "state": "error",
                "error": message,
                "attempts": attempts,
                "next_try_at": clock.now() + timedelta(minutes=2**attempts),
            }
        )
        self.account_id._connector_error("process", error)
        _logger.info("Incoming event %s failed (attempt %s): %s", self.id, attempts, message)

    def _done(self, incident=None, note=None, state="done"):
        self.write(
            {
                "state": state,
                "incident_id": incident.id if incident else False,
                "note": note,
                "error": False,
                "processed_at": clock.now(),
            }
        )

    def _object(self):
        self.ensure_one()
        data = json.loads(self.payload or "{}")
        return data.get("object") or {}

    def _process_new_comments(self):
        account = self.account_id
        account.ensure_one()
        comments = [event._object() for event in self]
        incidents = self._vk_comments_to_incidents(account, comments)
        by_key = {incident.external_id: incident for incident in incidents}
        for event, comment in zip(self, comments, strict=True):
            incident = by_key.get(vk_external_id(account, comment))
            if incident:
                event._done(incident, self.env._("Incident registered"))
            else:
                event._done(note=self.env._("The community's own comment"), state="ignored")

    def _record_vk_wall_post(self, account, post, posted):
        """Count the community's own post (``from_id`` = -group id, a
        published post, not a suggested or postponed one) for the weekly
        quota, once: a planned post echoed back after it was posted is the
        same post (same post id). Returns the event's note."""
        owner_id = -int((account.vk_group_id or "0").strip().lstrip("-") or 0)
        post_id = post.get("id")
        if (
            not owner_id
            or not isinstance(post_id, int)
            or post.get("owner_id", owner_id) != owner_id
            or post.get("from_id") != owner_id
            or post.get("post_type", "post") != "post"
        ):
            return self.env._("Post on the page recorded (not the community's own post)")
        # sudo: the server records what the network published (the quota counts it)
        self.env["social.account.post"].sudo()._record_network_post(
            account,
            str(post_id),
            posted,
            body=post.get("text") or "",
            url=f"https://vk.com/wall{owner_id}_{post_id}",
        )
        return self.env._("The community's own post recorded for the weekly quota")

    def _process_other(self):
        self.ensure_one()
        account = self.account_id
        obj = self._object()
        Incident = self.env["social.incident"].sudo().with_context(active_test=False)
        if self.event_type == "wall_post_new":
            posted = _from_unix(obj.get("date")) or self.received_at
            if not account.last_post_at or posted > account.last_post_at:
                account.sudo().last_post_at = posted
            self._done(note=self._record_vk_wall_post(account, obj, posted))
            return
        incident = Incident.search(
            [
                ("network", "=", "vk"),
                ("account_id", "=", account.id),
                ("external_id", "=", vk_external_id(account, obj)),
            ],
            limit=1,
        )
        if self.event_type == "wall_reply_edit":
            if not incident:
                incidents = self._vk_comments_to_incidents(account, [obj])
                self._done(
                    incidents[:1],
                    self.env._("Incident registered from an edit"),
                    "done" if incidents else "ignored",
                )
                return
            old = incident.text
            new = obj.get("text") or EMPTY_TEXT
            if old != new:
                incident.sudo().write({"text": new})
                incident._post(
                    self.env._("The author edited the comment. Before:") + "<br/>%s", old
                )
            self._done(incident, self.env._("Text updated"))
        elif self.event_type in ("wall_reply_delete", "wall_reply_restore"):
            if not incident:
                self._done(note=self.env._("Comment not registered"), state="ignored")
                return
            deleted = self.event_type == "wall_reply_delete"
            deleter = obj.get("deleter_id")
            incident._write_system(
                {"source_deleted": deleted, "source_deleted_at": clock.now() if deleted else False}
            )
            if not deleted:
                incident._post(self.env._("The comment was restored in the network."))
            elif deleter and incident.author_id.external_id == str(deleter):
                incident._post(self.env._("The author deleted the comment in the network."))
            else:
                incident._post(
                    self.env._("The comment was deleted in the network (by %s)."),
                    str(deleter or "?"),
                )
            self._done(
                incident,
                self.env._("Deletion recorded") if deleted else self.env._("Restoration recorded"),
            )

    def action_retry(self):
        """Process these failed (or ignored) events again now."""
        if not self.env.user.has_group(ADMIN_GROUP):
            raise AccessError(self.env._("Only an administrator of the incidents retries events."))
        self.filtered(lambda e: e.state in ("error", "pending"))._process()
        return True

    # ------------------------------------------------------------------
    # Comments → incidents (webhook and polling share this)
    # ------------------------------------------------------------------
    @api.model
    def _vk_comments_to_incidents(self, account, comments):
        """Register the citizens' comments not registered yet; return the
        incidents of all of them (new and known). The community's own
        comments (our published replies) are skipped."""
        account = account.sudo()
        citizens = [c for c in comments if (c.get("from_id") or 0) > 0 and c.get("id")]
        if not citizens:
            return self.env["social.incident"]
        keys = {vk_external_id(account, c): c for c in citizens}
        Incident = (
            self.env["social.incident"]
            .sudo()
            .with_context(active_test=False, mail_create_nosubscribe=True)
        )
        known = Incident.search(
            [
                ("network", "=", "vk"),
                ("account_id", "=", account.id),
                ("external_id", "in", list(keys)),
            ]
        )
        missing = {key: c for key, c in keys.items() if key not in set(known.mapped("external_id"))}
        if not missing:
            return known
        authors = self._vk_authors(account, {c["from_id"] for c in missing.values()})
        company = account.company_id
        vals_list = []
        for key, comment in missing.items():
            owner_id, post_id = _vk_owner_post(account, comment)
            root = (comment.get("parents_stack") or [None])[0]
            url = f"https://vk.com/wall{owner_id}_{post_id}?reply={comment['id']}"
            if root and root != comment["id"]:
                url += f"&thread={root}"
            # the comment it answers in its thread: a reply to a reply names it, else the root
            parent = _vk_int(comment.get("reply_to_comment")) or _vk_int(root)
            vals_list.append(
                {
                    "network": "vk",
                    "account_id": account.id,
                    "source": "own_page",
                    "external_id": key,
                    "url": url,
                    "text": comment.get("text") or EMPTY_TEXT,
                    "published_at": _from_unix(comment.get("date")),
                    "detected_at": clock.now(),
                    "author_id": authors[comment["from_id"]].id,
                    "company_id": company.id,
                    "curator_id": company.social_curator_id.id,
                    "vk_reply_to_comment": parent if parent != _vk_int(comment["id"]) else 0,
                }
            )
        # the thread's parent is the network's own record: written by the connector only
        with system_write():
            return known | Incident.with_company(company).create(vals_list)

    @api.model
    def _vk_authors(self, account, user_ids):
        """{VK user id: social.author}, the names of the new ones read with the
        service token when there is one (a failure leaves "id123", read again
        by the next polling: ``_vk_retry_author_names``)."""

        def make_values(missing):
            names = {}
            if account.vk_service_token:
                try:
                    for user in account._vk_client("service").users_get([int(u) for u in missing]):
                        names[str(user["id"])] = " ".join(
                            filter(None, [user.get("first_name"), user.get("last_name")])
                        )
                except VkError as error:
                    account._connector_error("process", error)
            return {
                user_id: {
                    "name": names.get(user_id) or f"id{user_id}",
                    "profile_url": f"https://vk.com/id{user_id}",
                    "company_id": account.company_id.id,
                }
                for user_id in missing
            }

        authors = (
            self.env["social.author"]
            .sudo()
            ._find_or_create_many("vk", user_ids, make_values, company=account.company_id)
        )
        return {int(key): author for key, author in authors.items()}

    @api.model
    def _vk_retry_author_names(self, account, limit=1000):
        """Read the names left as "id123" because VK did not answer when the
        comments came: the authors of this page's incidents, with its service
        token (the polling calls this). Returns the authors named."""
        account = account.sudo()
        Author = self.env["social.author"].sudo()
        if not account.vk_service_token:
            return Author
        Author.flush_model(["name", "external_id", "network"])
        self.env["social.incident"].flush_model(["author_id", "account_id"])
        self.env.cr.execute(
            """
            SELECT DISTINCT author.id
              FROM social_author author
              JOIN social_incident incident ON incident.author_id = author.id
             WHERE incident.account_id = %s
               AND author.network = 'vk'
               AND author.name = 'id' || author.external_id
             LIMIT %s
            """,
            (account.id, limit),
        )
        authors = Author.browse(row[0] for row in self.env.cr.fetchall())
        authors = authors.filtered(lambda a: (a.external_id or "").isdigit())
        if not authors:
            return Author
        users = account._vk_client("service").users_get([int(a.external_id) for a in authors])
        names = {
            str(user["id"]): " ".join(filter(None, [user.get("first_name"), user.get("last_name")]))
            for user in users
            if user.get("id")
        }
        named = Author
        for author in authors:
            if names.get(author.external_id):
                author.name = names[author.external_id]
                named |= author
        return named

    @api.model
    def _ok_comments_to_incidents(self, account, comments):
        """Register OK comments (polling) not registered yet; return their incidents."""
        account = account.sudo()
        group_id = str(account.ok_group_id or "")
        citizens = [
            c
            for c in comments
            if c.get("id")
            and str(c.get("author_id") or "") not in ("", group_id)
            and (c.get("author_type") or "USER").upper() != "GROUP"
        ]
        if not citizens:
            return self.env["social.incident"]
        keys = {f"{c['topic_id']}_{c['id']}": c for c in citizens}
        Incident = (
            self.env["social.incident"]
            .sudo()
            .with_context(active_test=False, mail_create_nosubscribe=True)
        )
        known = Incident.search(
            [
                ("network", "=", "ok"),
                ("account_id", "=", account.id),
                ("external_id", "in", list(keys)),
            ]
        )
        known_keys = set(known.mapped("external_id"))
        missing = {key: c for key, c in keys.items() if key not in known_keys}
        if not missing:
            return known
        by_author = {str(c["author_id"]): c for c in missing.values()}
        authors = (
            self.env["social.author"]
            .sudo()
            ._find_or_create_many(
                "ok",
                by_author,
                lambda ids: {
                    author_id: {
                        "name": by_author[author_id].get("author_name"),
                        "profile_url": f"https://ok.ru/profile/{author_id}",
                        "company_id": account.company_id.id,
                    }
                    for author_id in ids
                },
                company=account.company_id,
            )
        )
        company = account.company_id
        vals_list = []
        for key, comment in missing.items():
            author = authors[str(comment["author_id"])]
            vals_list.append(
                {
                    "network": "ok",
                    "account_id": account.id,
                    "source": "own_page",
                    "external_id": key,
                    "url": f"https://ok.ru/group/{group_id}/topic/{comment['topic_id']}",
                    "text": comment.get("text") or EMPTY_TEXT,
                    "published_at": _from_ok_date(comment.get("date")),
                    "detected_at": clock.now(),
                    "author_id": author.id,
                    "company_id": company.id,
                    "curator_id": company.social_curator_id.id,
                }
            )
        return known | Incident.with_company(company).create(vals_list)


def _wake_processing(dbname, cron_id):
    """After the commit of a stored event: make the processing job due now
    and wake the scheduler. Bounded: no trigger is added when one was already
    added after this commit (a concurrent delivery's), so a burst makes a few
    triggers, not one per event."""
    committed_at = datetime.now(UTC).replace(tzinfo=None)
    try:
        with Registry(dbname).cursor() as cr:
            cr.execute(
                """
                INSERT INTO ir_cron_trigger
                       (cron_id, call_at, create_uid, create_date, write_uid, write_date)
                SELECT %(cron)s, clock_timestamp() at time zone 'UTC', 1, now() at time zone 'UTC',
                       1, now() at time zone 'UTC'
                 WHERE NOT EXISTS (
                       SELECT 1 FROM ir_cron_trigger WHERE cron_id = %(cron)s AND call_at >= %(at)s)
                RETURNING id
                """,
                {"cron": cron_id, "at": committed_at},
            )
            if cr.fetchone():
                # wake the scheduler once the trigger is committed
                cr.postcommit.add(functools.partial(_notify_scheduler, dbname))
    except Exception:  # noqa: BLE001 - the event is stored; the minute job takes it
        _logger.warning("Could not wake the processing of incoming events", exc_info=True)


# The scheduler listens on the "postgres" database (odoo/service/server.py);
# ir.cron._notifydb opens a new connection there for each NOTIFY, which costs
# more than the whole delivery: one connection is kept per process instead.
_NOTIFY_LOCK = threading.Lock()
_NOTIFY_CONNECTION = []


def _notify_scheduler(dbname):
    """What ir.cron._notifydb sends, on a connection kept open."""
    with _NOTIFY_LOCK:
        for _attempt in range(2):
            if not _NOTIFY_CONNECTION or _NOTIFY_CONNECTION[0].closed:
                _NOTIFY_CONNECTION[:] = [psycopg2.connect(**connection_info_for("postgres")[1])]
                _NOTIFY_CONNECTION[0].autocommit = True
            try:
                with _NOTIFY_CONNECTION[0].cursor() as cr:
                    query = SQL(
                        "SELECT %s('cron_trigger', %s)",
                        SQL.identifier(ODOO_NOTIFY_FUNCTION),
                        dbname,
                    )
                    cr.execute(query.code, query.params)
                return
            except psycopg2.OperationalError:
                # the server closed it (restart, idle timeout): once more on a new one
                with contextlib.suppress(psycopg2.Error):
                    _NOTIFY_CONNECTION[0].close()
                _NOTIFY_CONNECTION.clear()


def _vk_owner_post(account, comment):
    owner_id = comment.get("owner_id") or comment.get("post_owner_id") or account._vk_owner_id()
    return int(owner_id), int(comment.get("post_id") or 0)


def _vk_int(value):
    """A positive VK id that fits the column; 0 for anything else (a payload
    is not trusted)."""
    if isinstance(value, bool):
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return 0
    return number if 0 < number < 2**31 else 0


def vk_external_id(account, comment):
    """The incident's message id for a VK comment: wall{owner}_{post}_{comment}."""
    owner_id, post_id = _vk_owner_post(account, comment)
    return f"wall{owner_id}_{post_id}_{comment.get('id')}"


def _from_unix(value):
    if not value:
        return False
    return datetime.fromtimestamp(int(value), UTC).replace(tzinfo=None)


def _from_ok_date(value):
    """OK comment dates are Moscow time: naive UTC for Odoo."""
    return parse_ok_date(value) or False
