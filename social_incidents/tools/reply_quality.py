"""Checks of a reply's text before it is published (issue #17, KOR 20, LYA 7-8).

No Odoo import: the model passes the text, the reply kind, the network and the phrase list,
and turns the findings into messages in the company's language.

Each finding is ``Finding(kind, start, end, fragment, key)``: ``start``/``end`` index the
text (``0, 0`` for a finding about the whole text), ``key`` names the message.

- ``bureaucratese``: a phrase of the editable list, matched case-insensitively by word
  beginnings (``в целях обеспечения`` also finds «в целях обеспечении»);
- ``citation``: each citation of a legal act when there are more than two (KOR A1 10);
  «ч. 2 ст. 5 КоАП РФ» and «Федеральный закон от 02.05.2006 № 59-ФЗ» are one citation each;
- ``no_substance``: a final reply without a date or term and without a measure taken or an
  explained impossibility (KOR 20);
- ``too_long``: longer than the network takes in one reply;
- ``restricted``: a mark of information for official use (LYA 8); the only blocking kind;
- ``spelling``: a word Debian's Russian Hunspell dictionary does not know (``spelling.py``
  decides which words are checked); ``key`` is ``spelling:`` and up to three suggestions
  separated by ``|``.
"""

import re
from collections import namedtuple

Finding = namedtuple("Finding", "kind start end fragment key")

KINDS = ("restricted", "too_long", "no_substance", "citation", "bureaucratese", "spelling")
BLOCKING_KINDS = ("restricted",)

#: The most characters one reply takes in each network.
#: Telegram Bot API: a message 4096, a media caption 1024 (core.telegram.org/bots/api).
#: VK: wall.createComment documents no figure; 16384 (a wall post's length, used by third-party
#: tools for comments) is unverified. OK: 4000 is unverified against OK's documentation.
NETWORK_LIMITS = {"vk": 16384, "telegram": 4096, "ok": 4000}
TELEGRAM_CAPTION_LIMIT = 1024

_FLAGS = re.IGNORECASE | re.UNICODE

# ---------------------------------------------------------------------------
# Bureaucratese: phrases → regular expressions by word beginnings
# ---------------------------------------------------------------------------
_ENDINGS = sorted(
    """ями ами ого его ому ему ыми ими иях ями ией ием ения ении ение ению ением
    ой ей ий ый ая яя ое ее ие ые ую юю ом ем ам ям ах ях ов ев ия ию ии ью ья ье
    а я о е и ы у ю ь й""".split(),
    key=len,
    reverse=True,
)


def stem(word):
    """The beginning of a Russian word that its inflected forms share (a light suffix
    stripping, enough for the phrases of the list); short words are kept whole."""
    word = word.lower().replace("ё", "е")
    if len(word) <= 3:
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def phrase_pattern(phrase):
    """The regular expression of a phrase: each word by its beginning, any spacing between."""
    words = re.findall(r"\w+", phrase or "")
    if not words:
        return None
    parts = []
    for word in words:
        word_stem = stem(word)
        escaped = re.escape(word_stem).replace("е", "[её]")
        parts.append(escaped if word_stem == word.lower() and len(word) <= 3 else escaped + r"\w*")
    return r"(?<!\w)" + r"[\s\-–—,]+".join(parts) + r"(?!\w)"


def compile_phrases(phrases):
    """One compiled expression for a list of phrases (longest first), or None; the group
    ``p<i>`` of a match names the phrase ``phrases[i]``."""
    patterns = sorted(
        ((i, phrase_pattern(p)) for i, p in enumerate(phrases)),
        key=lambda item: -len(item[1] or ""),
    )
    alternatives = [f"(?P<p{i}>{pattern})" for i, pattern in patterns if pattern]
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), _FLAGS)


def phrase_index(finding):
    """The index in the phrase list of a ``bureaucratese`` finding."""
    return int(finding.key.split(":")[1])


