from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import abuse

ABUSE_CATEGORIES = [
    ("obscenity", "Obscenity"),
    ("insult", "Insult"),
    ("threat", "Threat"),
]


class SocialAbuseTerm(models.Model):
    """A word beginning (stem) that marks a message as obscene, insulting or threatening
    (AKH 3.7, KOR 21). Matching lives in ``tools/abuse.py``.

    A term without a company applies to every administration (the shipped list: Russian
    obscenity is the same everywhere); an administrator adds a term of their own company
    for a local nickname or insult. Editing the list changes how new and edited messages are
    read; incidents already registered keep what was found when their text was read."""

    _name = "social.abuse.term"
    _description = "Abusive Word"
    _order = "category, name, id"

    name = fields.Char(
        string="Word Beginning",
        required=True,
        help="The beginning of the word as it is written without masking, e.g. “пизд”: every "
        "word starting with it matches, never a word that merely contains it.",
    )
    category = fields.Selection(ABUSE_CATEGORIES, required=True, default="obscenity")
    no_reply_reason_id = fields.Many2one(
        "social.no_reply.reason",
        string="Proposed No-Reply Reason",
        ondelete="set null",
        help="Empty (or the reason deleted): the reason of the category is proposed.",
    )
    exceptions = fields.Char(
        help="Words beginning with this one that are not abusive, separated by commas, "
        "e.g. “мандат, мандарин” for “манда”.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Empty: the word is looked for in the messages of every administration.",
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "This word beginning is already in the list.",
        ),
    ]

    @api.constrains("name", "exceptions")
    def _check_name(self):
        for term in self:
            stem = abuse.normalize((term.name or "").strip())
            if len(stem) < 2 or not stem.isalpha():
                raise ValidationError(
                    self.env._(
                        "“%s” cannot be looked for: give the beginning of one word, two letters "
                        "or more, without spaces, digits or masking signs.",
                        term.name,
                    )
                )
            for exception in abuse.split_exceptions(term.exceptions):
                if not abuse.normalize(exception).startswith(stem):
                    raise ValidationError(
                        self.env._(
                            "The exception “%(exception)s” does not begin with “%(stem)s”: an "
                            "exception is a harmless word that starts like the abusive one.",
                            exception=exception,
                            stem=term.name,
                        )
                    )

    @api.model
    def _terms_index(self, company):
        """{first letter: [abuse.Term]} of the active terms of ``company`` and of every
        company; a term's key is its id."""
        # sudo: reads the list for the server's matcher; the caller only learns which of
        # its own incident's words matched
        records = self.sudo().search(
            ["|", ("company_id", "=", False), ("company_id", "=", company.id)]
        )
        return abuse.index_terms(
            abuse.make_term(
                term.id, term.name, term.category, abuse.split_exceptions(term.exceptions)
            )
            for term in records
        )
