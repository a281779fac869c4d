import contextlib
from datetime import timedelta

from odoo import api, models

from ..tools import clock
from .constants import DONE_STATES
from .helpers import in_company_lang
from .social_account_week import company_tz, week_bounds

# Minutes between two steps of a demo incident's history.
DEMO_STEP_MINUTES = 20

# Odoo's own demo chatter: the #general posts ("Marc Demo: Building B3…", meal vouchers,
# an award) and the sample channels with their threads (sales, board meetings, R&D,
# ideas, troubleshooting), from mail/demo/discuss_channel_demo.xml.
STOCK_DEMO_CHATTER = (
    "mail.mail_message_channel_whole_1",
    "mail.mail_message_channel_whole_2",
    "mail.mail_message_channel_whole_2_1",
    "mail.mail_message_channel_whole_2_2",
    "mail.channel_1",
    "mail.channel_2",
    "mail.channel_3",
    "mail.from_notification_message",
    "mail.idea_suggestions_sub",
    "mail.troubleshooting_sub",
)


class SocialIncidentDemo(models.AbstractModel):
    """Demo data only: walks demo incidents through the real transitions, as
    the demo users, so that the demo database holds real histories."""

    _name = "social.incident.demo"
    _description = "Demo Histories of Incidents"

    @contextlib.contextmanager
    def _dated(self, moment):
        """Play what the block does at ``moment``: the transitions read it from
        the clock, and the chatter messages written meanwhile (notes, tracked
        values, finished activities) carry it as their date."""
        Message = self.env["mail.message"].sudo()
        self.env.flush_all()
        last = Message.search([], order="id desc", limit=1).id or 0
        with clock.frozen_at(moment):
            yield
        self.env.flush_all()
        Message.search([("id", ">", last)]).write({"date": moment})

    @api.model
    def _as(self, record, user):
        """``record`` as ``user`` in their language, as the web client calls."""
        return record.with_user(user).with_context(lang=user.lang or self.env.context.get("lang"))

    @api.model
    def _advance(self, incident_ids, steps):
        """Play ``steps`` on the incidents ``incident_ids`` with the demo users, so that the
        demo database holds real histories, reviews and activities.

        Each step is a tuple: ``("route", [executor xmlids], lead xmlid or None)``,
        ``("accept",)``, ``("decline", reason)``, ``("info", executor xmlid, text)``,
        ``("draft", kind, text)``, ``("submit",)``, ``("approve",)``,
        ``("return", reason xmlid, comment)``, ``("publish", url)``, ``("close",)``,
        ``("answer", text)``, ``("control", comment)``, ``("control_report", text)``,
        ``("lift",)``, ``("no_reply", reason xmlid, comment)``, ``("merge", incident xmlid)``,
        ``("wait", minutes)``.
        Curator steps run as the incident's curator, executor steps as the first
        acting member of the lead executor (or of the named one). The steps are
        stamped in the incident's past: the first 5 minutes after registration,
        each next one ``DEMO_STEP_MINUTES`` later (plus any ``wait``), never
        later than now; so the demo deadlines are met or missed as they would be.
        """
        real_now = clock.now()
        for incident in self.env["social.incident"].browse(incident_ids):
            registered = incident.registered_at or incident.detected_at
            moment = min(registered + timedelta(minutes=5), real_now)
            curator = incident.curator_id or incident._get_curators()[:1]
            # what its registration wrote, at install time, dates from the registration
            incident.sudo().message_ids.filtered(
                lambda m, r=registered: m.date > r
                and m.date >= self.env.cr.now().replace(microsecond=0)
            ).write({"date": registered})

            def as_curator(record, curator=curator):
                return self._as(record, curator)

            def as_executor(record, executor=None, incident=incident):
                executor = executor or incident.lead_executor_id or incident.executor_ids[:1]
                return self._as(record, executor._get_responsible_users()[:1])

            for step in steps:
                name, args = step[0], step[1:]
                incident.invalidate_recordset()
                if name == "wait":
                    moment = min(moment + timedelta(minutes=args[0]), real_now)
                    continue
                with self._dated(moment):
                    # the records named by xml id read in the company's language
                    in_company_lang(self, incident.company_id)._step(
                        incident, name, args, as_curator, as_executor
                    )
                moment = min(moment + timedelta(minutes=DEMO_STEP_MINUTES), real_now)
        self._read_notifications_of_finished(incident_ids)
        return True

    @api.model
    def _triage_history(self, messages, months_back=(5, 3)):
        """Demo: older, varied history for the routing suggestions (issue #15): the messages
        ``[(topic, location, executor, author, text, reply)]`` (xml ids of this addon) are
        registered in turn from ``months_back[0]`` to ``months_back[1]`` months ago, routed
        to their executor, answered and closed through the real transitions, so similar
        new messages find where they were routed."""
        ref = self.env.ref
        curator = ref("social_incidents.user_demo_curator")
        now = clock.now().replace(minute=0, second=0, microsecond=0)
        first, last = (now - timedelta(days=30 * m) for m in months_back)
        step = (last - first) / max(len(messages), 1)
        created = self.env["social.incident"].browse()
        for index, (topic, location, executor, author, text, reply) in enumerate(messages):
            author_record = ref(f"social_incidents.{author}")
            network = author_record.network or "vk"
            # on the morning of its day (06:00 UTC is 09:00 in Akhtubinsk), a little later each
            detected = (first + step * index).replace(hour=6) + timedelta(minutes=37 * (index % 9))
            if detected.weekday() > 4:  # the demo's history comes on working days
                detected += timedelta(days=7 - detected.weekday())
            post = 1700 + index
            url = {
                "ok": f"https://ok.ru/akhtubinsk.admin/topic/{155432198700000 + post}",
                "telegram": f"https://t.me/akhtubinsk_admin/{post}?comment={9000 + index}",
            }.get(network, f"https://vk.com/wall-187654321_{post}?reply={post + 5}")
            vals = {
                "network": network,
                "source": "monitoring",
                "url": url,
                "external_id": f"demo-triage-{index}",
                "author_id": author_record.id,
                "text": text,
                "published_at": detected - timedelta(minutes=25),
                "detected_at": detected,
                "registered_at": detected + timedelta(minutes=6),
                "topic_ids": [(6, 0, [ref(f"social_incidents.{topic}").id])],
                "location_id": ref(f"social_incidents.{location}").id,
                "curator_id": curator.id,
            }
            with self._dated(vals["registered_at"]):
                incident = self._as(self.env["social.incident"], curator).create(vals).sudo()
            created |= incident
            self._advance(
                incident.ids,
                [
                    ("route", [f"social_incidents.{executor}"], None),
                    ("accept",),
                    ("draft", "final", reply),
                    ("submit",),
                    ("approve",),
                    ("publish", url.split("?")[0] + f"?reply={post + 6}"),
                    ("close",),
                ],
            )
        return created

    @api.model
    def _read_notifications_of_finished(self, incident_ids):
        """The demo users' inboxes: what they were told of incidents already
        answered or closed was read then; the open work stays unread."""
        finished = (
            self.env["social.incident"]
            .browse(incident_ids)
            .filtered(lambda i: i.state in DONE_STATES)
        )
        if finished:
            # sudo: no check to run: only the demo's walk (_advance, at installation)
            # calls this, on the notifications its own transitions just sent
            self.env["mail.notification"].sudo().search(
                [
                    ("mail_message_id.model", "=", "social.incident"),
                    ("mail_message_id.res_id", "in", finished.ids),
                    ("is_read", "=", False),
                ]
            ).write({"is_read": True})

    @api.model
    def _step(self, incident, name, args, as_curator, as_executor):  # noqa: C901 - a flat dispatch on the step name
        ref = self.env.ref
        if name == "route":
            executors = self.env["social.executor"].concat(*(ref(x) for x in args[0]))
            lead = ref(args[1]) if len(args) > 1 and args[1] else None
            as_curator(incident).action_route(executors, lead=lead)
        elif name == "accept":
            for assignment in incident.assignment_ids.filtered(lambda a: a.state == "sent"):
                as_executor(assignment, assignment.executor_id).action_accept()
        elif name == "decline":
            assignment = incident.assignment_ids.filtered(lambda a: a._is_active())[:1]
            as_executor(assignment, assignment.executor_id).action_decline(args[0])
        elif name == "info":
            executor = ref(args[0])
            assignment = incident.assignment_ids.filtered(
                lambda a, e=executor: a.executor_id == e and a._is_active()
            )
            as_executor(assignment, executor).action_give_info(args[1])
        elif name == "draft":
            as_executor(self.env["social.incident.reply"]).create(
                {"incident_id": incident.id, "kind": args[0], "body": args[1]}
            )
        elif name == "submit":
            as_executor(incident.current_reply_id).action_submit()
        elif name == "approve":
            as_curator(incident.current_reply_id).action_approve()
        elif name == "return":
            as_curator(incident.current_reply_id).action_return(ref(args[0]), args[1])
        elif name == "publish":
            reply = incident.current_reply_id
            publisher = incident._get_publishers(reply)[:1]
            self._as(reply, publisher).action_mark_published(args[0])
        elif name == "close":
            as_curator(incident).action_close()
        elif name == "answer":
            as_curator(incident).action_record_clarification(args[0])
        elif name == "control":
            as_curator(incident).action_set_control(args[0])
        elif name == "control_report":
            as_executor(incident).action_report_control(args[0])
        elif name == "lift":
            as_curator(incident).action_lift_control()
        elif name == "no_reply":
            as_curator(incident).action_no_reply(ref(args[0]), args[1])
        elif name == "merge":
            as_curator(incident).action_merge(ref(args[0]))
        else:
            raise ValueError(f"Unknown demo step {name!r}")
        return True

    @api.model
    def _remove_stock_demo_chatter(self):
        """Demo: the administration's users open Discuss on their own work, not
        on Odoo's sample conversations. Deleting a channel deletes its messages."""
        records = [self.env.ref(xmlid, raise_if_not_found=False) for xmlid in STOCK_DEMO_CHATTER]
        for record in filter(None, records):
            # sudo: no check to run: only demo/mail_demo.xml calls this, at installation,
            # on the sample records of Odoo's mail demo named above
            record.sudo().unlink()
        return True

    # Texts of the demo pages' own posts (the posting quota's history).
    DEMO_POST_TEXTS = (
        "Приглашаем жителей на приём граждан главой района в четверг с 10:00.",
        "В районе продолжается ямочный ремонт дорог: график работ на неделю.",
        "Напоминаем о правилах безопасности на воде в летний период.",
        "Итоги заседания районного Совета депутатов.",
        "Открыт приём заявок на участие в программе благоустройства дворов.",
        "График вывоза крупногабаритных отходов на следующую неделю.",
        "В библиотеке района открылась выставка работ юных художников.",
    )

    @api.model
    def _post_quota_history(self, weeks=6):
        """Demo: the official pages' past weeks of the posting quota, as the hourly job
        would have left them. Each week the job opens the rows on Monday morning, the
        pages publish their posts (received from the network), the job counts them and
        warns of a short week on Friday afternoon, and closes the week on the next
        Monday. Most weeks meet the quota; two weeks of the first page and one of the
        second fall short."""
        Week = self.env["social.account.week"]
        Post = self.env["social.account.post"]
        pages = self.env["social.account"].search(
            [("weekly_post_quota", ">", 0), ("company_id", "=", self.env.company.id)],
            order="id",
        )
        if not pages:
            return False
        tz_name = company_tz(self.env.company)
        real_now = clock.now()
        _monday, this_week, _end = week_bounds(real_now, tz_name)
        short = {(pages[0].id, 2), (pages[0].id, 5), (pages[1:2].id, 3)}
        texts = self.DEMO_POST_TEXTS
        for back in range(weeks, 0, -1):
            start = this_week - timedelta(weeks=back)
            with self._dated(start + timedelta(hours=6)):
                Week._cron_weekly_quota()
            for page in pages:
                count = page.weekly_post_quota - (1 if (page.id, back) in short else 0)
                for index in range(count):
                    # one a day from Monday, mornings (Moscow), as far as the week goes
                    moment = start + timedelta(days=index % 7, hours=7 + index // 7)
                    with self._dated(moment):
                        Post._record_network_post(
                            page,
                            f"demo-week-{back}-{index}",
                            moment,
                            body=texts[(back + index) % len(texts)],
                        )
            # Friday 14:00 (Moscow): past the warning time of the last working day
            with self._dated(start + timedelta(days=4, hours=14)):
                Week._cron_weekly_quota()
            with self._dated(start + timedelta(days=7, hours=1)):
                Week._cron_weekly_quota()
        Week._cron_weekly_quota()
        return True
