from odoo import api, fields, models

from ..tools import clock
from .social_sla_policy_line import SLA_STEPS

SLA_STATUS = [
    ("on_time", "On Time"),
    ("at_risk", "At Risk"),
    ("overdue", "Overdue"),
    ("paused", "Waiting for the Author"),
    ("missing", "Calendar Not Loaded"),
]


def deadline_status(now, deadline, risk_at):
    """On time, at risk (past ``risk_at``) or overdue (past ``deadline``)."""
    if now >= deadline:
        return "overdue"
    if risk_at and now >= risk_at:
        return "at_risk"
    return "on_time"


_EMPTY_SLA = {
    "sla_deadline_id": False,
    "sla_deadline": False,
    "sla_risk_at": False,
    "sla_step": False,
    "sla_paused": False,
    "sla_missing_year": 0,
}


class SocialSlaMixin(models.AbstractModel):
    """The nearest open deadline of a record, stored and indexed, with its
    status and the working time left. The record defines ``deadline_ids``."""

    _name = "social.sla.mixin"
    _description = "Deadline of the Current Step"

    sla_deadline_id = fields.Many2one(
        "social.incident.deadline",
        compute="_compute_sla_deadline",
        store=True,
        string="Current Step",
        # deleting a deadline row sets this to null: without the index, every
        # deletion scans the whole table (issue #18)
        index="btree_not_null",
    )
    sla_deadline = fields.Datetime(
        string="Deadline",
        compute="_compute_sla_deadline",
        store=True,
        index=True,
        help="Deadline of the step due first, in working time where the regulation says so.",
    )
    sla_risk_at = fields.Datetime(
        string="At Risk From", compute="_compute_sla_deadline", store=True
    )
    sla_step = fields.Selection(
        SLA_STEPS, string="Step Due", compute="_compute_sla_deadline", store=True
    )
    sla_paused = fields.Boolean(string="Clock Stopped", compute="_compute_sla_deadline", store=True)
    sla_missing_year = fields.Integer(
        string="Production Calendar Missing", compute="_compute_sla_deadline", store=True
    )
    sla_status = fields.Selection(
        SLA_STATUS,
        string="Deadline Status",
        compute="_compute_sla_status",
        search="_search_sla_status",
    )
    sla_remaining = fields.Char(string="Time Left", compute="_compute_sla_status")

    @api.depends(
        "deadline_ids.deadline",
        "deadline_ids.state",
        "deadline_ids.optional",
        "deadline_ids.risk_at",
        "deadline_ids.paused_since",
        "deadline_ids.missing_year",
    )
    def _compute_sla_deadline(self):
        """One query for the whole batch: the open, running, mandatory row
        with the nearest deadline of each record."""
        records = self.filtered("id")
        for record in self - records:  # new records have no deadline yet
            record.update(_EMPTY_SLA)
        if not records:
            return
        key = self._fields["deadline_ids"].inverse_name
        self.env["social.incident.deadline"].flush_model()
        self.env.cr.execute(
            f"""
            SELECT DISTINCT ON (d.{key}) d.{key}, d.id, d.deadline, d.risk_at, d.step
              FROM social_incident_deadline d
             WHERE d.{key} = ANY(%s) AND d.state = 'open' AND NOT d.optional
               AND d.deadline IS NOT NULL AND d.paused_since IS NULL
             ORDER BY d.{key}, d.deadline, d.id
            """,
            [records.ids],
        )
        nearest = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        self.env.cr.execute(
            f"""
            SELECT d.{key}, bool_or(d.paused_since IS NOT NULL), max(COALESCE(d.missing_year, 0))
              FROM social_incident_deadline d
             WHERE d.{key} = ANY(%s) AND d.state = 'open' AND NOT d.optional
             GROUP BY d.{key}
            """,
            [records.ids],
        )
        flags = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        Deadline = self.env["social.incident.deadline"]
        for record in records:
            row_id, deadline, risk_at, step = nearest.get(record.id, (False,) * 4)
            paused, missing = flags.get(record.id, (False, 0))
            record.sla_deadline_id = Deadline.browse(row_id or ())
            record.sla_deadline = deadline or False
            record.sla_risk_at = risk_at or False
            record.sla_step = step or False
            record.sla_paused = bool(paused)
            record.sla_missing_year = missing or 0

    def _compute_sla_status(self):
        """The status and the working time left of each record; the texts of the
        whole batch at once (one query, one engine per calendar)."""
        now = clock.now()
        running = self.filtered("sla_deadline")
        texts = running.sla_deadline_id._remaining_texts(now)
        for record in self:
            if record.sla_deadline:
                record.sla_status = deadline_status(now, record.sla_deadline, record.sla_risk_at)
                record.sla_remaining = texts.get(record.sla_deadline_id._origin.id, False)
            elif record.sla_paused:
                record.sla_status = "paused"
                record.sla_remaining = self.env._("stopped: waiting for the author")
            elif record.sla_missing_year:
                record.sla_status = "missing"
                record.sla_remaining = self.env._(
                    "Production calendar of %s not loaded", record.sla_missing_year
                )
            else:
                record.sla_status = False
                record.sla_remaining = False

    def _search_sla_status(self, operator, value):
        if operator not in ("=", "in"):
            raise NotImplementedError(self.env._("Search the deadline status with = or in."))
        values = [value] if isinstance(value, str) else list(value)
        now = clock.now()
        domains = {
            "overdue": [("sla_deadline", "<=", now)],
            "at_risk": [("sla_risk_at", "<=", now), ("sla_deadline", ">", now)],
            "on_time": [("sla_risk_at", ">", now)],
            "paused": [("sla_paused", "=", True), ("sla_deadline", "=", False)],
            "missing": [("sla_missing_year", "!=", 0), ("sla_deadline", "=", False)],
        }
        result = []
        for key in values:
            domain = domains.get(key)
            if domain:
                result = (
                    (["|"] + result + ["&"] * (len(domain) - 1) + domain)
                    if result
                    else (["&"] * (len(domain) - 1) + domain)
                )
        return result or [("id", "=", 0)]
