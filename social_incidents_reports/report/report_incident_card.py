from odoo import api, models

from odoo.addons.social_incidents.tools import clock

from .helpers import Formatter


class ReportIncidentCard(models.AbstractModel):
    """The card of an incident: the message, routing, every draft with its
    returns, the published reply, and each step's deadline and actual time."""

    _name = "report.social_incidents_reports.report_incident_card"
    _description = "Incident Card"

    @api.model
    def _get_report_values(self, docids, data=None):
        incidents = self.env["social.incident"].browse(docids)
        formatters = {}
        cards = []
        for incident in incidents:
            company = incident.company_id
            fmt = formatters.setdefault(company.id, Formatter(self.env, company))
            cards.append(self._card(incident, fmt))
        return {
            "doc_ids": incidents.ids,
            "doc_model": "social.incident",
            "docs": incidents,
            "cards": cards,
        }

    @api.model
    def _card(self, incident, fmt):
        def labels(model, field):
            return dict(self.env[model]._fields[field]._description_selection(self.env))

        violations = {v.deadline_id.id: v for v in incident.violation_ids}
        deadlines = []
        for row in incident.deadline_ids.sorted(lambda d: (d.started_at, d.id)):
            violation = violations.get(row.id)
            deadlines.append(
                {
                    "step": labels("social.incident.deadline", "step").get(row.step, row.step),
                    "who": row.executor_id.display_name or "",
                    "started": fmt.dt(row.started_at),
                    "deadline": fmt.dt(row.deadline)
                    or (self.env._("calendar not loaded") if row.missing_year else ""),
                    "done": fmt.dt(row.done_at),
                    "status": labels("social.incident.deadline", "status").get(row.status, ""),
                    "late": row.status in ("late", "overdue"),
                    "delay": violation.delay_display if violation else "",
                    "excused": violation.excused if violation else False,
                }
            )
        replies = []
        review_labels = labels("social.incident.reply.review", "decision")
        for reply in incident.reply_ids.sorted(lambda r: (r.create_date, r.id)):
            replies.append(
                {
                    "reply": reply,
                    "kind": labels("social.incident.reply", "kind").get(reply.kind, ""),
                    "state": labels("social.incident.reply", "state").get(reply.state, ""),
                    "submitted": fmt.dt(reply.submitted_at),
                    "published": fmt.dt(reply.published_at),
                    "reviews": [
                        {
                            "decision": review_labels.get(review.decision, ""),
                            "returned": review.decision == "returned",
                            "reason": review.reason_id.name or "",
                            "comment": review.comment or "",
                            "reviewer": review.reviewer_id.name,
                            "at": fmt.dt(review.reviewed_at),
                        }
                        for review in reply.review_ids.sorted(lambda r: (r.reviewed_at, r.id))
                    ],
                }
            )
        assignment_states = labels("social.incident.assignment", "state")
        return {
            "incident": incident,
            "fmt": fmt,
            "printed": fmt.dt(clock.now()),
            "network": labels("social.incident", "network").get(incident.network, ""),
            "state": labels("social.incident", "state").get(incident.state, ""),
            "importance": labels("social.incident", "importance").get(incident.importance, ""),
            "routing": [
                {
                    "assignment": a,
                    "state": assignment_states.get(a.state, ""),
                    "sent": fmt.dt(a.date_sent),
                    "accepted": fmt.dt(a.date_accepted),
                    "declined": fmt.dt(a.date_declined),
                    "info_given": fmt.dt(a.info_given_at),
                    "done": fmt.dt(a.date_done),
                }
                for a in incident.assignment_ids.sorted(
                    lambda a: (a.date_sent or a.create_date, a.id)
                )
            ],
            "replies": replies,
            "published": incident.reply_ids.filtered(lambda r: r.state == "published").sorted(
                lambda r: (r.published_at, r.id)
            ),
            "deadlines": deadlines,
        }
