from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import triage


class SocialTriageRule(models.Model):
    """Keywords of a topic: a message with them is suggested the topic and its executor in the
    routing dialog. The curator confirms; nothing is routed by a rule."""

    _name = "social.triage.rule"
    _description = "Routing Suggestion Rule"
    _order = "sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    # a rule is its topic's keywords: deleting the topic deletes them
    topic_id = fields.Many2one("social.incident.topic", required=True, ondelete="cascade")
    executor_id = fields.Many2one(
        "social.executor",
        check_company=True,
        help="Suggested with the topic; leave empty to suggest the topic alone.",
    )
    keywords = fields.Text(
        required=True,
        help="Word stems, one a line: a stem matches the words that start with it "
        "(«ям» matches «яма», «ямы», «ямочный»); ё and е are the same letter.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)

    @api.depends("topic_id", "executor_id")
    def _compute_display_name(self):
        for rule in self:
            names = [rule.topic_id.display_name or ""]
            if rule.executor_id:
                names.append(rule.executor_id.display_name)
            rule.display_name = " → ".join(filter(None, names))

    @api.constrains("keywords")
    def _check_keywords(self):
        for rule in self:
            if not triage.parse_stems(rule.keywords):
                raise ValidationError(
                    self.env._("Give at least one keyword (letters or digits), one a line.")
                )

    def _match(self, text):
        """[(rule, matched words)] of the rules of ``self`` whose keywords are in ``text``."""
        text_words = triage.words(text)
        result = []
        for rule in self:
            matched = triage.match_stems(text_words, triage.parse_stems(rule.keywords))
            if matched:
                result.append((rule, matched))
        return result