# ---------------------------------------------------------------------------
# Citations of legal acts
# ---------------------------------------------------------------------------
_NUM = r"\d+(?:\.\d+)*(?:\s*[-–]\s*\d+)?"
_DATE_NUM = r"\d{1,2}[./]\d{1,2}[./]\d{2,4}(?:\s*г(?:ода|\.)?)?"
_MONTHS = r"(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)"
_DATE_WORDS = rf"\d{{1,2}}\s+{_MONTHS}\w*(?:\s+\d{{4}}(?:\s*г(?:ода|\.)?)?)?"
_ACT_NUMBER = r"(?:№|N)\s*[\w/.-]*\d[\w/.-]*"
_CITATION_PATTERNS = [
    # «Федеральный закон от 02.05.2006 № 59-ФЗ», «постановление администрации от … № 123»
    rf"(?:федеральн\w*\s+)?(?:закон|постановлени|приказ|распоряжени|указ|решени)\w*"
    rf"(?:\s+(?!от\s)[а-яёa-z\-]+){{0,6}}?(?:\s+от\s+(?:{_DATE_NUM}|{_DATE_WORDS}))?\s*"
    rf"{_ACT_NUMBER}",
    r"\d+\s*[-–]\s*(?:фз|фкз|оз)(?!\w)",
    # codes
    r"(?<!\w)(?:коап|гк|жк|ук|нк|тк|грк|зк|бк|упк|гпк|апк)\s+рф(?!\w)",
    r"(?<!\w)(?:жилищн|гражданск|градостроительн|земельн|налогов|трудов|уголовн|бюджетн"
    r"|водн|лесн|семейн)\w*\s+кодекс\w*(?:\s+(?:рф|российской\s+федерации))?",
    r"(?<!\w)кодекс\w*\s+(?:рф|российской\s+федерации|об\s+административных\s+правонарушениях)",
    # parts, articles, points: only with their number («статья в газете» is not one)
    rf"(?<!\w)(?:ч\.|част[ьиью]\w*)\s*{_NUM}(?=\s*(?:ст\.|стать))",
    rf"(?<!\w)(?:ст\.|стать[яиеюй]\w*|стст\.)\s*{_NUM}(?!\s*(?:%|процент|год|лет))",
    rf"(?<!\w)(?:п\.|пп\.|пункт\w*|подпункт\w*)\s*{_NUM}(?!\s*(?:%|процент|год|лет|час|мин))",
    r"(?<!\w)(?:СанПиН|СНиП|ГОСТ|СП)\s*[\d.\-–]+",
]
_CITATION_RE = re.compile("|".join(f"(?:{p})" for p in _CITATION_PATTERNS), _FLAGS)
# What may stand between two parts of one citation: «п. 3.2 ст. 12», «ч. 2 ст. 5 КоАП РФ»
_CITATION_JOIN = re.compile(r"^\s*$")


def citation_spans(text):
    """[(start, end)] of the citations of legal acts in ``text``, adjacent parts merged."""
    spans = []
    for match in _CITATION_RE.finditer(text):
        start, end = match.span()
        # a part of the previous one: «ч. 2» of «ст. 5», «ст. 5» of «КоАП РФ»
        if spans and (start <= spans[-1][1] or _CITATION_JOIN.match(text[spans[-1][1] : start])):
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


# ---------------------------------------------------------------------------
# Substance of a final reply
# ---------------------------------------------------------------------------
_TERM_RE = re.compile(
    "|".join(
        [
            r"(?<!\d)\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?(?![\d.]*\d)",
            _DATE_WORDS,
            rf"(?<!\w)(?:в|до|к|с|по|на)\s+(?:конц\w+\s+|начал\w+\s+|середин\w+\s+)?"
            rf"{_MONTHS}\w*",
            r"(?<!\w)(?:в\s+)?\d{4}\s*(?:год\w*|г\.)",
            r"(?<!\w)(?:до|к|в|во|с|по|на|со)\s+(?:следующ\w+\s+|эт\w+\s+|ближайш\w+\s+)?"
            r"(?:понедельник|вторник|сред[уыа]|четверг|пятниц|суббот|воскресень)\w*",
            r"(?<!\w)(?:сегодня|завтра|послезавтра|вчера|позавчера)(?!\w)",
            r"(?<!\w)(?:в\s+течение|через|за|в\s+срок\s+до|в\s+ближайш\w+)\s+"
            r"(?:\d+\s+|одн\w+\s+|дв\w+\s+|тр\w+\s+|пят\w+\s+|десят\w+\s+|нескольк\w+\s+)?"
            r"(?:дн\w+|день|недел\w+|месяц\w*|час\w*|сутк\w*|суток)",
            r"(?<!\w)(?:на\s+(?:эт|следующ)\w+\s+неделе|в\s+(?:эт|следующ)\w+\s+месяце)",
            r"(?<!\w)(?:[1-4]|i{1,3}|iv|перв|втор|трет|четв[её]рт)\w*\s+квартал\w*",
            r"(?<!\w)(?:летом|осенью|зимой|весной|до\s+конца\s+\w+)",
            r"(?<!\w)срок\w*\s+(?:исполнени|выполнени|проведени|устранени)",
        ]
    ),
    _FLAGS,
)
_MEASURE_RE = re.compile(
    r"(?<!\w)(?:"
    # past participles and verbs of a done measure
    r"(?:вы|про|у|от|за|пере|вос|под|на|с|по|о|при|раз)?"
    r"(?:полнен|веден|ведён|странен|ремонтирован|менен|становлен|везен|вывезен|бран|чищен"
    r"|становлен|делан|пилен|крашен|правлен|ставлен|ключен|ложен|крыт|сыпан|асфальтирован"
    r"|монтирован|демонтирован|ликвидирован|зготовлен|рганизован|оставлен|ыдан|несен"
    r"|свещен|полнил|вели|вез|брал|чистил|ремонтировал|менил|делал|писал|штрафован"
    r"|составлен|выдано|направлен|назначен|заключ[её]н|заключили|выехал|вышл|ыезд)"
    r"(?:[аоыи]|н[аоы]|ные|ный|ная|ное|ли|ла|ло)?(?!\w)"
    r"|штраф\w*|предписани\w*|протокол\w*|выезд\w*|ремонт\w*|работы\s+(?:выполнены|завершены)"
    r")",
    _FLAGS,
)
_IMPOSSIBLE_RE = re.compile(
    r"(?<!\w)(?:невозможн\w*|нельзя|не\s+представляется\s+возможным|нет\s+возможности"
    r"|не\s+может\s+быть|не\s+(?:входит|относится)\s+(?:в|к)\s+(?:полномочи|компетенци)\w*"
    r"|вне\s+(?:полномочий|компетенции)|не\s+предусмотрен\w*|отказ\w*|запрещ\w*"
    r"|не\s+является\s+муниципальн\w*|в\s+частной\s+собственности|не\s+положен\w*)",
    _FLAGS,
)

