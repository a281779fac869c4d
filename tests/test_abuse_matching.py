"""Finding abusive words in a message (AKH 3.7, KOR 21), without Odoo.

``social_incidents/tools/abuse.py`` imports nothing from Odoo; the terms are the ones the addon
ships (``data/social_abuse_term_data.xml``), read here from the XML file itself.
"""

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addon_files import REPO_ROOT, load

TOOLS = REPO_ROOT / "social_incidents" / "tools"
load("si_tools", TOOLS / "__init__.py", TOOLS)

from si_tools import abuse  # noqa: E402

DATA = REPO_ROOT / "social_incidents" / "data" / "social_abuse_term_data.xml"


def seeded():
    """[(xml id, stem, category, exceptions)] of the shipped list."""
    rows = []
    for record in ET.parse(DATA).getroot().iter("record"):
        values = {field.get("name"): (field.text or "") for field in record.iter("field")}
        rows.append(
            (
                record.get("id"),
                values["name"],
                values["category"],
                abuse.split_exceptions(values.get("exceptions", "")),
            )
        )
    return rows


SEEDED = seeded()
INDEX = abuse.index_terms(
    abuse.make_term(xid, stem, category, exceptions) for xid, stem, category, exceptions in SEEDED
)
CYRILLIC = "абвгдежзийклмнопрстуфхцчшщъыьэюя"


def found(text):
    return [(m.key, m.word) for m in abuse.find_abuse(text, INDEX)]


def keys(text):
    return {m.key for m in abuse.find_abuse(text, INDEX)}


def test_the_shipped_list_has_the_three_categories():
    categories = {category for _xid, _stem, category, _exc in SEEDED}
    assert categories == {"obscenity", "insult", "threat"}
    assert len(SEEDED) > 80


@pytest.mark.parametrize(
    "text, term",
    [
        ("Вы там совсем о***ели?", "abuse_term_obscenity_okhue"),
        ("б**дь, опять яма", "abuse_term_obscenity_blyad"),
        ("б..дь, опять яма", "abuse_term_obscenity_blyad"),
        ("Когда почините, х.у.й знает", "abuse_term_obscenity_khuy"),
        ("б л я, сколько можно", "abuse_term_obscenity_blya"),
        ("х-у-й вам, а не дорога", "abuse_term_obscenity_khuy"),
        ("Глава — сууука", "abuse_term_insult_suka"),
        ("Глава — СУКА", "abuse_term_insult_suka"),
        ("xyйня эта ваша администрация", "abuse_term_obscenity_khuy"),
        ("6ля, опять", "abuse_term_obscenity_blya"),
        ("п@дла", "abuse_term_insult_padla"),
        ("Ты 3адолбал, уёбок", "abuse_term_obscenity_ueb"),
        ("Я тебя убью, слышишь", "abuse_term_threat_ubyu"),
        ("Подожгу ваш кабинет", "abuse_term_threat_podozhgu"),
        ("Отомщу всем чиновникам", "abuse_term_threat_otomschu"),
        ("#дебилы в мэрии", "abuse_term_insult_debil"),
        ("с*ка", "abuse_term_insult_suka"),
    ],
)
def test_written_and_masked_words_match(text, term):
    assert term in keys(text), found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Прошу не оскорблять жителей, они просто просят убрать мусор.",
        "Купили хлеба в магазине на Советской, а рядом огромная лужа.",
        "Застрахуй машину, говорят, а дороги кто починит?",
        "Команда дворников не приходила неделю.",
        "Я тебя прошу, почините свет во дворе дома 5.",
        "Депутат получил мандат и забыл про нас.",
        "Мандарины на ярмарке по 300 рублей, это нормально?",
        "Бляха ремня нашлась у школы, заберите.",
        "На Херсонской улице нет освещения.",
        "В этом году картофель уродился, а дорогу к полям так и не сделали.",
        "Сук на дереве вот-вот упадёт на провода, сучок торчит из забора.",
        "Пробки такие, что нас тут скоро убьют эти водители, и мы убьёмся на ямах.",
        "Чмокнул ребёнка в садике, а там холодно, батареи ледяные.",
        "т.е. в городе вообще никто не убирает снег?",
        "**Важно**: на ул. Мира, д. 12, кв. 4 нет воды с 06:00.",
        "Оценка 5*, спасибо за быструю помощь!",
        "Ебург далеко, а у нас тоже проблемы с транспортом.",
        "Скорбим вместе с семьями погибших.",
        "Хлебозавод снова сбрасывает отходы в реку.",
        "Тебя не было на приёме, когда придёт ответ?",
    ],
)
def test_clean_sentences_match_nothing(text):
    assert found(text) == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_never_raises(text):
    for match in abuse.find_abuse(text, INDEX):
        assert match.category in ("obscenity", "insult", "threat")


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(SEEDED),
    st.text(alphabet=CYRILLIC, max_size=3),
    st.data(),
)
def test_masked_variants_of_each_seeded_stem_match(term, suffix, data):
    """A word made of a shipped stem, with a run of its letters after the first masked by
    ``*``, ``#``, ``_`` or dots inside the word, still matches (the first and at least one
    more letter written)."""
    _xid, stem, _category, _exceptions = term
    word = abuse.normalize(stem) + suffix
    letters = len(word)
    if letters < 3:
        word += "а"
        letters += 1
    start = data.draw(st.integers(min_value=1, max_value=letters - 1), label="start")
    end = data.draw(st.integers(min_value=start + 1, max_value=letters), label="end")
    if start == 1 and end == letters:
        end -= 1  # one more written letter than the first: "б****" names nothing
        if end <= start:
            return
    masks = ["*", "**", "***", "#", "__"]
    if end < letters:
        masks.append("..")  # dots ending a word are an ellipsis, not a mask
    mask = data.draw(st.sampled_from(masks), label="mask")
    masked = word[:start] + mask + word[end:]
    assert abuse.find_abuse(f"Ну вы {masked} там", INDEX), masked


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SEEDED), st.data())
def test_lookalikes_and_repeats_of_each_seeded_stem_match(term, data):
    """Each shipped stem, with Latin look-alikes, doubled letters and upper case, matches
    its own term."""
    xid, stem, _category, _exceptions = term
    reverse = {}
    for latin, cyrillic in abuse.LOOKALIKES.items():
        if latin.isascii():
            reverse.setdefault(cyrillic, latin)
    chars = []
    for char in abuse.normalize(stem):
        if char in reverse and data.draw(st.booleans()):
            char = reverse[char]
        if data.draw(st.booleans()):
            char = char.upper()
        chars.append(char * data.draw(st.integers(min_value=1, max_value=3)))
    assert xid in keys("Вот " + "".join(chars) + " же"), chars


def test_masked_word_shown_in_lists():
    assert abuse.mask_word("блядь") == "б***ь"
    assert abuse.mask_word("х.у.й") == "х*й"
    assert abuse.mask_word("о***ели") == "о*****и"


def test_exceptions_and_word_start():
    index = abuse.index_terms([abuse.make_term(1, "манда", "obscenity", ["мандат"])])
    assert abuse.find_abuse("мандат", index) == []
    assert abuse.find_abuse("команда", index) == []
    assert [m.key for m in abuse.find_abuse("манда", index)] == [1]
