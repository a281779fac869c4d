from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import reply_quality


class SocialReplyPhrase(models.Model):
    """A bureaucratic phrase a reply should not use (KOR 20, KOR A1 10): the draft form warns
    the executor and the curator where it occurs. Matched by word beginnings, so the list
    holds each phrase once in any of its forms; administrators edit it."""

    _name = "social.reply.phrase"
    _description = "Bureaucratic Phrase"
    _order = "name, id"

    name = fields.Char(
        string="Phrase",
        required=True,
        help="The phrase in any form, e.g. “в целях обеспечения”: its inflected forms match too.",
    )
    suggestion = fields.Char(
        string="Say Instead",
        help="The plain wording shown next to the warning, e.g. “чтобы”.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "This phrase is already in the list."),
    ]

    @api.constrains("name")
    def _check_name(self):
        for phrase in self:
            if not reply_quality.phrase_pattern(phrase.name):
                raise ValidationError(
                    self.env._("“%s” has no words to look for.", phrase.name or "")
                )

    @api.model
    def _phrase_records(self):
        """The active list, for the server's checker."""
        # sudo: the checker reads the whole list for any writer of a reply
        return self.sudo().with_context(active_test=True).search([])

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
