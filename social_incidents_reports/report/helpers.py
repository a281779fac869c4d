"""Periods and formatting shared by the PDF reports: every date and time is
shown in the administration's time zone (the company's working hours), so a
report prints the same whoever prints it or when the monthly action runs."""

from datetime import date, datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tools.misc import format_date, formatLang

from odoo.addons.social_incidents.models.social_incident_deadline import format_duration

DEFAULT_TZ = "Europe/Moscow"


def company_tz(company):
    return pytz.timezone(company.resource_calendar_id.tz or DEFAULT_TZ)


def previous_month(today):
    """(first day, last day) of the month before ``today``."""
    first = today.replace(day=1) - relativedelta(months=1)
    return first, today.replace(day=1) - timedelta(days=1)


def to_date(value):
    if isinstance(value, date):
        return value
    return fields.Date.to_date(value)


def utc_bounds(company, date_from, date_to):
    """Naive UTC datetimes [start, end) of the local days date_from..date_to."""
    tz = company_tz(company)
    start = tz.localize(datetime.combine(date_from, time.min)).astimezone(pytz.utc)
    end = tz.localize(datetime.combine(date_to + timedelta(days=1), time.min)).astimezone(pytz.utc)
    return start.replace(tzinfo=None), end.replace(tzinfo=None)


def local_today(company):
    return datetime.now(company_tz(company)).date()


def report_period(company, data):
    """(date_from, date_to) asked for in a report's ``data``; the previous
    month of the company when none is given (as the monthly action sends)."""
    if data.get("date_from") and data.get("date_to"):
        return to_date(data["date_from"]), to_date(data["date_to"])
    return previous_month(local_today(company))


def company_report_values(env, docids, data, figures):
    """Values of a report printed for companies: ``figures(company)`` of each.
    The web client sends no record ids with a report that has ``data``: the
    companies then come in ``data["company_ids"]`` (the wizard's choice)."""
    companies = env["res.company"].browse(docids or data.get("company_ids") or env.company.ids)
    return {
        "doc_ids": companies.ids,
        "doc_model": "res.company",
        "docs": companies,
        "reports": [figures(company) for company in companies],
    }


class Formatter:
    """Formatting for one report: dates in the company's time zone, numbers in
    the report's language."""

    def __init__(self, env, company):
        self.env = env
        self.tz = company_tz(company)

    def dt(self, value):
        if not value:
            return ""
        return pytz.utc.localize(value).astimezone(self.tz).strftime("%d.%m.%Y %H:%M")

    def day(self, value):
        return value.strftime("%d.%m.%Y") if value else ""

    def num(self, value, digits=1):
        if value is None or value is False:
            return "—"
        return formatLang(self.env, value, digits=digits)

    def pct(self, part, whole):
        if not whole:
            return "—"
        return formatLang(self.env, 100.0 * part / whole, digits=1) + " %"

    def duration(self, minutes, working=True):
        return format_duration(self.env, (minutes or 0) * 60, working=working)

    def period(self, date_from, date_to):
        if date_from.day == 1 and date_to == date_from + relativedelta(months=1) - timedelta(
            days=1
        ):
            # "ноябрь 2026": the month's stand-alone name in the report's language
            return format_date(self.env, date_from, date_format="LLLL yyyy")
        return f"{self.day(date_from)} — {self.day(date_to)}"
