"""Russian spelling of a reply (issue #17), with Debian's Hunspell dictionary. No Odoo import.

The dictionary (apt ``hunspell-ru``: ``ru_RU.dic``/``ru_RU.aff``) is read through the
``hunspell`` binding (pyhunspell, PyPI ``hunspell``; apt ``python3-hunspell``) once a process,
on the first check, under a lock. Both are optional: without them ``speller()`` says why and
the reply checks run without spelling.

What is not checked (fewer false alarms beat more findings):

- words with a digit or a Latin letter, one-letter words, URLs, e-mails, @mentions, #hashtags;
- ALL-CAPS words (abbreviations: «МКД», «ЖКХ») and words with a capital inside («ВКонтакте»);
- a capitalised word inside a sentence: a proper name (a surname, a street, an organisation).
  A capitalised word that begins a sentence (the text, a line, or after «.», «!», «?», «…»
  unless the full stop ends an abbreviation or an initial: «ул. Ленина», «А. С. Пушкин») is
  checked, unless the same word stands capitalised inside a sentence elsewhere in the text;
- an unknown short lowercase word (five letters at most) ending in a consonant and followed by
  a full stop: an abbreviation («мкр.», «корп.»);
- the words of the administration's dictionary and of the place names, in any of their forms
  (compared by word beginnings, as the bureaucratese list is).

«ё» and «е» are one letter; a hyphenated word is known when the whole word or each part is.
Suggestions are the dictionary's words one edit away, the likely mistakes first (Hunspell's own
``suggest`` takes 0.2-0.4 s a word with the Russian dictionary: too slow for a panel computed
while typing); a check spends SUGGESTION_BUDGET on them at most.
"""

import importlib
import logging
import os
import re
import threading
import time

_logger = logging.getLogger(__name__)

DICTIONARY = "ru_RU"
#: Where Debian, Ubuntu and others put Hunspell dictionaries; SOCIAL_INCIDENTS_HUNSPELL_DIR first.
DICTIONARY_DIRS = (
    "/usr/share/hunspell",
    "/usr/local/share/hunspell",
    "/usr/share/myspell/dicts",
    "/usr/share/myspell",
)
MAX_SUGGESTIONS = 3
#: Seconds a check may spend looking for suggestions (1-10 ms a new word); the misspelt words
#: after it is spent get none, except those already looked for (cached). The first misspelt
#: word always gets its suggestions.
SUGGESTION_BUDGET = 0.04
#: Reasons ``speller()`` gives when spelling cannot be checked.
NO_BINDING = "no_binding"
NO_DICTIONARY = "no_dictionary"
LOAD_FAILED = "load_failed"

_ALPHABET = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
_VOWELS = set("аеёиоуыэюя")
_ONE_LETTER_WORDS = set("авикосуя")
# letters written one for another most often, tried first
_CONFUSED = {
    "а": "о",
    "о": "а",
    "е": "иэя",
    "и": "еы",
    "ы": "и",
    "я": "е",
    "э": "е",
    "т": "д",
    "д": "т",
    "с": "з",
    "з": "с",
    "ш": "щж",
    "щ": "ш",
    "ж": "ш",
    "б": "п",
    "п": "б",
    "в": "ф",
    "ф": "в",
    "г": "к",
    "к": "г",
    "ь": "ъ",
    "ъ": "ь",
}
# Not words: blanked before the words are read.
_NOT_WORDS_RE = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w@#])[@#][\w.]+"
    r"|(?<![\w@])[\w-]+(?:\.[\w-]+)*\.(?:ru|рф|su|com|org|net|info|gov)(?![\w-])(?:/\S*)?",
    re.IGNORECASE | re.UNICODE,
)
_WORD_RE = re.compile(r"\w+(?:[-‐]\w+)*", re.UNICODE)
_CYRILLIC_RE = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN_DIGIT_RE = re.compile(r"[a-z0-9_]", re.IGNORECASE)
_SENTENCE_END = ".!?…"
_OPENERS = " \t«\"'„“(—–-"


