from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.sql import create_index

from ..tools import clock, guard, head_alerts
from ..tools.web_url import is_web_url
from .constants import (
    CURATOR_GROUP,
    FINISHED_STATES,
    NETWORKS,
    REPLY_KINDS,
    REPLY_STATES,
    STATES,
)
from .helpers import in_company_lang, log_head_alerts


class SocialIncident(models.Model):
    """A citizen's message found in a social network, handled as the
    regulation demands: registered, routed, answered, published."""

    _name = "social.incident"
    _description = "Social Network Incident"
    _inherit = ["mail.thread", "mail.activity.mixin", "social.sla.mixin", "social.protected.mixin"]
    # high importance first: the values sort as text, "high" before "normal"
    _order = "importance, detected_at desc, id desc"
    _mail_post_access = "read"
    _check_company_auto = True
    # History: written by the workflow's methods only (social_incident_workflow.py).
    _protected_fields = (
        "name",
        "state",
        "registered_at",
        "answered_at",
        "closed_at",
        "on_control",
        "control_comment",
        "control_set_at",
        "control_report",
        "control_report_at",
        "clarification_answer",
        "clarification_answered_at",
        "no_reply_reason_id",
        "no_reply_comment",
        "merged_into_id",
        "head_notified_at",
    )

    name = fields.Char(string="Number", readonly=True, copy=False, index="trigram")
    network = fields.Selection(NETWORKS, required=True, default="vk", tracking=True)
    account_id = fields.Many2one(
        "social.account",
        string="Official Page",
        tracking=True,
        check_company=True,
        index="btree_not_null",
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
    author_id = fields.Many2one("social.author", tracking=True, index=True, check_company=True)
    author_blacklisted = fields.Boolean(related="author_id.blacklisted")
    text = fields.Text(string="Message", required=True)
    summary = fields.Char(compute="_compute_summary", store=True)
    published_at = fields.Datetime(string="Published")
    detected_at = fields.Datetime(
        string="Detected",
        required=True,
        default=lambda self: clock.now(),
        index=True,
        tracking=True,
    )
    registered_at = fields.Datetime(
        string="Registered", readonly=True, default=lambda self: clock.now(), copy=False
    )
    topic_ids = fields.Many2many("social.incident.topic", string="Topics")
    location_id = fields.Many2one("social.incident.location", index=True, check_company=True)
    importance = fields.Selection(
        [("normal", "Normal"), ("high", "High")],
        required=True,
        default="normal",
        tracking=True,
        help="High: socially significant, needs a prompt solution (KOR 2, 17).",
    )
    repeat_of_id = fields.Many2one(
        "social.incident",
        index=True,
        check_company=True,
        tracking=True,
        help="The earlier incident on the same issue (LYA 10, AKH 3.6, BAT 11).",
    )
    repeat_ids = fields.One2many("social.incident", "repeat_of_id", string="Repeats")
    is_repeat = fields.Boolean(string="Repeated", compute="_compute_is_repeat", store=True)
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
        tracking=True,
        index="btree_not_null",
        default=lambda self: self._default_curator(),
        domain=lambda self: [("groups_id", "in", self.env.ref(CURATOR_GROUP).id)],
    )
    assignment_ids = fields.One2many("social.incident.assignment", "incident_id", string="Routing")
    executor_ids = fields.Many2many(
        "social.executor",
        string="Executors",
        compute="_compute_executor_ids",
        store=True,
    )
    lead_executor_id = fields.Many2one(
        "social.executor",
        compute="_compute_executor_ids",
        store=True,
        tracking=True,
        index="btree_not_null",
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
    clarification_answer = fields.Text(string="Author's Answer", readonly=True, copy=False)
    clarification_answered_at = fields.Datetime(readonly=True, copy=False)
    # No reply (AKH 3.7, KOR 21) and merge
    no_reply_reason_id = fields.Many2one(
        "social.no_reply.reason", readonly=True, copy=False, tracking=True
    )
    no_reply_legal_basis = fields.Char(related="no_reply_reason_id.legal_basis")
    no_reply_comment = fields.Text(readonly=True, copy=False)
    merged_into_id = fields.Many2one(
        "social.incident",
        readonly=True,
        copy=False,
        index=True,
        check_company=True,
    )
    merged_ids = fields.One2many("social.incident", "merged_into_id")
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
    violation_ids = fields.One2many(
        "social.sla.violation", "incident_id", string="Missed Deadlines"
    )
    violation_count = fields.Integer(compute="_compute_violation_count", store=True)
    head_notified_at = fields.Datetime(
        string="Head Notified",
        readonly=True,
        copy=False,
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
    can_record_clarification = fields.Boolean(compute="_compute_user_rights")
    can_close = fields.Boolean(compute="_compute_user_rights")
    can_set_control = fields.Boolean(compute="_compute_user_rights")
    can_lift_control = fields.Boolean(compute="_compute_user_rights")
    can_no_reply = fields.Boolean(compute="_compute_user_rights")
    can_merge = fields.Boolean(compute="_compute_user_rights")

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
                lambda r: r.state
                in ("draft", "submitted", "returned", "approved", "publish_failed")
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

    @api.depends("violation_ids.voided")
    def _compute_violation_count(self):
        for incident in self:
            incident.violation_count = len(incident.violation_ids.filtered(lambda v: not v.voided))

    def _compute_color(self):
        for incident in self:
            incident.color = 1 if incident.importance == "high" else 0

    @api.depends_context("uid")
    @api.depends("state", "assignment_ids.state", "reply_ids.state", "on_control", "control_report")
    def _compute_user_rights(self):
        """The buttons: each is shown when the check its transition runs passes."""
        is_curator = self.env.user.has_group(CURATOR_GROUP)
        for incident in self:
            allowed = incident._allowed
            incident.user_is_curator = is_curator
            incident.user_assignment_id = incident._get_user_assignment() if incident.id else False
            incident.can_route = allowed("_check_route")
            incident.can_accept = allowed("_check_accept")
            incident.can_decline = allowed("_check_decline")
            incident.can_give_info = allowed("_check_give_info")
            incident.can_draft = allowed("_check_draft")
            incident.can_review = allowed("_check_review")
            incident.can_publish = allowed("_check_publish")
            incident.can_report_control = allowed("_check_report_control")
            incident.can_record_clarification = allowed("_check_record_clarification")
            incident.can_close = allowed("_check_close")
            incident.can_set_control = allowed("_check_set_control")
            incident.can_lift_control = allowed("_check_lift_control")
            incident.can_no_reply = allowed("_check_no_reply")
            incident.can_merge = allowed("_check_merge")

    @api.constrains("url")
    def _check_url(self):
        """The message link opens the message: a web address, whoever writes it
        (form, import, RPC)."""
        for incident in self:
            if incident.url and not is_web_url(incident.url):
                raise ValidationError(
                    self.env._(
                        "The message link “%(value)s” is not a web address: give a link such as "
                        "https://vk.com/wall-1_2?reply=3 (it starts with http:// or https://, "
                        "names a site and has no spaces).",
                        value=incident.url,
                    )
                )

    @api.constrains("repeat_of_id")
    def _check_repeat_of_id(self):
        if self._has_cycle("repeat_of_id"):
            raise UserError(self.env._("An incident cannot be a repeat of itself."))

    def _check_external_id_unique(self, vals_list):
        """A message already registered in the administration cannot be
        registered twice there: name the incident that holds it. Another
        administration's incidents are neither revealed nor in the way. A
        unique index guards concurrent deliveries."""
        keys = {
            (
                vals.get("company_id") or self.env.company.id,
                vals.get("network"),
                vals.get("account_id") or False,
                vals["external_id"],
            )
            for vals in vals_list
            if vals.get("external_id")
        }
        if not keys:
            return
        if len(keys) < len([v for v in vals_list if v.get("external_id")]):
            raise UserError(self.env._("The same message is registered twice in one batch."))
        domain = []
        for company_id, network, account_id, external_id in keys:
            domain = (
                (["|"] if domain else [])
                + domain
                + [
                    "&",
                    "&",
                    "&",
                    ("company_id", "=", company_id),
                    ("network", "=", network),
                    ("account_id", "=", account_id),
                    ("external_id", "=", external_id),
                ]
            )
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
        # one message, one incident in each administration
        self.env.cr.execute("DROP INDEX IF EXISTS social_incident_external_uniq")
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS social_incident_company_external_uniq
                ON social_incident (company_id, network, COALESCE(account_id, 0), external_id)
             WHERE external_id IS NOT NULL
            """
        )
        # The lists' default order (_order) within a municipality: the first page
        # is read off the index instead of sorting all the company's incidents
        # (issue #18). The second index holds the open incidents only: the
        # «Open» filter of the search view (its domain, as the ORM writes it:
        # the planner uses the index when the query implies its WHERE), so the
        # default list, its count, the kanban's columns and the search panel's
        # counters cost what is open, not five years of closed incidents.
        create_index(
            self.env.cr,
            "social_incident_company_order_idx",
            self._table,
            ["company_id", "importance", "detected_at DESC", "id DESC"],
        )
        create_index(
            self.env.cr,
            "social_incident_open_order_idx",
            self._table,
            ["company_id", "importance", "detected_at DESC", "id DESC"],
            where="state NOT IN ('answered', 'closed', 'no_reply', 'merged') OR state IS NULL",
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self = self._without_protected_defaults()
        caller = self.env
        if not self.env.context.get("lang") and vals_list:
            # a job, a webhook or the install: the history in the company's language
            company = (
                self.env["res.company"].browse(vals_list[0].get("company_id")) or self.env.company
            )
            self = in_company_lang(self, company)  # noqa: PLW0642
        self._check_protected_create(vals_list)
        for vals in vals_list:
            if vals.get("account_id") and not vals.get("network"):
                vals["network"] = self.env["social.account"].browse(vals["account_id"]).network
            if not vals.get("network"):
                vals["network"] = self.default_get(["network"]).get("network") or "vk"
            if vals.get("external_id"):
                vals["external_id"] = vals["external_id"].strip()
        self._check_external_id_unique(vals_list)
        self._assign_numbers(vals_list)
        # The number, the registration time and the first deadlines are the server's.
        with guard.system_write():
            incidents = super().create(vals_list)
            incidents._update_activities_and_deadlines()
            incidents.filtered(lambda i: i.importance == "high")._notify_head_high_importance(
                at_registration=True
            )
        incidents._notify_author_wrote_again()
        return incidents.with_env(caller)

    @api.model
    def _assign_numbers(self, vals_list):
        """Number the new incidents: the sequence of each company is looked up once per
        batch (an import numbers thousands), then drawn once per incident."""
        sequences = {}
        Sequence = self.env["ir.sequence"]
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            if company.id not in sequences:
                # the sequence next_by_code would take: the company's own, else the shared one
                Sequence.browse().check_access("read")
                # sudo: after the same read check next_by_code makes; only the numbers leave
                sequences[company.id] = Sequence.sudo().search(
                    [("code", "=", "social.incident"), ("company_id", "in", [company.id, False])],
                    order="company_id",
                    limit=1,
                )
            sequence = sequences[company.id]
            # sudo: drawing the next number, as next_by_code does after the read check above
            vals["name"] = (sequence._next() if sequence else False) or "/"

    def write(self, vals):
        if {"detected_at", "importance"} & set(vals) and not guard.permitted():
            # the deadlines count from them: a correction is tracked and recomputes them
            # (a miss no longer missed is voided with the reason), a closed record stays as it is
            if self.filtered(lambda i: i.state in FINISHED_STATES):
                raise UserError(
                    self.env._(
                        "The detection time and the importance of a closed incident do not change."
                    )
                )
        if {"network", "account_id", "external_id", "company_id"} & set(vals):
            for incident in self:
                merged = {
                    "company_id": incident.company_id.id,
                    "network": incident.network,
                    "account_id": incident.account_id.id,
                    "external_id": incident.external_id,
                    **vals,
                }
                incident._check_external_id_unique([merged])
        result = super().write(vals)
        if {"importance", "detected_at", "company_id"} & set(vals):
            # The deadlines follow what the incident now is: the write passed its checks.
            with guard.system_write():
                self.env["social.incident.deadline"]._sync(
                    self,
                    force=True,
                    reason=self.env._("the importance or the detection time changed"),
                )
                self._update_activities()
        if vals.get("importance") == "high":
            with guard.system_write():
                self.filtered(lambda i: not i.head_notified_at)._notify_head_high_importance()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        """A registered incident is a record of the administration's work: only
        one still new, never routed and never late, can be deleted (a duplicate
        typed by mistake); the others are merged or closed without a reply."""
        for incident in self:
            if (
                incident.state != "new"
                or incident.assignment_ids
                or incident.reply_ids
                or incident.violation_ids
            ):
                raise UserError(
                    self.env._(
                        "Incident %s has a history and cannot be deleted: merge it or close it "
                        "without a reply.",
                        incident.name,
                    )
                )

    def _notify_head_high_importance(self, at_registration=False):
        """Report a high-importance incident to the head at once (LYA 13, BAT 13):
        a message to the head's inbox and an activity. Inside a grouped block (an
        import) the inbox message is one for all (``tools/head_alerts.py``)."""
        grouped = head_alerts.current()
        if grouped is not None:
            return self._notify_head_high_importance_grouped(grouped, at_registration)
        root = self.env.ref("base.partner_root")
        for incident in self.sudo():
            heads = incident.company_id._get_social_heads()
            if not heads or incident.state in ("no_reply", "merged"):
                continue
            incident.with_context(mail_notify_force_send=False).message_post(
                body=Markup("<p>%s</p><p>%s</p>")
                % (
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
            incident._write_system({"head_notified_at": now})

    @api.model
    def _send_grouped_head_alerts(self, grouped, origin, limit=30):
        """The one inbox message of a grouped block (``tools/head_alerts.py``) for the heads
        of each company: what ``origin`` (a function of the environment in the company's
        language giving e.g. “Import «file.csv»”) brought that was reported to them, each
        record a link; the notes and activities are already there."""
        root = self.env.ref("base.partner_root")
        base = self.get_base_url()
        # sudo: the notes and activities of the bursts the server opened in this block
        bursts = self.env["social.incident.burst"].sudo()
        bursts.browse([i for ids in grouped.burst_ids.values() for i in ids])._alert_head_batch()
        for company_id in grouped.company_ids():
            company = self.env["res.company"].browse(company_id)
            heads = company._get_social_heads()
            if not heads:
                continue
            local = in_company_lang(self, company)
            _ = local.env._
            origin_text = origin(local.env)
            # sudo: the records the server reported in this block, listed for their heads;
            # .exists(): a chunk of an import undone after its alerts (a row failed) left
            # ids of records that are no more
            incidents = local.sudo().browse(grouped.incident_ids.get(company_id, [])).exists()
            bursts = (
                local.env["social.incident.burst"]
                .sudo()
                .browse(grouped.burst_ids.get(company_id, []))
                .exists()
            )
            if not incidents and not bursts:
                continue
            counts = []
            if incidents:
                counts.append(_("high-importance incidents: %s", len(incidents)))
            if bursts:
                counts.append(_("bursts of social activity: %s", len(bursts)))
            parts = [
                Markup("<p>%s</p>")
                % _(
                    "%(origin)s: reported to the head: %(counts)s; each is among your activities.",
                    origin=origin_text,
                    counts=", ".join(counts),
                )
            ]
            for title, records, label in (
                (_("High-importance incidents:"), incidents, lambda r: r.summary or ""),
                (_("Bursts of social activity:"), bursts, lambda r: r.name),
            ):
                if not records:
                    continue
                items = Markup("").join(
                    Markup('<li><a href="%s/odoo/%s/%s">%s</a>: %s</li>')
                    % (base, record._name, record.id, record.display_name, label(record))
                    for record in records[:limit]
                )
                more = (
                    Markup("<p>%s</p>") % _("… and %s more.", len(records) - limit)
                    if len(records) > limit
                    else ""
                )
                parts.append(Markup("<p>%s</p><ul>%s</ul>%s") % (title, items, more))
            # sudo: a notification from the server to the heads of records it reported
            local.env["mail.thread"].sudo().with_context(
                mail_notify_force_send=False
            ).message_notify(
                partner_ids=heads.partner_id.ids,
                author_id=root.id,
                subject=_("Reported to the head: %s", origin_text),
                body=Markup("").join(parts),
                subtype_xmlid="mail.mt_note",
            )

    def _notify_head_high_importance_grouped(self, grouped, at_registration):
        """``_notify_head_high_importance`` in batches: the same note and activities, the
        inbox message left to the grouped block's summary."""
        # sudo: as _notify_head_high_importance: the server reports what the caller registered
        incidents = self.sudo().filtered(lambda i: i.state not in ("no_reply", "merged"))
        for company in incidents.company_id:
            heads = company._get_social_heads()
            if not heads:
                continue
            mine = in_company_lang(incidents.filtered(lambda i, c=company: i.company_id == c))
            _ = mine.env._
            log_head_alerts(
                mine,
                heads,
                "social_incidents.mail_act_social_high_importance",
                bodies={
                    i.id: Markup("<p>%s</p><p>%s</p>")
                    % (_("High-importance incident %s: reported to the head.", i.name), i.text)
                    for i in mine
                },
                summaries={i.id: _("High-importance incident %s", i.name) for i in mine},
                notes={i.id: i.summary for i in mine},
            )
            now = clock.now()
            by_time = {}
            for incident in mine:
                when = now
                if at_registration and incident.registered_at:
                    when = min(now, incident.registered_at)
                by_time.setdefault(when, []).append(incident.id)
            for when, ids in by_time.items():
                mine.browse(ids)._write_system({"head_notified_at": when})
            grouped.add_incidents(company.id, mine.ids)
