from collections import defaultdict
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.tools.misc import format_date

from ..tools import clock
from ..tools.guard import system_method
from .helpers import in_company_lang, scheduled_job

ALERT_HOUR = 12  # the alert comes at noon of the week's last working day
FRIDAY = 4


def company_tz(company):
    """The company's time zone: its working-time calendar's (as the deadlines)."""
    # sudo: the company's calendar (its time zone) is read by the job and by every reader of a week
    return company.sudo().resource_calendar_id.tz or "UTC"


def week_bounds(moment, tz_name):
    """(local Monday, UTC start, UTC end) of the week holding the naive UTC ``moment``:
    Monday 00:00 to the next Monday 00:00 in ``tz_name``."""
    tz = ZoneInfo(tz_name)
    local = moment.replace(tzinfo=timezone.utc).astimezone(tz)
    monday = local.date() - timedelta(days=local.weekday())
    start = datetime.combine(monday, time(0, 0), tzinfo=tz)
    end = datetime.combine(monday + timedelta(days=7), time(0, 0), tzinfo=tz)
    return (
        monday,
        start.astimezone(timezone.utc).replace(tzinfo=None),
        end.astimezone(timezone.utc).replace(tzinfo=None),
    )


class SocialAccountWeek(models.Model):
    """One week of an official page against its weekly posting quota (KOR A1 5: at
    least one post a week; BAT 6: at least two).

    The scheduled job opens the row when the week begins, with the quota as the page's
    setting was then (a later change of the setting does not judge a week by a rule it
    did not have), counts the posts actually published in the week (planned ones and
    the page's own posts received from the network), warns the page's responsible
    people once when the week is about to close short, and closes the week when it
    ends: a closed week is never counted again. Nobody writes a week by hand."""

    _name = "social.account.week"
    _description = "Official Page's Week"
    _inherit = ["mail.thread", "mail.activity.mixin", "social.protected.mixin"]
    _order = "week_start desc, account_id"
    _rec_name = "account_id"
    _protected_fields = "__all__"

    account_id = fields.Many2one(
        "social.account", string="Official Page", required=True, ondelete="cascade", index=True
    )
    network = fields.Selection(related="account_id.network", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    week_date = fields.Date(
        string="Week", required=True, index=True, help="The Monday the week begins on."
    )
    week_start = fields.Datetime(required=True, help="Monday 00:00 in the company's time zone.")
    week_end = fields.Datetime(
        required=True, help="The next Monday 00:00 in the company's time zone."
    )
    quota = fields.Integer(
        help="The page's weekly quota when the week began; a later change of the page's "
        "setting applies from the next week.",
    )
    published_count = fields.Integer(
        string="Published",
        help="Posts published in the week: planned posts and the page's own posts "
        "received from the network.",
    )
    planned_count = fields.Integer(
        string="Approved, Not Yet Published",
        help="Approved posts planned before the week ends, not yet published.",
    )
    missing_count = fields.Integer(
        string="Missing", compute="_compute_short", store=True, help="Quota minus published."
    )
    short = fields.Boolean(
        string="Short Week",
        compute="_compute_short",
        store=True,
        help="Fewer posts were published than the quota asks.",
    )
    counted_at = fields.Datetime(
        string="Checked by the Job", help="When the scheduled job last counted the week."
    )
    alert_at = fields.Datetime(
        string="Alert Time",
        help="When the responsible people are warned if the week is about to close short: "
        "12:00 of the week's last working day (Friday when the production calendar of "
        "the year is not loaded).",
    )
    alerted_at = fields.Datetime()
    closed = fields.Boolean(index=True)
    closed_at = fields.Datetime()

    _sql_constraints = [
        (
            "account_week_uniq",
            "unique(account_id, week_start)",
            "The page already has a row for this week.",
        )
    ]

    @api.depends("quota", "published_count")
    def _compute_short(self):
        for week in self:
            week.missing_count = max(week.quota - week.published_count, 0)
            week.short = week.published_count < week.quota

    @api.depends("account_id", "week_date")
    def _compute_display_name(self):
        for week in self:
            week.display_name = self.env._(
                "%(page)s, week of %(date)s",
                page=week.account_id.name or "",
                date=format_date(self.env, week.week_date, date_format="dd.MM.yyyy"),
            )

    # ------------------------------------------------------------------
    # Scheduled job
    # ------------------------------------------------------------------
    @api.model
    @scheduled_job
    @system_method
    def _cron_weekly_quota(self, batch_size=500):
        """Open this week's rows, count the open weeks, warn of a short week once,
        close the weeks that ended. Idempotent; one counting query a batch; progress
        is reported so that the scheduler runs the next batch at once."""
        now = clock.now()
        self._open_weeks(now)
        self.env.flush_all()
        # a row counted in the last half hour was counted by this run's earlier batch
        self.env.cr.execute(
            """
            SELECT id FROM social_account_week
             WHERE closed IS NOT TRUE
               AND (counted_at IS NULL OR counted_at < %s)
             ORDER BY week_start, id
             LIMIT %s
            """,
            (now - timedelta(minutes=30), batch_size + 1),
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        # sudo: the scheduled job (private: not callable over RPC) counts every page's weeks
        weeks = self.sudo().browse(ids[:batch_size])
        weeks._count_posts(now)
        weeks.filtered(lambda w: now < w.week_end)._alert_short(now)
        weeks.filtered(lambda w: w.week_end <= now).write({"closed": True, "closed_at": now})
        weeks._settle_alerts()
        remaining = max(len(ids) - batch_size, 0)
        self.env["ir.cron"]._notify_progress(done=len(weeks), remaining=remaining)
        return len(weeks)

    @api.model
    def _open_weeks(self, now):
        """Open this week's row of each active page with a quota that has none: the
        quota and the alert time are taken now, once."""
        # sudo: the job opens the rows of every company's pages
        pages = self.env["social.account"].sudo().search([("weekly_post_quota", ">", 0)])
        if not pages:
            return self.browse()
        bounds = {}
        for company in pages.company_id:
            tz_name = company_tz(company)
            monday, start, end = week_bounds(now, tz_name)
            bounds[company.id] = (monday, start, end, self._alert_time(company, monday, tz_name))
        # sudo: the scheduled job opens the weeks of every company's pages
        existing = self.sudo().search(
            [
                ("account_id", "in", pages.ids),
                ("week_start", "in", list({b[1] for b in bounds.values()})),
            ]
        )
        have = {(week.account_id.id, week.week_start) for week in existing}
        vals_list = []
        for page in pages:
            monday, start, end, alert_at = bounds[page.company_id.id]
            if (page.id, start) in have:
                continue
            vals_list.append(
                {
                    "account_id": page.id,
                    "company_id": page.company_id.id,
                    "week_date": monday,
                    "week_start": start,
                    "week_end": end,
                    "quota": page.weekly_post_quota,
                    "alert_at": alert_at,
                }
            )
        # sudo: the job writes the rows nobody else may write
        return (
            self.sudo()
            .with_context(mail_create_nolog=True, tracking_disable=True)
            .create(vals_list)
        )

    @api.model
    def _alert_time(self, company, monday, tz_name):
        """12:00 of the week's last working day by the company's calendar and the
        production calendar; Friday when the year's production calendar is not loaded
        or the week has no working day."""
        day = monday + timedelta(days=FRIDAY)
        # sudo: the company's working-time calendar, read by the job
        calendar = company.sudo().resource_calendar_id
        if calendar:
            worktime = self.env["social.sla.policy"]._get_worktime(calendar)
            day = worktime.last_working_day(monday, monday + timedelta(days=6)) or day
        local = datetime.combine(day, time(ALERT_HOUR, 0), tzinfo=ZoneInfo(tz_name))
        return local.astimezone(timezone.utc).replace(tzinfo=None)

    def _count_posts(self, now, by_job=True):
        """Count the posts of these open weeks in one query: published in the week,
        and approved, not yet published, planned before the week ends. The job stamps
        the weeks it went through (``counted_at``: its batches' cursor); a recount when a
        post is published does not, so the job still checks the week's alert and end."""
        if not self:
            return
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT w.id,
                   count(p.id) FILTER (WHERE p.state = 'published'
                                         AND p.published_at >= w.week_start
                                         AND p.published_at < w.week_end),
                   count(p.id) FILTER (WHERE p.state = 'approved'
                                         AND p.planned_at < w.week_end)
              FROM social_account_week w
              LEFT JOIN social_account_post p
                ON p.account_id = w.account_id
               AND p.state IN ('published', 'approved')
               AND (p.published_at >= w.week_start OR p.state = 'approved')
             WHERE w.id IN %s
             GROUP BY w.id
            """,
            (tuple(self.ids),),
        )
        groups = defaultdict(list)
        for week_id, published, planned in self.env.cr.fetchall():
            groups[(published, planned)].append(week_id)
        for (published, planned), ids in groups.items():
            vals = {"published_count": published, "planned_count": planned}
            if by_job:
                vals["counted_at"] = now
            self.browse(ids).write(vals)

    def _alert_short(self, now):
        """Warn the page's responsible people, once a week, when the week is about to
        close short: published and approved planned posts are fewer than the quota."""
        weeks = self.filtered(
            lambda w: not w.alerted_at
            and w.alert_at
            and w.alert_at <= now
            and w.published_count + w.planned_count < w.quota
        )
        if not weeks:
            return
        type_id = self.env.ref("social_incidents.mail_act_social_post_quota").id
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        by_company = defaultdict(lambda: self.browse())
        for week in weeks:
            by_company[week.company_id] |= week
        for company, company_weeks in by_company.items():
            company_weeks = in_company_lang(company_weeks, company)
            for week in company_weeks:
                users = week._responsible_users()
                summary, note = week._alert_texts()
                vals_list += [
                    {
                        "res_model_id": model_id,
                        "res_id": week.id,
                        "activity_type_id": type_id,
                        "user_id": user.id,
                        "summary": summary,
                        "note": note,
                        "date_deadline": week.week_date + timedelta(days=6),
                        "automated": True,
                    }
                    for user in users
                ]
        # sudo: the responsible people's activities on the weeks the job is checking; one
        # create, without an assignment e-mail each (the activity is in their systray)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            vals_list
        )
        weeks.write({"alerted_at": now})

    def _settle_alerts(self):
        """Take the short-week activities off once the week has its posts, or once it
        has closed (short: the week's row says so); a note in the week's chatter says
        why. One unlink and one batch of notes."""
        type_id = self.env.ref("social_incidents.mail_act_social_post_quota").id
        settled = self.filtered(lambda w: w.closed or w.published_count >= w.quota)
        activities = settled.activity_ids.filtered(lambda a: a.activity_type_id.id == type_id)
        if not activities:
            return
        weeks = settled.filtered(lambda w: w.id in set(activities.mapped("res_id")))
        bodies = {}
        for week in weeks:
            week = in_company_lang(week)  # noqa: PLW2901 - the same week, in the company's language
            if week.published_count >= week.quota:
                bodies[week.id] = week.env._("The week's quota is met.")
            else:
                bodies[week.id] = week.env._("The week closed short.")
        activities.unlink()
        weeks._message_log_batch(bodies=bodies, author_id=self.env.ref("base.partner_root").id)

    def _responsible_users(self):
        """Who answers for the page's posts: the responsible executor's acting members,
        else its head, else the company's curator, else its curators."""
        self.ensure_one()
        page = self.account_id
        executor = page.executor_id
        users = executor.responsible_user_ids.filtered(lambda u: u.active and not u.share)
        if not users and executor.head_user_id.active:
            users = executor.head_user_id
        if not users:
            company = self.company_id
            users = company.social_curator_id.filtered("active")
        if not users:
            group = self.env.ref("social_incidents.group_social_curator")
            users = group.users.filtered(
                lambda u: u.active and not u.share and self.company_id in u.company_ids
            )
        return users

    def _alert_texts(self):
        """(summary, note) of the short-week alert, in ``self.env.lang``."""
        self.ensure_one()
        missing = self.quota - self.published_count - self.planned_count
        last_day = format_date(
            self.env, self.week_date + timedelta(days=6), date_format="dd.MM.yyyy"
        )
        summary = self.env._(
            "%(missing)s post(s) missing this week on %(page)s",
            missing=missing,
            page=self.account_id.name,
        )
        note = self.env._(
            "The page «%(page)s» must publish at least %(quota)s post(s) a week. This week "
            "%(published)s published and %(planned)s approved and planned: %(missing)s "
            "post(s) missing. Plan, get approved and publish them by the end of Sunday "
            "%(date)s.",
            page=self.account_id.name,
            quota=self.quota,
            published=self.published_count,
            planned=self.planned_count,
            missing=missing,
            date=last_day,
        )
        return summary, note
