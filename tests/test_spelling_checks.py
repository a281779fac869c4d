"""The spelling check of the reply assistant (issue #17), without Odoo: Debian's Russian
Hunspell dictionary through the ``hunspell`` binding (scripts/test installs both).

``social_incidents/tools/spelling.py`` imports nothing from Odoo; the administration's words
and the place names come in a ``Vocabulary``."""

import threading

import pytest

from addon_files import REPO_ROOT, load

TOOLS = REPO_ROOT / "social_incidents" / "tools"
load("si_tools", TOOLS / "__init__.py", TOOLS)

from si_tools import reply_quality as rq  # noqa: E402
from si_tools import spelling  # noqa: E402

SPELLER, REASON = spelling.speller()


@pytest.fixture(scope="module")
def speller():
    assert SPELLER is not None, f"the dictionary did not load: {REASON}"
    return SPELLER


def misspelt(text, vocabulary=None, speller_=None):
    return [
        (word, text[start:end], suggestions)
        for start, end, word, suggestions in spelling.check(text, vocabulary, speller_ or SPELLER)
    ]


def words(text, vocabulary=None):
    return [word for word, _fragment, _suggestions in misspelt(text, vocabulary)]


def test_real_misspellings_are_found_with_their_span_and_suggestions(speller):
    text = (
        "Здраствуйте, Анна! Ваше абращение рассмотрено: яма будет отремонтированна до 15 мая, "
        "кантейнер вывезут в пятницу."
    )
    found = spelling.check(text, None, speller, budget=10)
    assert [word for _s, _e, word, _sg in found] == [
        "Здраствуйте",
        "абращение",
        "отремонтированна",
        "кантейнер",
    ]
    for start, end, word, _suggestions in found:
        assert text[start:end] == word
    suggestions = {word: sg for _s, _e, word, sg in found}
    assert suggestions["Здраствуйте"][0] == "Здравствуйте"  # the capital kept
    assert suggestions["абращение"][0] == "обращение"
    assert "отремонтирована" in suggestions["отремонтированна"]
    assert suggestions["кантейнер"][0] == "контейнер"
    assert all(len(sg) <= 3 for sg in suggestions.values())


def test_suggestions_stop_when_their_time_is_spent(speller):
    fresh = spelling.Speller(speller._h)  # nothing cached
    text = "Абращение рассмотрено, кантейнер вывезли."
    found = spelling.check(text, None, fresh, budget=0)
    # the first misspelt word always gets its suggestions, the others once cached
    assert [(word, bool(sg)) for _s, _e, word, sg in found] == [
        ("Абращение", True),
        ("кантейнер", False),
    ]
    fresh.suggest("кантейнер")
    assert spelling.check(text, None, fresh, budget=0)[1][3] == ("контейнер",)


def test_words_written_together_are_suggested_apart(speller):
    assert ("вобщем", "вобщем") == misspelt("Сделали, вобщем, всё.")[0][:2]
    assert "в общем" in misspelt("Сделали, вобщем, всё.")[0][2]


@pytest.mark.parametrize(
    "text",
    [
        "Обращение передано в управляющую компанию, осмотр МКД проведут в пятницу.",
        "Тарифы ЖКХ утверждает региональная служба по тарифам.",
        "Подробнее на сайте https://adm-akhtubinsk.ru/news/remont-dorog?id=5 и www.gosuslugi.ru.",
        "Пишите на priemnaya@adm-akhtubinsk.ru или в группу @akhtubinsk_adm, тег #ахтубинскремонт.",
        "Яму у дома по ул. Ленина д. 5 заделаем до пятницы.",
        "Ваше обращение передано Ковальчуку Андрею Петровичу, он позвонит вам завтра.",
        "Бригада ООО «Жилстройсервис» выедет в Болхуны во вторник.",
        "Ещё раз приносим извинения, мастер пришёл и пришел снова, всё и все сделано.",
        "Северо-западный участок тротуара кто-то разрушил, ремонт в 2025-м году.",
        "Работы на объекте 5-й категории проведёт подрядчик Asphalt Group.",
        "Приём по адресу: мкр. Мостострой, корп. 2, каб. 5, с 9:00 до 18:00.",
        "Ковальчук обещал позвонить. Звонил ли вам Ковальчук?",
    ],
    ids=[
        "abbreviation-mkd",
        "abbreviation-zhkkh",
        "url",
        "email-mention-hashtag",
        "street-and-house",
        "surname",
        "organisation-and-village",
        "yo",
        "hyphens-and-digits",
        "digits-and-latin",
        "weekdays-and-abbreviations",
        "surname-starting-a-sentence",
    ],
)
def test_what_is_not_a_misspelling(speller, text):
    assert misspelt(text) == []


