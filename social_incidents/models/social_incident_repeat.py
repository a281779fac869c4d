import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.modules.db import has_trigram
from odoo.tools.sql import create_index

from ..tools import deferred_triage, guard
from ..tools.trigrams import RepeatRow, repeat_pairs
from .constants import CURATOR_GROUP, OPEN_STATES

_logger = logging.getLogger(__name__)

# At most this many earlier incidents are proposed for one incident (the closest first).
MAX_PROPOSALS = 5
# Batches larger than this are compared in Python first (``_repeat_pairs_bulk``).
BULK_SIZE = 50
# A change of these fields may make (or unmake) a repeat: check again.
REPEAT_FIELDS = {"location_id", "topic_ids", "author_id", "text", "detected_at"}

# Pairs (new incident, earlier incident) of one company within the company's period, for a
# few checked incidents (a registration, an edit): the same author, or a similar text with the
# same location or a shared topic. Each checked incident is paired both ways: as the new one
# with the incidents of the period before it, as the earlier one with the open incidents of
# the period after it. Each side is one walk of the index of (company, detection time) over
# the period (LATERAL), so the cost is the period's incidents, not the years of a
# municipality's (issue #18); the texts are compared only where the author, the location or a
# topic is shared. The query names the incident table once a side: PostgreSQL
# plans it in a fraction of the time that joins of the table with itself took (18 ms of
# planning for 1.5 ms of execution, for each incident registered).
_PAIRS_SQL = """
    WITH q AS MATERIALIZED (
        SELECT i.id, i.company_id, i.author_id, i.location_id, i.detected_at, i.text, i.state,
               i.repeat_of_id, i.merged_into_id,
               make_interval(days => c.social_repeat_days) AS period,
               c.social_repeat_similarity AS threshold,
               ARRAY(SELECT t.{topic} FROM {rel} t WHERE t.{incident} = i.id) AS topics
          FROM social_incident i
          JOIN res_company c ON c.id = i.company_id
         WHERE i.id = ANY(%(ids)s)
    ), found AS (
        -- the checked incident as the new one
        SELECT q.id AS new_id, o.id AS old_id, similarity(q.text, o.text) AS score,
               COALESCE(q.author_id = o.author_id, false) AS same_author,
               COALESCE(q.location_id = o.location_id, false) OR o.shared AS same_place,
               q.threshold
          FROM q
         CROSS JOIN LATERAL (
                SELECT w.id, w.text, w.author_id, w.location_id, w.detected_at, w.state,
                       EXISTS (SELECT 1 FROM {rel} t
                                WHERE t.{incident} = w.id AND t.{topic} = ANY(q.topics)) AS shared
                  FROM social_incident w
                 WHERE w.company_id = q.company_id
                   AND w.detected_at BETWEEN q.detected_at - q.period AND q.detected_at
                OFFSET 0  -- the walk of the period only; the rest is filtered below
          ) o
         WHERE q.state IN %(open)s AND q.repeat_of_id IS NULL AND q.id != ALL(%(skip)s::int[])
           AND (o.detected_at < q.detected_at OR o.id < q.id)
           AND o.state != 'merged'
           AND o.id != COALESCE(q.merged_into_id, 0)
           AND (q.author_id = o.author_id OR q.location_id = o.location_id OR o.shared)
        UNION
        -- the checked incident as the earlier one
        SELECT n.id, q.id, similarity(n.text, q.text),
               COALESCE(q.author_id = n.author_id, false),
               COALESCE(q.location_id = n.location_id, false) OR n.shared,
               q.threshold
          FROM q
         CROSS JOIN LATERAL (
                SELECT w.id, w.text, w.author_id, w.location_id, w.detected_at,
                       w.repeat_of_id, w.merged_into_id,
                       EXISTS (SELECT 1 FROM {rel} t
                                WHERE t.{incident} = w.id AND t.{topic} = ANY(q.topics)) AS shared
                  FROM social_incident w
                 WHERE w.company_id = q.company_id
                   AND w.detected_at BETWEEN q.detected_at AND q.detected_at + q.period
                   AND w.state IN %(open)s
                OFFSET 0
          ) n
         WHERE q.state != 'merged'
           AND (n.detected_at > q.detected_at OR n.id > q.id)
           AND n.repeat_of_id IS NULL
           AND COALESCE(n.merged_into_id, 0) != q.id
           AND n.id != ALL(%(skip)s::int[])
           AND (q.author_id = n.author_id OR q.location_id = n.location_id OR n.shared)
    )
    SELECT new_id, old_id, score, same_author, same_place, threshold
      FROM found
     WHERE same_author OR (same_place AND score >= threshold)
"""


