from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.social_incidents.tools import clock

KEEP_DAYS = 30

PUSH_COUNT_KINDS = [
    ("request", "Accepted Requests"),
    ("created", "Incidents Created"),
    ("duplicate", "Duplicates"),
    ("error", "Messages Refused"),
    ("token", "Wrong Token"),
    ("rate", "Over the Rate Limit"),
]


class SocialMonitoringPushCount(models.Model):
    """What a monitoring system's pushes did in one minute: one row per
    system, minute and kind, incremented in place (an upsert). The rate limit
    reads the requests' row, so it holds across the server's worker processes;
    a flood of forged requests writes no row each."""

    _name = "social.monitoring.push.count"
    _description = "Monitoring System Pushes per Minute"
    _order = "minute desc, id desc"
    _rec_name = "minute"

    source_id = fields.Many2one(
        "social.monitoring.source", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    minute = fields.Datetime(required=True, readonly=True, index=True)
    kind = fields.Selection(PUSH_COUNT_KINDS, required=True, readonly=True)
    count = fields.Integer(readonly=True)

    _sql_constraints = [
        (
            "source_minute_kind_uniq",
            "unique(source_id, minute, kind)",
            "One counter per monitoring system, minute and kind.",
        ),
    ]

    @api.model
    def _add(self, source_id, counts):
        """Add ``counts`` ({kind: n}) to the system's counters of this minute;
        return the new totals {kind: total}. Concurrent requests add up on the
        same rows (the caller's transaction reads what is committed)."""
        counts = {kind: n for kind, n in counts.items() if n}
        if not counts:
            return {}
        minute = clock.now().replace(second=0, microsecond=0)
        rows = sorted(counts.items())  # always the same order: no deadlock between requests
        values = ", ".join(["(%s, %s, %s)"] * len(rows))
        self.env.cr.execute(
            f"""
            INSERT INTO social_monitoring_push_count
                   (source_id, company_id, minute, kind, count,
                    create_uid, create_date, write_uid, write_date)
            SELECT s.id, s.company_id, v.minute, v.kind, v.n,
                   %s, now() at time zone 'UTC', %s, now() at time zone 'UTC'
              FROM social_monitoring_source s,
                   (VALUES {values}) AS v(minute, kind, n)
             WHERE s.id = %s
            ON CONFLICT (source_id, minute, kind)
            DO UPDATE SET count = social_monitoring_push_count.count + EXCLUDED.count,
                          write_date = EXCLUDED.write_date
            RETURNING kind, count
            """,  # noqa: S608 - only placeholders are formatted in
            [self.env.uid, self.env.uid]
            + [value for kind, n in rows for value in (minute, kind, n)]
            + [source_id],
        )
        return dict(self.env.cr.fetchall())

    @api.autovacuum
    def _gc_old_counts(self):
        # sudo: the autovacuum job drops counters older than KEEP_DAYS
        self.sudo().search([("minute", "<", clock.now() - timedelta(days=KEEP_DAYS))]).unlink()
