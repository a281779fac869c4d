import logging
from datetime import timedelta

import psycopg2.errors
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import clock, guard
from ..tools.guard import system_method, workflow_action
from ..tools.web_url import is_web_url
from .constants import CURATOR_GROUP, REPLY_STATES
from .helpers import (
    check_own_new_attachments,
    each_in_own_transaction,
    in_company_lang,
    lock_if_due,
    lock_row,
    scheduled_job,
)

_logger = logging.getLogger(__name__)

# a post goes through the reply's approval cycle
POST_STATES = REPLY_STATES
# Calendar colours by state (the web client's colour indexes).
STATE_COLORS = {
    "draft": 0,
    "submitted": 3,
    "returned": 2,
    "approved": 4,
    "published": 10,
    "publish_failed": 1,
    "cancelled": 0,
}
# Fields the author edits while the post is a draft (or returned to them).
CONTENT_FIELDS = {"name", "body", "attachment_ids", "planned_at", "account_id", "approver_id"}
# States in which the post can still be cancelled (it is not in the network yet).
CANCELLABLE_STATES = ("draft", "submitted", "returned", "approved", "publish_failed")
MAX_PUBLISH_ATTEMPTS = 6
ACT_REVIEW = "social_incidents.mail_act_social_post_review"
ACT_REWORK = "social_incidents.mail_act_social_post_rework"
ACT_PUBLISH = "social_incidents.mail_act_social_post_publish"
ACT_FAILED = "social_incidents.mail_act_social_post_failed"


