from datetime import timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.social_incidents.tools import clock

NETWORKS = [
    ("vk", "VK"),
    ("ok", "OK"),
    ("telegram", "Telegram"),
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("twitter", "Twitter"),
    ("other", "Other"),
]

REPLY_KINDS = [
    ("final", "Final Reply"),
    ("intermediate", "Intermediate Reply"),
    ("clarification", "Clarification Request"),
]
REPLY_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("returned", "Returned"),
    ("approved", "Approved"),
    ("published", "Published"),
    ("publish_failed", "Publication Failed"),
    ("cancelled", "Cancelled"),
]

STATES = [
    ("new", "New"),
    ("assigned", "Routed"),
    ("in_progress", "In Progress"),
    ("clarification", "Waiting for Author"),
    ("review", "On Review"),
    ("approved", "Approved"),
    ("intermediate", "Intermediate Reply Given"),
    ("answered", "Answered"),
    ("closed", "Closed"),
    ("no_reply", "No Reply"),
    ("merged", "Merged"),
]
# States in which the incident is still worked on.
OPEN_STATES = (
    "new",
    "assigned",
    "in_progress",
    "clarification",
    "review",
    "approved",
    "intermediate",
)
# States in which executors may work on it (draft, give information).
WORK_STATES = ("assigned", "in_progress", "intermediate")
ROUTE_STATES = ("new", "assigned", "in_progress", "intermediate")
DONE_STATES = ("answered", "closed", "no_reply", "merged")

# Activity types, keyed by step, each for the next actor.
ACTIVITY_TYPES = {
    "route": "social_incidents.mail_act_social_route",
    "lead": "social_incidents.mail_act_social_lead",
    "draft": "social_incidents.mail_act_social_draft",
    "info": "social_incidents.mail_act_social_info",
    "rework": "social_incidents.mail_act_social_rework",
    "review": "social_incidents.mail_act_social_review",
    "publish": "social_incidents.mail_act_social_publish",
    "answer": "social_incidents.mail_act_social_answer",
    "control_report": "social_incidents.mail_act_social_control_report",
    "control_review": "social_incidents.mail_act_social_control_review",
}

CURATOR_GROUP = "social_incidents.group_social_curator"
ADMIN_GROUP = "social_incidents.group_social_admin"
# Demo data: minutes between two steps of a demo incident's history.
DEMO_STEP_MINUTES = 20
TRANSITION_CTX = "social_incidents_transition"


def schedule_for_administrators(records, act_type_xmlid, summary, note):
    """Give every active administrator of the incidents an activity of type
    ``act_type_xmlid`` on each record, unless they already have one;
    ``summary(record)`` and ``note(record)`` say what to do."""
    env = records.env
    activity_type = env.ref(act_type_xmlid)
    admins = env.ref(ADMIN_GROUP).sudo().users.filtered(lambda u: u.active and not u.share)
    for record in records:
        have = record.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).user_id
        for admin in admins - have:
            record.activity_schedule(
                act_type_xmlid=act_type_xmlid, user_id=admin.id, summary=summary(record), note=note(record)
            )


