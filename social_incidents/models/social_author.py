from odoo import api, fields, models

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
