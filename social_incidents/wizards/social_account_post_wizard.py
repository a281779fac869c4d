from odoo import fields, models

from ..tools import clock


class SocialAccountPostWizard(models.TransientModel):
    """The dialog of a planned post's step that needs a reason or a link:
    “Return for Rework” and “Mark as Published”; the rules live in the post's
    ``action_*`` methods it calls."""

    _name = "social.account.post.wizard"
    _description = "Planned Post Step"

    mode = fields.Selection(
        [("return", "Return for Rework"), ("publish", "Mark as Published")],
        required=True,
        readonly=True,
    )
    post_id = fields.Many2one("social.account.post", required=True, readonly=True)
    # read as the user: a dialog made up for another's post shows nothing of it
    post_body = fields.Text(related="post_id.body", string="Post Text", related_sudo=False)
    return_reason_id = fields.Many2one("social.return.reason")
    comment = fields.Text()
    url = fields.Char(string="Post Link")
    published_at = fields.Datetime(default=lambda self: clock.now())

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "return":
            self.post_id.action_return(self.return_reason_id, self.comment)
        else:
            self.post_id.action_mark_published(self.url, self.published_at)
        return {"type": "ir.actions.act_window_close"}
