from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL
from odoo.tools.misc import get_lang

from odoo.addons.social_incidents.tools import clock

from .helpers import Formatter, company_report_values, report_period

# What every table of the monthly report counts, as the pivot aggregates it.
AGGREGATES = (
    "__count",
    "answered_count:sum",
    "on_time_count:sum",
    "late_count:sum",
    "overdue_count:sum",
    "reply_hours:avg",
    "violation_count:sum",
)
TOTAL_AGGREGATES = (
    *AGGREGATES,
    "rework_count:sum",
    "repeat_count:sum",
    "intermediate_count:sum",
    "final_after_intermediate_count:sum",
    "no_reply_count:sum",
    "high_count:sum",
)
LIST_LIMIT = 30
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 680, 200, 18, 34


class ReportMonthly(models.AbstractModel):
    """Monthly analysis for the head (BAT 13): how the administration answered
    the messages detected in the period. Every figure is read from
    ``social.incident.report`` with the domain that the wizard's "Open the
    analysis" button gives the pivot."""

    _name = "report.social_incidents_reports.report_monthly"
    _description = "Monthly Incident Analysis Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        return company_report_values(
            self.env,
            docids,
            data,
            lambda company: self._figures(company, *report_period(company, data)),
        )

    # ------------------------------------------------------------------
    @api.model
    def _figures(self, company, date_from, date_to):
        Report = self.env["social.incident.report"]
        fmt = Formatter(self.env, company)
        domain = Report._period_domain(company, date_from, date_to)
        labels = {
            name: dict(Report._fields[name]._description_selection(self.env))
            for name in ("network", "state", "timeliness", "importance")
        }

        def row(label, values, names=AGGREGATES):
            result = dict(zip(names, values, strict=True))
            result["label"] = label
            result["on_time_share"] = fmt.pct(
                result["on_time_count:sum"], result["on_time_count:sum"] + result["late_count:sum"]
            )
            result["reply_hours"] = fmt.num(result["reply_hours:avg"])
            return result

        def grouped(groupby, label_of, limit=None):
            groups = Report._read_group(domain, [groupby], AGGREGATES)
            rows = [row(label_of(key), values) for key, *values in groups]
            rows.sort(key=lambda r: (-r["__count"], r["label"]))
            return rows[:limit] if limit else rows

        totals = row(
            "",
            Report._read_group(domain, [], TOTAL_AGGREGATES)[0],
            TOTAL_AGGREGATES,
        )
        median, p90 = self._percentiles(domain)
        none = self.env._("(none)")
        no_reply = Report._read_group(
            domain + [("state", "=", "no_reply")], ["no_reply_reason_id"], ["__count"]
        )
        return {
            "company": company,
            "fmt": fmt,
            "date_from": date_from,
            "date_to": date_to,
            "period": fmt.period(date_from, date_to),
            "generated": fmt.dt(clock.now()),
            "domain": domain,
            "labels": labels,
            "totals": totals,
            "open_count": Report.search_count(
                domain + [("state", "not in", ("answered", "closed", "no_reply", "merged"))]
            ),
            "merged_count": Report.search_count(domain + [("state", "=", "merged")]),
            "median": fmt.num(median),
            "p90": fmt.num(p90),
            "median_value": median,
            "p90_value": p90,
            "by_network": grouped("network", lambda key: labels["network"].get(key, none)),
            "by_topic": grouped("topic_ids", lambda key: key.complete_name or none),
            "by_location": grouped("location_id", lambda key: key.display_name or none),
            "by_executor": grouped("executor_ids", lambda key: key.display_name or none),
            "no_reply_reasons": sorted(
                (
                    {
                        "label": reason.name or none,
                        "legal_basis": reason.legal_basis or "",
                        "count": count,
                    }
                    for reason, count in no_reply
                ),
                key=lambda r: -r["count"],
            ),
            "no_reply_rows": Report.search(
                domain + [("state", "=", "no_reply")], order="detected_at", limit=LIST_LIMIT
            ),
            "high_rows": Report.search(domain + [("importance", "=", "high")], order="detected_at"),
            "repeat_rows": Report.search(
                domain + [("is_repeat", "=", True)], order="detected_at", limit=LIST_LIMIT
            ),
            "overdue_rows": Report.search(
                domain + [("reply_delay_minutes", ">", 0)],
                order="reply_delay_minutes desc, detected_at",
                limit=10,
            ),
            "list_limit": LIST_LIMIT,
            "chart": self._weekly_chart(domain, date_from, date_to, fmt),
        }

    @api.model
    def _percentiles(self, domain):
        """Median and 90th percentile of the reply time of the answered incidents."""
        Report = self.env["social.incident.report"]
        query = Report._search(domain + [("answered_count", "=", 1)])
        column = SQL.identifier(Report._table, "reply_hours")
        rows = self.env.execute_query(
            query.select(
                SQL(
                    "percentile_cont(0.5) WITHIN GROUP (ORDER BY %s), "
                    "percentile_cont(0.9) WITHIN GROUP (ORDER BY %s)",
                    column,
                    column,
                )
            )
        )
        median, p90 = rows[0] if rows else (None, None)
        return median, p90

    @api.model
    def _weekly_chart(self, domain, date_from, date_to, fmt):
        """Bars of the incidents detected each week of the period, as
        coordinates for an inline SVG. A week starts on the first day of the
        week of the report's language (Monday in Russian, Sunday in US
        English), as Odoo's ``:week`` grouping counts it."""
        Report = self.env["social.incident.report"]
        counts = {
            week: count
            for week, count in Report._read_group(domain, ["detected_date:week"], ["__count"])
        }
        # res.lang.week_start: "1" Monday ... "7" Sunday; date.weekday(): 0 Monday ... 6 Sunday
        first_weekday = int(get_lang(self.env).week_start) - 1
        weeks = []
        start = date_from - timedelta(days=(date_from.weekday() - first_weekday) % 7)
        while start <= date_to:
            end = start + timedelta(days=6)
            label = (
                f"{max(start, date_from).strftime('%d.%m')}–{min(end, date_to).strftime('%d.%m')}"
            )
            weeks.append((label, counts.get(start, 0)))
            start += timedelta(days=7)
        top = max([count for _label, count in weeks] + [1])
        plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
        slot = CHART_WIDTH / max(len(weeks), 1)
        bars = []
        for index, (label, count) in enumerate(weeks):
            height = round(plot_height * count / top, 1)
            x = round(index * slot + slot * 0.15, 1)
            bars.append(
                {
                    "x": x,
                    "y": round(CHART_TOP + plot_height - height, 1),
                    "width": round(slot * 0.7, 1),
                    "height": height,
                    "count": count,
                    "label": label,
                    "center": round(x + slot * 0.35, 1),
                }
            )
        return {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "baseline": CHART_HEIGHT - CHART_BOTTOM,
            "label_y": CHART_HEIGHT - CHART_BOTTOM + 16,
            "bars": bars,
        }
