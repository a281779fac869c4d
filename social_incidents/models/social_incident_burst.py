from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models

from ..tools import clock, head_alerts
from ..tools.guard import system_method
from .helpers import in_company_lang, log_head_alerts, scheduled_job

BURST_KINDS = [("topic", "Topic"), ("location", "Location")]


class SocialIncidentBurst(models.Model):
    """A burst of social activity (LYA 13, BAT 13): at least N incidents of one company on
    the same topic or at the same location detected within T hours. The head is told at
    once, once; later incidents on it join it while it is active; it closes after a quiet
    period. Every field is the server's (``_protected_fields = "__all__"``): opened, joined,
    alerted and closed by ``social.incident`` and the scheduled job only."""

    _name = "social.incident.burst"
    _description = "Burst of Social Activity"
    _inherit = ["mail.thread", "mail.activity.mixin", "social.protected.mixin"]
    _order = "first_incident_at desc, id desc"
    _check_company_auto = True
    _protected_fields = "__all__"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    kind = fields.Selection(BURST_KINDS, string="By", required=True, readonly=True)
    topic_id = fields.Many2one(
        "social.incident.topic", index=True, readonly=True, ondelete="restrict"
    )
    location_id = fields.Many2one(
        "social.incident.location", index=True, readonly=True, ondelete="restrict"
    )
    incident_ids = fields.Many2many(
        "social.incident",
        "social_incident_burst_rel",
        "burst_id",
        "incident_id",
        string="Incidents",
        readonly=True,
    )
    incident_count = fields.Integer(
        string="Incidents Count", compute="_compute_incident_count", store=True
    )
    first_incident_at = fields.Datetime(string="First Incident", readonly=True, index=True)
    last_incident_at = fields.Datetime(string="Last Incident", readonly=True)
    state = fields.Selection(
        [("active", "Active"), ("closed", "Closed")],
        default="active",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    alerted_at = fields.Datetime(string="Head Alerted", readonly=True)
    closed_at = fields.Datetime(readonly=True)

    def init(self):
        # one active burst a company and topic or location, whoever registers concurrently
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS social_incident_burst_active_uniq
                ON social_incident_burst
                   (company_id, kind, COALESCE(topic_id, 0), COALESCE(location_id, 0))
             WHERE state = 'active'
            """
        )

    @api.depends("kind", "topic_id.complete_name", "location_id.complete_name")
    def _compute_name(self):
        for burst in self:
            subject = burst.topic_id if burst.kind == "topic" else burst.location_id
            burst.name = subject.complete_name or ""

    @api.depends("incident_ids")
    def _compute_incident_count(self):
        for burst in self:
            burst.incident_count = len(burst.incident_ids)

    # ------------------------------------------------------------------
    # Detection (called by social.incident with the permit, as the server)
    # ------------------------------------------------------------------
    @api.model
    def _key_domain(self, company, kind, subject_id):
        field = "topic_id" if kind == "topic" else "location_id"
        return [("company_id", "=", company.id), ("kind", "=", kind), (field, "=", subject_id)]

    @api.model
    def _count_incidents(self, company, kind, subject_id, incidents):
        """Count ``incidents`` (new, or whose topic, location or detection time changed)
        towards the burst of ``company`` on the topic or location ``subject_id``: join the
        active burst, or open one (and alert the head) when the threshold is reached.
        Running it again on the same incidents changes nothing."""
        # concurrent registrations on the same subject wait for each other here
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))",
            (f"social.incident.burst:{company.id}:{kind}:{subject_id}",),
        )
        threshold = max(company.social_burst_threshold, 2)
        window = timedelta(hours=max(company.social_burst_window_hours, 1))
        quiet = timedelta(hours=max(company.social_burst_quiet_hours, 1))
        key = self._key_domain(company, kind, subject_id)
        pending = incidents.sorted(lambda i: (i.detected_at, i.id))
        while pending:
            active = self.search(key + [("state", "=", "active")], limit=1)
            if active:
                pending = active._join(pending, window, quiet)
                if pending:
                    # the next incident came after the quiet period: this wave is over
                    active._close()
                continue
            burst = self._open(company, kind, subject_id, pending, threshold, window, quiet)
            if not burst:
                return
            pending = pending.filtered(lambda i, b=burst: i.detected_at > b.last_incident_at)

    def _join(self, pending, window, quiet):
        """Join the incidents of ``pending`` (sorted) that belong to this active burst; the
        rest (after the quiet period) is returned."""
        self.ensure_one()
        last = self.last_incident_at
        joined = self.env["social.incident"]
        rest = self.env["social.incident"]
        for incident in pending:
            if rest or incident.detected_at - last > quiet:
                rest |= incident
                continue
            if incident.detected_at < self.first_incident_at - window:
                continue  # an old message imported late: not part of this wave
            if incident not in self.incident_ids:
                joined |= incident
            last = max(last, incident.detected_at)
        if joined:
            self.write(
                {
                    "incident_ids": [fields.Command.link(i.id) for i in joined],
                    "last_incident_at": max(last, self.last_incident_at),
                    "first_incident_at": min(
                        [self.first_incident_at] + joined.mapped("detected_at")
                    ),
                }
            )
            burst = in_company_lang(self)
            # a note nobody is notified of: logged, without message_post's notifying
            burst._message_log(
                body=Markup("<p>%s</p>%s")
                % (
                    burst.env._("Joined the burst:"),
                    burst._incident_links(joined),
                ),
                author_id=self.env.ref("base.partner_root").id,
            )
        return rest

    @api.model
    def _open(self, company, kind, subject_id, pending, threshold, window, quiet):
        """Open a burst when at least ``threshold`` incidents on the subject, one of them in
        ``pending``, were detected within ``window``; alert the head. None otherwise."""
        field = "topic_ids" if kind == "topic" else "location_id"
        low = pending[0].detected_at - window
        high = pending[-1].detected_at + window
        counted = self.search(
            self._key_domain(company, kind, subject_id) + [("last_incident_at", ">=", low - window)]
        ).incident_ids
        candidates = (
            self.env["social.incident"]
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "=", company.id),
                    (field, "in", [subject_id]),
                    ("detected_at", ">=", low),
                    ("detected_at", "<=", high),
                    ("state", "!=", "merged"),
                    ("id", "not in", counted.ids),
                ],
                order="detected_at, id",
            )
        )
        times = candidates.mapped("detected_at")
        pending_ids = set(pending.ids)
        start = 0
        for end in range(len(candidates)):
            while times[end] - times[start] > window:
                start += 1
            if end - start + 1 >= threshold and pending_ids & set(candidates[start : end + 1].ids):
                break
        else:
            return None
        members = candidates[start : end + 1]
        for incident in candidates[end + 1 :]:
            if incident.detected_at - members[-1].detected_at > quiet:
                break
            members |= incident
        vals = {
            "company_id": company.id,
            "kind": kind,
            "topic_id": subject_id if kind == "topic" else False,
            "location_id": subject_id if kind == "location" else False,
            "incident_ids": [fields.Command.set(members.ids)],
            "first_incident_at": members[0].detected_at,
            "last_incident_at": members[-1].detected_at,
        }
        try:
            # without flushing the whole transaction: the INSERT itself meets the unique index
            with self.env.cr.savepoint(flush=False):
                # the alert below says what opened it: no "created" note besides
                burst = self.with_context(mail_create_nolog=True).create(vals)
        except psycopg2.errors.UniqueViolation:
            # another transaction opened it after this one began: run the request again,
            # the burst is then seen and joined (Odoo retries serialization failures)
            self.env.cr.execute(
                "DO $$ BEGIN RAISE EXCEPTION 'burst of social activity opened concurrently' "
                "USING ERRCODE = 'serialization_failure'; END $$"
            )
        # the same wave seen by its topic and by its place: the head is told once
        twin = self.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "active"),
                ("alerted_at", "!=", False),
                ("id", "!=", burst.id),
                ("incident_ids", "in", members.ids),
            ]
        ).filtered(lambda b: members <= b.incident_ids)[:1]
        if twin:
            local = in_company_lang(burst)
            local._message_log(
                body=Markup("<p>%s</p>")
                % local.env._(
                    "The same incidents make the burst “%s”: the head was told there.", twin.name
                ),
                author_id=self.env.ref("base.partner_root").id,
            )
            burst.write({"alerted_at": twin.alerted_at})
        burst._alert_head()
        return burst

    def _incident_links(self, incidents):
        """A list of the incidents, each number a link to it."""
        base = self.get_base_url()
        items = Markup("").join(
            Markup('<li><a href="%s/odoo/social.incident/%s">%s</a>: %s</li>')
            % (base, incident.id, incident.name, incident.summary or "")
            for incident in incidents.sorted(lambda i: (i.detected_at, i.id))
        )
        return Markup("<ul>%s</ul>") % items

    def _alert_head(self):
        """Tell the head at once (LYA 13, BAT 13), as ``_notify_head_high_importance`` does:
        a message to the head's inbox and an activity, in the company's language; once."""
        grouped = head_alerts.current()
        if grouped is not None:
            return self._alert_head_grouped(grouped)
        root = self.env.ref("base.partner_root")
        for burst in self.filtered(lambda b: not b.alerted_at):
            heads = burst.company_id._get_social_heads()
            local = in_company_lang(burst).with_context(mail_notify_force_send=False)
            title = local._alert_title()
            if heads:
                local.message_post(
                    body=Markup("<p>%s</p>%s") % (title, burst._incident_links(burst.incident_ids)),
                    author_id=root.id,
                    partner_ids=heads.partner_id.ids,
                    subtype_xmlid="mail.mt_note",
                )
                for head in heads:
                    local.activity_schedule(
                        act_type_xmlid="social_incidents.mail_act_social_burst",
                        user_id=head.id,
                        summary=title,
                        note=burst._incident_links(burst.incident_ids),
                    )
            burst.write({"alerted_at": clock.now()})

    def _alert_title(self):
        """“Burst of social activity: N incidents on topic “X”.” in the record's language."""
        self.ensure_one()
        kind = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
        return self.env._(
            "Burst of social activity: %(count)s incidents on %(kind)s “%(subject)s”.",
            count=self.incident_count,
            kind=kind.lower(),
            subject=self.name,
        )

    def _alert_head_grouped(self, grouped):
        """``_alert_head`` inside a grouped block: the bursts are marked alerted now (a twin
        opened later sees it) and their notes and activities made in one batch at the
        block's end (``_alert_head_batch``), with one inbox message."""
        bursts = self.filtered(lambda b: not b.alerted_at)
        bursts.write({"alerted_at": clock.now()})
        for burst in bursts:
            grouped.add_bursts(burst.company_id.id, burst.ids)

    def _alert_head_batch(self):
        """The notes and the heads' activities of ``self`` (alerted in a grouped block), in
        one batch a company."""
        bursts = self.exists()
        for company in bursts.company_id:
            mine = in_company_lang(bursts.filtered(lambda b, c=company: b.company_id == c))
            heads = company._get_social_heads()
            if heads:
                titles = {burst.id: burst._alert_title() for burst in mine}
                links = {burst.id: burst._incident_links(burst.incident_ids) for burst in mine}
                log_head_alerts(
                    mine,
                    heads,
                    "social_incidents.mail_act_social_burst",
                    bodies={
                        burst.id: Markup("<p>%s</p>%s") % (titles[burst.id], links[burst.id])
                        for burst in mine
                    },
                    summaries=titles,
                    notes=links,
                )

    def _close(self):
        self.write({"state": "closed", "closed_at": clock.now()})

    # ------------------------------------------------------------------
    # Scheduled job
    # ------------------------------------------------------------------
    @api.model
    @scheduled_job
    @system_method
    def _cron_close_quiet(self, batch_size=500):
        """Close the active bursts whose last incident is older than the company's quiet
        period; batched, and running it again closes nothing twice."""
        self.env.flush_all()
        query = """
            SELECT b.id FROM social_incident_burst b
              JOIN res_company c ON c.id = b.company_id
             WHERE b.state = 'active'
               AND b.last_incident_at
                   + make_interval(hours => GREATEST(COALESCE(c.social_burst_quiet_hours, 3), 1))
                   <= %s
             ORDER BY b.last_incident_at, b.id
        """
        self.env.cr.execute(query + " LIMIT %s", (clock.now(), batch_size + 1))
        ids = [row[0] for row in self.env.cr.fetchall()]
        # sudo: the scheduled job (private: not callable over RPC) closes the bursts that went quiet
        bursts = self.sudo().browse(ids[:batch_size])
        bursts._close()
        remaining = max(len(ids) - batch_size, 0)
        self.env["ir.cron"]._notify_progress(done=len(bursts), remaining=remaining)
        return len(bursts)
