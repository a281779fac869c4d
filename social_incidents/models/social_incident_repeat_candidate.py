from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import clock
from ..tools.guard import workflow_action
from .constants import CURATOR_GROUP


class SocialIncidentRepeatCandidate(models.Model):
    """An earlier incident that a new one may repeat (LYA 10, AKH 3.6, BAT 11): the same author
    within the company's period, or a similar text on the same location or topic. Proposed by
    the server when the incident is registered or its location or topics change; the curator
    links it (the incident becomes a repeat of the earlier one) or dismisses it, and a
    dismissed proposal is never made again. Nothing is linked by itself."""

    _name = "social.incident.repeat.candidate"
    _description = "Possible Repeat of an Earlier Incident"
    _inherit = ["social.protected.mixin"]
    _order = "incident_id, score desc, id"
    # The server proposes; the curator decides through the buttons.
    _protected_fields = "__all__"

    incident_id = fields.Many2one(
        "social.incident", required=True, index=True, ondelete="cascade", readonly=True
    )
    earlier_id = fields.Many2one(
        "social.incident",
        string="Earlier Incident",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    score = fields.Float(
        string="Similarity",
        digits=(3, 2),
        readonly=True,
        help="Trigram similarity of the two texts, from 0 (nothing in common) to 1 (the same).",
    )
    reason = fields.Selection(
        [
            ("author", "Same author"),
            ("text", "Similar text, same location or topic"),
            ("author_text", "Same author, similar text"),
        ],
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [("proposed", "Proposed"), ("linked", "Linked"), ("dismissed", "Dismissed")],
        default="proposed",
        required=True,
        readonly=True,
        index=True,
    )
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_at = fields.Datetime(string="Decided", readonly=True)
    company_id = fields.Many2one(related="incident_id.company_id", store=True, index=True)
    earlier_detected_at = fields.Datetime(related="earlier_id.detected_at", string="Detected")
    earlier_state = fields.Selection(related="earlier_id.state", string="Earlier Incident State")
    earlier_summary = fields.Char(related="earlier_id.summary", string="Earlier Message")
    earlier_outcome = fields.Char(string="Outcome", compute="_compute_earlier_outcome")

    _sql_constraints = [
        (
            "pair_uniq",
            "UNIQUE(incident_id, earlier_id)",
            "An earlier incident is proposed once for an incident.",
        ),
    ]

    @api.depends(
        "earlier_id.state",
        "earlier_id.reply_ids.state",
        "earlier_id.no_reply_reason_id",
        "earlier_id.merged_into_id",
    )
    def _compute_earlier_outcome(self):
        """What became of the earlier incident: answered (with the reply's text), closed
        without a reply (with the reason), merged, or still in progress."""
        states = dict(self.env["social.incident"]._fields["state"]._description_selection(self.env))
        for candidate in self:
            earlier = candidate.earlier_id
            published = earlier.reply_ids.filtered(lambda r: r.state == "published").sorted(
                lambda r: (r.kind == "final", r.published_at or r.create_date, r.id)
            )[-1:]
            if earlier.state == "no_reply":
                outcome = self.env._(
                    "Closed without a reply: %(reason)s",
                    reason=", ".join(
                        filter(None, [earlier.no_reply_reason_id.name, earlier.no_reply_comment])
                    ),
                )
            elif earlier.state == "merged":
                outcome = self.env._(
                    "Merged into %(number)s", number=earlier.merged_into_id.name or ""
                )
            elif published:
                outcome = self.env._(
                    "%(state)s: %(reply)s",
                    state=states.get(earlier.state, earlier.state),
                    reply=" ".join((published.body or "").split()),
                )
            elif earlier.state == "closed":
                outcome = self.env._("Closed without a published reply")
            else:
                outcome = self.env._(
                    "In progress (%(state)s)", state=states.get(earlier.state, earlier.state)
                )
            candidate.earlier_outcome = outcome

    # ------------------------------------------------------------------
    # The curator's decision
    # ------------------------------------------------------------------
    def _check_decide(self):
        self.check_access("write")
        user = self.env.user
        for candidate in self:
            if not user.has_group(CURATOR_GROUP) or candidate.company_id not in user.company_ids:
                raise UserError(
                    self.env._(
                        "Only a curator of the administration links or dismisses a possible repeat."
                    )
                )
            if candidate.state != "proposed":
                raise UserError(
                    self.env._(
                        "The possible repeat %(number)s has already been decided.",
                        number=candidate.earlier_id.name,
                    )
                )

    @workflow_action
    def action_link(self):
        """Mark the incident as a repeat of the earlier one (tracked in its chatter)."""
        self.ensure_one()
        self._check_decide()
        incident = self.incident_id
        if incident.repeat_of_id:
            raise UserError(
                self.env._(
                    "Incident %(number)s is already marked as a repeat of %(earlier)s.",
                    number=incident.name,
                    earlier=incident.repeat_of_id.name,
                )
            )
        # as the curator: their rights on the incident apply, and the chatter names them
        incident.write({"repeat_of_id": self.earlier_id.id})
        self.write({"state": "linked", "decided_by_id": self.env.uid, "decided_at": clock.now()})
        return True

    @workflow_action
    def action_dismiss(self):
        """Not a repeat: the proposal is kept as dismissed and never made again."""
        self._check_decide()
        self.write({"state": "dismissed", "decided_by_id": self.env.uid, "decided_at": clock.now()})
        return True

    def action_open_earlier(self):
        self.ensure_one()
        return self.earlier_id._action_open_form()
