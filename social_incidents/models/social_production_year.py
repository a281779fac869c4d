from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.social_incidents.tools import clock
from odoo.addons.social_incidents.tools.production_calendar import production_calendar

from .constants import ADMIN_GROUP
from .helpers import in_company_lang, schedule_for_administrators

_lt = LazyTranslate(__name__)


class SocialProductionYear(models.Model):
    """A year of the Russian production calendar: loaded from the ``holidays``
    package, or waiting to be loaded because a deadline falls in it."""

    _name = "social.production.year"
    _description = "Production Calendar Year"
    # the lang mixin first: it wraps the creation that mail.thread logs
    _inherit = ["social.company.lang.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "year desc"
    _rec_name = "year"

    year = fields.Integer(required=True)
    state = fields.Selection(
        [("missing", "Not Loaded"), ("loaded", "Loaded")],
        default="missing",
        required=True,
        readonly=True,
        tracking=True,
    )
    loaded_at = fields.Datetime(readonly=True)
    day_ids = fields.One2many("social.production.day", "year_id", string="Days")
    holiday_count = fields.Integer(compute="_compute_counts", string="Holidays and Days Off")
    working_count = fields.Integer(compute="_compute_counts", string="Working Days")
    short_count = fields.Integer(compute="_compute_counts", string="Shortened Days")
    manual_count = fields.Integer(compute="_compute_counts", string="Set by Hand")

    _sql_constraints = [
        ("year_uniq", "UNIQUE (year)", "This year is already in the production calendar."),
        ("year_range", "CHECK (year BETWEEN 1992 AND 2100)", "Choose a year between 1992 and 2100."),
    ]

    @api.depends("day_ids.day_type", "day_ids.origin", "state")
    def _compute_counts(self):
        for year in self:
            days = year.day_ids
            year.holiday_count = len(days.filtered(lambda d: d.day_type in ("holiday", "day_off")))
            year.short_count = len(days.filtered(lambda d: d.day_type == "short"))
            year.manual_count = len(days.filtered(lambda d: d.origin == "manual"))
            # working days of a Monday-to-Friday week, after the exceptions
            year.working_count = year._count_working_days() if year.state == "loaded" else 0

    def _count_working_days(self):
        from datetime import date, timedelta

        types = {day.date: day.day_type for day in self.day_ids}
        count = 0
        day = date(self.year, 1, 1)
        while day.year == self.year:
            kind = types.get(day)
            if kind in ("working", "short") or (day.weekday() < 5 and kind not in ("holiday", "day_off")):
                count += 1
            day += timedelta(days=1)
        return count

    @api.model_create_multi
    def create(self, vals_list):
        years = super().create(vals_list)
        if not self.env.context.get("social_production_no_load"):
            years.action_load()
        return years

    def action_load(self):
        """Load (or reload) the year from the ``holidays`` package. Days set by
        hand are kept; loading twice changes nothing."""
        self._check_admin()
        Day = self.env["social.production.day"].sudo().with_context(social_production_batch=True)
        changed_years = self.browse()
        for year in self:
            wanted = production_calendar(year.year)
            existing = {day.date: day for day in year.day_ids}
            to_create, to_unlink = [], Day
            changed = False
            for day, (kind, name) in wanted.items():
                current = existing.pop(day, None)
                if current is None:
                    to_create.append(
                        {"year_id": year.id, "date": day, "day_type": kind, "name": name, "origin": "holidays"}
                    )
                elif current.origin == "holidays" and (current.day_type, current.name) != (kind, name):
                    current.write({"day_type": kind, "name": name})
                    changed = True
            for day in existing.values():
                if day.origin == "holidays":
                    to_unlink |= day
            if to_create:
                Day.create(to_create)
            if to_unlink:
                to_unlink.unlink()
            changed = changed or bool(to_create or to_unlink)
            if year.state != "loaded":
                year.sudo().write({"state": "loaded", "loaded_at": clock.now()})
                year.activity_ids.sudo().action_feedback(
                    feedback=self.env._("The production calendar is loaded.")
                )
                changed = True
            if changed:
                changed_years |= year
                year.sudo().message_post(
                    body=Markup("%s") % self.env._(
                        "Loaded from the holidays package: %(holidays)s holidays and days off, "
                        "%(short)s shortened days.",
                        holidays=year.holiday_count,
                        short=year.short_count,
                    )
                )
        if changed_years:
            changed_years._recompute_deadlines()
        return True

    def _recompute_deadlines(self):
        """Recompute the open deadlines that run through these years."""
        from datetime import datetime

        Deadline = self.env["social.incident.deadline"].sudo()
        for year in self:
            start = datetime(year.year - 1, 12, 31)
            end = datetime(year.year + 1, 1, 2)
            rows = Deadline.search(
                [
                    ("state", "=", "open"),
                    ("started_at", "<", end),
                    "|",
                    "|",
                    ("deadline", ">=", start),
                    ("deadline", "=", False),
                    ("missing_year", "=", year.year),
                ]
            )
            rows._recompute(reason=_lt("the production calendar of %s changed", year.year))

    def _check_admin(self):
        if not (self.env.su or self.env.user.has_group(ADMIN_GROUP)):
            raise UserError(self.env._("Only an administrator of the incidents loads the production calendar."))

    @api.model
    def _load_years(self, years):
        """Load the given years (creating them where needed)."""
        self = in_company_lang(self)  # noqa: PLW0642 - the install and the job have no user's language
        existing = self.sudo().search([("year", "in", list(years))])
        missing = set(years) - set(existing.mapped("year"))
        existing.filtered(lambda y: y.state != "loaded").action_load()
        if missing:
            self.sudo().create([{"year": y} for y in sorted(missing)])
        return True

    @api.model
    def _cron_load_years(self):
        """Yearly: load the current and the next year ahead of time; reloading
        a loaded year keeps it current with the ``holidays`` package."""
        this_year = clock.now().year
        years = self.sudo().search([("year", "in", [this_year, this_year + 1])])
        self._load_years([this_year, this_year + 1])
        years.filtered(lambda y: y.state == "loaded").action_load()
        return True

    @api.model
    def _request_years(self, years):
        """Deadlines fall in ``years`` whose calendar is not loaded: ask the
        administrators to load them (one activity per year)."""
        records = self.sudo().search([("year", "in", list(years))])
        missing = set(years) - set(records.mapped("year"))
        if missing:
            records |= self.sudo().with_context(social_production_no_load=True).create(
                [{"year": y} for y in sorted(missing)]
            )
        schedule_for_administrators(
            records.filtered(lambda y: y.state == "missing"),
            "social_incidents.mail_act_social_load_calendar",
            summary=lambda record: record.env._("Load the production calendar of %s", record.year),
            note=lambda record: record.env._(
                "Deadlines fall in %s, whose production calendar is not loaded: they are "
                "not computed until it is.",
                record.year,
            ),
        )
        return records
