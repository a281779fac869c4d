from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import reply_quality


class SocialAccountPost(models.Model):
    """The reply quality assistant's checks on a planned post's text: warnings
    while it is written and reviewed; a mark of restricted information blocks
    the submission (LYA 8)."""

    _inherit = "social.account.post"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    quality_html = fields.Html(
        string="Text Checks",
        compute="_compute_quality",
        sanitize=False,
        help="What the checks found in the text: bureaucratese, more than two citations of legal "
        "acts, a text too long for the network, marks of restricted information.",
    )
    quality_blocked = fields.Boolean(
        string="Blocked by a Restricted Mark", compute="_compute_quality"
    )

    def _quality_findings(self):
        self.ensure_one()
        Reply = self.env["social.incident.reply"]
        _names, _suggestions, phrases_re = Reply._quality_phrases()
        # "intermediate": a post is not a final reply, it owes no date or measure
        return reply_quality.check(
            self.body or "",
            kind="intermediate",
            network=self.network,
            has_media=bool(self.attachment_ids),
            phrases_re=phrases_re,
        )

    @api.depends("body", "network", "attachment_ids")
    def _compute_quality(self):
        Reply = self.env["social.incident.reply"]
        for post in self:
            findings = post._quality_findings()
            post.quality_blocked = reply_quality.has_blocking(findings)
            # the reply's panel, rendered for this text (a reply in memory, never saved)
            panel = Reply.new({"body": post.body or "", "kind": "intermediate"})
            post.quality_html = panel._quality_render(findings) if findings else False

    def _check_edit(self, editing=False):
        super()._check_edit(editing=editing)
        if editing:
            return
        for post in self:
            findings = post._quality_findings()
            if reply_quality.has_blocking(findings):
                raise UserError(
                    self.env._(
                        "The post has a mark of restricted information (%s): such information is "
                        "never published. Remove it before submitting the post.",
                        ", ".join(f"«{mark}»" for mark in reply_quality.restricted_marks(findings)),
                    )
                )