# ---------------------------------------------------------------------------
# Marks of restricted information (LYA 8)
# ---------------------------------------------------------------------------
_RESTRICTED_RE = re.compile(
    r"(?<!\w)(?:"
    r"для\s+служебного\s+пользования"
    r"|(?:совершенно\s+)?секретно|сов\.\s*секретно|гриф\w*\s+секретност\w*"
    r"|государственн\w+\s+тайн\w*|коммерческ\w+\s+тайн\w*|служебн\w+\s+тайн\w*"
    r"|конфиденциально|конфиденциальн\w+\s+информаци\w*"
    r"|не\s+для\s+(?:распространения|печати|публикации|разглашения)"
    r"|не\s+подлежит\s+(?:распространению|разглашению|опубликованию)"
    r"|только\s+для\s+внутреннего\s+(?:пользования|использования)"
    r")(?!\w)",
    _FLAGS,
)
# «ДСП» in capitals; «плита ДСП», «листы ДСП» is chipboard.
_DSP_RE = re.compile(r"(?<![\w\"«])(?:ДСП|дсп)(?!\w)")
_CHIPBOARD_RE = re.compile(r"плит|лист|древесн|мебел|ламинир|шкаф|столешниц", _FLAGS)


def _restricted(text):
    findings = [
        Finding("restricted", m.start(), m.end(), m.group(0), "restricted")
        for m in _RESTRICTED_RE.finditer(text)
    ]
    for match in _DSP_RE.finditer(text):
        around = text[max(0, match.start() - 25) : match.end() + 25]
        if not _CHIPBOARD_RE.search(around):
            findings.append(
                Finding("restricted", match.start(), match.end(), match.group(0), "restricted")
            )
    return findings


def _blank(text, spans):
    """``text`` with ``spans`` replaced by spaces (indexes kept)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def check(text, kind="final", network=None, has_media=False, phrases_re=None, spelling=None):
    """All the findings on ``text``, ordered by position (whole-text findings first).

    ``phrases_re``: the compiled bureaucratese list (``compile_phrases``); ``spelling``: a
    function of the text returning its misspelt words as ``(start, end, word, suggestions)``
    (``spelling.check`` with the company's vocabulary), or None not to check spelling."""
    text = text or ""
    findings = _restricted(text)
    limit = NETWORK_LIMITS.get(network)
    if network == "telegram" and has_media:
        limit = TELEGRAM_CAPTION_LIMIT
    if limit and len(text) > limit:
        findings.append(Finding("too_long", limit, len(text), text[limit : limit + 40], "too_long"))
    citations = citation_spans(text)
    if len(citations) > 2:
        findings.extend(
            Finding("citation", start, end, text[start:end], "citation") for start, end in citations
        )
    if kind == "final" and text.strip():
        plain = _blank(text, citations)
        if not (
            _TERM_RE.search(plain) or _MEASURE_RE.search(plain) or _IMPOSSIBLE_RE.search(plain)
        ):
            findings.append(Finding("no_substance", 0, 0, "", "no_substance"))
    if phrases_re is not None:
        findings.extend(
            Finding(
                "bureaucratese", m.start(), m.end(), m.group(0), f"bureaucratese:{m.lastgroup[1:]}"
            )
            for m in phrases_re.finditer(text)
        )
    if spelling is not None:
        findings.extend(
            Finding("spelling", start, end, word, "spelling:" + "|".join(suggestions))
            for start, end, word, suggestions in spelling(text)
        )
    findings.sort(key=lambda f: (f.end > 0, f.start, KINDS.index(f.kind)))
    return findings


def spelling_suggestions(finding):
    """The suggestions of a ``spelling`` finding."""
    return [s for s in finding.key.split(":", 1)[1].split("|") if s]


def has_blocking(findings):
    return any(f.kind in BLOCKING_KINDS for f in findings)


def restricted_marks(findings):
    """The normalised restricted marks of ``findings`` (what an override allows)."""
    return sorted(
        {" ".join(f.fragment.lower().split()) for f in findings if f.kind == "restricted"}
    )
