from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.misc import format_datetime

from .constants import NETWORKS


class SocialAuthor(models.Model):
    """The citizen who wrote a message: one record per network account."""

    _name = "social.author"
    _description = "Message Author"
    # the lang mixin first: it wraps the creation that mail.thread logs
    _inherit = ["social.company.lang.mixin", "mail.thread", "social.protected.mixin"]
    _order = "name, id"
    # The blacklist is what moderation did: written by the moderation dialog only.
    _protected_fields = ("blacklisted", "blacklist_reason", "blacklist_date", "blacklisted_by_id")
    _rec_names_search = ["name", "external_id", "profile_url"]

    name = fields.Char(required=True, tracking=True)
    network = fields.Selection(NETWORKS, required=True, default="vk", index=True)
    external_id = fields.Char(
        string="Account ID", index=True, help="The author's id in the network."
    )
    profile_url = fields.Char(string="Profile Link")
    blacklisted = fields.Boolean(tracking=True, readonly=True)
    blacklist_reason = fields.Char(readonly=True)
    blacklist_date = fields.Datetime(readonly=True)
    blacklisted_by_id = fields.Many2one("res.users", readonly=True)
    incident_ids = fields.One2many("social.incident", "author_id", string="Incidents")
    incident_count = fields.Integer(compute="_compute_incident_count")
    # built from escaped pieces only (``_history_html``): nothing to sanitize,
    # and the sanitizer would drop the data-* attributes the entries carry
    history_html = fields.Html(
        string="History",
        compute="_compute_history_html",
        sanitize=False,
        help="The author's messages, our replies and the outcomes, in time order.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    # an author belongs to the administration whose pages they write on
    _sql_constraints = [
        (
            "network_external_uniq",
            "unique(company_id, network, external_id)",
            "This author is already registered for this network.",
        )
    ]

    def _compute_incident_count(self):
        counts = dict(
            self.env["social.incident"]
            .with_context(active_test=False)
            ._read_group([("author_id", "in", self.ids)], ["author_id"], ["__count"])
        )
        for author in self:
            author.incident_count = counts.get(author, 0)

    @api.depends_context("uid", "lang", "tz")
    def _compute_history_html(self):
        """Two searches for all the authors: their incidents the user may read,
        and the published replies of those incidents."""
        Incident = self.env["social.incident"].with_context(active_test=False)
        incidents = (
            Incident.search([("author_id", "in", self.ids)], order="detected_at, id")
            if self.ids
            else Incident
        )
        replies = (
            self.env["social.incident.reply"].search(
                [("incident_id", "in", incidents.ids), ("state", "=", "published")],
                order="published_at, id",
            )
            if incidents
            else self.env["social.incident.reply"]
        )
        parents = incidents._history_parent_comments()
        for author in self:
            mine = incidents.filtered(lambda i, a=author: i.author_id == a)
            author.history_html = author._history_html(mine, replies, parents)

    def _history_html(self, incidents, replies, parents):
        """The timeline of ``incidents`` (in time order): for each, the comment
        it answers (``parents``: {incident id: (who, text)}), the message, our
        published replies and the author's answer to a clarification in time
        order, then the outcome."""
        if not incidents:
            return Markup('<p class="text-muted">%s</p>') % self.env._(
                "No messages of this author."
            )
        states = dict(self.env["social.incident"]._fields["state"]._description_selection(self.env))
        kinds = dict(
            self.env["social.incident.reply"]._fields["kind"]._description_selection(self.env)
        )

        def when(value):
            return format_datetime(self.env, value, dt_format="dd.MM.yyyy HH:mm") if value else ""

        def text_block(css, text):
            return Markup('<div class="%s" style="white-space: pre-wrap;">%s</div>') % (
                css,
                text or "",
            )

        sections = []
        for incident in incidents:
            head = Markup(
                '<div class="d-flex flex-wrap gap-2 align-items-baseline small"><a class="fw-bold '
                'o_social_history_number" href="/odoo/social.incident/%s">%s</a><span '
                'class="text-muted">%s</span><span class="badge text-bg-light '
                'o_social_history_state" data-state="%s">%s</span></div>'
            ) % (
                incident.id,
                incident.name or "",
                when(incident.published_at or incident.detected_at),
                incident.state,
                states.get(incident.state, ""),
            )
            parts = [head]
            if incident.id in parents:
                who, text = parents[incident.id]
                parts.append(
                    Markup(
                        '<blockquote class="o_social_history_parent border-start border-2 ps-2 '
                        'my-1 small text-muted"><div class="fw-bold">%s</div>'
                    )
                    % self.env._("In reply to (%s):", who)
                    + text_block("", text)
                    + Markup("</blockquote>")
                )
            parts.append(text_block("o_social_history_message", incident.text))
            events = [
                (
                    reply.published_at,
                    reply.id,
                    Markup(
                        '<div class="o_social_history_reply border-start border-success border-2 '
                        'ps-2 ms-4 my-1"><div class="small text-muted">%s</div>'
                    )
                    % self.env._(
                        "Our reply (%(kind)s), %(when)s",
                        kind=kinds.get(reply.kind, ""),
                        when=when(reply.published_at),
                    )
                    + text_block("", reply.body)
                    + _link(reply.published_url)
                    + Markup("</div>"),
                )
                for reply in replies.filtered(lambda r, i=incident: r.incident_id == i)
            ]
            if incident.clarification_answer:
                events.append(
                    (
                        incident.clarification_answered_at,
                        0,
                        Markup(
                            '<div class="o_social_history_clarification my-1"><div class="small '
                            'text-muted">%s</div>'
                        )
                        % self.env._(
                            "The author's answer to the clarification request, %s",
                            when(incident.clarification_answered_at),
                        )
                        + text_block("", incident.clarification_answer)
                        + Markup("</div>"),
                    )
                )
            events.sort(key=lambda e: (e[0] or incident.detected_at, e[1]))
            parts.extend(event[2] for event in events)
            parts.append(self._history_outcome(incident, states, when))
            sections.append(
                Markup(
                    '<section class="o_social_history_incident border-bottom pb-2 mb-3" '
                    'data-incident-id="%s" data-detected="%s">'
                )
                % (incident.id, fields.Datetime.to_string(incident.detected_at) or "")
                + Markup("").join(parts)
                + Markup("</section>")
            )
        return Markup('<div class="o_social_history">%s</div>') % Markup("").join(sections)

    def _history_outcome(self, incident, states, when):
        """What became of the message, when it is over."""
        if incident.state == "merged":
            # sudo: the number of the incident it was merged into, which the
            # user may not read (another executor's); the incident itself is read
            text = self.env._("Merged into %s", incident.merged_into_id.sudo().name or "")
        elif incident.state == "no_reply":
            text = self.env._("Closed without a reply: %s", incident.no_reply_reason_id.name or "")
        elif incident.state in ("answered", "closed"):
            text = self.env._(
                "%(state)s, %(when)s",
                state=states[incident.state],
                when=when(incident.closed_at or incident.answered_at),
            )
        else:
            return Markup("")
        return Markup('<div class="o_social_history_outcome small fw-bold mt-1">%s</div>') % text

    @api.model
    def _find_or_create(self, network, external_id, name=None, profile_url=None, company=None):
        """Return the author of ``network`` with ``external_id`` in ``company``
        (the current one by default), creating it if new."""
        return self._find_or_create_many(
            network,
            [external_id],
            lambda _missing: {external_id: {"name": name, "profile_url": profile_url}},
            company=company,
        )[external_id]

    @api.model
    def _find_or_create_many(self, network, external_ids, make_values, company=None):
        """{external id: author} of ``network`` in ``company`` (the current one
        by default: an administration never reuses another's authors), in one
        search; the missing ones are created in one batch with
        ``make_values(missing ids)`` → {external id: {field: value}} (the name
        defaults to the id)."""
        company = company or self.env.company
        wanted = {str(external_id) for external_id in external_ids}
        authors = self.search(
            [
                ("company_id", "=", company.id),
                ("network", "=", network),
                ("external_id", "in", list(wanted)),
            ]
        )
        result = {author.external_id: author for author in authors}
        missing = sorted(wanted - set(result))
        if missing:
            values = make_values(missing) or {}
            created = self.create(
                [
                    dict(
                        values.get(external_id, {}),
                        company_id=company.id,
                        network=network,
                        external_id=external_id,
                        name=values.get(external_id, {}).get("name") or external_id,
                    )
                    for external_id in missing
                ]
            )
            result.update({author.external_id: author for author in created})
        return result

    def action_view_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "social_incidents.social_incident_action"
        )
        action["domain"] = [("author_id", "=", self.id)]
        action["context"] = {"active_test": False}
        return action


def _link(url):
    """A link to ``url`` when it is a web address (never ``javascript:``
    and the like, which escaping alone would leave clickable); else the
    text."""
    if not url:
        return ""
    if not url.lower().startswith(("http://", "https://")):
        return Markup('<div class="small">%s</div>') % url
    return Markup('<a class="small" href="%s" target="_blank" rel="noopener noreferrer">%s</a>') % (
        url,
        url,
    )
