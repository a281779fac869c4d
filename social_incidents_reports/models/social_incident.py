import contextlib
from collections import defaultdict

from odoo import api, fields, models

from odoo.addons.social_incidents.tools.worktime import CalendarMissing


class SocialIncident(models.Model):
    _inherit = "social.incident"

    first_reply_at = fields.Datetime(
        string="First Reply",
        compute="_compute_first_reply",
        store=True,
        help="When the first reply (final or intermediate) was published.",
    )
    reply_work_minutes = fields.Integer(
        string="Reply Time (working minutes)",
        compute="_compute_first_reply",
        store=True,
        help="Working time from detection to the first published reply, on the "
        "company's working hours and the production calendar.",
    )

    @api.depends("detected_at", "reply_ids.state", "reply_ids.published_at", "reply_ids.kind")
    def _compute_first_reply(self):
        """Batched: one working-time engine per calendar for the whole batch."""
        Policy = self.env["social.sla.policy"]
        policies = Policy._get_policies(self.company_id)
        worktimes = {}
        by_calendar = defaultdict(list)
        for incident in self:
            published = [
                r.published_at
                for r in incident.reply_ids
                if r.state == "published" and r.kind in ("final", "intermediate") and r.published_at
            ]
            incident.first_reply_at = min(published) if published else False
            incident.reply_work_minutes = 0
            if incident.first_reply_at and incident.detected_at:
                policy = policies.get(
                    (incident.company_id.id, incident.importance)
                ) or policies.get((incident.company_id.id, "normal"))
                calendar = (
                    policy.calendar_id if policy else incident.company_id.resource_calendar_id
                )
                by_calendar[calendar].append(incident)
        for calendar, incidents in by_calendar.items():
            worktime = None
            if calendar:
                worktime = worktimes.setdefault(calendar.id, Policy._get_worktime(calendar))
            for incident in incidents:
                start, end = incident.detected_at, incident.first_reply_at
                minutes = (end - start).total_seconds() / 60
                if worktime:
                    # a year not loaded: plain time rather than a guess
                    with contextlib.suppress(CalendarMissing):
                        minutes = worktime.working_minutes(start, end)
                incident.reply_work_minutes = max(round(minutes), 0)
