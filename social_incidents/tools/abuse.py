"""Finding obscene, insulting and threatening words in a citizen's message (AKH 3.7, KOR 21).

No Odoo import: the ``social.abuse.term`` records are turned into ``Term`` tuples and handed
to ``find_abuse``. A term is the beginning of a word (a stem): it matches a word that starts
with it, never a word that merely contains it ("оскорблять" holds "скорб", "тебя" holds "еб",
"команда" holds "манда"), and a term's exceptions are word beginnings it must not match
("мандат" for "манда").

What people write to get past a filter is undone first:

- case and "ё": ``normalize`` lowercases and reads "ё" as "е";
- Latin letters and digits that look like Cyrillic ones (``a`` → ``а``, ``3`` → ``з``,
  ``6`` → ``б``, ``@`` → ``а``…);
- letters set apart inside one word ("х.у.й", "б л я", "х-у-й"): three or more single
  letters separated by dots, spaces or dashes are read as one word;
- repeated letters ("сууука"): a run of one letter counts once, in the words and in the terms;
- masking with ``*``, ``#``, ``_`` or dots (``о***ели``, ``б**дь``, ``б..дь``): a masked run
  stands for one or more letters (dots only inside a word: "за..." ends in an ellipsis). A
  masked word matches a term when its first letter is written, the term's letters agree
  with the written ones, and at least two letters are written (``б****`` or ``***`` name
  nothing).
"""

import re
from collections import namedtuple

# Latin letters, digits and signs read as the Cyrillic letters they look like.
LOOKALIKES = {
    "a": "а",
    "b": "в",
    "c": "с",
    "e": "е",
    "h": "н",
    "k": "к",
    "m": "м",
    "n": "п",
    "o": "о",
    "p": "р",
    "r": "г",
    "t": "т",
    "u": "и",
    "x": "х",
    "y": "у",
    "0": "о",
    "3": "з",
    "4": "ч",
    "6": "б",
    "@": "а",
    "ё": "е",
}
MASK = "*"
MASK_CHARS = "*#_"
# A word: letters, digits, "@" and the mask signs; dot runs inside it mask letters.
_WORD = re.compile(r"[\w@*#]+(?:(?:\.\.+|…)[\w@*#]+)*")
# Three or more single letters set apart by dots, dashes or spaces: "х.у.й", "б л я".
_SPACED = re.compile(r"(?<!\w)(?:[^\W_][ .\-]){2,}[^\W_](?!\w)")
_REPEATS = re.compile(r"(.)\1+")
_SPACERS = re.compile(r"[ .\-]")

Term = namedtuple("Term", "key stem category exceptions")
Match = namedtuple("Match", "key category word")

# Which category wins when one word matches terms of several: the stronger reason first.
CATEGORY_ORDER = ("threat", "obscenity", "insult")


_TABLE = str.maketrans(LOOKALIKES)
_MASK_RUN = re.compile(r"(?:\.\.+|…|[%s])+" % re.escape(MASK_CHARS))


def normalize(word):
    """``word`` as the matcher reads it: lowercase, look-alikes replaced, masking signs
    as one ``*`` a run, a run of one letter counted once."""
    word = word.lower().translate(_TABLE)
    if any(char in word for char in "*#_.…"):
        word = _MASK_RUN.sub(MASK, word)
    return _REPEATS.sub(r"\1", word)


def words(text):
    """[(word as written, the word to read)] of ``text`` in its order; spaced-out letters
    are joined in the word to read (``normalize`` it)."""
    text = text or ""
    found = []
    for spaced in _SPACED.finditer(text):
        written = spaced.group(0)
        found.append((spaced.start(), written, _SPACERS.sub("", written)))
    # the spaced-out letters, read already, are blanked out (same length, same positions)
    rest = _SPACED.sub(lambda m: " " * len(m.group(0)), text) if found else text
    for match in _WORD.finditer(rest):
        written = match.group(0)
        if written[0] == "_":
            written = written.strip("_")  # _underlined_
        written = written.lstrip("#")  # a hashtag
        if written:
            found.append((match.start(), written, written))
    return [(written, word) for _start, written, word in sorted(found)]


