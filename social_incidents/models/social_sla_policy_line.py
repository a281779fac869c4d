from odoo import api, fields, models
from odoo.exceptions import ValidationError

SLA_STEPS = [
    ("route", "Routing"),
    ("decline", "Not in Our Competence"),
    ("reroute", "Re-routing"),
    ("clarification", "Clarification Request"),
    ("info", "Information for a Consolidated Reply"),
    ("draft", "Draft Sent for Approval"),
    ("review", "Curator's Review"),
    ("rework", "Rework"),
    ("publish", "Publication"),
    ("total", "Reply Published (Total)"),
    ("final", "Final Reply After an Intermediate One"),
    ("control", "Additional Control Report"),
]
# Lower case: a unit reads after the duration ("8 working hours"), and its own
# texts keep it apart from the calendar's "Working Hours" and the year's "Working Days".
SLA_UNITS = [
    ("minutes", "working minutes"),
    ("hours", "working hours"),
    ("days", "working days"),
    ("calendar_minutes", "minutes"),
    ("calendar_hours", "hours"),
    ("calendar_days", "days"),
]
SLA_ANCHORS = [
    ("detection", "From Detection"),
    ("start", "From the Start of the Step"),
    ("before_total", "Before the Total Deadline"),
]


class SocialSlaPolicyLine(models.Model):
    """One step's deadline: how long, in which time, counted from what."""

    _name = "social.sla.policy.line"
    _description = "Deadline of a Step"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one("social.sla.policy", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    sequence = fields.Integer(compute="_compute_sequence", store=True)
    step = fields.Selection(SLA_STEPS, required=True)
    duration = fields.Float(required=True, digits=(16, 2))
    unit = fields.Selection(SLA_UNITS, required=True, default="hours")
    anchor = fields.Selection(
        SLA_ANCHORS,
        string="Counted",
        required=True,
        default="start",
        help="From detection: from the moment the message was detected. From the start "
        "of the step: from the moment it reached whoever acts. Before the total deadline: "
        "that long before the deadline of the reply (KOR 12, BAT 9).",
    )

    _sql_constraints = [
        ("policy_step_uniq", "UNIQUE (policy_id, step)", "A step has one deadline per policy."),
        ("duration_positive", "CHECK (duration > 0)", "A deadline lasts more than zero."),
    ]

    @api.depends("step")
    def _compute_sequence(self):
        order = {key: index for index, (key, _label) in enumerate(SLA_STEPS)}
        for line in self:
            line.sequence = order.get(line.step, 0)

    @api.constrains("anchor", "unit", "step")
    def _check_anchor(self):
        for line in self:
            if line.anchor == "before_total":
                if line.step in ("total", "final", "route", "reroute", "control"):
                    raise ValidationError(
                        self.env._(
                            "Only the executor's steps can be counted back from the total deadline."
                        )
                    )
                if line.unit == "days":
                    raise ValidationError(
                        self.env._("Count “before the total deadline” in minutes or hours.")
                    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.policy_id._recompute_after_lines_change()
        return lines

    def write(self, vals):
        result = super().write(vals)
        self.policy_id._recompute_after_lines_change()
        return result

    def unlink(self):
        policies = self.policy_id
        result = super().unlink()
        policies._recompute_after_lines_change()
        return result
