from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import clock, guard
from ..tools.guard import workflow_action
from ..tools.web_url import is_web_url
from .constants import (
    CURATOR_GROUP,
    REPLY_KINDS,
    REPLY_STATES,
    WORK_STATES,
)
from .helpers import check_own_new_attachments

OPEN_REPLY_STATES = ("draft", "submitted", "returned", "approved", "publish_failed")
# Fields the author edits while the draft is theirs.
CONTENT_FIELDS = {"body", "kind", "attachment_ids"}


class SocialIncidentReply(models.Model):
    """A reply drafted by an executor (or the curator), approved by the
    curator and published in the network where the message was found."""

    _name = "social.incident.reply"
    _description = "Reply"
    _inherit = ["mail.thread", "social.sla.mixin", "social.protected.mixin"]
    _order = "id desc"
    _mail_post_access = "read"
    # The text and the files are the writer's; the rest is the approval cycle's.
    _protected_fields = (
        "incident_id",
        "executor_id",
        "state",
        "author_id",
        "submitted_at",
        "reviewer_id",
        "reviewed_at",
        "rework_count",
        "review_ids",
        "publisher_id",
        "published_at",
        "published_url",
        "external_id",
        "publish_error",
        "deadline_ids",
        "restricted_allowed_by",
        "restricted_allowed_at",
        "restricted_allowed_comment",
        "restricted_allowed_marks",
    )
    _protected_fields_creatable = ("incident_id",)

    incident_id = fields.Many2one(
        "social.incident", required=True, ondelete="cascade", index=True, readonly=True
    )
    incident_text = fields.Text(related="incident_id.text", string="Message")
    incident_url = fields.Char(related="incident_id.url")
    network = fields.Selection(related="incident_id.network")
    company_id = fields.Many2one(related="incident_id.company_id", store=True, index=True)
    executor_id = fields.Many2one(
        "social.executor",
        readonly=True,
        index=True,
        help="Executor on whose behalf the draft is written; empty when the curator writes it.",
    )
    kind = fields.Selection(
        REPLY_KINDS,
        required=True,
        default="final",
        tracking=True,
    )
    body = fields.Text(string="Reply Text")
    summary = fields.Char(
        string="Reply",
        compute="_compute_summary",
        help="The beginning of the reply, for the lists.",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "social_incident_reply_attachment_rel",
        "reply_id",
        "attachment_id",
        string="Photos and Videos",
    )
    state = fields.Selection(
        REPLY_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    author_id = fields.Many2one(
        "res.users", string="Written By", readonly=True, default=lambda self: self.env.user
    )
    submitted_at = fields.Datetime(readonly=True, copy=False)
    reviewer_id = fields.Many2one("res.users", string="Reviewed By", readonly=True, copy=False)
    reviewed_at = fields.Datetime(readonly=True, copy=False)
    rework_count = fields.Integer(readonly=True, copy=False)
    review_ids = fields.One2many("social.incident.reply.review", "reply_id", string="Reviews")
    last_return_note = fields.Char(compute="_compute_last_return_note")
    publisher_id = fields.Many2one("res.users", string="Published By", readonly=True, copy=False)
    published_at = fields.Datetime(readonly=True, copy=False)
    published_url = fields.Char(string="Reply Link", readonly=True, copy=False)
    external_id = fields.Char(string="Reply ID", readonly=True, copy=False)
    publish_error = fields.Text(readonly=True, copy=False)
    deadline_ids = fields.One2many("social.incident.deadline", "reply_id", string="Deadlines")
    can_edit = fields.Boolean(compute="_compute_user_rights")
    can_submit = fields.Boolean(compute="_compute_user_rights")
    can_review = fields.Boolean(compute="_compute_user_rights")
    can_publish = fields.Boolean(compute="_compute_user_rights")

    @api.depends("body")
    def _compute_summary(self):
        for reply in self:
            text = " ".join((reply.body or "").split())
            reply.summary = text if len(text) <= 90 else text[:89] + "…"

    @api.depends("incident_id.name", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for reply in self:
            reply.display_name = f"{kinds.get(reply.kind, '')} — {reply.incident_id.name or ''}"

    @api.depends("review_ids")
    def _compute_last_return_note(self):
        for reply in self:
            last = reply.review_ids.filtered(lambda r: r.decision == "returned")[:1]
            reply.last_return_note = (
                " — ".join(filter(None, [last.reason_id.name, last.comment])) if last else False
            )

    @api.depends_context("uid")
    @api.depends("state", "author_id", "executor_id")
    def _compute_user_rights(self):
        """The buttons: each is shown when the check its method runs passes."""
        for reply in self:
            # A new draft is the writer's own (its creation runs _check_can_draft).
            reply.can_edit = reply._allowed("_check_edit") if reply.id else True
            reply.can_submit = reply.can_edit
            reply.can_review = reply._allowed("_check_reviewable")
            reply.can_publish = reply._allowed("_check_publishable")

    def _user_is_writer(self):
        self.ensure_one()
        user = self.env.user
        if user == self.author_id:
            return True
        if self.executor_id:
            return self.executor_id.sudo()._user_acts_for(user)
        return user.has_group(CURATOR_GROUP)

    def _user_is_publisher(self):
        self.ensure_one()
        if self.env.user.has_group(CURATOR_GROUP):
            return True
        return bool(
            self.company_id.social_reply_publisher == "executor"
            and self.executor_id
            and self.executor_id.sudo()._user_acts_for()
        )

    # ------------------------------------------------------------------
    # Creation and editing
    # ------------------------------------------------------------------
    @api.model
    def _check_can_draft(self, incident, kind):
        """Return the executor the current user drafts for on ``incident``
        (empty for a curator writing on their own), or raise."""
        if incident.state not in WORK_STATES:
            raise UserError(
                self.env._("A reply can be drafted only while the incident is being worked on.")
            )
        if incident.reply_ids.filtered(lambda r: r.state in OPEN_REPLY_STATES):
            raise UserError(
                self.env._("The incident already has a draft in work: continue with it.")
            )
        assignment = incident._get_user_assignment()
        is_curator = self.env.user.has_group(CURATOR_GROUP)
        if not assignment and not is_curator:
            raise UserError(self.env._("This incident is not routed to your executor."))
        if (
            assignment
            and kind != "clarification"
            and incident.is_consolidated
            and assignment.executor_id != incident.lead_executor_id
            and not is_curator
        ):
            raise UserError(
                self.env._(
                    "The consolidated reply is written by the lead executor; give your information "
                    "instead."
                )
            )
        if assignment.state not in ("sent", "accepted") and not is_curator:
            raise UserError(self.env._("Your routing of this incident is closed."))
        return assignment.executor_id

    @api.model_create_multi
    def create(self, vals_list):
        self = self._without_protected_defaults()
        self._check_protected_create(vals_list)
        for vals in vals_list:
            vals.setdefault("incident_id", self.env.context.get("default_incident_id"))
            incident = self.env["social.incident"].browse(vals["incident_id"])
            executor = self._check_can_draft(incident, vals.get("kind") or "final")
            vals["executor_id"] = executor.id
            vals["author_id"] = self.env.uid
            if vals.get("attachment_ids"):
                check_own_new_attachments(
                    self.env, self._attachments_in_commands(vals["attachment_ids"])
                )
        # The writer, the executor and the draft state are the server's.
        with guard.system_write():
            replies = super().create(vals_list)
            for reply in replies:
                assignment = reply.incident_id.assignment_ids.filtered(
                    lambda a, r=reply: a.executor_id == r.executor_id and a.state == "sent"
                )
                if assignment:
                    assignment.action_accept()
            replies.incident_id._update_activities_and_deadlines()
        return replies

    def write(self, vals):
        if CONTENT_FIELDS & set(vals) and not guard.permitted():
            for reply in self:
                if reply.state not in ("draft", "returned"):
                    raise UserError(self.env._("Only a draft or a returned reply can be edited."))
                if not reply._user_is_writer():
                    raise UserError(self.env._("Only the author's executor edits this draft."))
            if vals.get("attachment_ids"):
                for reply in self:
                    check_own_new_attachments(
                        self.env,
                        self._attachments_in_commands(vals["attachment_ids"])
                        - reply.attachment_ids,
                        reply,
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        """A draft that reached the curator is part of the record (reviews,
        returns): it is cancelled by the workflow, never deleted."""
        if self.filtered(lambda r: r.submitted_at or r.state not in ("draft", "cancelled")):
            raise UserError(
                self.env._("A reply that was submitted for approval cannot be deleted.")
            )

    @api.model
    def _attachments_in_commands(self, commands):
        """The attachments that x2many ``commands`` link."""
        ids = set()
        for command in commands:
            if isinstance(command, int):
                ids.add(command)
            elif command[0] == 4:
                ids.add(command[1])
            elif command[0] == 6:
                ids.update(command[2])
            elif command[0] == 0:
                raise UserError(self.env._("Upload the files first, then attach them."))
        return self.env["ir.attachment"].browse(sorted(ids))

    def _transition(self, vals):
        self._write_system(vals)

    def _post_both(self, body, *args):
        """Post on the reply and its incident."""
        message = Markup(body) % tuple(args) if args else Markup(body)
        for reply in self:
            reply.sudo().message_post(body=message, author_id=self.env.user.partner_id.id)
            reply.incident_id._post(message)

    # ------------------------------------------------------------------
    # Approval cycle: submit → approve | return → submit … → publish
    # ------------------------------------------------------------------
    def _check_edit(self):
        for reply in self:
            if reply.state not in ("draft", "returned"):
                raise UserError(self.env._("Only a draft or a returned reply can be submitted."))
            if not reply._user_is_writer():
                raise UserError(self.env._("Only the author's executor submits this draft."))
            if reply.incident_id.state not in WORK_STATES:
                raise UserError(self.env._("The incident is not being worked on any more."))

    @workflow_action
    def action_submit(self):
        self._check_edit()
        for reply in self:
            if not (reply.body or "").strip():
                raise UserError(self.env._("Write the text of the reply before submitting it."))
        self._transition({"state": "submitted", "submitted_at": clock.now()})
        for reply in self:
            reply.incident_id._on_reply_submitted()
            reply._post_both(
                self.env._("%(kind)s submitted for approval:", kind=reply._kind_label())
                + "<br/>%s",
                reply.body,
            )
        self.incident_id._update_activities_and_deadlines()
        for reply in self:
            reply.incident_id._notify_submitted(reply)
        return True

    @workflow_action
    def action_approve(self):
        self._check_reviewable()
        now = clock.now()
        self._transition({"state": "approved", "reviewer_id": self.env.uid, "reviewed_at": now})
        self.env["social.incident.reply.review"].sudo().create(
            [{"reply_id": reply.id, "decision": "approved", "reviewed_at": now} for reply in self]
        )
        for reply in self:
            reply.incident_id._on_reply_approved(reply)
            reply._post_both(self.env._("%s approved."), reply._kind_label())
        self.incident_id._update_activities_and_deadlines()
        for reply in self:
            reply.incident_id._notify_approved(reply)
        return True

    @api.private
    @workflow_action
    def action_return(self, reason, comment=None):
        """Back to the executor for rework with the reason (KOR 14, 15).
        Called by the “Return for Rework” dialog."""
        self._check_reviewable(returning=True)
        if not reason:
            raise UserError(self.env._("Choose the reason for returning the draft."))
        now = clock.now()
        for reply in self:
            reply._transition(
                {
                    "state": "returned",
                    "reviewer_id": self.env.uid,
                    "reviewed_at": now,
                    "rework_count": reply.rework_count + 1,
                }
            )
        self.env["social.incident.reply.review"].sudo().create(
            [
                {
                    "reply_id": reply.id,
                    "decision": "returned",
                    "reason_id": reason.id,
                    "comment": comment,
                    "reviewed_at": now,
                }
                for reply in self
            ]
        )
        for reply in self:
            reply.incident_id._on_reply_returned()
            body = self.env._("%(kind)s returned for rework: %%s.", kind=reply._kind_label())
            args = [reason.name]
            if comment:
                body += "<br/>%s"
                args.append(comment)
            reply._post_both(body, *args)
        self.incident_id._update_activities_and_deadlines()
        for reply in self:
            reply.incident_id._notify_returned(reply, reason, comment)
        return True

    def _check_return(self):
        self._check_reviewable(returning=True)

    def _check_reviewable(self, returning=False):
        if not self.env.user.has_group(CURATOR_GROUP):
            raise UserError(self.env._("Only a curator approves or returns drafts."))
        for reply in self:
            if reply.state != "submitted":
                raise UserError(self.env._("Only a submitted draft can be approved or returned."))
            if not returning and reply.author_id == self.env.user:
                raise UserError(self.env._("Nobody approves their own draft: ask another curator."))

    def action_publish(self):
        """Publish the approved reply. Without a connector for the network this
        opens the dialog to mark it published by hand with its link."""
        self.ensure_one()
        return self.action_open_publish_wizard()

    def action_open_publish_wizard(self):
        self.ensure_one()
        self._check_publishable()
        return self.incident_id._open_wizard("publish", reply_id=self.id)

    def _check_publishable(self):
        for reply in self:
            if reply.state not in ("approved", "publish_failed"):
                raise UserError(self.env._("Only an approved reply can be published."))
            if not reply._user_is_publisher():
                raise UserError(
                    self.env._(
                        "Approved replies of this administration are published by the curator."
                    )
                )

    @api.private
    @workflow_action
    def action_mark_published(self, url, published_at=None, external_id=None):
        """Record that the reply is posted in the network (KOR 16, LYA 6).
        Called by the “Mark as Published” dialog: the person says when it was
        posted, which can be neither before the approval nor in the future."""
        self._check_publishable()
        if not isinstance(url, str) or not url.strip():
            raise UserError(self.env._("Give the link to the published reply."))
        if not is_web_url(url.strip()):
            raise UserError(self._bad_url_message(url.strip()))
        now = clock.now()
        published_at = published_at or now
        for reply in self:
            if published_at > now or (reply.reviewed_at and published_at < reply.reviewed_at):
                raise UserError(
                    self.env._("The reply was published after its approval and not later than now.")
                )
        for reply in self:
            reply._transition(
                {
                    "state": "published",
                    "publisher_id": self.env.uid,
                    "published_at": published_at,
                    "published_url": url.strip(),
                    "external_id": external_id,
                    "publish_error": False,
                }
            )
            reply.incident_id._on_reply_published(reply)
            reply._post_both(
                self.env._("%s published:") + ' <a href="%s" target="_blank">%s</a>',
                reply._kind_label(),
                url.strip(),
                url.strip(),
            )
        self.incident_id._update_activities_and_deadlines()
        for reply in self:
            reply.incident_id._notify_published(reply)
        return True

    @api.constrains("published_url")
    def _check_published_url(self):
        """The reply link opens the published reply, whoever records it (the
        dialog, a connector)."""
        for reply in self:
            if reply.published_url and not is_web_url(reply.published_url):
                raise ValidationError(self._bad_url_message(reply.published_url))

    def _bad_url_message(self, url):
        return self.env._(
            "The reply link “%(value)s” is not a web address: give the link to the published "
            "reply, such as https://vk.com/wall-1_2?reply=3 (it starts with http:// or https://, "
            "names a site and has no spaces).",
            value=url,
        )

    def _kind_label(self):
        self.ensure_one()
        return dict(self._fields["kind"]._description_selection(self.env))[self.kind]

    def action_open_return_wizard(self):
        self.ensure_one()
        self._check_return()
        return self.incident_id._open_wizard("return", reply_id=self.id)

    def action_open_incident(self):
        self.ensure_one()
        return self.incident_id._action_open_form()
