"""Notifications: whoever must act on an incident learns of it in Discuss or
by email, as each user prefers (``notification_type`` of res.users), through
Odoo's own ``message_notify``. Each event is a kind, a message subtype of the
incident, that a user mutes on one incident (untick it in the chatter's
Following menu) or everywhere (their preferences). The activities stay the
to-do list; these tell that there is something to do, and by when."""

from collections import defaultdict
from urllib.parse import urlencode

from markupsafe import Markup

from odoo import models
from odoo.tools.misc import format_datetime

# kind of event → its message subtype
NOTIFICATION_SUBTYPES = {
    # to the executor's acting members
    "routed": "social_incidents.mt_social_incident_routed",
    "returned": "social_incidents.mt_social_incident_returned",
    "approved": "social_incidents.mt_social_incident_approved",
    "published": "social_incidents.mt_social_incident_published",
    "missed": "social_incidents.mt_social_incident_missed",
    # to the curator
    "submitted": "social_incidents.mt_social_incident_submitted",
    "clarified": "social_incidents.mt_social_incident_clarified",
    "declined": "social_incidents.mt_social_incident_declined",
}
DATETIME_FORMAT = "dd.MM.yyyy HH:mm"


class SocialIncident(models.Model):
    _inherit = "social.incident"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    # ------------------------------------------------------------------
    # The one way to notify
    # ------------------------------------------------------------------
    def _notify_kind(self, kind, users, render, deadline=None):
        """Tell ``users`` of this incident's event ``kind``, each in their
        language and time zone. ``render(env, when)`` returns (what happened,
        what to do) in the language of ``env``; ``when(moment)`` writes a UTC
        moment as the recipient reads it. ``deadline``: the UTC moment by
        which to do it, if any.

        Nobody is told of their own action, nor a user who is inactive, not
        an employee, not of the incident's company, or who muted the kind:
        everywhere (preferences) or on this incident (a follower whose
        subscription lacks the kind). Whoever is told follows the incident,
        so that its Following menu can mute the kind there. Returns the
        messages: one per language and time zone of the recipients."""
        self.ensure_one()
        users = self._notify_recipients(kind, {self: users})[self]
        return self._notify_send(kind, users, render, deadline)

    def _notify_subtype(self, kind):
        """The message subtype of ``kind``, from the registry's cache of XML
        ids: no query a notification."""
        return self.env["mail.message.subtype"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(NOTIFICATION_SUBTYPES[kind])
        )

    def _notify_recipients(self, kind, users_by_incident):
        """{incident: the users of ``users_by_incident`` to tell of ``kind``}
        (see ``_notify_kind``); those not following yet are subscribed, with
        one call per person for all the incidents they newly follow."""
        subtype = self._notify_subtype(kind)
        incidents = self.browse([incident.id for incident in users_by_incident])
        # sudo: the transition or job calling this ran its checks; this reads
        # the recipients' preferences and the followers, and subscribes them
        followers = {
            (f.res_id, f.partner_id.id): f.subtype_ids
            for f in self.env["mail.followers"]
            .sudo()
            .search_fetch(
                [("res_model", "=", self._name), ("res_id", "in", incidents.ids)],
                ["res_id", "partner_id", "subtype_ids"],
            )
        }
        result = {}
        newcomers = defaultdict(list)
        for incident, users in users_by_incident.items():
            # sudo: as above, the recipients' companies and preferences
            company = incident.sudo().company_id
            users = (
                users.sudo().filtered(
                    lambda u, company=company: u.active
                    and not u.share
                    and u.partner_id
                    and company in u.company_ids
                    and subtype not in u.social_muted_subtype_ids
                )
                - self.env.user
            )
            for user in users:
                if (incident.id, user.partner_id.id) not in followers:
                    newcomers[user.partner_id.id].append(incident.id)
            result[incident] = users.filtered(
                lambda u, i=incident: subtype in followers.get((i.id, u.partner_id.id), subtype)
            )
        for partner_id, incident_ids in newcomers.items():
            # sudo: as above; whoever is told follows, to mute the kind there
            self.browse(incident_ids).sudo().message_subscribe(partner_ids=[partner_id])
        return result

    def _notify_send(self, kind, users, render, deadline=None):
        """Post the notification of ``kind`` to ``users`` (already chosen by
        ``_notify_recipients``): one message a language and time zone."""
        self.ensure_one()
        subtype = self._notify_subtype(kind)
        # sudo: posts as the actor after the caller's checks
        incident = self.sudo()
        groups = incident._notify_groups(users)
        url = incident._notify_url()
        messages = self.env["mail.message"]
        for (lang, tz), recipients in groups.items():
            local = incident.with_context(lang=lang, tz=tz, mail_notify_force_send=False)
            env = local.env

            def when(moment, env=env, tz=tz):
                return format_datetime(env, moment, tz=tz, dt_format=DATETIME_FORMAT)

            what, todo = render(env, when)
            if deadline:
                todo = "%s %s" % (todo, env._("Due %s", when(deadline)))
            body = Markup('<p>%s</p><p><b>%s</b></p><p><a href="%s">%s</a>: %s</p>') % (
                what,
                todo,
                url,
                incident.name,
                incident.summary or "",
            )
            messages |= local.message_notify(
                body=body,
                subject="%s: %s" % (incident.name, subtype.with_env(env).name),
                partner_ids=recipients.partner_id.ids,
                subtype_id=subtype.id,
                author_id=self.env.user.partner_id.id,
            )
        return messages

    def _notify_groups(self, users):
        """{(language, time zone): users} of ``users``; those without their
        own read the company's language and the regulation's time zone."""
        self.ensure_one()
        defaults = {}

        def default(key, compute):
            # read only when a recipient lacks their own: most have both
            if key not in defaults:
                defaults[key] = compute()
            return defaults[key]

        groups = defaultdict(lambda: users.browse())
        for user in users:
            lang = user.lang or default("lang", self.company_id._social_lang)
            tz = user.tz or default("tz", self._notify_default_tz)
            groups[(lang, tz)] |= user
        return groups

    def _notify_url(self):
        self.ensure_one()
        return "%s/mail/view?%s" % (
            self.get_base_url(),
            urlencode({"model": self._name, "res_id": self.id}),
        )

    def _notify_default_tz(self):
        """The time zone of a recipient who has none: the regulation's calendar."""
        self.ensure_one()
        calendar = (
            self.deadline_ids.policy_id.calendar_id[:1] or self.company_id.resource_calendar_id
        )
        return calendar.tz or "UTC"

    def _notify_deadline(self, steps, assignment=None, reply=None):
        """The deadline (UTC) of the open step among ``steps`` due first, of
        ``assignment`` or ``reply`` when given; False when there is none."""
        self.ensure_one()
        # sudo: called after the transition's check; reads the step rows only
        rows = self.sudo().deadline_ids.filtered(
            lambda d: d.state == "open"
            and d.deadline
            and not d.paused_since
            and d.step in steps
            and (not assignment or d.assignment_id == assignment)
            and (not reply or d.reply_id == reply)
        )
        return min(rows.mapped("deadline"), default=False)

    @staticmethod
    def _notify_kind_label(reply, env):
        return dict(reply._fields["kind"]._description_selection(env))[reply.kind]

    # ------------------------------------------------------------------
    # The events, each called by its transition after the deadlines and
    # activities are up to date
    # ------------------------------------------------------------------
    def _notify_routed(self, assignments):
        """The new executors: take it into work (the lead or only one), or
        give information for the consolidated reply."""
        self.ensure_one()
        for assignment in assignments:
            writes = not self.is_consolidated or assignment.executor_id == self.lead_executor_id
            due = self._notify_deadline(("draft",) if writes else ("info",), assignment=assignment)

            def render(env, when, assignment=assignment, writes=writes):
                what = env._(
                    "Incident %(number)s is routed to %(executor)s.",
                    number=self.name,
                    executor=assignment.executor_id.name,
                )
                if self.is_consolidated and self.lead_executor_id:
                    what += " " + env._(
                        "A consolidated reply: %(lead)s writes it.", lead=self.lead_executor_id.name
                    )
                if writes:
                    todo = env._("Take it into work and send a draft reply for approval.")
                else:
                    todo = env._("Give your information for the consolidated reply.")
                return what, todo

            self._notify_kind(
                "routed",
                assignment.executor_id._get_responsible_users(),
                render,
                due or self._notify_total(),
            )

    def _notify_total(self):
        return self._notify_deadline(("total", "final"))

    def _notify_declined(self, assignment):
        """The curator: re-route an incident nobody works on any more."""
        self.ensure_one()
        rerouting = self.state == "new"

        def render(env, when):
            what = env._(
                "%(executor)s declined incident %(number)s: not in its competence. Reason: "
                "%(reason)s",
                executor=assignment.executor_id.name,
                number=self.name,
                reason=assignment.decline_reason,
            )
            if rerouting:
                return what, env._("Route it to the executor whose competence it is.")
            return what, env._("The other executors go on with it: check the routing.")

        due = self._notify_deadline(("reroute",)) if rerouting else None
        self._notify_kind("declined", self._get_curators(), render, due)

    def _notify_submitted(self, reply):
        """The curators who may review it: approve or return."""
        self.ensure_one()

        def render(env, when):
            what = env._(
                "%(writer)s sent the %(kind)s of incident %(number)s for approval.",
                writer=reply.executor_id.name or reply.author_id.name,
                kind=self._notify_kind_label(reply, env),
                number=self.name,
            )
            return what, env._("Approve it or return it for rework.")

        self._notify_kind(
            "submitted",
            self._get_reviewers(reply),
            render,
            self._notify_deadline(("review",), reply=reply),
        )

    def _reply_people(self, reply):
        """Who wrote the draft, and who acts for its executor today."""
        return reply.author_id | reply.executor_id._get_responsible_users()

    def _notify_returned(self, reply, reason, comment=None):
        """The draft's writers: rework it."""
        self.ensure_one()

        def render(env, when):
            what = env._(
                "The %(kind)s of incident %(number)s is returned for rework: %(reason)s.",
                kind=self._notify_kind_label(reply, env),
                number=self.name,
                reason=reason.with_env(env).name,
            )
            if comment:
                what += " " + comment
            return what, env._("Rework the draft and send it for approval again.")

        self._notify_kind(
            "returned",
            self._reply_people(reply),
            render,
            self._notify_deadline(("rework",), reply=reply),
        )

    def _notify_approved(self, reply):
        """The draft's writers: publish it, where the executor publishes."""
        self.ensure_one()
        people = self._reply_people(reply)
        # sudo: after action_approve's check; reads who publishes (the settings)
        publishers = people & self.sudo()._get_publishers(reply)

        def render(env, when, publishing=True):
            what = env._(
                "The %(kind)s of incident %(number)s is approved.",
                kind=self._notify_kind_label(reply, env),
                number=self.name,
            )
            if publishing:
                return what, env._("Publish it in the network.")
            return what, env._("The curator publishes it: nothing to do for now.")

        if publishers:
            self._notify_kind(
                "approved", publishers, render, self._notify_deadline(("publish",), reply=reply)
            )
        if people - publishers:
            self._notify_kind(
                "approved",
                people - publishers,
                lambda env, when: render(env, when, publishing=False),
            )

    def _notify_published(self, reply):
        """Everyone who worked on it: what comes next."""
        self.ensure_one()
        # sudo: after the publication's check; reads the executors' acting members
        people = self.sudo().executor_ids._get_responsible_users() | reply.author_id

        def render(env, when):
            what = env._(
                "The %(kind)s of incident %(number)s is published: %(url)s",
                kind=self._notify_kind_label(reply, env),
                number=self.name,
                url=reply.published_url,
            )
            if reply.kind == "intermediate":
                return what, env._("Prepare the final reply.")
            if reply.kind == "clarification":
                return what, env._("Wait for the author's answer: the curator records it.")
            return what, env._("The incident is answered: nothing more to do.")

        due = self._notify_deadline(("final",)) if reply.kind == "intermediate" else None
        self._notify_kind("published", people, render, due)

    @staticmethod
    def _notify_missed_steps(violations, env, when):
        """“Step, due dd.mm.yyyy hh:mm; …” of ``violations`` in ``env``'s language."""
        return "; ".join(
            env._(
                "%(step)s, due %(deadline)s",
                step=violation.deadline_id.with_env(env)._step_label(),
                deadline=when(violation.deadline),
            )
            for violation in violations.sorted("deadline")
        )

    def _notify_missed(self, by_incident):
        """The watchdog's batch, ``by_incident``: {incident: its violations
        just recorded}. Whoever answers for a missed step, and the acting
        members of its executor, are told once a batch: of their one incident
        in a message on it, or of all theirs in one message listing them, so
        that a burst of missed deadlines (the Monday after a long weekend) is
        a message a person rather than one an incident."""
        violations = self.env["social.sla.violation"].union(*by_incident.values())
        absences = violations.executor_id._get_absences()
        recipients = self._notify_recipients(
            "missed",
            {
                incident: found.user_id
                | found.executor_id._get_responsible_users(absences=absences)
                for incident, found in by_incident.items()
            },
        )
        told = defaultdict(list)
        for incident, users in recipients.items():
            for user in users:
                told[user].append(incident)
        singles = defaultdict(lambda: self.env["res.users"])
        digests = defaultdict(lambda: self.env["res.users"])
        for user, incidents in told.items():
            if len(incidents) == 1:
                singles[incidents[0]] |= user
            else:
                digests[tuple(incident.id for incident in incidents)] |= user
        for incident, users in singles.items():

            def render(env, when, incident=incident):
                what = env._(
                    "Deadline missed on incident %(number)s: %(steps)s.",
                    number=incident.name,
                    steps=self._notify_missed_steps(by_incident[incident], env, when),
                )
                return what, env._("Do it now: the delay is recorded for the head's decision.")

            incident._notify_send("missed", users, render)
        for incident_ids, users in digests.items():
            self.browse(incident_ids)._notify_missed_digest(by_incident, users)

    def _notify_missed_digest(self, by_incident, users):
        """One message to ``users`` listing these incidents' missed steps,
        each with its link, in each recipient's language and time zone."""
        subtype = self._notify_subtype("missed")
        # sudo: the watchdog recorded the violations; this reads the incidents
        # to list them and posts as the job's user
        incidents = self.sudo()
        for (lang, tz), recipients in incidents[:1]._notify_groups(users).items():
            local = incidents.with_context(lang=lang, tz=tz, mail_notify_force_send=False)
            env = local.env

            def when(moment, env=env, tz=tz):
                return format_datetime(env, moment, tz=tz, dt_format=DATETIME_FORMAT)

            items = Markup("").join(
                Markup('<li><a href="%s">%s</a>: %s<br/>%s</li>')
                % (
                    incident._notify_url(),
                    incident.name,
                    self._notify_missed_steps(by_incident[incident], env, when),
                    incident.summary or "",
                )
                for incident in local
            )
            body = Markup("<p>%s</p><ul>%s</ul><p><b>%s</b></p>") % (
                env._("Deadlines missed on %(count)s incidents:", count=len(local)),
                items,
                env._("Do it now: the delay is recorded for the head's decision."),
            )
            env["mail.thread"].message_notify(
                body=body,
                subject=env._("Deadlines missed, incidents: %(count)s", count=len(local)),
                partner_ids=recipients.partner_id.ids,
                subtype_id=subtype.id,
                author_id=self.env.user.partner_id.id,
            )

    def _notify_clarification_recorded(self, answer):
        """The executors: the author answered, the work goes on."""
        self.ensure_one()
        # sudo: after action_record_clarification's check; reads the routing lines
        active = self.sudo().assignment_ids.filtered(lambda a: a._is_active())
        people = active.executor_id._get_responsible_users()

        def render(env, when):
            what = env._(
                "The author of incident %(number)s answered the clarification request: %(answer)s",
                number=self.name,
                answer=answer,
            )
            return what, env._("Go on with the reply.")

        self._notify_kind(
            "clarified", people, render, self._notify_deadline(("draft", "info", "total", "final"))
        )

    def _notify_author_wrote_again(self):
        """New messages whose author has an incident waiting for their answer
        to a clarification request: the curators of that incident are told,
        since the new message may be the answer."""
        new = self.filtered("author_id")
        if not new:
            return
        # sudo: runs after the registration (its checks passed); reads the
        # authors' other incidents, which the registering user may not see, to
        # tell their curators
        waiting = self.sudo().search(
            [
                ("state", "=", "clarification"),
                ("author_id", "in", new.author_id.ids),
                ("id", "not in", new.ids),
            ]
        )
        for incident in waiting:
            for message in new.filtered(
                lambda n, i=incident: n.author_id == i.author_id and n.company_id == i.company_id
            ):

                def render(env, when, incident=incident, message=message):
                    what = env._(
                        "The author of incident %(number)s, who was asked for a clarification, "
                        "wrote again: %(new)s “%(text)s”.",
                        number=incident.name,
                        new=message.name,
                        text=message.summary,
                    )
                    return what, env._(
                        "If it answers the request, record the author's answer: the work on the "
                        "reply resumes then."
                    )

                incident._notify_kind("clarified", incident._get_curators(), render)
