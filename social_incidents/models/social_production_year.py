import contextvars
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ..tools import clock, guard
from ..tools.calendar_file import CalendarFileError, parse_calendar_file
from ..tools.production_calendar import decree_known, production_calendar
from ..tools.worktime import WORKING_UNITS
from .constants import ADMIN_GROUP
from .helpers import act_window, in_company_lang, schedule_for_administrators, scheduled_job

_lt = LazyTranslate(__name__)

LOAD_ACTIVITY = "social_incidents.mail_act_social_load_calendar"
# Set while years are created to be loaded later (their first day, a request for them).
_NO_LOAD = contextvars.ContextVar("social_production_year_no_load", default=False)


class SocialProductionYear(models.Model):
    """A year of the Russian production calendar: loaded from the ``holidays``
    package, or waiting to be loaded because a deadline falls in it.

    A year whose Government decree the package does not know is computed by
    Labour Code art. 112 and is *provisional* (the administrators get an
    activity) until an administrator loads the official calendar file, which
    confirms it."""

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
    source = fields.Selection(
        [
            ("holidays", "Holidays Package"),
            ("article_112", "Labour Code Art. 112 (Provisional)"),
            ("file", "Official File"),
        ],
        readonly=True,
        tracking=True,
        help="Where the days come from: the holidays package with the Government's decree; the "
        "package without a decree, the days off moved by Labour Code art. 112 (provisional); "
        "the official production calendar file loaded by an administrator.",
    )
    provisional = fields.Boolean(
        readonly=True,
        help="The holidays package does not know the Government's decree for this year: days off "
        "are moved by Labour Code art. 112 and deadlines may change when the official calendar "
        "file is loaded.",
    )
    file_name = fields.Char(string="Official File", readonly=True)
    day_ids = fields.One2many("social.production.day", "year_id", string="Days")
    holiday_count = fields.Integer(compute="_compute_counts", string="Holidays and Days Off")
    working_count = fields.Integer(compute="_compute_counts", string="Working Days")
    short_count = fields.Integer(compute="_compute_counts", string="Shortened Days")
    manual_count = fields.Integer(compute="_compute_counts", string="Set by Hand")

    _sql_constraints = [
        ("year_uniq", "UNIQUE (year)", "This year is already in the production calendar."),
        (
            "year_range",
            "CHECK (year BETWEEN 1992 AND 2100)",
            "Choose a year between 1992 and 2100.",
        ),
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
        types = {day.date: day.day_type for day in self.day_ids}
        count = 0
        day = date(self.year, 1, 1)
        while day.year == self.year:
            kind = types.get(day)
            if kind in ("working", "short") or (
                day.weekday() < 5 and kind not in ("holiday", "day_off")
            ):
                count += 1
            day += timedelta(days=1)
        return count

    @api.model_create_multi
    def create(self, vals_list):
        years = super().create(vals_list)
        if not _NO_LOAD.get():
            years.action_load()
        return years

    @api.model
    def _create_unloaded(self, vals_list):
        """Create years whose days are loaded later (not a context key: a client
        could send one)."""
        token = _NO_LOAD.set(True)
        try:
            return self.create(vals_list)
        finally:
            _NO_LOAD.reset(token)

    def action_load(self):
        """Load (or reload) the year from the ``holidays`` package. Days set by
        hand are kept; loading twice changes nothing. A year confirmed by the
        official file is not loaded over. Returns the notification that tells
        the administrator, per year, how many days changed, or that none did."""
        self._check_admin()
        changed_years = self.browse()
        day_counts = {}
        for year in self.filtered(lambda y: y.source != "file"):
            wanted = production_calendar(year.year)
            day_counts[year] = year._apply_days(wanted, "holidays")
            changed = bool(day_counts[year])
            provisional = not decree_known(year.year)
            if year.state != "loaded":
                year.activity_ids.sudo().action_feedback(
                    feedback=self.env._("The production calendar is loaded.")
                )
                changed = True
            elif year.provisional and not provisional:
                year.activity_ids.sudo().action_feedback(
                    feedback=self.env._("The holidays package now carries the decree of this year.")
                )
            vals = {
                "state": "loaded",
                "provisional": provisional,
                "source": "article_112" if provisional else "holidays",
            }
            if year.state != "loaded":
                vals["loaded_at"] = clock.now()
            if any(year[field] != value for field, value in vals.items()):
                # sudo: action_load() ran _check_admin() (or the install / the scheduled job loads)
                year.sudo().write(vals)
            if changed:
                changed_years |= year
                year.sudo().message_post(
                    body=Markup("%s")
                    % self.env._(
                        "Loaded from the holidays package: %(holidays)s holidays and days off, "
                        "%(short)s shortened days.",
                        holidays=year.holiday_count,
                        short=year.short_count,
                    )
                )
        self.filtered("provisional")._ask_for_official_file()
        if changed_years:
            changed_years._recompute_deadlines()
        return self._load_notification(day_counts)

    def _load_notification(self, day_counts):
        """The notification after a load: for each year, the number of days
        that changed, or that the calendar was already up to date (a year
        confirmed by the official file is not loaded over, and says so)."""
        _ = self.env._
        lines = []
        for year in self:
            label = str(year.year)  # no thousands separator in a year
            if year not in day_counts:
                lines.append(
                    _(
                        "The calendar of %(year)s is confirmed by the official file and is not "
                        "loaded over",
                        year=label,
                    )
                )
            elif day_counts[year]:
                lines.append(
                    _(
                        "The calendar of %(year)s is updated, days changed: %(count)s; open "
                        "deadlines are recomputed",
                        year=label,
                        count=day_counts[year],
                    )
                )
            else:
                lines.append(
                    _(
                        "The calendar of %(year)s is already up to date, nothing has changed",
                        year=label,
                    )
                )
        return _notification(
            _("Production Calendar"),
            ". ".join(lines),
            "success" if any(day_counts.values()) else "info",
        )

    def action_open_file_wizard(self):
        """The dialog in which an administrator loads the official file."""
        self.ensure_one()
        self._check_admin()
        return act_window(
            "social.production.year.file.wizard",
            res_id=False,
            name=self.env._("Load the Official Calendar File"),
            target="new",
            context={"default_year_id": self.id},
        )

    def _apply_days(self, wanted, origin):
        """Make the days of ``origin`` ("holidays" or "file") those of
        ``wanted`` ({date: (type, name)}); days of the other automatic origin
        are replaced, days set by hand are kept. Returns the number of days
        added, removed or given another type or name (a day that only changes
        its origin is written, not counted). The days are written with the
        permit: they keep their origin and the caller recomputes the
        deadlines once."""
        self.ensure_one()
        Day = self.env["social.production.day"].sudo()
        existing = {day.date: day for day in self.day_ids}
        to_create, to_unlink = [], Day
        changed = 0
        with guard.system_write():
            for day, (kind, name) in wanted.items():
                current = existing.pop(day, None)
                if current is None:
                    to_create.append(
                        {
                            "year_id": self.id,
                            "date": day,
                            "day_type": kind,
                            "name": name,
                            "origin": origin,
                        }
                    )
                elif current.origin != "manual" and (
                    current.day_type,
                    current.name,
                    current.origin,
                ) != (
                    kind,
                    name,
                    origin,
                ):
                    if (current.day_type, current.name) != (kind, name):
                        changed += 1
                    current.write({"day_type": kind, "name": name, "origin": origin})
            for day in existing.values():
                if day.origin != "manual":
                    to_unlink |= day
            if to_unlink:
                to_unlink.unlink()
            if to_create:
                Day.create(to_create)
        return changed + len(to_create) + len(to_unlink)

    def _ask_for_official_file(self):
        """The administrators confirm a provisional year with the official file."""
        schedule_for_administrators(
            self,
            LOAD_ACTIVITY,
            summary=lambda record: record.env._(
                "Confirm the production calendar of %s: load the official file", record.year
            ),
            note=lambda record: record.env._(
                "The holidays package does not know the Government's decree for %s: its days off "
                "are moved by Labour Code art. 112 and the deadlines that fall in it are "
                "provisional. Load the official production calendar file to confirm the year.",
                record.year,
            ),
        )

    def _load_file(self, content, file_name=False):
        """Confirm the year with the official production calendar file
        (``content``: its bytes, XML or CSV, see tools/calendar_file.py).
        The days from the file replace the automatic ones; days set by hand
        are kept; the open deadlines are recomputed. A bad file raises and
        changes nothing."""
        self.ensure_one()
        self._check_admin()
        try:
            wanted = parse_calendar_file(content, self.year)
        except CalendarFileError as error:
            raise UserError(
                self.env._(
                    "The file %(file)s is not loaded, nothing has changed: %(reason)s",
                    file=file_name or "",
                    reason=self._file_error_message(error),
                )
            ) from None
        day_count = self._apply_days(wanted, "file")
        # sudo: _check_admin() above refused anyone but an administrator
        self.sudo().write(
            {
                "state": "loaded",
                "provisional": False,
                "source": "file",
                "file_name": file_name or False,
                "loaded_at": clock.now(),
            }
        )
        self.activity_ids.sudo().action_feedback(
            feedback=self.env._("The official production calendar is loaded.")
        )
        self.sudo().message_post(
            body=Markup("%s")
            % self.env._(
                "Confirmed by the official production calendar file %(file)s: %(holidays)s "
                "holidays and days off, %(short)s shortened days, %(working)s working days.",
                file=file_name or "",
                holidays=self.holiday_count,
                short=self.short_count,
                working=self.working_count,
            )
        )
        self._recompute_deadlines()
        label = str(self.year)
        if day_count:
            message = self.env._(
                "The calendar of %(year)s is confirmed by the official file, days changed: "
                "%(count)s; open deadlines are recomputed",
                year=label,
                count=day_count,
            )
        else:
            message = self.env._(
                "The calendar of %(year)s is confirmed by the official file: its days were already "
                "up to date, nothing has changed",
                year=label,
            )
        return _notification(self.env._("Production Calendar"), message, "success")

    def _file_error_message(self, error):
        _ = self.env._
        params = error.params
        messages = {
            "empty": lambda: _("the file is empty."),
            "too_large": lambda: _(
                "the file is too large (%(size)s bytes); a production calendar takes a few "
                "kilobytes.",
                **params,
            ),
            "encoding": lambda: _("the file is neither UTF-8 nor Windows-1251 text."),
            "gzip": lambda: _("the compressed file is damaged."),
            "xml": lambda: _("the file is not well-formed XML (line %(line)s).", **params),
            "dtd": lambda: _(
                "the XML file declares a DTD or entities, which a production calendar does not "
                "need."
            ),
            "not_calendar": lambda: _(
                "the XML file is not a production calendar: its root element is <%(tag)s>, not "
                "<calendar>.",
                **params,
            ),
            "country": lambda: _(
                "the file is the calendar of another country (%(country)s).", **params
            ),
            "year": lambda: _(
                "the file is the calendar of %(found)s, not of %(expected)s.", **params
            ),
            "date": lambda: _("line %(line)s: “%(value)s” is not a date of %(year)s.", **params),
            "type": lambda: _(
                "line %(line)s: unknown day type “%(value)s” (XML: 1, 2 or 3; CSV: holiday, "
                "day_off, short or working).",
                **params,
            ),
            "columns": lambda: _("line %(line)s: a date and a day type are expected.", **params),
            "duplicate": lambda: _("line %(line)s: the day %(value)s is given twice.", **params),
            "no_days": lambda: _("the file lists no day."),
        }
        return messages[error.code]()

    @api.model
    def _provisional_years_of(self, rows):
        """{deadline row: [provisional years its deadline is counted through]}:
        working time of a deadline runs from the step's start to the deadline,
        in the time zone of its calendar; plain hours need no calendar."""
        provisional = set(self.sudo().search([("provisional", "=", True)]).mapped("year"))
        result = {}
        for row in rows:
            years = []
            if provisional and row.deadline and row.started_at and row.unit in WORKING_UNITS:
                tz = ZoneInfo(row.sudo().calendar_id.tz or "UTC")
                first = _local_year(row.started_at, tz)
                last = _local_year(row.deadline, tz)
                years = [y for y in range(first, last + 1) if y in provisional]
            result[row] = years
        return result

    def _recompute_deadlines(self):
        """Recompute the open deadlines that run through these years."""
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
            raise UserError(
                self.env._("Only an administrator of the incidents loads the production calendar.")
            )

    @api.model
    def _load_years(self, years):
        """Load the given years (creating them where needed); a year loaded
        before the calendar told its source (an upgraded database) is loaded
        again, which tells whether it is provisional."""
        self = in_company_lang(self)  # noqa: PLW0642 - the install and the job have no user's language
        existing = self.sudo().search([("year", "in", list(years))])
        missing = set(years) - set(existing.mapped("year"))
        existing.filtered(lambda y: y.state != "loaded" or not y.source).action_load()
        if missing:
            self.sudo().create([{"year": y} for y in sorted(missing)])
        return True

    @api.model
    @scheduled_job
    def _cron_load_years(self):
        """Yearly: load the current and the next year ahead of time; reloading
        a loaded year keeps it current with the ``holidays`` package (a year
        confirmed by the official file is kept as loaded). The job has no
        user: it writes in the language of the administrators it asks."""
        admins = self.env.ref(ADMIN_GROUP).sudo().users.filtered(lambda u: u.active and not u.share)
        lang = admins.sorted("id")[:1].lang or self.env.company.partner_id.lang or self.env.lang
        self = self.with_context(lang=lang)  # noqa: PLW0642 - the administrators' language
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
            records |= self.sudo()._create_unloaded([{"year": y} for y in sorted(missing)])
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


def _notification(title, message, kind):
    """A notification, then the dialog closes and the view reloads its records."""
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {
            "title": title,
            "message": message,
            "type": kind,
            "sticky": False,
            "next": {"type": "ir.actions.act_window_close"},
        },
    }


def _local_year(value, tz):
    return value.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz).year