class Speller:
    """The loaded dictionary; thread-safe (one lock around the binding), results cached."""

    _CACHE_SIZE = 50000

    def __init__(self, hunspell_object):
        self._h = hunspell_object
        self._lock = threading.Lock()
        self._known = {}
        self._suggestions = {}

    def spell(self, word):
        """True when the dictionary knows ``word`` as written (case as Hunspell takes it)."""
        known = self._known.get(word)
        if known is None:
            with self._lock:
                known = bool(self._h.spell(word))
            if len(self._known) > self._CACHE_SIZE:
                self._known.clear()
            self._known[word] = known
        return known

    def known(self, word):
        """``word`` in the dictionary, «ё» and «е» taken as one letter."""
        if self.spell(word):
            return True
        if "ё" in word or "Ё" in word:
            return self.spell(word.replace("ё", "е").replace("Ё", "Е"))
        if word.count("е") <= 3:
            return any(
                self.spell(word[:i] + "ё" + word[i + 1 :])
                for i, char in enumerate(word)
                if char == "е"
            )
        return False

    def suggest(self, word):
        """Up to MAX_SUGGESTIONS known words one edit from ``word`` (likely mistakes first:
        confused letters, a doubled or dropped letter, two letters swapped, a missing space)."""
        if word not in self._suggestions:
            if len(self._suggestions) > self._CACHE_SIZE:
                self._suggestions.clear()
            self._suggestions[word] = self._edits(word)
        return self._suggestions[word]

    def suggested(self, word):
        """True when the suggestions of ``word`` are cached (cost nothing)."""
        return word in self._suggestions

    def _edits(self, word):
        lower = word.lower()
        found = []
        for candidate in _candidates(lower):
            if candidate is None:  # the likely edits are done
                if found:
                    break
                continue
            if candidate not in found and candidate != lower:
                if " " in candidate:
                    ok = all(self.known(part) for part in candidate.split(" "))
                else:
                    ok = self.spell(candidate)
                if ok:
                    found.append(candidate)
                    if len(found) == MAX_SUGGESTIONS:
                        break
        if word[:1].isupper():
            found = [f[:1].upper() + f[1:] for f in found]
        return tuple(found)


def _likely_edits(word):
    """Confused letters, a doubled letter written once or a single one twice, two letters
    swapped, two words written together."""
    for i, char in enumerate(word):
        for other in _CONFUSED.get(char, ""):
            yield word[:i] + other + word[i + 1 :]
    for i in range(len(word) - 1):
        if word[i] == word[i + 1]:
            yield word[:i] + word[i + 1 :]
    for i, char in enumerate(word):
        yield word[: i + 1] + char + word[i + 1 :]
    for i in range(len(word) - 1):
        yield word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    for i in range(1, len(word) - 1):
        left, right = word[:i], word[i:]
        if len(left) >= 2 or left in _ONE_LETTER_WORDS:
            yield f"{left} {right}"


def _other_edits(word):
    """Any letter added, dropped or replaced."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    for left, right in splits:
        for char in _ALPHABET:
            yield left + char + right
    for left, right in splits[:-1]:
        yield left + right[1:]
    for left, right in splits[:-1]:
        for char in _ALPHABET:
            yield left + char + right[1:]


def _candidates(word):
    """The words one edit from ``word``, the likeliest mistakes first; None between the likely
    ones and the others (the others are looked at only when no likely one is a word)."""
    yield from _likely_edits(word)
    yield None
    yield from _other_edits(word)


_state = {"loaded": False, "speller": None, "reason": None}
_load_lock = threading.Lock()


def _dictionary_files(dirs):
    env_dir = os.environ.get("SOCIAL_INCIDENTS_HUNSPELL_DIR")
    for directory in ((env_dir,) if env_dir else ()) + tuple(dirs):
        dic = os.path.join(directory, f"{DICTIONARY}.dic")
        aff = os.path.join(directory, f"{DICTIONARY}.aff")
        if os.path.isfile(dic) and os.path.isfile(aff):
            return dic, aff
    return None


def load(dirs=DICTIONARY_DIRS, module_name="hunspell"):
    """(Speller, None), or (None, reason) with reason NO_BINDING, NO_DICTIONARY or
    ``LOAD_FAILED: <error>``. Loads anew on every call: use ``speller()``."""
    try:
        # Imported by name: the binding is optional (requirements.txt), not a manifest's
        # external dependency, so the addon installs and runs without it (scripts/check-wheels
        # checks the `import` statements of the addons against what their manifests declare).
        binding = importlib.import_module(module_name)
    except ImportError:
        return None, NO_BINDING
    files = _dictionary_files(dirs)
    if not files:
        return None, NO_DICTIONARY
    try:
        return Speller(binding.HunSpell(*files)), None
    except Exception as error:  # noqa: BLE001 - any failure of the binding: no spelling
        return None, f"{LOAD_FAILED}: {error}"


def speller():
    """(Speller, None) or (None, reason): the process's dictionary, loaded once."""
    if not _state["loaded"]:
        with _load_lock:
            if not _state["loaded"]:
                _state["speller"], _state["reason"] = load()
                _state["loaded"] = True
                if _state["reason"]:
                    _logger.warning("Replies' spelling is not checked: %s", _state["reason"])
    return _state["speller"], _state["reason"]


