import re

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools import spelling

_ONE_WORD_RE = re.compile(r"^\w+(?:[-‐]\w+)*$", re.UNICODE)


class SocialSpellingWord(models.Model):
    """A word of the administration's own spelling dictionary (issue #17): the spelling check
    of a reply does not flag it, in any of its forms. For the words Debian's Russian dictionary
    lacks that replies use («грейдирование», «ливнёвка», «р-н»); place names are known without
    it (the locations). Each municipality (company) keeps its own list; administrators edit it,
    curators read it."""

    _name = "social.spelling.word"
    _description = "Spelling Dictionary Word"
    _order = "name, id"

    name = fields.Char(
        string="Word",
        required=True,
        help="One word in any of its forms, e.g. “грейдирование”: its inflected forms are "
        "accepted too.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(company_id, name)",
            "This word is already in the dictionary.",
        ),
    ]

    @api.constrains("name")
    def _check_name(self):
        for word in self:
            if not _ONE_WORD_RE.match(word.name or ""):
                raise ValidationError(
                    self.env._(
                        "“%s” is not one word: add each word separately, without spaces or "
                        "punctuation.",
                        word.name or "",
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if isinstance(vals.get("name"), str):
                vals["name"] = vals["name"].strip()
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        if isinstance(vals.get("name"), str):
            vals = dict(vals, name=vals["name"].strip())
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    # ------------------------------------------------------------------
    # The checker's vocabulary
    # ------------------------------------------------------------------
    @api.model
    def _vocabulary(self, company):
        """The words of ``company``'s dictionary and its place names (``spelling.Vocabulary``),
        cached: a change of the dictionary clears the cache, a change of the locations gives
        a new key (their count, ids and last change)."""
        domain_words = [("company_id", "=", company.id)]
        domain_places = [("company_id", "in", [company.id, False])]
        # sudo: the checker reads the whole dictionary and every place name for any writer
        Word = self.sudo().with_context(active_test=False)
        # sudo: as above
        Location = self.env["social.incident.location"].sudo().with_context(active_test=False)
        # new records have new ids (sequences never go back), a change a new write date
        aggregates = ["__count", "id:max", "id:sum", "write_date:max"]
        signature = (
            tuple(Word._read_group(domain_words, [], aggregates)[0]),
            tuple(Location._read_group(domain_places, [], aggregates)[0]),
        )
        return self._vocabulary_cached(company.id, signature)

    @api.model
    @tools.ormcache("company_id", "signature")
    def _vocabulary_cached(self, company_id, signature):
        # sudo: see _vocabulary
        words = self.sudo().search_read([("company_id", "=", company_id)], ["name"])
        # sudo: see _vocabulary
        places = (
            self.env["social.incident.location"]
            .sudo()
            .search_read([("company_id", "in", [company_id, False])], ["name"])
        )
        return spelling.Vocabulary(
            words=[w["name"] for w in words], places=[p["name"] for p in places]
        )
