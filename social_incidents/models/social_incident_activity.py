import pytz
from markupsafe import Markup

from odoo import fields, models

from .constants import (
    ACTIVITY_TYPES,
    WORK_STATES,
)
from .social_incident_deadline import ACTIVITY_STEPS


class SocialIncident(models.Model):
    """Activities: the state of an incident says who acts next."""

    _inherit = "social.incident"

    # ------------------------------------------------------------------
    # Activities: the state says who acts next
    # ------------------------------------------------------------------
    def _get_required_activities(self, absences=None):  # noqa: C901 - one table: state -> who acts next, read top to bottom
        """Return {(step, user_id): note} that this incident needs now;
        ``absences``: the substitutions in force, fetched once by the caller."""
        self.ensure_one()
        required = {}
        if self.state in ("no_reply", "merged", "closed"):
            return required
        curators = self._get_curators()

        def add(step, users, note=""):
            for user in users:
                required.setdefault((step, user.id), note)

        active = self.assignment_ids.filtered(lambda a: a._is_active())
        reply = self.current_reply_id
        if self.state == "new":
            declined = self.assignment_ids.filtered(lambda a: a.state == "declined")[-1:]
            note = (
                self.env._(
                    "Declined by %(executor)s: %(reason)s",
                    executor=declined.executor_id.name,
                    reason=declined.decline_reason,
                )
                if declined
                else ""
            )
            add("route", curators, note)
        if self.state in WORK_STATES:
            if len(active) > 1 and not self.lead_executor_id:
                add("lead", curators)
            for assignment in active:
                users = assignment.executor_id._get_responsible_users(absences=absences)
                if assignment.executor_id == self.lead_executor_id:
                    if reply.state == "returned":
                        add("rework", reply.author_id | users, reply.last_return_note or "")
                    elif not reply or reply.state == "draft":
                        add("draft", users)
                elif assignment.state in ("sent", "accepted"):
                    add("info", users)
            if not self.lead_executor_id and not active and reply.state in ("draft", "returned"):
                add("rework" if reply.state == "returned" else "draft", reply.author_id)
        if self.state == "review" and reply.state == "submitted":
            add("review", self._get_reviewers(reply))
        if reply.state in ("approved", "publish_failed"):
            add("publish", self._get_publishers(reply, absences), reply.publish_error or "")
        if self.state == "clarification" and not reply:
            add("answer", curators)
        if self.on_control:
            if self.control_report:
                add("control_review", curators)
            else:
                lead = self.assignment_ids.filtered(
                    lambda a: a.executor_id == self.lead_executor_id
                )[:1]
                add(
                    "control_report",
                    lead.executor_id._get_responsible_users(absences=absences) or curators,
                    self.control_comment or "",
                )
        return required

    def _update_activities_and_deadlines(self):
        """After a transition: bring the step deadlines up to date, then the
        activities (``_update_activities``)."""
        self.env["social.incident.deadline"]._sync(self)
        self._update_activities()

    def _update_activities(self):
        """Create the activities the state asks for, due on the step's
        deadline; close the others: the one of the user who just acted is
        marked done, the rest removed."""
        # the ids from the registry's cache of XML ids: no query per type
        xmlid_to_res_id = self.env["ir.model.data"]._xmlid_to_res_id
        type_ids = {step: xmlid_to_res_id(xmlid) for step, xmlid in ACTIVITY_TYPES.items()}
        step_by_type = {type_id: step for step, type_id in type_ids.items()}
        model_id = self.env["ir.model"]._get_id(self._name)
        Activity = self.env["mail.activity"].sudo()
        existing = Activity.search_fetch(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "in", list(type_ids.values())),
            ],
            ["res_id", "activity_type_id", "user_id", "date_deadline", "note"],
        )
        by_incident = {}
        for activity in existing:
            by_incident.setdefault(activity.res_id, Activity)
            by_incident[activity.res_id] |= activity
        to_create, done, obsolete = [], Activity, Activity
        redate = {}
        today = fields.Date.context_today(self)
        absences = self.sudo().assignment_ids.executor_id._get_absences()
        for incident in self:
            required = incident.sudo()._get_required_activities(absences)
            due = incident.sudo()._get_step_deadlines()
            for activity in by_incident.get(incident.id, Activity):
                step = step_by_type[activity.activity_type_id.id]
                key = (step, activity.user_id.id)
                if key in required:
                    note = required.pop(key)
                    date, when = due.get(step, (None, None))
                    text = self._activity_note(when, note)
                    if date and (
                        activity.date_deadline != date or str(activity.note or "") != str(text)
                    ):
                        # moved deadline: the date and the time in the note follow it
                        redate.setdefault((date, text), Activity)
                        redate[(date, text)] |= activity
                elif activity.user_id == self.env.user:
                    done |= activity
                else:
                    obsolete |= activity
            for (step, user_id), note in required.items():
                date, when = due.get(step, (None, None))
                to_create.append(
                    {
                        "res_model_id": model_id,
                        "res_id": incident.id,
                        "activity_type_id": type_ids[step],
                        "user_id": user_id,
                        "note": self._activity_note(when, note),
                        "date_deadline": date or today,
                    }
                )
        if done:
            done.action_feedback()
        if obsolete:
            obsolete.unlink()
        for (date, note), activities in redate.items():
            activities.write({"date_deadline": date, "note": note})
        if to_create:
            Activity.with_context(mail_activity_quick_update=True).create(to_create)

    def _activity_note(self, when, note):
        """The note of a step's activity: when it is due, then what to know."""
        parts = []
        if when:
            parts.append(self.env._("Due %s", when))
        if note:
            parts.append(note)
        return Markup("").join(Markup("<p>%s</p>") % part for part in parts)

    def _get_step_deadlines(self):
        """{activity step: (local date, “dd.mm.yyyy hh:mm”)} of the open deadlines."""
        self.ensure_one()
        result = {}
        rows = self.deadline_ids.filtered(lambda d: d.state == "open" and d.deadline)
        for step, steps in ACTIVITY_STEPS.items():
            matching = rows.filtered(lambda d, steps=steps: d.step in steps)
            if not matching:
                continue
            row = min(matching, key=lambda d: d.deadline)
            tz = pytz.timezone(row.calendar_id.tz or self.env.user.tz or "UTC")
            local = pytz.utc.localize(row.deadline).astimezone(tz)
            result[step] = (local.date(), row._format_when(row.deadline))
        return result