def normalize(word):
    return word.lower().replace("ё", "е")


class Vocabulary:
    """Words the dictionary lacks that are right: the administration's own dictionary and the
    place names. Compared in lower case with «ё» as «е», and in any form: a word is known when,
    its last four letters at most cut off, it is a vocabulary word with its last two letters at
    most cut off, at least four letters long or hyphenated («Волгоградская» covers «на
    Волгоградской», «Мостострой» covers «к Мостострою», «р-н» covers «в р-не»)."""

    ENDING = 4
    VOCABULARY_ENDING = 2
    MIN_STEM = 4

    def __init__(self, words=(), places=()):
        self.words = set()
        self.stems = set()
        for text in list(words) + list(places):
            for word in _WORD_RE.findall(text or ""):
                norm = normalize(word)
                self.words.add(norm)
                for part in norm.split("-"):
                    if len(part) > 1:
                        self.words.add(part)
                for cut in range(self.VOCABULARY_ENDING + 1):
                    stem = norm[: len(norm) - cut]
                    # «р-н» covers «р-не», «р-на»: a hyphenated stem may be shorter
                    if len(stem) >= self.MIN_STEM or re.search(r"\w-\w", stem):
                        self.stems.add(stem)

    def __contains__(self, word):
        norm = normalize(word)
        if norm in self.words:
            return True
        return any(
            norm[: len(norm) - cut] in self.stems
            for cut in range(self.ENDING + 1)
            if len(norm) - cut >= 3
        )


def _sentence_start(text, start):
    """True when the word at ``start`` begins a sentence, a line or the text."""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    if i < 0 or text[i] == "\n" or text[i] == "\r":
        return True
    if text[i] not in _SENTENCE_END:
        return False
    if text[i] != ".":
        return True
    # a full stop after an abbreviation or an initial does not end the sentence
    j = i
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    before = text[j:i]
    if not before:
        return True
    if len(before) == 1 or (before.islower() and len(before) <= 5 and before[-1] not in _VOWELS):
        return False
    return True


def _skipped(word):
    """Words that are never checked: digits, Latin, one letter, ALL CAPS, a capital inside."""
    if _LATIN_DIGIT_RE.search(word) or not _CYRILLIC_RE.search(word):
        return True
    letters = word.replace("-", "").replace("‐", "")
    if len(letters) < 2:
        return True
    if letters.isupper():
        return True
    return any(char.isupper() for char in letters[1:])


def _known(speller_, word, vocabulary):
    if word in vocabulary or speller_.known(word) or speller_.known(word.lower()):
        return True
    parts = re.split(r"[-‐]", word)
    if len(parts) > 1:
        return all(
            part in vocabulary or speller_.known(part) or speller_.known(part.lower())
            for part in parts
            if part
        ) and all(len(part) > 1 for part in parts)
    return False


def check(text, vocabulary=None, speller_=None, budget=SUGGESTION_BUDGET):
    """[(start, end, word, suggestions)] of the misspelt words of ``text``; [] when the
    dictionary is not available (``speller()`` says why). ``budget``: the seconds to spend on
    suggestions (``SUGGESTION_BUDGET``)."""
    if speller_ is None:
        speller_, _reason = speller()
        if speller_ is None:
            return []
    vocabulary = vocabulary if vocabulary is not None else Vocabulary()
    text = text or ""
    plain = _NOT_WORDS_RE.sub(lambda m: " " * len(m.group(0)), text)
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD_RE.finditer(plain)]
    # capitalised words inside a sentence: proper names, wherever else they stand
    names = set()
    starts = {}
    for start, _end, word in words:
        if word[:1].isupper() and not _skipped(word):
            starts[start] = _sentence_start(plain, start)
            if not starts[start]:
                names.add(normalize(word))
    found = []
    spent = 0.0
    for start, end, word in words:
        if _skipped(word):
            continue
        if word[:1].isupper() and (not starts[start] or normalize(word) in names):
            continue
        if _known(speller_, word, vocabulary):
            continue
        if (
            plain[end : end + 1] == "."
            and word.islower()
            and len(word) <= 5
            and word[-1] not in _VOWELS
        ):
            continue  # an abbreviation: «мкр.», «корп.»
        suggestions = ()
        if not found or spent < budget or speller_.suggested(word):
            started = time.perf_counter()
            suggestions = speller_.suggest(word)
            spent += time.perf_counter() - started
        found.append((start, end, word, suggestions))
    return found
