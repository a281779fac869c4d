import re

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.social_incidents.models.helpers import act_window

VK_EXTERNAL_ID = re.compile(r"^wall(-?\d+)_(\d+)_(\d+)$")


class SocialIncident(models.Model):
    _inherit = "social.incident"

    source_deleted = fields.Boolean(
        string="Deleted in the Network",
        readonly=True,
        tracking=True,
        help="The comment was deleted in the network (by its author or a moderator).",
    )
    source_deleted_at = fields.Datetime(string="Deleted At", readonly=True)
    moderation_log_ids = fields.One2many(
        "social.moderation.log", "incident_id", string="Moderation"
    )
    vk_reply_to_comment = fields.Integer(
        string="Answers VK Comment",
        readonly=True,
        help="The id of the VK comment this one answers in its thread, as VK gave it.",
    )

    @api.model
    def _get_protected_fields(self):
        # what the network did to the comment and where it stands in its thread:
        # recorded by the connector and moderation only
        return super()._get_protected_fields() | {
            "source_deleted",
            "source_deleted_at",
            "vk_reply_to_comment",
        }

    def _history_parent_comments(self):
        """The comment a VK reply in a thread answers: a citizen's comment
        registered as an incident, or the community's own published reply;
        one search for each, for all the incidents."""
        result = super()._history_parent_comments()
        wanted = {}  # incident → (owner id, post id, parent comment id)
        for incident in self.filtered(lambda i: i.network == "vk" and i.vk_reply_to_comment):
            match = VK_EXTERNAL_ID.match(incident.external_id or "")
            if match:
                wanted[incident] = (match[1], match[2], incident.vk_reply_to_comment)
        if not wanted:
            return result
        # sudo: the user reads these incidents (the history searched them as the
        # user); the comment each answers is public in the thread, and only its
        # author's name and text are read, even when another executor handles it
        Incident = self.env["social.incident"].sudo().with_context(active_test=False)
        parents = Incident.search(
            [
                ("network", "=", "vk"),
                ("account_id", "in", list({i.account_id.id for i in wanted})),
                ("external_id", "in", [f"wall{o}_{p}_{c}" for o, p, c in wanted.values()]),
            ]
        )
        by_key = {(p.account_id.id, p.external_id): p for p in parents}
        url_of = {i: f"https://vk.com/wall{o}_{p}?reply={c}" for i, (o, p, c) in wanted.items()}
        # sudo: same as above, for the community's own replies (public in the thread)
        replies = (
            self.env["social.incident.reply"]
            .sudo()
            .search(
                ["|"] * (len(url_of) * 2 - 1)
                + [
                    term
                    for url in url_of.values()
                    for term in (
                        ("published_url", "=", url),
                        ("published_url", "=like", _like_prefix(url + "&")),
                    )
                ]
                + [("state", "=", "published")]
            )
        )
        for incident, (owner, post, comment) in wanted.items():
            parent = by_key.get((incident.account_id.id, f"wall{owner}_{post}_{comment}"))
            if parent:
                result[incident.id] = (parent.author_id.name or "", parent.text)
                continue
            ours = replies.filtered(
                lambda r, u=url_of[incident]: r.published_url == u
                or r.published_url.startswith(u + "&")
            )[:1]
            if ours:
                result[incident.id] = (incident.account_id.sudo().name, ours.body)
            else:
                result[incident.id] = (
                    self.env._("not registered, VK id %s", comment),
                    url_of[incident],
                )
        return result

    def _vk_ids(self):
        """(owner id, post id, comment id) of the VK comment of this incident."""
        self.ensure_one()
        match = VK_EXTERNAL_ID.match(self.external_id or "")
        if self.network != "vk" or not match:
            raise UserError(
                self.env._(
                    "Incident %s is not a comment of a VK community registered by the connector.",
                    self.name,
                )
            )
        return int(match[1]), int(match[2]), int(match[3])

    def action_open_moderation_wizard(self):
        self.ensure_one()
        self._check_curator()
        if not self.account_id:
            raise UserError(
                self.env._(
                    "The message was not found on an official page: there is nothing to moderate."
                )
            )
        return act_window(
            "social.moderation.wizard",
            res_id=False,
            name=self.env._("Moderate the Comment"),
            target="new",
            context={"default_incident_id": self.id},
        )


def _like_prefix(prefix):
    """A ``=like`` pattern matching what starts with ``prefix``."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
