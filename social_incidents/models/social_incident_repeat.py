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

# Pairs (new incident, earlier incident) of one company within the company's period: the same
# author, or a similar text with the same location or a shared topic. ``{side}`` restricts
# the pairs to those where the checked incidents are the new or the earlier one. The pairs
# come from equality joins (author, location, topic: indexed), so a batch of thousands of
# incidents compares only the texts that share an author or a place, never every text with
# every other one of the period.
# Each join is bounded by the period (a superset of what ``facts`` keeps), so a topic shared
# by years of a municipality's incidents costs the incidents of the period only, read off
# the index of (company, detection time) (issue #18).
_PAIRS_SQL = """
    WITH pairs AS MATERIALIZED (
        SELECT n.id AS new_id, o.id AS old_id
          FROM social_incident n
          JOIN res_company c ON c.id = n.company_id
          JOIN social_incident o ON o.author_id = n.author_id AND o.company_id = n.company_id
               AND o.detected_at BETWEEN n.detected_at - make_interval(days => c.social_repeat_days)
                                     AND n.detected_at
         WHERE {side} = ANY(%(ids)s) AND n.author_id IS NOT NULL
        UNION
        SELECT n.id, o.id
          FROM social_incident n
          JOIN res_company c ON c.id = n.company_id
          JOIN social_incident o ON o.location_id = n.location_id AND o.company_id = n.company_id
               AND o.detected_at BETWEEN n.detected_at - make_interval(days => c.social_repeat_days)
                                     AND n.detected_at
         WHERE {side} = ANY(%(ids)s) AND n.location_id IS NOT NULL
        UNION
        {topic_pairs}
    ), facts AS (
        SELECT n.id AS new_id, o.id AS old_id, n.text AS new_text, o.text AS old_text,
               n.author_id IS NOT NULL AND n.author_id = o.author_id AS same_author,
               (n.location_id IS NOT NULL AND n.location_id = o.location_id)
               OR EXISTS (
                    SELECT 1 FROM {rel} tn JOIN {rel} t_o ON t_o.{topic} = tn.{topic}
                     WHERE tn.{incident} = n.id AND t_o.{incident} = o.id
               ) AS same_place,
               c.social_repeat_similarity AS threshold
          FROM pairs p
          JOIN social_incident n ON n.id = p.new_id
          JOIN social_incident o ON o.id = p.old_id
          JOIN res_company c ON c.id = n.company_id
         WHERE o.id != n.id
           AND (o.detected_at < n.detected_at OR (o.detected_at = n.detected_at AND o.id < n.id))
           AND o.detected_at >= n.detected_at - make_interval(days => c.social_repeat_days)
           AND n.state IN %(open)s
           AND n.repeat_of_id IS NULL
           AND o.state != 'merged'
           AND o.id != COALESCE(n.merged_into_id, 0)
           AND n.id != ALL(%(skip)s::int[])
    )
    SELECT new_id, old_id, similarity(new_text, old_text), same_author, same_place, threshold
      FROM facts
     WHERE same_author OR (same_place AND similarity(new_text, old_text) >= threshold)
"""

# The shared-topic pairs, from the checked incident's side: the other side's incidents of
# the period one by one (LATERAL: a walk of the (company, detection time) index), each
# kept if it shares a topic.
_TOPIC_PAIRS_SQL = """
        SELECT n.id, o.id
          FROM social_incident {given}
          JOIN res_company c ON c.id = {given}.company_id
          CROSS JOIN LATERAL (
                SELECT w.id FROM social_incident w
                 WHERE w.company_id = {given}.company_id
                   AND w.detected_at BETWEEN {since} AND {until}
                OFFSET 0  -- not pulled up: one index walk per checked incident
          ) {other}
         WHERE {given}.id = ANY(%(ids)s)
           AND EXISTS (
                SELECT 1 FROM {rel} tn JOIN {rel} t_o ON t_o.{topic} = tn.{topic}
                 WHERE tn.{incident} = n.id AND t_o.{incident} = o.id)"""
# the checked incidents as the new ones (the earlier ones are the period before them), or as
# the earlier ones (the new ones are the period after them)
_TOPIC_SIDES = {
    "n.id": {
        "given": "n",
        "other": "o",
        "since": "n.detected_at - make_interval(days => c.social_repeat_days)",
        "until": "n.detected_at",
    },
    "o.id": {
        "given": "o",
        "other": "n",
        "since": "o.detected_at",
        "until": "o.detected_at + make_interval(days => c.social_repeat_days)",
    },
}


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
        topics = self._fields["topic_ids"]
        names = {"rel": topics.relation, "topic": topics.column2, "incident": topics.column1}
        sql = " UNION ".join(
            "(%s)"
            % _PAIRS_SQL.format(
                side=side,
                topic_pairs=_TOPIC_PAIRS_SQL.format(**_TOPIC_SIDES[side], **names),
                **names,
            )
            for side in ("n.id", "o.id")
        )
        if len(self) > BULK_SIZE:
            rows = self._repeat_pairs_bulk(skip_ids)
        else:
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
