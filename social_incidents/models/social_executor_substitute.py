from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SocialExecutorSubstitute(models.Model):
    """While a member is absent, what would go to them goes to the substitute."""

    _name = "social.executor.substitute"
    _description = "Executor Member Substitute"
    _order = "date_from desc, id desc"

    executor_id = fields.Many2one("social.executor", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one(
        "res.users", string="Absent Member", required=True, ondelete="cascade"
    )
    substitute_user_id = fields.Many2one(
        "res.users", string="Substitute", required=True, ondelete="cascade", index=True
    )
    date_from = fields.Date(string="From", required=True, index=True)
    date_to = fields.Date(string="To", required=True, index=True)
    note = fields.Char(string="Reason of Absence")
    company_id = fields.Many2one(related="executor_id.company_id", store=True)

    @api.constrains("date_from", "date_to", "user_id", "substitute_user_id")
    def _check_period(self):
        for line in self:
            if line.date_to < line.date_from:
                raise ValidationError(
                    self.env._("The absence must end on or after the day it starts.")
                )
            if line.user_id == line.substitute_user_id:
                raise ValidationError(self.env._("A member cannot substitute for themselves."))
