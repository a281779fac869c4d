"""Keyword matching and vote counting of the routing suggestions. No Odoo import.

A rule's keywords are word stems ("ям", "асфальт", "контейнер"): a stem matches a word of the
message that starts with it, after both are normalized (lower case, ё read as е), so "ям"
matches "яма", "ямы", "ямочный" but not "бурьяном".
"""

import re

_WORD = re.compile(r"[0-9a-zа-яё]+")


def normalize(text):
    """``text`` in lower case with ё read as е."""
    return (text or "").lower().replace("ё", "е")


def words(text):
    """The words of ``text`` in lower case (ё kept), in order."""
    return _WORD.findall((text or "").lower())


def parse_stems(keywords):
    """The stems of a rule's keywords: one a line (commas also separate), normalized, without
    duplicates, in the order given."""
    stems = []
    for line in re.split(r"[\n,;]", keywords or ""):
        stem = normalize(" ".join(words(line)))
        if stem and stem not in stems:
            stems.append(stem)
    return stems


def match_stems(text_words, stems):
    """The words of the message (``words(text)``) matched by ``stems``, as written, each once,
    in the message's order: a word matches a stem it starts with once normalized; a stem of
    several words matches those words in a row."""
    normalized = [normalize(word) for word in text_words]
    matched = []
    for index in range(len(text_words)):
        for stem in stems:
            parts = stem.split(" ")
            window = normalized[index : index + len(parts)]
            if len(window) == len(parts) and all(
                w.startswith(p) for w, p in zip(window, parts, strict=True)
            ):
                found = " ".join(text_words[index : index + len(parts)])
                if found not in matched:
                    matched.append(found)
                break
    return matched


def rule_weight(matched_count):
    """How much a rule whose keywords matched ``matched_count`` words counts: one rule matched
    outweighs one similar past message (whose weight is its similarity, at most 1)."""
    return 1.0 + 0.25 * (matched_count - 1) if matched_count else 0.0


def rank(votes, limit=3):
    """The ``limit`` keys of ``votes`` ({key: score}) with the highest score; ties by key."""
    return sorted(votes, key=lambda key: (-votes[key], key))[:limit]
