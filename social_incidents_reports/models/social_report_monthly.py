import base64
import logging

from markupsafe import Markup

from odoo import api, fields, models

from odoo.addons.social_incidents.models.helpers import scheduled_job
from odoo.addons.social_incidents.tools import clock

from ..report.helpers import Formatter, local_today, previous_month

_logger = logging.getLogger(__name__)


class SocialReportMonthly(models.Model):
    """The monthly analysis sent to the head of the municipality (BAT 13): one
    record per company and month, so the action that sends it can run any
    number of times and the head gets each month's report once."""

    _name = "social.report.monthly"
    _description = "Monthly Report to the Head"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _mail_post_access = "read"  # the head answers in the chatter: instructions to the curators

    name = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    head_ids = fields.Many2many("res.users", string="Sent To", readonly=True)
    sent_at = fields.Datetime(readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="Report", readonly=True)
    incident_count = fields.Integer(string="Incidents", readonly=True)
    on_time_share = fields.Char(string="Answered on Time", readonly=True)
    median_hours = fields.Char(string="Median Reply Time (working h)", readonly=True)

    _sql_constraints = [
        (
            "period_uniq",
            "UNIQUE (company_id, date_from, date_to)",
            "The report of this period has already been sent.",
        ),
    ]

    @api.model
    @scheduled_job
    def _cron_send_monthly(self):
        """On the first day of a month: send each company's head the analysis
        of the previous month, unless it was already sent."""
        # the companies that work with incidents at all
        companies = self.env["social.incident"].sudo()._read_group([], ["company_id"])
        sent = self.browse()
        for (company,) in companies:
            date_from, date_to = previous_month(local_today(company))
            if self.sudo().search_count(
                [
                    ("company_id", "=", company.id),
                    ("date_from", "=", date_from),
                    ("date_to", "=", date_to),
                ]
            ):
                continue
            heads = company._get_social_heads()
            if not heads:
                continue
            try:
                with self.env.cr.savepoint():
                    sent |= self.sudo()._send(company, date_from, date_to, heads)
            except Exception:
                _logger.exception("The monthly report of company %s could not be sent", company.id)
        return sent

    @api.model
    def _send(self, company, date_from, date_to, heads):
        lang = heads[:1].lang or self.env.lang or "en_US"
        self = self.with_context(lang=lang, tz=heads[:1].tz)  # noqa: PLW0642 - the head's language
        env = self.env
        figures = env["report.social_incidents_reports.report_monthly"]._figures(
            company, date_from, date_to
        )
        report = env.ref("social_incidents_reports.action_report_monthly")
        pdf, _type = (
            env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                report.report_name,
                res_ids=company.ids,
                data={
                    "date_from": fields.Date.to_string(date_from),
                    "date_to": fields.Date.to_string(date_to),
                },
            )
        )
        period = Formatter(env, company).period(date_from, date_to)
        totals = figures["totals"]
        record = self.create(
            {
                "name": env._("Analysis of the messages: %(period)s", period=period),
                "company_id": company.id,
                "date_from": date_from,
                "date_to": date_to,
                "head_ids": [(6, 0, heads.ids)],
                "sent_at": clock.now(),
                "incident_count": totals["__count"],
                "on_time_share": totals["on_time_share"],
                "median_hours": figures["median"],
            }
        )
        attachment = env["ir.attachment"].create(
            {
                "name": env._("Analysis of the messages %(period)s.pdf", period=period),
                "type": "binary",
                "datas": base64.b64encode(pdf),
                "mimetype": "application/pdf",
                "res_model": record._name,
                "res_id": record.id,
            }
        )
        record.attachment_id = attachment
        record.message_subscribe(partner_ids=heads.partner_id.ids)
        body = Markup("<p>%s</p><ul><li>%s</li><li>%s</li><li>%s</li><li>%s</li></ul>") % (
            env._(
                "The analysis of the citizens' messages for %(period)s is attached.", period=period
            ),
            env._("Messages detected: %(count)s", count=totals["__count"]),
            env._("Answered on time: %(share)s", share=totals["on_time_share"]),
            env._("Median reply time: %(hours)s working h", hours=figures["median"]),
            env._("Missed step deadlines: %(count)s", count=totals["violation_count:sum"]),
        )
        record.message_post(
            body=body,
            subject=record.name,
            partner_ids=heads.partner_id.ids,
            attachment_ids=attachment.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return record

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "download",
        }

    def action_open_analysis(self):
        self.ensure_one()
        return self.env["social.report.wizard"]._analysis_action(
            self.company_id, self.date_from, self.date_to
        )
