from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..report.helpers import local_today

REPORTS = {
    "monthly": "social_incidents_reports.action_report_monthly",
    "disciplinary": "social_incidents_reports.action_report_disciplinary",
}


class SocialReportWizard(models.TransientModel):
    """Print the analysis of a period or the missed deadlines of a period."""

    _name = "social.report.wizard"
    _description = "Print an Incident Report"

    report = fields.Selection(
        [
            ("monthly", "Analysis of the Period"),
            ("disciplinary", "Missed Deadlines for Disciplinary Decisions"),
        ],
        required=True,
        default="monthly",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    period = fields.Selection(
        [
            ("this_month", "This Month"),
            ("last_month", "Last Month"),
            ("this_quarter", "This Quarter"),
            ("last_quarter", "Last Quarter"),
            ("this_year", "This Year"),
            ("custom", "Other Period"),
        ],
        required=True,
        default="last_month",
    )
    date_from = fields.Date(
        string="From", compute="_compute_dates", store=True, readonly=False, required=True
    )
    date_to = fields.Date(
        string="To", compute="_compute_dates", store=True, readonly=False, required=True
    )
    include_excused = fields.Boolean(
        string="Include Excused Delays",
        default=True,
        help="List the delays excused by the head or a curator, with their comment.",
    )

    @api.depends("period", "company_id")
    def _compute_dates(self):
        for wizard in self:
            if wizard.period == "custom" and wizard.date_from and wizard.date_to:
                continue
            wizard.date_from, wizard.date_to = self._period_dates(
                wizard.period, local_today(wizard.company_id or self.env.company)
            )

    @staticmethod
    def _period_dates(period, today):
        month = today.replace(day=1)
        quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        if period == "last_month":
            start = month - relativedelta(months=1)
            return start, month - relativedelta(days=1)
        if period == "this_quarter":
            return quarter, quarter + relativedelta(months=3, days=-1)
        if period == "last_quarter":
            return quarter - relativedelta(months=3), quarter - relativedelta(days=1)
        if period == "this_year":
            return today.replace(month=1, day=1), today.replace(month=12, day=31)
        return month, month + relativedelta(months=1, days=-1)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from and wizard.date_to and wizard.date_from > wizard.date_to:
                raise UserError(self.env._("The period ends before it starts."))

    def _data(self):
        self.ensure_one()
        return {
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "include_excused": self.include_excused,
            "company_ids": self.company_id.ids,
        }

    def action_print(self):
        self.ensure_one()
        self._check_dates()
        report = self.env.ref(REPORTS[self.report])
        return report.report_action(self.company_id, data=self._data())

    def action_open(self):
        """The analysis (or the missed deadlines) of the same company and
        period, whose figures the PDF shows."""
        self.ensure_one()
        if self.report == "disciplinary":
            domain = self.env[
                "report.social_incidents_reports.report_disciplinary"
            ]._violation_domain(self.company_id, self.date_from, self.date_to, self.include_excused)
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "social_incidents.social_sla_violation_action"
            )
            action.update(
                domain=domain,
                context={"search_default_group_executor": 1},
            )
            return action
        return self._analysis_action(self.company_id, self.date_from, self.date_to)

    @api.model
    def _analysis_action(self, company, date_from, date_to):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "social_incidents_reports.social_incident_report_action"
        )
        action.update(
            domain=self.env["social.incident.report"]._period_domain(company, date_from, date_to),
            context={
                "pivot_measures": [
                    "__count",
                    "answered_count",
                    "on_time_rate",
                    "reply_hours",
                    "violation_count",
                ]
            },
            name=self.env._(
                "Analysis: %(from)s — %(to)s",
                **{"from": date_from.strftime("%d.%m.%Y"), "to": date_to.strftime("%d.%m.%Y")},
            ),
        )
        return action
