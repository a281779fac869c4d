from odoo import models

from ..tools import triage

# Similar past messages: how many, and how alike at least (trigram similarity, 0 to 1).
HISTORY_NEIGHBOURS = 10
HISTORY_THRESHOLD = 0.15
# Numbers of similar messages named in a reason.
REASON_NUMBERS = 3

# The routed incidents of a company most similar to a text, each with the executors it was
# routed to (not those that declined or were withdrawn) and its topics, in one query.
_NEIGHBOURS_SQL = """
    SELECT o.id, o.name, similarity(o.text, %(text)s) AS sim,
           ARRAY(SELECT DISTINCT a.executor_id FROM social_incident_assignment a
                  WHERE a.incident_id = o.id AND a.state NOT IN ('declined', 'cancelled')),
           ARRAY(SELECT t.{topic} FROM {rel} t WHERE t.{incident} = o.id)
      FROM social_incident o
     WHERE o.company_id = %(company)s
       AND o.id != %(exclude)s
       AND o.state != 'merged'
       AND o.text %% %(text)s
       AND similarity(o.text, %(text)s) >= %(threshold)s
       AND EXISTS (SELECT 1 FROM social_incident_assignment a
                    WHERE a.incident_id = o.id AND a.state NOT IN ('declined', 'cancelled'))
     ORDER BY sim DESC, o.id DESC
     LIMIT %(limit)s
"""


class SocialIncident(models.Model):
    """Routing suggestions: the executors and topics a message most likely belongs to, from
    the administrators' keyword rules and from where similar past messages were routed. Shown
    in the routing dialog; the curator confirms."""

    _inherit = "social.incident"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    def _triage_neighbours(self, exclude_ids=()):
        """[(id, number, similarity, executor ids, topic ids)] of the routed incidents of the
        company whose text is most like this one's (one query)."""
        self.ensure_one()
        if not self.env.registry.has_trigram or not (self.text or "").strip():
            return []
        topics = self._fields["topic_ids"]
        self.env["social.incident.assignment"].flush_model(["incident_id", "executor_id", "state"])
        self.flush_model(["text", "company_id", "state", "name", "topic_ids"])
        cr = self.env.cr
        # the % operator (served by the GIN index) uses this threshold; this transaction only
        cr.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
            [str(HISTORY_THRESHOLD)],
        )
        cr.execute(
            _NEIGHBOURS_SQL.format(
                rel=topics.relation, topic=topics.column2, incident=topics.column1
            ),
            {
                "text": self.text,
                "company": self.company_id.id,
                "exclude": self.id or 0,
                "threshold": HISTORY_THRESHOLD,
                "limit": HISTORY_NEIGHBOURS + len(exclude_ids),
            },
        )
        rows = [row for row in cr.fetchall() if row[0] not in exclude_ids]
        return rows[:HISTORY_NEIGHBOURS]

    def _triage_suggestions(self, limit=3, neighbours=None, use_rules=True):
        """The ``limit`` most likely executors and topics of this incident, each with its
        reasons: ``{"executors": [(executor, score, reason)], "topics": [...]}``. Executors
        already routed to and topics already set are left out. ``neighbours``: the similar
        past messages when already known (the benchmark leaves one out); ``use_rules``:
        False to leave the keyword rules out (the benchmark measures each source)."""
        self.ensure_one()
        Executor = self.env["social.executor"]
        Topic = self.env["social.incident.topic"]
        votes = {"executor": {}, "topic": {}}
        keywords = {"executor": {}, "topic": {}}
        similar = {"executor": {}, "topic": {}}

        rules = self.env["social.triage.rule"].browse()
        if use_rules:
            rules = rules.search([("company_id", "=", self.company_id.id)])
        for rule, matched in rules._match(self.text):
            weight = triage.rule_weight(len(matched))
            for kind, record in (("topic", rule.topic_id), ("executor", rule.executor_id)):
                if not record:
                    continue
                votes[kind][record.id] = votes[kind].get(record.id, 0.0) + weight
                words = keywords[kind].setdefault(record.id, [])
                words.extend(w for w in matched if w not in words)

        if neighbours is None:
            neighbours = self._triage_neighbours()
        for _id, number, sim, executor_ids, topic_ids in neighbours:
            for kind, ids in (("executor", executor_ids), ("topic", topic_ids)):
                for record_id in ids:
                    votes[kind][record_id] = votes[kind].get(record_id, 0.0) + sim
                    similar[kind].setdefault(record_id, []).append((sim, number))

        taken = {
            "executor": set(self.executor_ids.ids),
            "topic": set(self.topic_ids.ids),
        }
        result = {}
        for kind, model in (("executor", Executor), ("topic", Topic)):
            candidates = {k: v for k, v in votes[kind].items() if k not in taken[kind]}
            records = model.browse(list(candidates)).exists()
            if kind == "executor":
                records = records.filtered(lambda e: e.active and e.company_id == self.company_id)
            candidates = {k: v for k, v in candidates.items() if k in records.ids}
            ranked = []
            for record_id in triage.rank(candidates, limit):
                reasons = []
                if keywords[kind].get(record_id):
                    reasons.append(self.env._("keywords: %s", ", ".join(keywords[kind][record_id])))
                if similar[kind].get(record_id):
                    found = sorted(similar[kind][record_id], reverse=True)
                    reasons.append(
                        self.env._(
                            "similar messages: %(numbers)s (similarity %(score).2f)",
                            numbers=", ".join(n for _s, n in found[:REASON_NUMBERS])
                            + (", …" if len(found) > REASON_NUMBERS else ""),
                            score=found[0][0],
                        )
                    )
                ranked.append((model.browse(record_id), candidates[record_id], "; ".join(reasons)))
            result[kind + "s"] = ranked
        return result
