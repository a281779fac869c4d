import random
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, models


class SocialIncidentDemo(models.AbstractModel):
    """Demo data of the reports: two months of history, one excused delay."""

    _inherit = "social.incident.demo"

    # ------------------------------------------------------------------
    # Demo: two months of history, so the analysis has something to show
    # ------------------------------------------------------------------
    @api.model
    def _reports_history(
        self, messages, high_messages, no_reply_messages, again=(), per_month=(18, 26)
    ):
        """Register and walk through the real transitions ``sum(per_month)``
        incidents detected in the two months before this one. Scenarios
        cycle: answered in time, returned once, answered late, intermediate
        then final, high importance, repeated, no reply.

        ``messages`` = [(topic, location, executor, author, network, text,
        reply)] (xml ids of social_incidents) are taken in turn by the
        ordinary scenarios, ``high_messages`` (the same shape) by the
        high-importance one, so that no two high-importance incidents read
        the same; ``no_reply_messages`` = [(topic or None, location or None,
        author, network, text, no-reply reason xml id, comment)] by the
        no-reply one: messages that the regulation leaves unanswered, each
        with its fitting reason.

        An author never writes the same words twice: when an ordinary
        message comes again (the pool cycled, or the repeated scenario),
        ``again[n - 1]`` = (what the author adds, what the reply adds) tells
        it apart for its ``n``-th time again (the last one for any later
        time). The repeated scenario is the author of an earlier ordinary
        incident, closed at least two days before, writing about it again:
        it is marked as the repeat of that incident."""
        ref = self.env.ref
        tz = pytz.timezone("Europe/Moscow")
        today = datetime.now(tz).date()
        first_this_month = today.replace(day=1)
        scenarios = [
            "quick",
            "returned",
            "quick",
            "late",
            "intermediate",
            "quick",
            "high",
            "returned",
            "repeat",
            "quick",
            "no_reply",
            "late",
        ]
        rng = random.Random(2026)
        index = 0
        taken = {"ordinary": 0, "high": 0, "no_reply": 0}
        created = self.env["social.incident"].browse()
        ordinary = []  # (incident, index of its message in ``messages``), oldest first
        times = [0] * len(messages)  # how many times each ordinary message was written
        for months_back, count in zip((2, 1), per_month, strict=True):
            start = first_this_month - relativedelta(months=months_back)
            days = [
                start + timedelta(days=d)
                for d in range((start + relativedelta(months=1) - start).days)
            ]
            workdays = [d for d in days if d.weekday() < 5]
            for n in range(count):
                scenario = scenarios[(index * 7) % len(scenarios)]
                kind = scenario if scenario in ("high", "no_reply") else "ordinary"
                index += 1
                day = workdays[(n * len(workdays)) // count]
                local = datetime.combine(day, time(9)) + timedelta(
                    minutes=rng.randrange(0, 6 * 60, 5)
                )
                detected = tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
                earlier = self.env["social.incident"].browse()
                if kind == "ordinary":
                    if scenario == "repeat":
                        earlier, number = next(
                            (
                                (incident, number)
                                for incident, number in reversed(ordinary)
                                if times[number] == 1
                                and incident.closed_at
                                and incident.closed_at <= detected - timedelta(days=2)
                            ),
                            (earlier, None),
                        )
                    if not earlier:
                        number = taken["ordinary"] % len(messages)
                        taken["ordinary"] += 1
                    topic, location, executor, author, network, text, reply = messages[number]
                    text, reply = self._history_again(text, reply, again, times[number])
                    times[number] += 1
                else:
                    pool = high_messages if kind == "high" else no_reply_messages
                    message = pool[taken[kind] % len(pool)]
                    taken[kind] += 1
                    if kind == "no_reply":
                        topic, location, author, network, text, reason, comment = message
                        executor = reply = None
                    else:
                        topic, location, executor, author, network, text, reply = message
                author_record = ref(f"social_incidents.{author}")
                vals = {
                    "network": author_record.network or network,
                    "source": "monitoring",
                    "url": self._history_url(author_record.network or network, index),
                    "external_id": f"demo-history-{index}",
                    "author_id": author_record.id,
                    "text": text,
                    "published_at": detected - timedelta(minutes=rng.randrange(10, 90)),
                    "detected_at": detected,
                    "registered_at": detected + timedelta(minutes=rng.randrange(2, 12)),
                    "topic_ids": [(6, 0, [ref(f"social_incidents.{topic}").id] if topic else [])],
                    "location_id": ref(f"social_incidents.{location}").id if location else False,
                    "importance": "high" if scenario == "high" else "normal",
                    "curator_id": ref("social_incidents.user_demo_curator").id,
                }
                if earlier:
                    vals["repeat_of_id"] = earlier.id
                with self._dated(vals["registered_at"]):
                    curator = ref("social_incidents.user_demo_curator")
                    incident = self._as(self.env["social.incident"], curator).create(vals).sudo()
                created |= incident
                if kind == "ordinary":
                    ordinary.append((incident, number))
                if kind == "no_reply":
                    steps = [("no_reply", f"social_incidents.{reason}", comment)]
                else:
                    route = ("route", [f"social_incidents.{executor}"], None)
                    final = [
                        ("draft", "final", reply),
                        ("submit",),
                        ("approve",),
                        (
                            "publish",
                            self._history_url(author_record.network or network, index, reply=1),
                        ),
                        ("close",),
                    ]
                    steps = {
                        "quick": [route, ("accept",)] + final,
                        "high": [route, ("accept",)] + final,
                        "repeat": [route, ("accept",)] + final,
                        "returned": [
                            route,
                            ("accept",),
                            ("draft", "final", reply),
                            ("submit",),
                            (
                                "return",
                                "social_incidents.return_reason_spelling",
                                "Проверьте запятые и уберите канцелярит.",
                            ),
                            ("submit",),
                            ("approve",),
                            (
                                "publish",
                                self._history_url(author_record.network or network, index, reply=1),
                            ),
                            ("close",),
                        ],
                        "late": [route, ("accept",), ("wait", 2 * 24 * 60)] + final,
                        "intermediate": [
                            route,
                            ("accept",),
                            (
                                "draft",
                                "intermediate",
                                "Здравствуйте! Вопрос передан специалистам, ответим по итогам "
                                "проверки.",
                            ),
                            ("submit",),
                            ("approve",),
                            (
                                "publish",
                                self._history_url(author_record.network or network, index, reply=0),
                            ),
                            ("wait", 3 * 24 * 60),
                        ]
                        + final,
                    }[scenario]
                self._advance(incident.ids, steps)
        return created

    @api.model
    def _history_again(self, text, reply, again, times):
        """The message and its reply as written the ``times``-th time again
        (0: the first time, as they are): the author says he writes again,
        the reply, after its greeting, that it was checked again."""
        if not times or not again:
            return text, reply
        says, answers = again[min(times, len(again)) - 1]
        greeting, sep, rest = reply.partition("! ")
        if sep and greeting.lower().endswith("здравствуйте"):
            reply = f"{greeting}! {answers} {rest}"
        else:
            reply = f"{answers} {reply}"
        return f"{says} {text}", reply

    @api.model
    def _history_url(self, network, index, reply=None):
        """A link as the network gives it, on the demo administration's pages
        (a comment under a post of the page, or a post; ``reply``: our answer
        under it, 0 intermediate, 1 final)."""
        post = 2200 + index // 3
        comment = 5000 + 10 * index
        if network == "ok":
            url = f"https://ok.ru/akhtubinsk.admin/topic/{155123400000 + post}"
            return url if reply is None else f"{url}?commentId={comment + 1 + reply}"
        if network == "telegram":
            url = f"https://t.me/akhtubinsk_admin/{post}?comment={comment}"
            return (
                url
                if reply is None
                else f"https://t.me/akhtubinsk_admin/{post}?comment={comment + 1 + reply}"
            )
        url = f"https://vk.com/wall-187654321_{post}"
        if reply is None:
            return f"{url}?reply={comment}"
        return f"{url}?reply={comment + 1 + reply}&thread={comment}"

    @api.model
    def _excuse_one(self, comment):
        """Demo: the head excuses the first missed deadline of last month's
        history, so the disciplinary report shows an excused delay."""
        violation = self.env["social.sla.violation"].search(
            [("incident_id.external_id", "=like", "demo-history-%"), ("excused", "=", False)],
            order="deadline desc",
            limit=1,
        )
        head = self.env.ref("social_incidents.user_demo_head")
        self._as(violation, head).action_excuse(comment)
        return True
