from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import guard

DAY_TYPES = [
    ("holiday", "Public Holiday"),
    ("day_off", "Moved Day Off"),
    ("working", "Working Weekend Day"),
    ("short", "Shortened Working Day"),
    ("normal", "Ordinary Day"),
]


class SocialProductionDay(models.Model):
    """A day of the production calendar that differs from the ordinary week.

    A day comes from the ``holidays`` package, from the official calendar file
    an administrator loaded, or is set by hand: an administrator may add an
    exception, or override a loaded day (“Ordinary Day” cancels it); days set
    by hand survive reloading and loading a file."""

    _name = "social.production.day"
    _description = "Production Calendar Day"
    _order = "date"
    _rec_name = "date"

    year_id = fields.Many2one(
        "social.production.year",
        required=True,
        ondelete="cascade",
        index=True,
        compute="_compute_year_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    date = fields.Date(required=True)
    day_type = fields.Selection(DAY_TYPES, string="Type", required=True)
    name = fields.Char(string="Description")
    origin = fields.Selection(
        [("holidays", "Production Calendar"), ("file", "Official File"), ("manual", "Set by Hand")],
        required=True,
        default="manual",
        readonly=True,
    )

    _sql_constraints = [
        ("date_uniq", "UNIQUE (date)", "This day is already in the production calendar."),
    ]

    @api.depends("date")
    def _compute_year_id(self):
        Year = self.env["social.production.year"].sudo()
        for day in self:
            if not day.date or (day.year_id and day.year_id.year == day.date.year):
                continue
            year = Year.search([("year", "=", day.date.year)], limit=1)
            if not year:
                year = Year._create_unloaded([{"year": day.date.year}])
            day.year_id = year

    @api.constrains("date", "year_id")
    def _check_year(self):
        for day in self:
            if day.date.year != day.year_id.year:
                raise ValidationError(self.env._("The day %s is not in its year.", day.date))

    # Loading a year writes its days inside ``guard.system_write()``: they keep
    # their origin and the year recomputes the deadlines once, at the end. A
    # day created or changed by a user (no permit, whatever the context) is
    # set by hand and recomputes the open deadlines at once.
    @api.model_create_multi
    def create(self, vals_list):
        if not guard.permitted():
            for vals in vals_list:
                vals["origin"] = "manual"
        days = super().create(vals_list)
        days._after_change()
        return days

    def write(self, vals):
        if not guard.permitted() and {"date", "day_type"} & set(vals):
            vals = dict(vals, origin="manual")
        old = self.year_id
        result = super().write(vals)
        if not guard.permitted():
            (self.year_id | old)._recompute_deadlines()
        return result

    def unlink(self):
        years = self.year_id
        result = super().unlink()
        if not guard.permitted():
            years._recompute_deadlines()
        return result

    def _after_change(self):
        if not guard.permitted():
            self.year_id._recompute_deadlines()
