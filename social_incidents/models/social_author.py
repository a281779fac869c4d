from odoo import api, fields, models

from .social_incident import NETWORKS


class SocialAuthor(models.Model):
    """The citizen who wrote a message: one record per network account."""

    _name = "social.author"
    _description = "Message Author"
    _inherit = ["mail.thread"]
    _order = "name, id"
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

    _sql_constraints = [
        (
            "network_external_uniq",
            "unique(network, external_id)",
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
    def _find_or_create(self, network, external_id, name=None, profile_url=None):
        """Return the author of ``network`` with ``external_id``, creating it if new."""
        author = self.search(
            [("network", "=", network), ("external_id", "=", external_id)], limit=1
        )
        if author:
            return author
        return self.create(
            {
                "network": network,
                "external_id": external_id,
                "name": name or external_id,
                "profile_url": profile_url,
            }
        )

    def action_view_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "social_incidents.social_incident_action"
        )
        action["domain"] = [("author_id", "=", self.id)]
        action["context"] = {"active_test": False}
        return action