def test_a_capitalised_word_starting_a_sentence_is_checked(speller):
    assert words("Кантейнер вывезли. Абращение закрыто.") == ["Кантейнер", "Абращение"]
    # after an abbreviation or an initial the sentence goes on: a proper name
    assert words("Работы ведёт ИП А. Тютюнник, на ул. Агурина закончат к маю.") == []
    # a new line starts a sentence too
    assert words("Ответ:\nКантейнер вывезли.") == ["Кантейнер"]


def test_the_vocabulary_admits_its_words_and_place_names_in_any_form(speller):
    text = "Грейдирование проведено. Мостострою выделили грейдер. Агурина, Щорса."
    # «Щорса» stands inside a sentence: a proper name, never checked
    assert words(text) == ["Грейдирование", "Мостострою", "Агурина"]
    vocabulary = spelling.Vocabulary(
        words=["грейдирование"], places=["мкр. Мостострой", "ул. Агурина"]
    )
    assert words(text, vocabulary) == []
    assert words("Провели грейдирования и кюветирование.", vocabulary) == ["кюветирование"]
    # a vocabulary word written with «е» or «ё» alike
    assert words("Ливнёвку прочистили.", spelling.Vocabulary(words=["ливневка"])) == []


def test_hyphenated_words(speller):
    assert words("Северо-западный и юго-восточный районы, р-н Мостостроя.") == ["р-н"]
    assert words("Северо-западный р-н.", spelling.Vocabulary(words=["р-н"])) == []
    assert words("Сделали северо-запподный участок.") == ["северо-запподный"]


def test_reply_checks_report_spelling_as_their_own_kind(speller):
    text = "Абращение рассмотрено, яму заделаем до пятницы."
    findings = rq.check(text, "final", "vk", spelling=lambda t: spelling.check(t, None, speller))
    assert [(f.kind, f.start, f.end, f.fragment) for f in findings] == [
        ("spelling", 0, 9, "Абращение")
    ]
    assert rq.spelling_suggestions(findings[0])[0] == "Обращение"
    # without a spelling function nothing is checked
    assert rq.check(text, "final", "vk") == []


def test_without_the_binding_or_the_dictionary_it_says_why(tmp_path, monkeypatch):
    monkeypatch.delenv("SOCIAL_INCIDENTS_HUNSPELL_DIR", raising=False)
    assert spelling.load(module_name="no_such_hunspell_binding") == (None, spelling.NO_BINDING)
    assert spelling.load(dirs=(str(tmp_path),)) == (None, spelling.NO_DICTIONARY)
    # a dictionary named by the environment is taken first
    monkeypatch.setenv("SOCIAL_INCIDENTS_HUNSPELL_DIR", str(tmp_path))
    assert spelling.load(dirs=())[1] == spelling.NO_DICTIONARY


def test_the_dictionary_loads_once_for_all_threads(monkeypatch):
    calls = []

    def slow_load():
        calls.append(1)
        threading.Event().wait(0.05)
        return "the speller", None

    monkeypatch.setattr(spelling, "load", slow_load)
    monkeypatch.setattr(spelling, "_state", {"loaded": False, "speller": None, "reason": None})
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(spelling.speller())) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1]
    assert results == [("the speller", None)] * 8