class SocialAccountPost(models.Model):
    """A post of an official page: planned in the content plan (LYA 5, KOR A1 5,
    BAT 6), written by an author, approved by a curator like a reply, published
    at its time by the connector (or by hand); or found in the network (the
    page's own post received from it), which counts for the weekly quota too.

    Interface shared by the content plan (this addon) and the connectors:

    - ``_api_publisher()`` returns the connector's method that posts this post
      (None in this addon: posted by hand); that method returns True when
      posted (it called ``_record_published``), False when failed (it called
      ``_record_publish_failure``).
    - ``_lock_for_publishing()`` locks the post's row before posting it.
    - ``_record_published()`` / ``_record_publish_failure()`` record the outcome.
    - ``_record_network_post(account, external_id, published_at, body, url)``
      records a post found in the network once (by page and external id).
    - ``_cron_publish_due()`` is the scheduled job that publishes what is due.
    """

    _name = "social.account.post"
    _description = "Planned Post"
    # the lang mixin first: it wraps the creation that mail.thread logs (the demo's posts,
    # the posts received from the network)
    _inherit = [
        "social.company.lang.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "social.protected.mixin",
    ]
    _order = "planned_at desc, id desc"
    _mail_post_access = "read"
    _protected_fields = (
        "origin",
        "state",
        "author_id",
        "submitted_at",
        "reviewer_id",
        "reviewed_at",
        "rework_count",
        "return_reason_id",
        "return_comment",
        "publisher_id",
        "published_at",
        "published_url",
        "external_id",
        "publish_error",
        "publish_attempts",
        "publish_next_at",
        "manual_requested_at",
    )

    name = fields.Char(string="Subject", required=True, tracking=True)
    account_id = fields.Many2one(
        "social.account", string="Official Page", required=True, ondelete="cascade", index=True
    )
    network = fields.Selection(related="account_id.network", store=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    body = fields.Text(string="Post Text")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "social_account_post_attachment_rel",
        "post_id",
        "attachment_id",
        string="Photos",
    )
    planned_at = fields.Datetime(string="Planned Time", required=True, index=True, tracking=True)
    origin = fields.Selection(
        [("plan", "Content Plan"), ("network", "Received from the Network")],
        required=True,
        default="plan",
        readonly=True,
    )
    state = fields.Selection(
        POST_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    author_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    approver_id = fields.Many2one(
        "res.users",
        tracking=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(CURATOR_GROUP).ids)],
        help="The curator who is to approve the post.",
    )
    submitted_at = fields.Datetime(readonly=True, copy=False)
    reviewer_id = fields.Many2one("res.users", string="Reviewed By", readonly=True, copy=False)
    reviewed_at = fields.Datetime(readonly=True, copy=False)
    rework_count = fields.Integer(readonly=True, copy=False)
    return_reason_id = fields.Many2one("social.return.reason", readonly=True, copy=False)
    return_comment = fields.Text(readonly=True, copy=False)
    publisher_id = fields.Many2one("res.users", string="Published By", readonly=True, copy=False)
    published_at = fields.Datetime(readonly=True, copy=False, index=True)
    published_url = fields.Char(string="Post Link", readonly=True, copy=False)
    external_id = fields.Char(string="Post ID", readonly=True, copy=False)
    publish_error = fields.Text(readonly=True, copy=False)
    publish_attempts = fields.Integer(readonly=True, copy=False)
    publish_next_at = fields.Datetime(string="Next Attempt", readonly=True, copy=False)
    manual_requested_at = fields.Datetime(
        string="Asked to Publish by Hand",
        readonly=True,
        copy=False,
        help="When the author was asked to publish the post by hand (the page has no connector).",
    )
    summary = fields.Char(
        string="Beginning", compute="_compute_summary", help="The beginning of the post's text."
    )
    color = fields.Integer(compute="_compute_color")
    can_edit = fields.Boolean(compute="_compute_user_rights")
    can_review = fields.Boolean(compute="_compute_user_rights")
    can_approve = fields.Boolean(compute="_compute_user_rights")
    can_cancel = fields.Boolean(compute="_compute_user_rights")
    can_mark_published = fields.Boolean(compute="_compute_user_rights")

    _sql_constraints = [
        (
            "account_external_id_uniq",
            "unique(account_id, external_id)",
            "This post of the page is already recorded.",
        )
    ]

    @api.depends("body")
    def _compute_summary(self):
        for post in self:
            text = " ".join((post.body or "").split())
            post.summary = text if len(text) <= 90 else text[:89] + "…"

    @api.depends("state")
    def _compute_color(self):
        for post in self:
            post.color = STATE_COLORS.get(post.state, 0)

    @api.depends_context("uid")
    @api.depends("state", "author_id")
    def _compute_user_rights(self):
        """The buttons: each is shown when the check its method runs passes."""
        for post in self:
            # editing, not submitting: a blocked text stays editable, the submission says why
            post.can_edit = post._allowed("_check_edit", True) if post.id else True
            post.can_review = post._allowed("_check_reviewable", True)
            post.can_approve = post._allowed("_check_reviewable")
            post.can_cancel = post._allowed("_check_cancel")
            post.can_mark_published = post._allowed("_check_publishable")

    @api.constrains("published_url")
    def _check_published_url(self):
        for post in self:
            if post.published_url and not is_web_url(post.published_url):
                raise ValidationError(post._bad_url_message(post.published_url))

    def _bad_url_message(self, url):
        return self.env._(
            "The post link “%(value)s” is not a web address: give the link to the published "
            "post, such as https://vk.com/wall-1_2 (it starts with http:// or https://, names a "
            "site and has no spaces).",
            value=url,
        )

    # ------------------------------------------------------------------
    # Who is who
    # ------------------------------------------------------------------
    def _user_is_author(self):
        self.ensure_one()
        return self.author_id == self.env.user

    @api.model
    def _user_is_curator(self):
        return self.env.user.has_group(CURATOR_GROUP)

    def _company_curators(self):
        """The active curators of the post's company."""
        self.ensure_one()
        # sudo: the group's members, to give them the approval activity
        users = self.env.ref(CURATOR_GROUP).sudo().users
        return users.filtered(
            lambda u: u.active and not u.share and self.company_id in u.company_ids
        )

    def _get_approvers(self):
        """Who is asked to approve the post: its approver, else the company's
        default curator, else every curator of the company; never its author."""
        self.ensure_one()
        # sudo: the candidates' groups and companies, to ask only a curator of this company
        for candidate in (self.approver_id.sudo(), self.company_id.social_curator_id.sudo()):
            if (
                candidate.active
                and candidate != self.author_id
                and self.company_id in candidate.company_ids
                and candidate.has_group(CURATOR_GROUP)
            ):
                return candidate.with_env(self.env)
        return self._company_curators() - self.author_id

    def _page_responsible_users(self):
        """The page's responsible people who can open the post: its executor's
        responsible users and the access holders (the curators among them, an
        executor sees only their own posts)."""
        self.ensure_one()
        # sudo: the page's executor and access holders, to give them an activity
        account = self.account_id.sudo()
        users = account.executor_id.responsible_user_ids | account.access_holder_ids
        return users.filtered(
            lambda u: u.active and not u.share and self.with_user(u).has_access("read")
        )

    # ------------------------------------------------------------------
    # Creation and editing
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self._guard_active():  # server code, or the loader (data and demo files)
            return super().create(vals_list)
        self = self._without_protected_defaults()
        self._check_protected_create(vals_list)
        if not self.env.su and not self.env.user.has_group(
            "social_incidents.group_social_executor"
        ):
            raise UserError(self.env._("Only executors and curators write posts."))
        for vals in vals_list:
            vals.setdefault("account_id", self.env.context.get("default_account_id"))
            account = self.env["social.account"].browse(vals.get("account_id"))
            if not account.exists():
                raise UserError(self.env._("Choose the official page of the post."))
            account.check_access("read")
            if vals.get("attachment_ids"):
                check_own_new_attachments(
                    self.env, self._attachments_in_commands(vals["attachment_ids"])
                )
        with guard.system_write():
            posts = super().create(
                [
                    dict(vals, author_id=self.env.uid, origin="plan", state="draft")
                    for vals in vals_list
                ]
            )
        return posts

    def write(self, vals):
        if CONTENT_FIELDS & set(vals) and not guard.permitted():
            self.check_access("write")
            for post in self:
                post._check_edit(editing=True)
            if vals.get("account_id"):
                self.env["social.account"].browse(vals["account_id"]).check_access("read")
            if vals.get("attachment_ids"):
                for post in self:
                    check_own_new_attachments(
                        self.env,
                        self._attachments_in_commands(vals["attachment_ids"]) - post.attachment_ids,
                        post,
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        """A post that reached the curator is part of the record: it is
        cancelled, never deleted (a network echo is removed by the server)."""
        if guard.permitted():
            return
        if self.filtered(lambda p: p.submitted_at or p.state not in ("draft", "cancelled")):
            raise UserError(self.env._("A post that was submitted for approval cannot be deleted."))

    @api.model
    def _attachments_in_commands(self, commands):
        return self.env["social.incident.reply"]._attachments_in_commands(commands)

    def _note(self, body, *args):
        """A note in the post's chatter, by the current user."""
        message = Markup(body) % tuple(args) if args else Markup(body)
        for post in self:
            # sudo: the workflow's note (the caller passed the action's checks)
            post.sudo().message_post(
                body=message, author_id=self.env.user.partner_id.id, subtype_xmlid="mail.mt_note"
            )

    def _schedule(self, act_type_xmlid, users, summary, note=""):
        """An activity of ``act_type_xmlid`` for each of ``users`` on each post,
        unless they already have one of that type."""
        activity_type = self.env.ref(act_type_xmlid)
        for post in self:
            have = post.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).user_id
            for user in users - have:
                # sudo: the workflow gives its next actor the step (they may not write the post)
                post.sudo().activity_schedule(
                    act_type_xmlid=act_type_xmlid, user_id=user.id, summary=summary, note=note
                )

    def _done_activities(self, act_type_xmlids=None, feedback=None):
        for post in self:
            # sudo: the step is done whoever's activity it was
            activities = post.sudo().activity_ids
            if act_type_xmlids:
                types = [self.env.ref(x).id for x in act_type_xmlids]
                activities = activities.filtered(lambda a, t=types: a.activity_type_id.id in t)
            if activities:
                activities.action_feedback(feedback=feedback)

    # ------------------------------------------------------------------
    # Approval cycle: submit → approve | return → submit … → publish
    # ------------------------------------------------------------------
    def _check_edit(self, editing=False):
        self.check_access("read")  # a post the user cannot see is not theirs to act on
        for post in self:
            if post.state not in ("draft", "returned"):
                raise UserError(
                    self.env._("Only a draft or a returned post can be edited or submitted.")
                    if editing
                    else self.env._("Only a draft or a returned post can be submitted.")
                )
            if not (post._user_is_author() or self._user_is_curator()):
                raise UserError(self.env._("Only the post's author or a curator changes it."))

    @workflow_action
    def action_submit(self):
        self._check_edit()
        now = clock.now()
        for post in self:
            if not (post.body or "").strip():
                raise UserError(self.env._("Write the text of the post before submitting it."))
            if post.planned_at <= now:
                raise UserError(
                    self.env._("The planned time has passed: plan the post for a time to come.")
                )
        self._write_system({"state": "submitted", "submitted_at": now})
        for post in self:
            post._done_activities([ACT_REWORK])
            post._note(self.env._("Post submitted for approval."))
            approvers = post._get_approvers()
            post._schedule(
                ACT_REVIEW,
                approvers,
                self.env._("Approve the post “%s”", post.name),
            )
        return True

    def _check_reviewable(self, returning=False):
        self.check_access("read")  # a post the user cannot see is not theirs to act on
        if not self._user_is_curator():
            raise UserError(self.env._("Only a curator approves or returns posts."))
        for post in self:
            if post.state != "submitted":
                raise UserError(self.env._("Only a submitted post can be approved or returned."))
            if not returning and post._user_is_author():
                raise UserError(self.env._("Nobody approves their own post: ask another curator."))

    @workflow_action
    def action_approve(self):
        self._check_reviewable()
        now = clock.now()
        self._write_system(
            {
                "state": "approved",
                "reviewer_id": self.env.uid,
                "reviewed_at": now,
                "return_reason_id": False,
                "return_comment": False,
            }
        )
        for post in self:
            post._done_activities([ACT_REVIEW])
            post._note(self.env._("Post approved."))
        return True

    @api.private
    @workflow_action
    def action_return(self, reason, comment=None):
        """Back to the author for rework with the reason. Called by the “Return
        for Rework” dialog."""
        self._check_reviewable(returning=True)
        if not reason:
            raise UserError(self.env._("Choose the reason for returning the post."))
        now = clock.now()
        for post in self:
            post._write_system(
                {
                    "state": "returned",
                    "reviewer_id": self.env.uid,
                    "reviewed_at": now,
                    "rework_count": post.rework_count + 1,
                    "return_reason_id": reason.id,
                    "return_comment": comment or False,
                }
            )
            post._done_activities([ACT_REVIEW])
            body = self.env._("Post returned for rework: %s.")
            args = [reason.name]
            if comment:
                body += "<br/>%s"
                args.append(comment)
            post._note(body, *args)
            post._schedule(
                ACT_REWORK,
                post.author_id,
                self.env._("Rework the post “%s”", post.name),
                " — ".join(filter(None, [reason.name, comment])),
            )
        return True

    def _check_cancel(self):
        self.check_access("read")  # a post the user cannot see is not theirs to act on
        for post in self:
            if post.state not in CANCELLABLE_STATES or post.origin != "plan":
                raise UserError(self.env._("Only a post not yet published can be cancelled."))
            if not (post._user_is_author() or self._user_is_curator()):
                raise UserError(self.env._("Only the post's author or a curator cancels it."))

    @workflow_action
    def action_cancel(self):
        self._check_cancel()
        for post in self:
            # the connector holds the row while it posts: no cancel then, nor after it posted
            if not post._lock_for_publishing():
                raise UserError(
                    self.env._(
                        "This post is being published right now: reload the page in a moment."
                    )
                )
        self._check_cancel()
        self._write_system({"state": "cancelled", "publish_next_at": False})
        for post in self:
            # sudo: the cancelled post's steps are nobody's any more
            post.sudo().activity_ids.unlink()
            post._note(self.env._("Post cancelled."))
        return True

    def _check_publishable(self):
        self.check_access("read")  # a post the user cannot see is not theirs to act on
        for post in self:
            if post.state not in ("approved", "publish_failed"):
                raise UserError(self.env._("Only an approved post can be marked as published."))
            if not (post._user_is_author() or self._user_is_curator()):
                raise UserError(
                    self.env._("Only the post's author or a curator marks it as published.")
                )

    @api.private
    @workflow_action
    def action_mark_published(self, url, published_at=None):
        """Record that the post was published by hand. Called by the “Mark as
        Published” dialog: the time can be neither before the approval nor in
        the future."""
        self._check_publishable()
        if not isinstance(url, str) or not url.strip():
            raise UserError(self.env._("Give the link to the published post."))
        url = url.strip()
        if not is_web_url(url):
            raise UserError(self._bad_url_message(url))
        now = clock.now()
        published_at = published_at or now
        for post in self:
            if published_at > now or (post.reviewed_at and published_at < post.reviewed_at):
                raise UserError(
                    self.env._("The post was published after its approval and not later than now.")
                )
        for post in self:
            post._record_published(False, url, published_at)
        return True

    def action_open_return_wizard(self):
        self.ensure_one()
        self._check_reviewable(returning=True)
        return self._open_wizard("return")

    def action_open_publish_wizard(self):
        self.ensure_one()
        self._check_publishable()
        return self._open_wizard("publish")

    def _open_wizard(self, mode):
        titles = {
            "return": self.env._("Return for Rework"),
            "publish": self.env._("Mark as Published"),
        }
        return {
            "type": "ir.actions.act_window",
            "name": titles[mode],
            "res_model": "social.account.post.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_post_id": self.id, "default_mode": mode},
        }

    # ------------------------------------------------------------------
    # Publication: the connectors' interface
    # ------------------------------------------------------------------
    def _api_publisher(self):
        """The connector's method that posts this post, or None (posted by hand).

        A connector addon overrides it for the pages it serves. The returned
        method takes no argument, is called with the post's row locked
        (``_lock_for_publishing``) and returns True when posted (it called
        ``_record_published``) or False when it failed (it called
        ``_record_publish_failure``)."""
        self.ensure_one()
        return None

    def _lock_for_publishing(self):
        """Lock this post's row until the end of the transaction; False when
        another transaction holds it (it is posting the post). Re-reads the
        post after the lock: what another worker committed counts."""
        return lock_row(self)

    @system_method
    def _record_published(self, external_id, url, published_at=None):
        """Record that the post is in the network (server code: a connector
        that posted it, the “Mark as Published” dialog after its checks):
        state published, its time (now by default), link and id, who
        published it (the current user); the error cleared, the post's
        activities done, a note in the chatter. An echo of the post received
        from the network first (a network post of the page with this id) is
        merged into it."""
        self.ensure_one()
        url = url or False
        external_id = str(external_id) if external_id else False
        if external_id:
            # sudo: the page's network record of this very post, merged into it
            echo = self.sudo().search(
                [
                    ("account_id", "=", self.account_id.id),
                    ("external_id", "=", external_id),
                    ("origin", "=", "network"),
                    ("id", "!=", self.id),
                ]
            )
            if echo:
                url = url or echo.published_url
                echo.unlink()
        self._write_system(
            {
                "state": "published",
                "published_at": published_at or clock.now(),
                "published_url": url,
                "external_id": external_id,
                "publisher_id": self.env.uid,
                "publish_error": False,
                "publish_next_at": False,
            }
        )
        self._done_activities()
        if url:
            self._note(
                self.env._("Post published:") + ' <a href="%s" target="_blank">%s</a>', url, url
            )
        else:
            self._note(self.env._("Post published."))
        return True

    @system_method
    def _record_publish_failure(self, message, final=False, retry_at=None):
        """Record a failed publication (server code: a connector): state
        “publication failed” with ``message`` (the error in words), one more
        attempt, the next one at ``retry_at`` or after 2, 4, 8 … minutes unless
        ``final`` (a person must act) or the attempts are spent; then an
        activity for the author and the page's responsible people. A note in
        the chatter either way."""
        self.ensure_one()
        attempts = self.publish_attempts + 1
        retry = not final and attempts < MAX_PUBLISH_ATTEMPTS
        self._write_system(
            {
                "state": "publish_failed",
                "publish_error": message,
                "publish_attempts": attempts,
                "publish_next_at": (retry_at or clock.now() + timedelta(minutes=2**attempts))
                if retry
                else False,
            }
        )
        local = in_company_lang(self)
        if retry:
            local._note(local.env._("Publication failed, it will be tried again:") + " %s", message)
        else:
            local._note(local.env._("Publication failed:") + " %s", message)
            local._schedule(
                ACT_FAILED,
                self.author_id.filtered("active") | self._page_responsible_users(),
                local.env._("Publish the post “%s”: the connector failed", self.name),
                message,
            )
        _logger.info("Post %s: publication failed (attempt %s): %s", self.id, attempts, message)
        return True

    @api.model
    @system_method
    def _record_network_post(self, account, external_id, published_at, body=None, url=None):
        """Record the page's own post found in the network, once; returns it.

        A post of the page with this ``external_id`` (a planned post echoed
        back, or this network post received before) is returned as it is;
        otherwise a post “received from the network” is created, published.
        Two workers receiving it at once: the unique constraint decides, the
        loser's request is run again (a serialization failure) and finds it."""
        external_id = str(external_id)
        # sudo: server code (a connector's import) recording what the page posted
        posts = self.sudo()
        domain = [("account_id", "=", account.id), ("external_id", "=", external_id)]
        existing = posts.search(domain, limit=1)
        if existing:
            return existing
        text = " ".join((body or "").split())
        name = text if len(text) <= 60 else text[:59] + "…"
        vals = {
            "account_id": account.id,
            "external_id": external_id,
            "origin": "network",
            "state": "published",
            "author_id": False,
            "name": name
            or in_company_lang(posts, account.company_id).env._("Post %s", external_id),
            "body": body or False,
            "planned_at": published_at,
            "published_at": published_at,
            "published_url": url if url and is_web_url(url) else False,
        }
        try:
            # without flushing the whole transaction: the INSERT itself meets the unique index
            with self.env.cr.savepoint(flush=False):
                post = posts.with_context(mail_create_nolog=True).create(vals)
        except psycopg2.errors.UniqueViolation:
            existing = posts.search(domain, limit=1)
            if existing:
                return existing
            # another transaction recorded it after this one began: run the request again
            self.env.cr.execute(
                "DO $$ BEGIN RAISE EXCEPTION 'network post recorded concurrently' "
                "USING ERRCODE = 'serialization_failure'; END $$"
            )
        return post

    @api.model
    def _publish_due_domain(self):
        now = clock.now()
        return [
            "|",
            "&",
            "&",
            ("state", "=", "approved"),
            ("planned_at", "<=", now),
            ("manual_requested_at", "=", False),
            "&",
            "&",
            ("state", "=", "publish_failed"),
            ("publish_next_at", "!=", False),
            ("publish_next_at", "<=", now),
        ]

    @api.model
    @scheduled_job
    @system_method
    def _cron_publish_due(self, limit=50):
        """Publish the approved posts whose time has come, and retry the failed
        publications whose next attempt has come. Each post in its own
        transaction (outside tests), its row locked: a post another worker is
        posting is skipped. A post of a page without a connector stays
        approved: its author is asked, once, to publish it by hand. Returns
        the number of posts looked at."""
        # sudo: the scheduled job (private, refused to all but the scheduler and administrators
        # by @scheduled_job) publishes the due posts of every company
        posts = self.sudo().search(self._publish_due_domain(), limit=limit, order="planned_at, id")
        each_in_own_transaction(posts, lambda post: post._publish_due_one(), "the publication")
        return len(posts)

    def _publish_due_one(self):
        """The job's unit: lock the post, check it is still due, post it (or
        ask its author to). Returns True (posted), False (failed) or None
        (skipped, or left to be published by hand)."""
        self.ensure_one()
        if not lock_if_due(self, self._publish_due_domain()):
            return None
        # the job has no user's language: what it writes is in the company's
        post = in_company_lang(self)
        publisher = post._api_publisher()
        if publisher is not None:
            return publisher()
        if post.state == "publish_failed":
            # the page lost its connector since: no retry, a person publishes it
            post._write_system({"publish_next_at": False})
        post._ask_manual_publication()
        return None

    def _ask_manual_publication(self):
        """The page has no connector: the author (or, when they left, the
        page's responsible people) publishes the post by hand and marks it."""
        self.ensure_one()
        users = self.author_id.filtered("active") or self._page_responsible_users()
        self._write_system({"manual_requested_at": clock.now()})
        self._schedule(
            ACT_PUBLISH,
            users,
            self.env._("Publish the post “%s” by hand", self.name),
            self.env._(
                "The page has no connector: publish the post in the network, then mark it as "
                "published with its link."
            ),
        )
        self._note(self.env._("The planned time has come: the post is to be published by hand."))
