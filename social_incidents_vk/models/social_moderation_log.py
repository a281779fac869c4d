from odoo import fields, models

from odoo.addons.social_incidents.tools import clock

MODERATION_REASONS = [
    ("law", "Breaks the Law"),
    ("spam", "Spam"),
    ("insult", "Insult"),
    ("obscene", "Obscene Language"),
]


class SocialModerationLog(models.Model):
    """The moderation journal of the official pages (LYA 10, PRI 2.3, KOR A1 14):
    what was deleted or banned, why, by whom, with a snapshot of the text."""

    _name = "social.moderation.log"
    _description = "Moderation Journal"
    _order = "date desc, id desc"
    _rec_name = "author_id"

    account_id = fields.Many2one(
        "social.account", string="Official Page", required=True, index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    network = fields.Selection(related="account_id.network", store=True)
    incident_id = fields.Many2one("social.incident", index=True)
    author_id = fields.Many2one("social.author", index=True)
    comment_external_id = fields.Char(string="Comment ID")
    comment_url = fields.Char(string="Comment Link")
    text_snapshot = fields.Text(string="Text of the Comment")
    action = fields.Selection(
        [("delete", "Comment Deleted"), ("ban", "Author Banned")], required=True
    )
    reason = fields.Selection(MODERATION_REASONS, required=True)
    comment = fields.Text(string="Moderator's Comment")
    user_id = fields.Many2one(
        "res.users", string="Moderator", required=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(required=True, default=lambda self: clock.now())
    result = fields.Selection(
        [("done", "Done"), ("failed", "Failed"), ("manual", "To Do by Hand")], required=True
    )
    error = fields.Text()