def make_term(key, stem, category, exceptions=()):
    """A ``Term`` with its stem and exceptions normalized."""
    return Term(
        key,
        normalize(stem.strip()),
        category,
        tuple(normalize(e.strip()) for e in exceptions if e and e.strip()),
    )


def split_exceptions(value):
    """The exceptions typed in one field: separated by commas, semicolons or spaces."""
    return [part for part in re.split(r"[,;\s]+", value or "") if part]


def _masked_score(word, stem):
    """How many of ``stem``'s letters the written letters of the masked ``word`` confirm,
    or -1 when the word cannot be a word beginning with ``stem``."""
    best = -1
    # (position in word, position in stem, letters confirmed)
    stack = [(0, 0, 0)]
    seen = set()
    while stack:
        i, j, score = stack.pop()
        if (i, j, score) in seen:
            continue
        seen.add((i, j, score))
        if j == len(stem):
            best = max(best, score)
            continue
        if i == len(word):
            continue
        if word[i] == MASK:
            # the mask stands for 1..n letters of the stem, or runs past its end
            best = max(best, score)
            for k in range(j + 1, len(stem) + 1):
                stack.append((i + 1, k, score))
        elif word[i] == stem[j]:
            stack.append((i + 1, j + 1, score + 1))
    return best


def match_word(word, terms_by_letter):
    """The best term ``word`` (normalized) matches, or None."""
    if not word or word[0] == MASK:
        return None
    candidates = terms_by_letter.get(word[0], ())
    if MASK not in word:
        hits = [
            t
            for t in candidates
            if word.startswith(t.stem) and not any(word.startswith(e) for e in t.exceptions)
        ]
        if not hits:
            return None
        return max(hits, key=lambda t: (len(t.stem), -_category_rank(t.category)))
    if sum(1 for char in word if char != MASK) < 2:
        return None
    scored = []
    for term in candidates:
        score = _masked_score(word, term.stem)
        if score >= 1:
            # masking hides obscenity first of all: it wins a tie
            rank = 0 if term.category == "obscenity" else 1 + _category_rank(term.category)
            scored.append((score, -rank, len(term.stem), term))
    if not scored:
        return None
    return max(scored, key=lambda item: item[:3])[3]


def _category_rank(category):
    return CATEGORY_ORDER.index(category) if category in CATEGORY_ORDER else len(CATEGORY_ORDER)


def index_terms(terms):
    """{first letter: [Term]}: what ``find_abuse`` looks up."""
    by_letter = {}
    for term in terms:
        if term.stem and term.stem[0] != MASK:
            by_letter.setdefault(term.stem[0], []).append(term)
    return by_letter


def find_abuse(text, terms_by_letter):
    """[Match] of ``text``: each abusive word once, in the order of the text."""
    matches = []
    seen = set()
    for written, raw in words(text):
        first = raw[0].lower()
        if LOOKALIKES.get(first, first) not in terms_by_letter:
            continue  # most words: no term starts with their letter
        term = match_word(normalize(raw), terms_by_letter)
        if term and written.lower() not in seen:
            seen.add(written.lower())
            matches.append(Match(term.key, term.category, written))
    return matches


def strongest_category(matches):
    """The category of the strongest match (threat, then obscenity, then insult)."""
    categories = {m.category for m in matches}
    for category in CATEGORY_ORDER:
        if category in categories:
            return category
    return next(iter(categories), None)


def mask_word(word):
    """``word`` as a list shows it: the first and the last letter, stars between."""
    letters = [char for char in word if char.isalnum() or char in MASK_CHARS]
    if len(letters) <= 2:
        return letters[0] + "*" if letters else word
    return letters[0] + "*" * (len(letters) - 2) + letters[-1]
