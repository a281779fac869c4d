"""Trigram similarity as PostgreSQL's pg_trgm computes it, for comparing many texts at once
in Python (the repeats of a large import) before PostgreSQL scores the few pairs kept.

pg_trgm splits a text into words of letters and digits, lower-cases them, pads each with two
spaces before and one after, and takes the set of its three-character pieces; the similarity
of two texts is the number of trigrams they share divided by the number of distinct trigrams
of both. pg_trgm stores a trigram of multi-byte characters as a hash (rare collisions) and
its scores are ``real``: the scores here equal PostgreSQL's up to about 0.001.

No Odoo import.
"""

import heapq
import re
from bisect import bisect_left, bisect_right
from datetime import datetime
from typing import NamedTuple

_WORD = re.compile(r"[^\W_]+")


def trigram_set(text):
    """The set of pg_trgm's trigrams of ``text``."""
    grams = set()
    for word in _WORD.findall((text or "").lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(first, second):
    """pg_trgm's ``similarity()`` of two trigram sets."""
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


class RepeatRow(NamedTuple):
    """What the repeat rule reads of an incident."""

    id: int
    company_id: int
    author_id: int | None
    location_id: int | None
    detected_at: datetime
    state: str
    repeat_of_id: int | None
    merged_into_id: int | None
    text: str
    topic_ids: tuple | set = ()


def repeat_pairs(
    rows, checked, periods, thresholds, open_states, margin=0.02, grams=None, keep=10, skip=()
):
    """The pairs (new incident, earlier incident) of ``rows`` that the repeat rule may
    propose, for the incidents ``checked`` (as the new or as the earlier one):
    {new id: [(sort key..., earlier id, same author, similar text)]}.

    A pair is two incidents of one company, the earlier one detected within
    ``periods[company]`` (a timedelta) before the new one, the new one open
    (``open_states``) and not yet a repeat, the earlier one neither merged nor the one the
    new one was merged into; of the same author, or of the same location or a shared topic
    with a trigram similarity of at least ``thresholds[company] - margin`` (the exact score
    is PostgreSQL's, computed afterwards on the pairs kept). Each incident is compared only
    with the incidents of its author, location and topics within the period. ``grams`` is a
    cache {text: trigram set} the caller may keep between calls. Of the similar pairs of an
    incident in one group only the ``keep`` best are kept (the proposals are the best few)."""
    groups = {}
    for row in rows:
        keys = [("topic", row.company_id, topic) for topic in row.topic_ids]
        if row.author_id:
            keys.append(("author", row.company_id, row.author_id))
        if row.location_id:
            keys.append(("location", row.company_id, row.location_id))
        for key in keys:
            groups.setdefault(key, []).append(row)
    can_be_new = {
        row.id: row.merged_into_id
        for row in rows
        if row.state in open_states and not row.repeat_of_id
    }
    merged = {row.id for row in rows if row.state == "merged"}
    same_author, same_place = set(), {}
    grams = {} if grams is None else grams
    for (kind, company_id, _value), members in groups.items():
        members.sort(key=lambda r: (r.detected_at, r.id))
        by_place = kind != "author"
        for new_id, old_id, score in _group_pairs(
            members,
            checked,
            periods[company_id],
            thresholds[company_id] - margin if by_place else None,
            grams,
            keep,
            can_be_new,
            merged,
            skip,
        ):
            if by_place:
                same_place[(new_id, old_id)] = score
            else:
                same_author.add((new_id, old_id))
    kept = {}
    for pair in same_author | set(same_place):
        score = same_place.get(pair)
        similar = score is not None
        kept.setdefault(pair[0], []).append(
            (not similar, -(score or 0), -pair[1], pair[1], pair in same_author, similar)
        )
    return kept


def _group_pairs(members, checked, period, limit, grams, keep, can_be_new, merged, skip):
    """(new id, earlier id, trigram score or None) of the members of one group (sorted by
    detection time) within ``period`` of each other, one of them checked, the new one open
    (``can_be_new``: {id: the incident it was merged into}), the earlier one not merged nor
    the new one's merge target; with a ``limit``, only the pairs whose texts are at least
    that similar, and of those only the ``keep`` best of each checked incident."""
    positions = [p for p, row in enumerate(members) if row.id in checked]
    if not positions:
        return
    ids = [row.id for row in members]
    times = [(row.detected_at, row.id) for row in members]
    # the later incidents the checked ones may be the earlier one of: not those checked here,
    # nor those (``skip``) that will be checked themselves
    unchecked = [p for p, row in enumerate(members) if row.id not in checked and row.id not in skip]
    if limit is not None:
        sets, bits = [], []
        for row in members:
            if row.text not in grams:
                found = trigram_set(row.text)
                grams[row.text] = (found, _signature(found))
            sets.append(grams[row.text][0])
            bits.append(grams[row.text][1])
        sizes = [len(found) for found in sets]
    for position in positions:
        moment = members[position].detected_at
        start = bisect_left(times, (moment - period, 0))
        end = bisect_right(times, (moment + period, float("inf")))
        me = ids[position]
        # as the new incident: the earlier ones of its period it can repeat
        if me in can_be_new:
            excluded = {can_be_new[me]}
            earlier = [j for j in range(start, position) if ids[j] not in merged]
        else:
            excluded, earlier = set(), []
        # as the earlier one of the later ones not checked (the checked ones pair with it
        # themselves)
        later = []
        if me not in merged:
            later = [
                j
                for j in unchecked[bisect_right(unchecked, position) : bisect_left(unchecked, end)]
                if ids[j] in can_be_new and can_be_new[ids[j]] != me
            ]
        if limit is None:
            for j in earlier:
                if ids[j] not in excluded:
                    yield me, ids[j], None
            for j in later:
                yield ids[j], me, None
            continue
        # shared >= limit * (size + size_j - shared), i.e. shared * (1 + limit) >=
        # limit * (size + size_j): first on the signatures (their count of shared bits is
        # never below the count of shared trigrams), then on the sets
        mine, mine_bits, size = sets[position], bits[position], sizes[position]
        factor = 1 + limit
        for part in (earlier, later):
            near = [
                ((common / ((size + sizes[j] - common) or 1)), ids[j])
                for j in part
                if (mine_bits & bits[j]).bit_count() * factor >= limit * (size + sizes[j])
                and (common := len(mine & sets[j])) * factor >= limit * (size + sizes[j])
            ]
            if part is earlier:
                # only the best can be proposed: the closest first, then the latest
                near = [item for item in near if item[1] not in excluded]
                for score, old_id in heapq.nlargest(keep, near):
                    yield me, old_id, score
            else:
                for score, new_id in near:
                    yield new_id, me, score


def _signature(grams, width=2048):
    """The trigrams as bits of an integer (a hash of each, modulo ``width``): the number of
    bits two signatures share is at least the number of trigrams the sets share."""
    bits = 0
    for gram in grams:
        bits |= 1 << (hash(gram) % width)
    return bits
