from odoo import fields, models


class SocialIncidentRouteSuggestion(models.TransientModel):
    """A suggested executor or topic in the routing dialog, with its reason. Choosing it adds
    it to the dialog; nothing is routed until the curator confirms."""

    _name = "social.incident.route.suggestion"
    _description = "Routing Suggestion"
    _order = "kind, score desc, id"

    wizard_id = fields.Many2one(
        "social.incident.route.wizard", required=True, ondelete="cascade", index=True
    )
    kind = fields.Selection([("executor", "Executor"), ("topic", "Topic")], required=True)
    name = fields.Char(string="Suggestion", readonly=True)
    executor_id = fields.Many2one("social.executor", readonly=True)
    topic_id = fields.Many2one("social.incident.topic", readonly=True)
    score = fields.Float(digits=(6, 2), readonly=True)
    reason = fields.Char(readonly=True)
    chosen = fields.Boolean(string="Add", help="Add the suggestion to the dialog.")