class SocialIncident(models.Model):
    """A citizen's message found in a social network, handled as the
    regulation demands: registered, routed, answered, published."""

    _name = "social.incident"
    _description = "Social Network Incident"
    _inherit = ["mail.thread", "mail.activity.mixin", "social.sla.mixin"]
    _order = "importance desc, detected_at desc, id desc"
    _mail_post_access = "read"
    _check_company_auto = True

    name = fields.Char(string="Number", readonly=True, copy=False, index="trigram")
    network = fields.Selection(NETWORKS, required=True, default="vk", tracking=True)
    account_id = fields.Many2one(
        "social.account",
        string="Official Page",
        tracking=True,
        check_company=True,
        domain="[('network', '=', network)]",
        help="The administration's page where the message was found.",
    )
    source = fields.Selection(
        [
            ("own_page", "Own Page"),
            ("monitoring", "Monitoring"),
            ("import", "Import"),
        ],
        required=True,
        default="own_page",
    )
    url = fields.Char(string="Message Link")
    external_id = fields.Char(
        string="Message ID",
        copy=False,
        index=True,
        help="The message's id in the network; a message is registered once.",
    )
    author_id = fields.Many2one(
        "social.author", string="Author", tracking=True, index=True
    )
    author_blacklisted = fields.Boolean(related="author_id.blacklisted")
    text = fields.Text(string="Message", required=True)
    summary = fields.Char(compute="_compute_summary", store=True)
    published_at = fields.Datetime(string="Published")
    detected_at = fields.Datetime(
        string="Detected", required=True, default=lambda self: clock.now(), index=True
    )
    registered_at = fields.Datetime(
        string="Registered", readonly=True, default=lambda self: clock.now(), copy=False
    )
    topic_ids = fields.Many2many("social.incident.topic", string="Topics")
    location_id = fields.Many2one(
        "social.incident.location", string="Location", index=True
    )
    importance = fields.Selection(
        [("normal", "Normal"), ("high", "High")],
        required=True,
        default="normal",
        tracking=True,
        help="High: socially significant, needs a prompt solution (KOR 2, 17).",
    )
    repeat_of_id = fields.Many2one(
        "social.incident",
        string="Repeat Of",
        index=True,
        tracking=True,
        help="The earlier incident on the same issue (LYA 10, AKH 3.6, BAT 11).",
    )
    repeat_ids = fields.One2many("social.incident", "repeat_of_id", string="Repeats")
    is_repeat = fields.Boolean(
        string="Repeated", compute="_compute_is_repeat", store=True
    )
    state = fields.Selection(
        STATES,
        default="new",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand="_group_expand_states",
    )
    curator_id = fields.Many2one(
        "res.users",
        string="Curator",
        tracking=True,
        default=lambda self: self._default_curator(),
        domain=lambda self: [("groups_id", "in", self.env.ref(CURATOR_GROUP).id)],
    )
    assignment_ids = fields.One2many(
        "social.incident.assignment", "incident_id", string="Routing"
    )
    executor_ids = fields.Many2many(
        "social.executor",
        string="Executors",
        compute="_compute_executor_ids",
        store=True,
    )
    lead_executor_id = fields.Many2one(
        "social.executor",
        string="Lead Executor",
        compute="_compute_executor_ids",
        store=True,
        tracking=True,
    )
    is_consolidated = fields.Boolean(
        string="Consolidated Reply", compute="_compute_executor_ids", store=True
    )
    reply_ids = fields.One2many("social.incident.reply", "incident_id", string="Replies")
    current_reply_id = fields.Many2one(
        "social.incident.reply",
        string="Current Draft",
        compute="_compute_current_reply_id",
    )
    current_reply_body = fields.Text(string="Draft Text", compute="_compute_current_reply_id")
    current_reply_kind = fields.Selection(
        REPLY_KINDS, string="Draft Kind", compute="_compute_current_reply_id"
    )
    current_reply_state = fields.Selection(
        REPLY_STATES, string="Draft State", compute="_compute_current_reply_id"
    )
    rework_count = fields.Integer(compute="_compute_rework_count", store=True)
    answered_at = fields.Datetime(readonly=True, copy=False)
    closed_at = fields.Datetime(readonly=True, copy=False)
    # Additional control (LYA 9)
    on_control = fields.Boolean(
        string="On Additional Control", readonly=True, copy=False, tracking=True
    )
    control_comment = fields.Text(readonly=True, copy=False)
    control_set_at = fields.Datetime(readonly=True, copy=False)
    control_report = fields.Text(string="Executor's Report", readonly=True, copy=False)
    control_report_at = fields.Datetime(readonly=True, copy=False)
    # Clarification (KOR 13, AKH 3.5)
    clarification_answer = fields.Text(
        string="Author's Answer", readonly=True, copy=False
    )
    clarification_answered_at = fields.Datetime(readonly=True, copy=False)
    # No reply (AKH 3.7, KOR 21) and merge
    no_reply_reason_id = fields.Many2one(
        "social.no_reply.reason", readonly=True, copy=False, tracking=True
    )
    no_reply_legal_basis = fields.Char(related="no_reply_reason_id.legal_basis")
    no_reply_comment = fields.Text(readonly=True, copy=False)
    merged_into_id = fields.Many2one(
        "social.incident", string="Merged Into", readonly=True, copy=False, index=True
    )
    merged_ids = fields.One2many("social.incident", "merged_into_id", string="Merged")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    color = fields.Integer(compute="_compute_color")
    # Deadlines (issue: SLA engine): one row per step, the nearest mirrored by
    # social.sla.mixin; the reply's total deadline shown on its own.
    deadline_ids = fields.One2many("social.incident.deadline", "incident_id", string="Deadlines")
    total_deadline = fields.Datetime(
        string="Reply Due",
        compute="_compute_total_deadline",
        store=True,
        help="Deadline of the published reply (or of the final reply after an intermediate one).",
    )
    violation_ids = fields.One2many("social.sla.violation", "incident_id", string="Missed Deadlines")
    violation_count = fields.Integer(compute="_compute_violation_count", store=True)
    head_notified_at = fields.Datetime(
        string="Head Notified", readonly=True, copy=False,
        help="When the head was told of this high-importance incident (LYA 13, BAT 13).",
    )
    # What the current user may do: drives the buttons of the form.
    user_is_curator = fields.Boolean(compute="_compute_user_rights")
    user_assignment_id = fields.Many2one(
        "social.incident.assignment", compute="_compute_user_rights"
    )
    can_route = fields.Boolean(compute="_compute_user_rights")
    can_accept = fields.Boolean(compute="_compute_user_rights")
    can_decline = fields.Boolean(compute="_compute_user_rights")
    can_give_info = fields.Boolean(compute="_compute_user_rights")
    can_draft = fields.Boolean(compute="_compute_user_rights")
    can_review = fields.Boolean(compute="_compute_user_rights")
    can_publish = fields.Boolean(compute="_compute_user_rights")
    can_report_control = fields.Boolean(compute="_compute_user_rights")

    # ------------------------------------------------------------------
    # Defaults, computes, constraints
    # ------------------------------------------------------------------
    @api.model
    def _default_curator(self):
        if self.env.user.has_group(CURATOR_GROUP):
            return self.env.user
        return self.env.company.social_curator_id

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in STATES if key not in ("merged",)]

    @api.depends("text")
    def _compute_summary(self):
        for incident in self:
            text = " ".join((incident.text or "").split())
            incident.summary = text if len(text) <= 90 else text[:89] + "…"

    @api.depends("repeat_of_id")
    def _compute_is_repeat(self):
        for incident in self:
            incident.is_repeat = bool(incident.repeat_of_id)

    @api.depends("assignment_ids.state", "assignment_ids.is_lead")
    def _compute_executor_ids(self):
        for incident in self:
            # Executors that work or worked on it: not the declined or withdrawn.
            kept = incident.assignment_ids.filtered(
                lambda a: a.state not in ("declined", "cancelled")
            )
            incident.executor_ids = kept.executor_id
            lead = kept.filtered("is_lead")[:1]
            if not lead and len(kept) == 1:
                lead = kept
            incident.lead_executor_id = lead.executor_id
            incident.is_consolidated = len(kept) > 1

    @api.depends("reply_ids.state", "reply_ids.body", "reply_ids.kind")
    def _compute_current_reply_id(self):
        for incident in self:
            reply = incident.reply_ids.filtered(
                lambda r: r.state in ("draft", "submitted", "returned", "approved", "publish_failed")
            ).sorted("id")[-1:]
            incident.current_reply_id = reply
            incident.current_reply_body = reply.body
            incident.current_reply_kind = reply.kind
            incident.current_reply_state = reply.state

    @api.depends("reply_ids.rework_count")
    def _compute_rework_count(self):
        for incident in self:
            incident.rework_count = sum(incident.reply_ids.mapped("rework_count"))

    @api.depends("deadline_ids.deadline", "deadline_ids.step", "deadline_ids.state")
    def _compute_total_deadline(self):
        """The deadline of the latest “total” or “final” step, in one query."""
        incidents = self.filtered("id")
        (self - incidents).total_deadline = False
        if not incidents:
            return
        self.env["social.incident.deadline"].flush_model()
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (incident_id) incident_id, deadline
              FROM social_incident_deadline
             WHERE incident_id = ANY(%s) AND step IN ('total', 'final') AND state != 'cancelled'
             ORDER BY incident_id, started_at DESC, id DESC
            """,
            [incidents.ids],
        )
        totals = dict(self.env.cr.fetchall())
        for incident in incidents:
            incident.total_deadline = totals.get(incident.id) or False

    @api.depends("violation_ids")
    def _compute_violation_count(self):
        for incident in self:
            incident.violation_count = len(incident.violation_ids)

    def _compute_color(self):
        for incident in self:
            incident.color = 1 if incident.importance == "high" else 0

    @api.depends_context("uid")
    @api.depends("state", "assignment_ids.state", "reply_ids.state", "on_control")
    def _compute_user_rights(self):
        is_curator = self.env.user.has_group(CURATOR_GROUP)
        publisher = self.env.company.social_reply_publisher
        for incident in self:
            assignment = incident._get_user_assignment()
            reply = incident.current_reply_id
            incident.user_is_curator = is_curator
            incident.user_assignment_id = assignment
            incident.can_route = is_curator and incident.state in ROUTE_STATES
            incident.can_accept = assignment.state == "sent"
            incident.can_decline = assignment.state in ("sent", "accepted")
            incident.can_give_info = bool(
                assignment.state in ("sent", "accepted")
                and incident.is_consolidated
                and not assignment.is_lead
            )
            incident.can_draft = bool(
                incident.state in WORK_STATES
                and not reply
                and (is_curator or assignment.state in ("sent", "accepted"))
            )
            incident.can_review = bool(
                is_curator and reply.state == "submitted" and reply.author_id != self.env.user
            )
            incident.can_publish = bool(
                reply.state in ("approved", "publish_failed")
                and (
                    is_curator
                    or (publisher == "executor" and reply.executor_id and assignment.executor_id == reply.executor_id)
                )
            )
            incident.can_report_control = bool(
                incident.on_control
                and not incident.control_report
                and (is_curator or incident.lead_executor_id.sudo()._user_acts_for())
            )

    @api.constrains("repeat_of_id")
    def _check_repeat_of_id(self):
        if self._has_cycle("repeat_of_id"):
            raise UserError(self.env._("An incident cannot be a repeat of itself."))

    def _check_external_id_unique(self, vals_list):
        """A message already registered cannot be registered twice: name the
        incident that holds it. A unique index guards concurrent deliveries."""
        keys = {
            (vals.get("network"), vals.get("account_id") or False, vals["external_id"])
            for vals in vals_list
            if vals.get("external_id")
        }
        if not keys:
            return
        if len(keys) < len([v for v in vals_list if v.get("external_id")]):
            raise UserError(self.env._("The same message is registered twice in one batch."))
        domain = []
        for network, account_id, external_id in keys:
            domain = (["|"] if domain else []) + domain + [
                "&",
                "&",
                ("network", "=", network),
                ("account_id", "=", account_id),
                ("external_id", "=", external_id),
            ]
        existing = self.sudo().with_context(active_test=False).search(domain, limit=1)
        existing -= self
        if existing:
            raise UserError(
                self.env._(
                    "This message is already registered as incident %(number)s.",
                    number=existing.name,
                )
            )

    def init(self):
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS social_incident_external_uniq
                ON social_incident (network, COALESCE(account_id, 0), external_id)
             WHERE external_id IS NOT NULL
            """
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("account_id") and not vals.get("network"):
                vals["network"] = self.env["social.account"].browse(vals["account_id"]).network
            if not vals.get("network"):
                vals["network"] = self.default_get(["network"]).get("network") or "vk"
            if vals.get("external_id"):
                vals["external_id"] = vals["external_id"].strip()
        self._check_external_id_unique(vals_list)
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("social.incident")
                    or "/"
                )
        incidents = super().create(vals_list)
        incidents._activity_update()
        incidents.filtered(lambda i: i.importance == "high")._notify_head_high_importance(
            at_registration=True
        )
        return incidents

    def write(self, vals):
        if "state" in vals and not self.env.context.get(TRANSITION_CTX) and not self.env.su:
            raise UserError(
                self.env._("The state of an incident changes only through its buttons.")
            )
        if {"network", "account_id", "external_id"} & set(vals):
            for incident in self:
                merged = {
                    "network": incident.network,
                    "account_id": incident.account_id.id,
                    "external_id": incident.external_id,
                    **vals,
                }
                incident._check_external_id_unique([merged])
        result = super().write(vals)
        if {"importance", "detected_at", "company_id"} & set(vals):
            self.env["social.incident.deadline"]._sync(
                self, force=True, reason=self.env._("the importance or the detection time changed")
            )
            self._activity_update(sync=False)
        if vals.get("importance") == "high":
            self.filtered(lambda i: not i.head_notified_at)._notify_head_high_importance()
        return result

    def _notify_head_high_importance(self, at_registration=False):
        """Report a high-importance incident to the head at once (LYA 13, BAT 13):
        a message to the head's inbox and an activity."""
        root = self.env.ref("base.partner_root")
        for incident in self.sudo():
            heads = incident.company_id._get_social_heads()
            if not heads or incident.state in ("no_reply", "merged"):
                continue
            incident.with_context(mail_notify_force_send=False).message_post(
                body=Markup("<p>%s</p><p>%s</p>") % (
                    self.env._("High-importance incident %s: reported to the head.", incident.name),
                    incident.text,
                ),
                author_id=root.id,
                partner_ids=heads.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
            for head in heads:
                incident.activity_schedule(
                    act_type_xmlid="social_incidents.mail_act_social_high_importance",
                    user_id=head.id,
                    summary=self.env._("High-importance incident %s", incident.name),
                    note=incident.summary,
                )
            now = clock.now()
            if at_registration and incident.registered_at:
                now = min(now, incident.registered_at)
            incident.with_context(**{TRANSITION_CTX: True}).head_notified_at = now

    # ------------------------------------------------------------------
    # Who may act
    # ------------------------------------------------------------------
    def _is_curator(self):
        return self.env.user.has_group(CURATOR_GROUP)

    def _check_curator(self):
        if not self._is_curator():
            raise UserError(self.env._("Only a curator can do this."))

    def _check_state(self, states, message):
        for incident in self:
            if incident.state not in states:
                raise UserError(
                    message
                    + "\n"
                    + self.env._(
                        "Incident %(number)s is “%(state)s”.",
                        number=incident.name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[incident.state],
                    )
                )

    def _get_user_assignment(self, user=None):
        """The active assignment the user works on (as member, head or substitute)."""
        self.ensure_one()
        user = user or self.env.user
        active = self.sudo().assignment_ids.filtered(lambda a: a._is_active())
        mine = active.filtered(lambda a: a.executor_id._user_acts_for(user))
        lead = mine.filtered(lambda a: a.executor_id == self.lead_executor_id)
        return (lead or mine)[:1].with_env(self.env)

    def _get_curators(self):
        self.ensure_one()
        if self.curator_id.active:
            return self.curator_id
        if self.company_id.social_curator_id.active:
            return self.company_id.social_curator_id
        group = self.env.ref(CURATOR_GROUP)
        return group.sudo().users.filtered(
            lambda u: u.active and not u.share and self.company_id in u.company_ids
        )

    def _get_publishers(self, reply, absences=None):
        self.ensure_one()
        if self.company_id.social_reply_publisher == "executor" and reply.executor_id:
            return reply.executor_id._get_responsible_users(absences=absences)
        return self._get_curators()

    # ------------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------------
    def _set_state(self, state, **extra):
        self.with_context(**{TRANSITION_CTX: True}).sudo().write(dict(extra, state=state))

    def _post(self, body, *args):
        """Post a note on the chatter; user text in ``args`` is escaped."""
        for incident in self:
            incident.sudo().message_post(
                body=Markup(body) % tuple(args) if args else Markup(body),
                author_id=self.env.user.partner_id.id,
                subtype_xmlid="mail.mt_note",
            )

    def action_route(self, executors, lead=None, note=None):
        """Route to one executor, or to several at once for a consolidated
        reply whose lead the curator names (KOR 10, 19)."""
        self._check_curator()
        self._check_state(ROUTE_STATES, self.env._("This incident cannot be routed now."))
        if not executors:
            raise UserError(self.env._("Choose at least one executor."))
        if lead and lead not in executors:
            raise UserError(self.env._("The lead executor must be one of those chosen."))
        Assignment = self.env["social.incident.assignment"].sudo()
        for incident in self:
            active = incident.assignment_ids.filtered(lambda a: a._is_active())
            new_executors = executors - active.executor_id
            if not new_executors:
                raise UserError(
                    self.env._("The incident is already routed to these executors.")
                )
            all_executors = active.executor_id | new_executors
            current_lead = lead or incident.lead_executor_id
            if len(all_executors) > 1 and not current_lead:
                raise UserError(
                    self.env._(
                        "Several executors: name the lead executor who writes the consolidated reply."
                    )
                )
            Assignment.create(
                [
                    {
                        "incident_id": incident.id,
                        "executor_id": executor.id,
                        "note": note,
                        "is_lead": executor == current_lead,
                    }
                    for executor in new_executors
                ]
            )
            if current_lead:
                incident.assignment_ids.filtered(lambda a: a._is_active())._set_lead(current_lead)
            partners = new_executors._get_responsible_users().partner_id
            incident.sudo().message_subscribe(partner_ids=partners.ids)
            if incident.state == "new":
                incident._set_state("assigned")
            incident._post(
                self.env._("Routed to %s.") + (Markup("<br/>%s") if note else ""),
                ", ".join(
                    ex.name + (self.env._(" (lead)") if ex == current_lead and len(all_executors) > 1 else "")
                    for ex in all_executors
                ),
                *([note] if note else []),
            )
        self._activity_update()
        return True

    def action_record_clarification(self, answer):
        """The author answered the clarification request: work resumes."""
        self._check_curator()
        self._check_state(
            ("clarification",), self.env._("The incident is not waiting for the author.")
        )
        if not (answer or "").strip():
            raise UserError(self.env._("Enter the author's answer."))
        unpublished = self.reply_ids.filtered(
            lambda r: r.kind == "clarification" and r.state in ("approved", "publish_failed")
        )
        if unpublished:
            raise UserError(
                self.env._("Publish the clarification request before recording the answer.")
            )
        for incident in self:
            incident._set_state(
                "in_progress",
                clarification_answer=answer,
                clarification_answered_at=clock.now(),
            )
            incident._post(self.env._("The author answered:") + "<br/>%s", answer)
        self._activity_update()
        return True

    def action_close(self):
        self._check_curator()
        self._check_state(("answered",), self.env._("Only an answered incident can be closed."))
        if self.filtered("on_control"):
            raise UserError(
                self.env._("The incident is on additional control: lift the control first.")
            )
        self._set_state("closed", closed_at=clock.now())
        self._activity_update()
        return True

    def action_set_control(self, comment):
        """Additional control until the issue is actually solved (LYA 9)."""
        self._check_curator()
        self._check_state(
            ("intermediate", "answered", "closed"),
            self.env._("Only an incident that has a published reply can be put on control."),
        )
        if self.filtered("on_control"):
            raise UserError(self.env._("The incident is already on additional control."))
        if not (comment or "").strip():
            raise UserError(self.env._("Say why the incident goes on additional control."))
        now = clock.now()
        for incident in self:
            vals = {
                "on_control": True,
                "control_comment": comment,
                "control_set_at": now,
                "control_report": False,
                "control_report_at": False,
            }
            if incident.state == "closed":
                vals["closed_at"] = False
                incident._set_state("answered", **vals)
            else:
                incident.with_context(**{TRANSITION_CTX: True}).sudo().write(vals)
            incident._post(
                self.env._("Put on additional control:") + "<br/>%s", comment
            )
        self._activity_update()
        return True

    def action_report_control(self, report):
        for incident in self:
            if not incident.on_control:
                raise UserError(self.env._("The incident is not on additional control."))
            if not (self._is_curator() or incident.lead_executor_id.sudo()._user_acts_for()):
                raise UserError(
                    self.env._("Only the lead executor or a curator reports on additional control.")
                )
        if not (report or "").strip():
            raise UserError(self.env._("Write the report."))
        for incident in self:
            incident.with_context(**{TRANSITION_CTX: True}).sudo().write(
                {"control_report": report, "control_report_at": clock.now()}
            )
            incident._post(self.env._("Report on additional control:") + "<br/>%s", report)
        self._activity_update()
        return True

    def action_lift_control(self):
        self._check_curator()
        if self.filtered(lambda i: not i.on_control):
            raise UserError(self.env._("The incident is not on additional control."))
        self.with_context(**{TRANSITION_CTX: True}).sudo().write({"on_control": False})
        self._post(self.env._("Additional control lifted: the issue is solved."))
        self._activity_update()
        return True

    def action_no_reply(self, reason, comment=None):
        """No reply and no processing (AKH 3.7, KOR 21): the reason is recorded."""
        self._check_curator()
        self._check_state(OPEN_STATES, self.env._("This incident is already finished."))
        if not reason:
            raise UserError(self.env._("Choose the reason for leaving the message unanswered."))
        for incident in self:
            incident._cancel_open_work()
            incident._set_state(
                "no_reply",
                no_reply_reason_id=reason.id,
                no_reply_comment=comment,
                closed_at=clock.now(),
            )
            body = self.env._("Closed without a reply: %s.")
            args = [reason.name]
            if reason.legal_basis:
                body += Markup(" (%s)")
                args.append(reason.legal_basis)
            if comment:
                body += Markup("<br/>%s")
                args.append(comment)
            incident._post(body, *args)
        self._activity_update()
        return True

    def action_merge(self, target):
        """Merge a duplicate into another incident, which carries on the work."""
        self._check_curator()
        self._check_state(OPEN_STATES, self.env._("Only an open incident can be merged."))
        if not target or target in self:
            raise UserError(self.env._("Choose another incident to merge into."))
        if target.state == "merged":
            raise UserError(
                self.env._(
                    "Incident %(number)s is itself merged; choose the one it was merged into.",
                    number=target.name,
                )
            )
        for incident in self:
            incident._cancel_open_work()
            incident._set_state("merged", merged_into_id=target.id, closed_at=clock.now())
            incident._post(self.env._("Merged into %s."), target.name)
            target._post(
                self.env._("Incident %s was merged into this one:") + "<br/>%s",
                incident.name,
                incident.text,
            )
        self._activity_update()
        return True

    def _cancel_open_work(self):
        self.assignment_ids.filtered(lambda a: a._is_active()).sudo().write({"state": "cancelled"})
        self.reply_ids.filtered(
            lambda r: r.state in ("draft", "submitted", "returned", "approved", "publish_failed")
        ).with_context(**{TRANSITION_CTX: True}).sudo().write({"state": "cancelled"})

    # Called by the reply's transitions.
    def _on_reply_submitted(self):
        self._set_state("review")

    def _on_reply_returned(self):
        self._set_state("in_progress")

    def _on_reply_approved(self, reply):
        self._set_state("clarification" if reply.kind == "clarification" else "approved")

    def _on_reply_published(self, reply):
        now = clock.now()
        if reply.kind == "final":
            self.assignment_ids.filtered(lambda a: a._is_active()).sudo().write(
                {"state": "done", "date_done": now}
            )
            self._set_state("answered", answered_at=now)
        elif reply.kind == "intermediate":
            self._set_state("intermediate")

    # ------------------------------------------------------------------
    # Buttons that open dialogs
    # ------------------------------------------------------------------
    def _open_wizard(self, step, **defaults):
        self.ensure_one()
        context = {
            "default_step": step,
            "default_incident_id": self.id,
            **{f"default_{key}": value for key, value in defaults.items()},
        }
        return {
            "type": "ir.actions.act_window",
            "res_model": "social.incident.step.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
            "name": dict(
                self.env["social.incident.step.wizard"]._fields["step"]._description_selection(self.env)
            )[step],
        }

    def action_open_route_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "social.incident.route.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_incident_id": self.id},
            "name": self.env._("Route the Incident"),
        }

    def action_open_no_reply_wizard(self):
        return self._open_wizard("no_reply")

    def action_open_merge_wizard(self):
        return self._open_wizard("merge")

    def action_open_clarification_wizard(self):
        return self._open_wizard("clarification_answer")

    def action_open_control_wizard(self):
        return self._open_wizard("control_set")

    def action_open_control_report_wizard(self):
        return self._open_wizard("control_report")

    def action_open_decline_wizard(self):
        assignment = self._get_user_assignment()
        if not assignment:
            raise UserError(self.env._("This incident is not routed to your executor."))
        return self._open_wizard("decline", assignment_id=assignment.id)

    def action_open_info_wizard(self):
        assignment = self._get_user_assignment()
        if not assignment:
            raise UserError(self.env._("This incident is not routed to your executor."))
        return self._open_wizard("info", assignment_id=assignment.id)

    def action_open_return_wizard(self):
        self.ensure_one()
        return self._open_wizard("return", reply_id=self.current_reply_id.id)

    def action_open_publish_wizard(self):
        self.ensure_one()
        return self.current_reply_id.action_open_publish_wizard()

    def action_accept(self):
        for incident in self:
            assignment = incident._get_user_assignment()
            if not assignment:
                raise UserError(self.env._("This incident is not routed to your executor."))
            assignment.action_accept()
        return True

    def action_approve_reply(self):
        self.ensure_one()
        if not self.current_reply_id:
            raise UserError(self.env._("There is no draft to approve."))
        return self.current_reply_id.action_approve()

    def action_submit_reply(self):
        self.ensure_one()
        if not self.current_reply_id:
            raise UserError(self.env._("There is no draft to submit."))
        return self.current_reply_id.action_submit()

    def action_new_reply(self):
        """Open a new draft reply; an intermediate or clarification kind can be
        chosen in it."""
        self.ensure_one()
        self.env["social.incident.reply"]._check_can_draft(self, "final")
        kind = "final"
        if self.env.context.get("reply_kind") in ("final", "intermediate", "clarification"):
            kind = self.env.context["reply_kind"]
        return {
            "type": "ir.actions.act_window",
            "res_model": "social.incident.reply",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_incident_id": self.id, "default_kind": kind},
            "name": self.env._("Draft Reply"),
        }

    def _action_open_form(self):
        """The act_window that opens this incident's form."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "social.incident",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_open_current_reply(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "social.incident.reply",
            "res_id": self.current_reply_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_repeat_of(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "social.incident",
            "res_id": self.repeat_of_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_violations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "social_incidents.social_sla_violation_action"
        )
        action["domain"] = [("incident_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_author_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "social_incidents.social_incident_action"
        )
        action["domain"] = [("author_id", "=", self.author_id.id), ("id", "!=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Activities: the state says who acts next
    # ------------------------------------------------------------------
    def _get_required_activities(self, absences=None):
        """Return {(step, user_id): note} that this incident needs now;
        ``absences``: the substitutions in force, fetched once by the caller."""
        self.ensure_one()
        required = {}
        if self.state in ("no_reply", "merged", "closed"):
            return required
        curators = self._get_curators()

        def add(step, users, note=""):
            for user in users:
                required.setdefault((step, user.id), note)

        active = self.assignment_ids.filtered(lambda a: a._is_active())
        reply = self.current_reply_id
        if self.state == "new":
            declined = self.assignment_ids.filtered(lambda a: a.state == "declined")[-1:]
            note = (
                self.env._("Declined by %(executor)s: %(reason)s", executor=declined.executor_id.name, reason=declined.decline_reason)
                if declined
                else ""
            )
            add("route", curators, note)
        if self.state in WORK_STATES:
            if len(active) > 1 and not self.lead_executor_id:
                add("lead", curators)
            for assignment in active:
                users = assignment.executor_id._get_responsible_users(absences=absences)
                if assignment.executor_id == self.lead_executor_id:
                    if reply.state == "returned":
                        add("rework", reply.author_id | users, reply.last_return_note or "")
                    elif not reply or reply.state == "draft":
                        add("draft", users)
                elif assignment.state in ("sent", "accepted"):
                    add("info", users)
            if not self.lead_executor_id and not active and reply.state in ("draft", "returned"):
                add("rework" if reply.state == "returned" else "draft", reply.author_id)
        if self.state == "review" and reply.state == "submitted":
            reviewers = (curators | self.company_id.social_curator_id) - reply.author_id
            if not reviewers:
                reviewers = self.env.ref(CURATOR_GROUP).sudo().users.filtered(
                    lambda u: u.active and not u.share and u != reply.author_id
                    and self.company_id in u.company_ids
                )
            add("review", reviewers)
        if reply.state in ("approved", "publish_failed"):
            add("publish", self._get_publishers(reply, absences), reply.publish_error or "")
        if self.state == "clarification" and not reply:
            add("answer", curators)
        if self.on_control:
            if self.control_report:
                add("control_review", curators)
            else:
                lead = self.assignment_ids.filtered(
                    lambda a: a.executor_id == self.lead_executor_id
                )[:1]
                add(
                    "control_report",
                    lead.executor_id._get_responsible_users(absences=absences) or curators,
                    self.control_comment or "",
                )
        return required

    def _activity_update(self, sync=True):
        """Bring the step deadlines up to date, then create the activities the
        state asks for, due on the step's deadline; close the others: the one
        of the user who just acted is marked done, the rest removed."""
        if sync:
            self.env["social.incident.deadline"]._sync(self)
        type_ids = {
            step: self.env.ref(xmlid).id for step, xmlid in ACTIVITY_TYPES.items()
        }
        step_by_type = {type_id: step for step, type_id in type_ids.items()}
        model_id = self.env["ir.model"]._get_id(self._name)
        Activity = self.env["mail.activity"].sudo()
        existing = Activity.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "in", list(type_ids.values())),
            ]
        )
        by_incident = {}
        for activity in existing:
            by_incident.setdefault(activity.res_id, Activity)
            by_incident[activity.res_id] |= activity
        to_create, done, obsolete = [], Activity, Activity
        redate = {}
        today = fields.Date.context_today(self)
        absences = self.sudo().assignment_ids.executor_id._get_absences()
        for incident in self:
            required = incident.sudo()._get_required_activities(absences)
            due = incident.sudo()._get_step_deadlines()
            for activity in by_incident.get(incident.id, Activity):
                step = step_by_type[activity.activity_type_id.id]
                key = (step, activity.user_id.id)
                if key in required:
                    required.pop(key)
                    date = due.get(step, (None, None))[0]
                    if date and activity.date_deadline != date:
                        redate.setdefault(date, Activity)
                        redate[date] |= activity
                elif activity.user_id == self.env.user:
                    done |= activity
                else:
                    obsolete |= activity
            for (step, user_id), note in required.items():
                date, when = due.get(step, (None, None))
                parts = []
                if when:
                    parts.append(self.env._("Due %s", when))
                if note:
                    parts.append(note)
                to_create.append(
                    {
                        "res_model_id": model_id,
                        "res_id": incident.id,
                        "activity_type_id": type_ids[step],
                        "user_id": user_id,
                        "note": Markup("").join(Markup("<p>%s</p>") % part for part in parts),
                        "date_deadline": date or today,
                    }
                )
        if done:
            done.action_feedback()
        if obsolete:
            obsolete.unlink()
        for date, activities in redate.items():
            activities.write({"date_deadline": date})
        if to_create:
            Activity.with_context(mail_activity_quick_update=True).create(to_create)

    def _get_step_deadlines(self):
        """{activity step: (local date, “dd.mm.yyyy hh:mm”)} of the open deadlines."""
        self.ensure_one()
        from .social_incident_deadline import ACTIVITY_STEPS

        result = {}
        rows = self.deadline_ids.filtered(lambda d: d.state == "open" and d.deadline)
        for step, steps in ACTIVITY_STEPS.items():
            matching = rows.filtered(lambda d, steps=steps: d.step in steps)
            if not matching:
                continue
            row = min(matching, key=lambda d: d.deadline)
            tz = pytz.timezone(row.calendar_id.tz or self.env.user.tz or "UTC")
            local = pytz.utc.localize(row.deadline).astimezone(tz)
            result[step] = (local.date(), row._format_when(row.deadline))
        return result

    # ------------------------------------------------------------------
    # Demo data: walk incidents through the real transitions
    # ------------------------------------------------------------------
    def _demo_advance(self, steps):
        """Play ``steps`` on these incidents with the demo users, so that the
        demo database holds real histories, reviews and activities.

        Each step is a tuple: ``("route", [executor xmlids], lead xmlid or None)``,
        ``("accept",)``, ``("decline", reason)``, ``("info", executor xmlid, text)``,
        ``("draft", kind, text)``, ``("submit",)``, ``("approve",)``,
        ``("return", reason xmlid, comment)``, ``("publish", url)``, ``("close",)``,
        ``("answer", text)``, ``("control", comment)``, ``("control_report", text)``,
        ``("lift",)``, ``("no_reply", reason xmlid, comment)``, ``("merge", incident xmlid)``,
        ``("wait", minutes)``.
        Curator steps run as the incident's curator, executor steps as the first
        acting member of the lead executor (or of the named one). The steps are
        stamped in the incident's past: the first 5 minutes after registration,
        each next one ``DEMO_STEP_MINUTES`` later (plus any ``wait``), never
        later than now; so the demo deadlines are met or missed as they would be.
        """
        real_now = clock.now()
        for incident in self:
            moment = min((incident.registered_at or incident.detected_at) + timedelta(minutes=5), real_now)
            curator = incident.curator_id or incident._get_curators()[:1]

            def as_curator(record, curator=curator):
                return record.with_user(curator)

            def as_executor(record, executor=None, incident=incident):
                executor = executor or incident.lead_executor_id or incident.executor_ids[:1]
                return record.with_user(executor._get_responsible_users()[:1])

            for step in steps:
                name, args = step[0], step[1:]
                incident.invalidate_recordset()
                if name == "wait":
                    moment = min(moment + timedelta(minutes=args[0]), real_now)
                    continue
                with clock.frozen_at(moment):
                    incident._demo_step(name, args, as_curator, as_executor)
                moment = min(moment + timedelta(minutes=DEMO_STEP_MINUTES), real_now)
        return True

    def _demo_step(self, name, args, as_curator, as_executor):
        ref = self.env.ref
        incident = self
        if name == "route":
            executors = self.env["social.executor"].concat(*(ref(x) for x in args[0]))
            lead = ref(args[1]) if len(args) > 1 and args[1] else None
            as_curator(incident).action_route(executors, lead=lead)
        elif name == "accept":
            for assignment in incident.assignment_ids.filtered(lambda a: a.state == "sent"):
                as_executor(assignment, assignment.executor_id).action_accept()
        elif name == "decline":
            assignment = incident.assignment_ids.filtered(lambda a: a._is_active())[:1]
            as_executor(assignment, assignment.executor_id).action_decline(args[0])
        elif name == "info":
            executor = ref(args[0])
            assignment = incident.assignment_ids.filtered(
                lambda a, e=executor: a.executor_id == e and a._is_active()
            )
            as_executor(assignment, executor).action_give_info(args[1])
        elif name == "draft":
            as_executor(self.env["social.incident.reply"]).create(
                {"incident_id": incident.id, "kind": args[0], "body": args[1]}
            )
        elif name == "submit":
            as_executor(incident.current_reply_id).action_submit()
        elif name == "approve":
            as_curator(incident.current_reply_id).action_approve()
        elif name == "return":
            as_curator(incident.current_reply_id).action_return(ref(args[0]), args[1])
        elif name == "publish":
            reply = incident.current_reply_id
            publisher = incident._get_publishers(reply)[:1]
            reply.with_user(publisher).action_mark_published(args[0])
        elif name == "close":
            as_curator(incident).action_close()
        elif name == "answer":
            as_curator(incident).action_record_clarification(args[0])
        elif name == "control":
            as_curator(incident).action_set_control(args[0])
        elif name == "control_report":
            as_executor(incident).action_report_control(args[0])
        elif name == "lift":
            as_curator(incident).action_lift_control()
        elif name == "no_reply":
            as_curator(incident).action_no_reply(ref(args[0]), args[1])
        elif name == "merge":
            as_curator(incident).action_merge(ref(args[0]))
        else:
            raise ValueError(f"Unknown demo step {name!r}")
        return True
