from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import abuse
from .social_abuse_term import ABUSE_CATEGORIES

# The reason proposed for a word whose own reason is not set (AKH 3.7, KOR 21).
CATEGORY_REASONS = {
    "obscenity": "social_incidents.no_reply_reason_obscene",
    "insult": "social_incidents.no_reply_reason_obscene",
    "threat": "social_incidents.no_reply_reason_threat",
}
ABUSE_FIELDS = ("abuse_flag", "abuse_words", "abuse_category", "abuse_reason_id")


class SocialIncident(models.Model):
    """Abusive messages (AKH 3.7, KOR 21): the text is read against the list of abusive
    words when the incident is registered and whenever its text changes; the incident is
    flagged with the words found (masked), their category and the no-reply reason to propose.
    Nothing is closed here: the curator confirms in the “No Reply” dialog."""

    _inherit = "social.incident"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    abuse_flag = fields.Boolean(
        string="Abusive",
        compute="_compute_abuse",
        store=True,
        index=True,
        readonly=True,
        help="The message holds obscene, insulting or threatening words (AKH 3.7, KOR 21).",
    )
    abuse_words = fields.Char(
        string="Abusive Words",
        compute="_compute_abuse",
        store=True,
        readonly=True,
        help="The words found, shown masked.",
    )
    abuse_category = fields.Selection(
        ABUSE_CATEGORIES, compute="_compute_abuse", store=True, readonly=True
    )
    abuse_reason_id = fields.Many2one(
        "social.no_reply.reason",
        string="Proposed No-Reply Reason",
        compute="_compute_abuse",
        store=True,
        readonly=True,
    )
    abuse_legal_basis = fields.Char(
        related="abuse_reason_id.legal_basis", string="Legal Basis of the Proposal"
    )

    @api.model
    def _get_protected_fields(self):
        # what the server found in the text: no client writes it
        return super()._get_protected_fields() | set(ABUSE_FIELDS)

    @api.depends("text", "company_id")
    def _compute_abuse(self):
        """Read on registration and when the text changes; a change of the word list
        does not rewrite what was found in incidents already registered."""
        Term = self.env["social.abuse.term"]
        indexes = {}
        reasons = {}
        for incident in self:
            company = incident.company_id or self.env.company
            if company.id not in indexes:
                indexes[company.id] = Term._terms_index(company)
            matches = abuse.find_abuse(incident.text or "", indexes[company.id])
            if not matches:
                incident.abuse_flag = False
                incident.abuse_words = False
                incident.abuse_category = False
                incident.abuse_reason_id = False
                continue
            category = abuse.strongest_category(matches)
            key = next(m.key for m in matches if m.category == category)
            if key not in reasons:
                # sudo: the term's reason, for the server's flag; the reasons are readable
                # by every role anyway
                reasons[key] = Term.sudo().browse(key).no_reply_reason_id or self.env.ref(
                    CATEGORY_REASONS[category], raise_if_not_found=False
                )
            incident.abuse_flag = True
            incident.abuse_words = ", ".join(abuse.mask_word(m.word) for m in matches)
            incident.abuse_category = category
            incident.abuse_reason_id = reasons[key]

    def action_open_abuse_no_reply_wizard(self):
        """The “No Reply” dialog with the proposed reason filled in; the curator confirms
        or chooses another, and nothing is closed before that."""
        self.ensure_one()
        self._check_no_reply()
        if not self.abuse_flag:
            raise UserError(self.env._("No abusive words were found in this message."))
        return self._open_wizard("no_reply", no_reply_reason_id=self.abuse_reason_id.id)
