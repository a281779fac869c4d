from datetime import datetime, time, timedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.social_incidents.models.constants import NETWORKS, STATES

TIMELINESS = [
    ("on_time", "Answered on Time"),
    ("late", "Answered Late"),
    ("overdue", "Overdue, No Reply Yet"),
    ("pending", "In Time, No Reply Yet"),
    ("no_deadline", "No Deadline"),
    ("not_applicable", "Not Answered by Rule"),
    ("merged", "Merged into Another Incident"),
]
# Local days lie within UTC-12 and UTC+14: a day wider on each side holds them all.
TZ_MARGIN = timedelta(days=1)


class SocialIncidentReport(models.Model):
    """One row per incident, with what the analysis counts: the reply time in
    working hours, whether the reply came before the total deadline, reworks,
    repeats and missed deadlines. The monthly report reads the same rows, so
    its figures are those of the pivot for the same filter."""

    _name = "social.incident.report"
    _description = "Incident Analysis"
    _auto = False
    _rec_name = "name"
    _order = "detected_at desc, id desc"

    incident_id = fields.Many2one("social.incident", readonly=True)
    name = fields.Char(string="Number", readonly=True)
    summary = fields.Char(string="Message", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    network = fields.Selection(NETWORKS, readonly=True)
    account_id = fields.Many2one("social.account", string="Official Page", readonly=True)
    source = fields.Selection(
        [("own_page", "Own Page"), ("monitoring", "Monitoring"), ("import", "Import")],
        readonly=True,
    )
    topic_ids = fields.Many2many(
        "social.incident.topic",
        relation="social_incident_social_incident_topic_rel",
        column1="social_incident_id",
        column2="social_incident_topic_id",
        string="Topics",
        readonly=True,
    )
    location_id = fields.Many2one("social.incident.location", readonly=True)
    executor_ids = fields.Many2many(
        "social.executor",
        relation="social_executor_social_incident_rel",
        column1="social_incident_id",
        column2="social_executor_id",
        string="Executors",
        readonly=True,
    )
    lead_executor_id = fields.Many2one("social.executor", readonly=True)
    curator_id = fields.Many2one("res.users", readonly=True)
    importance = fields.Selection([("normal", "Normal"), ("high", "High")], readonly=True)
    state = fields.Selection(STATES, readonly=True)
    detected_at = fields.Datetime(string="Detected", readonly=True)
    detected_date = fields.Date(
        string="Detection Date",
        readonly=True,
        help="Day of detection in the administration's time zone.",
    )
    first_reply_at = fields.Datetime(string="First Reply", readonly=True)
    answered_at = fields.Datetime(string="Final Reply", readonly=True)
    reply_deadline = fields.Datetime(string="Reply Due", readonly=True)
    reply_hours = fields.Float(
        string="Reply Time (working h)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Working hours from detection to the first published reply.",
    )
    timeliness = fields.Selection(TIMELINESS, readonly=True)
    on_time = fields.Boolean(string="Answered on Time", readonly=True)
    on_time_rate = fields.Float(
        string="Answered on Time (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Share of the answered incidents whose reply came before the total deadline.",
    )
    answered_count = fields.Integer(string="Answered", readonly=True, aggregator="sum")
    on_time_count = fields.Integer(string="On Time", readonly=True, aggregator="sum")
    late_count = fields.Integer(string="Late", readonly=True, aggregator="sum")
    overdue_count = fields.Integer(string="Overdue Without Reply", readonly=True, aggregator="sum")
    rework_count = fields.Integer(string="Reworks", readonly=True, aggregator="sum")
    is_repeat = fields.Boolean(string="Repeated", readonly=True)
    repeat_count = fields.Integer(string="Repeated Messages", readonly=True, aggregator="sum")
    violation_count = fields.Integer(string="Missed Deadlines", readonly=True, aggregator="sum")
    has_intermediate = fields.Boolean(string="Intermediate Reply", readonly=True)
    intermediate_count = fields.Integer(
        string="Intermediate Replies", readonly=True, aggregator="sum"
    )
    final_after_intermediate_count = fields.Integer(
        string="Finals After Intermediate", readonly=True, aggregator="sum"
    )
    no_reply_reason_id = fields.Many2one(
        "social.no_reply.reason", string="No-Reply Reason", readonly=True
    )
    no_reply_count = fields.Integer(string="No Reply", readonly=True, aggregator="sum")
    high_count = fields.Integer(string="High Importance", readonly=True, aggregator="sum")
    reply_delay_minutes = fields.Integer(
        string="Reply Delay (working min)",
        readonly=True,
        aggregator="max",
        help="How late the reply (or the final reply) is or was, in working minutes.",
    )

    def action_open_incident(self):
        self.ensure_one()
        return self.incident_id._action_open_form()

    @api.model
    def _period_domain(self, company, date_from, date_to):
        """The incidents of ``company`` detected from ``date_from`` to
        ``date_to`` (local days, both included)."""
        return [
            ("company_id", "=", company.id),
            ("detected_date", ">=", fields.Date.to_string(date_from)),
            ("detected_date", "<=", fields.Date.to_string(date_to)),
        ]

    def _condition_to_sql(self, alias, fname, operator, value, query):
        """``detected_date`` is the day of detection in the company's time zone,
        computed by the view: no index serves a condition on it, and every
        incident of the region would be read to filter a month. Such a condition
        implies one on ``detected_at`` (indexed in social_incident) a day wider,
        which is added: the same rows, found through the index."""
        condition = super()._condition_to_sql(alias, fname, operator, value, query)
        if fname != "detected_date" or operator not in ("=", ">", ">=", "<", "<=") or not value:
            return condition
        day = datetime.combine(fields.Date.to_date(value), time.min)
        column = SQL.identifier(alias, "detected_at")
        bounds = []
        if operator in ("=", ">", ">="):
            bounds.append(SQL("%s >= %s", column, day - TZ_MARGIN))
        if operator in ("=", "<", "<="):
            bounds.append(SQL("%s < %s", column, day + timedelta(days=1) + TZ_MARGIN))
        return SQL("(%s AND %s)", condition, SQL(" AND ").join(bounds))

    def _query(self):
        return SQL(
            """
            SELECT base.*,
                   base.timeliness = 'on_time' AS on_time,
                   CASE base.timeliness WHEN 'on_time' THEN 100.0 WHEN 'late' THEN 0.0 END
                       AS on_time_rate,
                   (base.timeliness = 'on_time')::int AS on_time_count,
                   (base.timeliness = 'late')::int AS late_count,
                   (base.timeliness = 'overdue')::int AS overdue_count
              FROM (
                SELECT i.id,
                       i.id AS incident_id,
                       i.name,
                       i.summary,
                       i.company_id,
                       i.network,
                       i.account_id,
                       i.source,
                       i.location_id,
                       i.lead_executor_id,
                       i.curator_id,
                       i.importance,
                       i.state,
                       i.detected_at,
                       (i.detected_at AT TIME ZONE 'UTC'
                           AT TIME ZONE COALESCE(rc.tz, 'Europe/Moscow'))::date AS detected_date,
                       i.first_reply_at,
                       i.answered_at,
                       t.deadline AS reply_deadline,
                       CASE WHEN i.first_reply_at IS NOT NULL
                            THEN round(i.reply_work_minutes / 60.0, 2) END AS reply_hours,
                       CASE
                           WHEN i.state = 'no_reply' THEN 'not_applicable'
                           -- a duplicate is answered in the incident it was merged into:
                           -- not "left without a reply by the regulation"
                           WHEN i.state = 'merged' THEN 'merged'
                           WHEN t.deadline IS NULL THEN 'no_deadline'
                           WHEN i.first_reply_at IS NOT NULL AND i.first_reply_at <= t.deadline
                               THEN 'on_time'
                           WHEN i.first_reply_at IS NOT NULL THEN 'late'
                           WHEN t.paused_since IS NULL
                                AND t.deadline < (now() AT TIME ZONE 'UTC') THEN 'overdue'
                           ELSE 'pending'
                       END AS timeliness,
                       (i.first_reply_at IS NOT NULL)::int AS answered_count,
                       COALESCE(i.rework_count, 0) AS rework_count,
                       COALESCE(i.is_repeat, FALSE) AS is_repeat,
                       COALESCE(i.is_repeat, FALSE)::int AS repeat_count,
                       COALESCE(i.violation_count, 0) AS violation_count,
                       COALESCE(rep.has_intermediate, FALSE) AS has_intermediate,
                       COALESCE(rep.has_intermediate, FALSE)::int AS intermediate_count,
                       (COALESCE(rep.has_intermediate, FALSE)
                        AND COALESCE(rep.has_final, FALSE))::int
                           AS final_after_intermediate_count,
                       i.no_reply_reason_id,
                       (i.state = 'no_reply')::int AS no_reply_count,
                       (i.importance = 'high')::int AS high_count,
                       COALESCE(v.delay, 0) AS reply_delay_minutes
                  FROM social_incident i
                  JOIN res_company c ON c.id = i.company_id
             LEFT JOIN resource_calendar rc ON rc.id = c.resource_calendar_id
             LEFT JOIN LATERAL (
                       SELECT d.deadline, d.paused_since
                         FROM social_incident_deadline d
                        WHERE d.incident_id = i.id AND d.step = 'total' AND d.state != 'cancelled'
                     ORDER BY d.id DESC
                        LIMIT 1
                       ) t ON TRUE
             LEFT JOIN LATERAL (
                       SELECT bool_or(r.kind = 'intermediate') AS has_intermediate,
                              bool_or(r.kind = 'final') AS has_final
                         FROM social_incident_reply r
                        WHERE r.incident_id = i.id AND r.state = 'published'
                       ) rep ON TRUE
             LEFT JOIN LATERAL (
                       SELECT max(sv.delay_minutes) AS delay
                         FROM social_sla_violation sv
                        WHERE sv.incident_id = i.id AND sv.step IN ('total', 'final')
                          AND sv.voided IS NOT TRUE
                       ) v ON TRUE
              ) base
            """
        )

    def init(self):
        # the view's total deadline of each incident, one index entry away
        # (instead of every deadline row of the incident, sorted)
        tools.create_index(
            self.env.cr,
            "social_incident_deadline_report_total_idx",
            "social_incident_deadline",
            ["incident_id", "id DESC"],
            where="step = 'total' AND state != 'cancelled'",
        )
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