class SocialIncident(models.Model):
    """Repeated messages (LYA 10, AKH 3.6, BAT 11): the earlier incidents a new one may repeat
    are proposed to the curator, who links or dismisses them."""

    _inherit = "social.incident"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    # The GIN trigram index serves the similarity searches of the repeats and the suggestions.
    text = fields.Text(index="trigram")
    repeat_candidate_ids = fields.One2many(
        "social.incident.repeat.candidate",
        "incident_id",
        string="Possible Repeats",
        groups=CURATOR_GROUP,
    )
    is_possible_repeat = fields.Boolean(
        string="Possible Repeat",
        compute="_compute_is_possible_repeat",
        search="_search_is_possible_repeat",
        help="An earlier incident is proposed as the one this repeats, and the curator has not "
        "decided yet.",
    )

    def init(self):
        result = super().init()
        self._ensure_trigram()
        # the pairs' windows: a municipality's incidents of the period, and a street's
        create_index(
            self.env.cr,
            "social_incident_company_detected_idx",
            self._table,
            ["company_id", "detected_at"],
        )
        create_index(
            self.env.cr,
            "social_incident_location_detected_idx",
            self._table,
            ["location_id", "detected_at"],
            where="location_id IS NOT NULL",
        )
        return result

    def _ensure_trigram(self):
        """pg_trgm gives the similarity of texts and the GIN index of ``text``: create it when
        the database user may (PostgreSQL 13+: a trusted extension), and let the registry
        create the trigram indexes now."""
        cr = self.env.cr
        if not has_trigram(cr):
            try:
                with cr.savepoint(flush=False):
                    cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except Exception as error:  # noqa: BLE001 - any refusal leaves the feature off
                _logger.warning(
                    "pg_trgm could not be created (%s): repeated messages and routing "
                    "suggestions from history are off until an administrator creates it",
                    error,
                )
        self.env.registry.has_trigram = has_trigram(cr)

    @api.depends_context("uid")
    @api.depends("repeat_of_id")
    def _compute_is_possible_repeat(self):
        proposed = set()
        if self.ids:
            # sudo: reads only whether a proposal exists for incidents the user already reads
            found = (
                self.env["social.incident.repeat.candidate"]
                .sudo()
                ._read_group(
                    [("incident_id", "in", self.ids), ("state", "=", "proposed")],
                    ["incident_id"],
                )
            )
            proposed = {incident.id for (incident,) in found}
        for incident in self:
            incident.is_possible_repeat = incident.id in proposed and not incident.repeat_of_id

    def _search_is_possible_repeat(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on “Possible Repeat”."))
        # sudo: the ids of incidents with an open proposal; the user's own rules then filter
        # the incidents the search returns
        ids = (
            self.env["social.incident.repeat.candidate"]
            .sudo()
            .search([("state", "=", "proposed"), ("incident_id.repeat_of_id", "=", False)])
            .incident_id.ids
        )
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    # ------------------------------------------------------------------
    # CRUD: check on registration and when what makes a repeat changes
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        incidents = super().create(vals_list)
        if not deferred_triage.active():  # else queued by the intake (a large import)
            incidents._detect_repeats()
        return incidents

    def write(self, vals):
        result = super().write(vals)
        if REPEAT_FIELDS & set(vals):
            self._detect_repeats()
        return result

    def _repeat_pairs_bulk(self, skip_ids=()):
        """The rows of ``_PAIRS_SQL`` for a large batch (an import of thousands of rows), found
        without comparing in SQL every text with every text of the same place and period
        (millions of ``similarity()`` calls): the texts' trigrams are compared in Python
        (``tools/trigrams.py``, pg_trgm's own rule), and only the pairs that can be proposed,
        the best few of each incident, are scored by PostgreSQL, which gives the score."""
        cr = self.env.cr
        topics = self._fields["topic_ids"]
        cr.execute(
            """
            SELECT company_id, MIN(detected_at), MAX(detected_at)
              FROM social_incident WHERE id = ANY(%s) GROUP BY company_id
            """,
            [self.ids],
        )
        spans = cr.fetchall()
        if not spans:
            return []
        companies = self.env["res.company"].browse([c for c, _low, _high in spans])
        days = {c.id: c.social_repeat_days for c in companies}
        threshold = {c.id: c.social_repeat_similarity for c in companies}
        # every incident the batch can pair with: the same companies, within the period
        # before the earliest and after the latest
        where = " OR ".join(["(company_id = %s AND detected_at BETWEEN %s AND %s)"] * len(spans))
        params = []
        for company_id, low, high in spans:
            period = timedelta(days=days[company_id])
            params += [company_id, low - period, high + period]
        cr.execute(
            f"""
            SELECT id, company_id, author_id, location_id, detected_at, state, repeat_of_id,
                   merged_into_id, text
              FROM social_incident
             WHERE {where}
            """,  # noqa: S608 - only placeholders are joined in
            params,
        )
        incidents = {row[0]: row for row in cr.fetchall()}
        cr.execute(
            f"SELECT {topics.column1}, {topics.column2} FROM {topics.relation} "  # noqa: S608
            f"WHERE {topics.column1} = ANY(%s)",
            [list(incidents)],
        )
        topics_of = {}
        for incident_id, topic_id in cr.fetchall():
            topics_of.setdefault(incident_id, set()).add(topic_id)
        kept = repeat_pairs(
            [RepeatRow(*row, topic_ids=topics_of.get(row[0], ())) for row in incidents.values()],
            set(self.ids),
            {company_id: timedelta(days=value) for company_id, value in days.items()},
            threshold,
            open_states=set(OPEN_STATES),
            skip=set(skip_ids),
            # the texts' trigrams, kept for the transaction: an import's chunks compare
            # with the same earlier texts
            grams=cr.cache.setdefault("social_incidents.trigrams", {}),
        )
        new_ids, old_ids, authors, places = [], [], [], []
        for new_id, pairs in kept.items():
            pairs.sort()
            for *_key, old_id, author, place in pairs[: MAX_PROPOSALS * 2]:
                new_ids.append(new_id)
                old_ids.append(old_id)
                authors.append(author)
                places.append(place)
        if not new_ids:
            return []
        cr.execute(
            """
            SELECT p.new_id, p.old_id, similarity(n.text, o.text), p.same_author,
                   p.same_place, c.social_repeat_similarity
              FROM unnest(%s::int[], %s::int[], %s::bool[], %s::bool[])
                   AS p(new_id, old_id, same_author, same_place)
              JOIN social_incident n ON n.id = p.new_id
              JOIN social_incident o ON o.id = p.old_id
              JOIN res_company c ON c.id = n.company_id
            """,
            [new_ids, old_ids, authors, places],
        )
        return [row for row in cr.fetchall() if row[3] or (row[4] and row[2] >= row[5])]

    def _detect_repeats(self, skip_ids=()):
        """Propose the earlier incidents that ``self`` (or that later incidents of ``self``)
        may repeat, for the whole batch at once: one query for the pairs, one for the
        proposals already made (a dismissed one is never made again), one create. The
        incidents ``skip_ids`` (queued, checked later themselves) are not paired now as the
        later ones."""
        if not self.ids or not self.env.registry.has_trigram:
            return
        Candidate = self.env["social.incident.repeat.candidate"]
        self.flush_recordset()
        Candidate.flush_model()
        if len(self) > BULK_SIZE:
            rows = self._repeat_pairs_bulk(skip_ids)
        else:
            topics = self._fields["topic_ids"]
            sql = _PAIRS_SQL.format(
                rel=topics.relation, topic=topics.column2, incident=topics.column1
            )
            self.env.cr.execute(
                sql, {"ids": self.ids, "open": tuple(OPEN_STATES), "skip": list(skip_ids)}
            )
            rows = self.env.cr.fetchall()
        best = {}
        for new_id, earlier_id, score, same_author, same_place, threshold in rows:
            similar = bool(same_place) and score >= threshold
            if not (same_author or similar):
                continue
            reason = (
                "author_text" if same_author and similar else "author" if same_author else "text"
            )
            best.setdefault(new_id, []).append((similar, score, earlier_id, reason))
        if not best:
            return
        # sudo: the proposals are the server's, made for whoever registered or edited the
        # incident (a curator, a webhook, an import); only the incidents' own fields reach them
        Candidate = Candidate.sudo()
        existing = {
            (c.incident_id.id, c.earlier_id.id): c
            for c in Candidate.search([("incident_id", "in", list(best))])
        }
        to_create = []
        with guard.system_write():
            for new_id, pairs in best.items():
                pairs.sort(key=lambda p: (not p[0], -p[1], -p[2]))
                for _similar, score, earlier_id, reason in pairs[:MAX_PROPOSALS]:
                    candidate = existing.get((new_id, earlier_id))
                    if not candidate:
                        to_create.append(
                            {
                                "incident_id": new_id,
                                "earlier_id": earlier_id,
                                "score": score,
                                "reason": reason,
                            }
                        )
                    elif candidate.state == "proposed" and (
                        candidate.reason != reason or round(candidate.score - score, 2)
                    ):
                        candidate.write({"score": score, "reason": reason})
            if to_create:
                Candidate.create(to_create)
