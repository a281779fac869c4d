from itertools import groupby

from odoo import api, fields, models

from odoo.addons.social_incidents.tools import clock

from .helpers import Formatter, company_report_values, report_period, utc_bounds


class ReportDisciplinary(models.AbstractModel):
    """Missed deadlines of a period by executor and responsible person, for the
    head's disciplinary decisions (AKH 3.9, BAT 12, LYA 12, KOR 22). A missed
    deadline belongs to the period in which its deadline fell."""

    _name = "report.social_incidents_reports.report_disciplinary"
    _description = "Missed Deadlines for Disciplinary Decisions"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        return company_report_values(
            self.env,
            docids,
            data,
            lambda company: self._figures(
                company, *report_period(company, data), data.get("include_excused", True)
            ),
        )

    @api.model
    def _violation_domain(self, company, date_from, date_to, include_excused=True):
        start, end = utc_bounds(company, date_from, date_to)
        domain = [
            ("company_id", "=", company.id),
            ("deadline", ">=", fields.Datetime.to_string(start)),
            ("deadline", "<", fields.Datetime.to_string(end)),
        ]
        if not include_excused:
            domain.append(("excused", "=", False))
        return domain

    @api.model
    def _figures(self, company, date_from, date_to, include_excused=True):
        fmt = Formatter(self.env, company)
        Violation = self.env["social.sla.violation"]
        violations = Violation.search(
            self._violation_domain(company, date_from, date_to, include_excused)
        )
        steps = dict(Violation._fields["step"]._description_selection(self.env))
        no_executor = self.env._("Curator (no executor)")
        nobody = self.env._("(not set)")

        def executor_key(violation):
            return (
                violation.executor_id.display_name or no_executor,
                violation.executor_id.id or 0,
            )

        def user_key(violation):
            return (violation.user_id.name or nobody, violation.user_id.id or 0)

        executors = []
        ordered = violations.sorted(lambda v: (executor_key(v), user_key(v), v.deadline, v.id))
        for (executor_name, _eid), by_executor in groupby(ordered, key=executor_key):
            by_executor = list(by_executor)
            people = []
            for (user_name, _uid), by_user in groupby(by_executor, key=user_key):
                by_user = list(by_user)
                people.append(
                    {
                        "name": user_name,
                        "rows": [
                            {
                                "incident": v.incident_id.name,
                                "summary": v.incident_id.summary or "",
                                "step": steps.get(v.step, v.step),
                                "deadline": fmt.dt(v.deadline),
                                "done_at": fmt.dt(v.done_at) or self.env._("not done yet"),
                                "delay": v.delay_display,
                                "excused": v.excused,
                                "excuse_comment": v.excuse_comment or "",
                                "voided": v.voided,
                                "void_reason": v.void_reason or "",
                            }
                            for v in by_user
                        ],
                        **self._totals(by_user, fmt),
                    }
                )
            executors.append(
                {"name": executor_name, "people": people, **self._totals(by_executor, fmt)}
            )
        return {
            "company": company,
            "fmt": fmt,
            "date_from": date_from,
            "date_to": date_to,
            "period": fmt.period(date_from, date_to),
            "generated": fmt.dt(clock.now()),
            "include_excused": include_excused,
            "executors": executors,
            **self._totals(violations, fmt),
        }

    def _totals(self, violations, fmt):
        """Figures of these violations; voided ones (their recomputed deadline
        is not missed) are listed with their reason but not counted."""
        counted = [v for v in violations if not v.voided]
        unexcused = [v for v in counted if not v.excused]
        minutes = sum(v.delay_minutes for v in unexcused)
        hours, rest = divmod(minutes, 60)
        return {
            "count": len(counted),
            "unexcused_count": len(unexcused),
            "excused_count": len(counted) - len(unexcused),
            "voided_count": len(violations) - len(counted),
            "delay_total": self.env._("%(hours)s h %(minutes)s min", hours=hours, minutes=rest),
        }
