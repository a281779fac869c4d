"""The reply checks of issue #17 (KOR 20, KOR A1 10, LYA 8) on real phrasing, without Odoo.

``social_incidents/tools/reply_quality.py`` imports nothing from Odoo; the bureaucratese list is
the one the addon ships (``data/social_reply_phrase_data.xml``), read from the XML file itself.
"""

import xml.etree.ElementTree as ET

import pytest

from addon_files import REPO_ROOT, load

TOOLS = REPO_ROOT / "social_incidents" / "tools"
load("si_tools", TOOLS / "__init__.py", TOOLS)

from si_tools import reply_quality as rq  # noqa: E402

DATA = REPO_ROOT / "social_incidents" / "data" / "social_reply_phrase_data.xml"
PHRASES = [
    record.find("field[@name='name']").text for record in ET.parse(DATA).getroot().iter("record")
]
PHRASES_RE = rq.compile_phrases(PHRASES)


def kinds(text, kind="final", network="vk", has_media=False):
    return [f.kind for f in rq.check(text, kind, network, has_media, PHRASES_RE)]


def fragments(text, kind_name, **kwargs):
    return [
        f.fragment
        for f in rq.check(text, kwargs.get("kind", "final"), "vk", False, PHRASES_RE)
        if f.kind == kind_name
    ]


def test_the_shipped_list_has_forty_phrases_and_each_compiles():
    assert len(PHRASES) >= 40
    assert all(rq.phrase_pattern(p) for p in PHRASES)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Доводим до Вашего сведения, что яма заделана 12.05.", "Доводим до Вашего сведения"),
        ("В целях обеспечении безопасности яму огородили.", "В целях обеспечении"),
        ("Работы выполнены в соответствии с планом.", "в соответствии с"),
        ("Ваше обращение рассмотрено, яму заделали вчера.", "Ваше обращение рассмотрено"),
        ("В настоящее  время работы завершены.", "В настоящее  время"),
        ("Проведение ремонта не представляется возможным.", "не представляется возможным"),
    ],
)
def test_bureaucratese_is_found_across_forms_and_case(text, found):
    assert found in fragments(text, "bureaucratese")


def test_bureaucratese_finding_names_its_phrase():
    finding = next(
        f
        for f in rq.check("Вышеуказанная яма заделана.", "final", "vk", False, PHRASES_RE)
        if f.kind == "bureaucratese"
    )
    assert PHRASES[rq.phrase_index(finding)] == "вышеуказанный"
    assert (finding.start, finding.end) == (0, len("Вышеуказанная"))


def test_plain_words_are_not_bureaucratese():
    text = "Здравствуйте, Анна! Яму на улице Ленина заделали вчера, фото прилагаем."
    assert kinds(text) == []
    # «целях» alone, «рамка», «данные» are not the phrases
    assert fragments("Рамку окна заменили 5 мая, данные передали.", "bureaucratese") == []


def test_two_citations_are_allowed_three_are_not():
    two = "По ст. 12 Правил благоустройства и Жилищному кодексу РФ яму заделали 5 мая."
    assert "citation" not in kinds(two)
    three = (
        "Согласно ч. 2 ст. 5 КоАП РФ, п. 3.2 Правил благоустройства и Федеральному закону "
        "от 02.05.2006 № 59-ФЗ нарушитель оштрафован."
    )
    assert fragments(three, "citation") == [
        "ч. 2 ст. 5 КоАП РФ",
        "п. 3.2",
        "Федеральному закону от 02.05.2006 № 59-ФЗ",
    ]


def test_citation_kinds():
    text = (
        "постановление администрации № 123; статья 12; пункт 3.2; "
        "Жилищный кодекс; распоряжение от 5 мая 2024 г. № 45-р"
    )
    assert len(fragments(text, "citation")) == 5


@pytest.mark.parametrize(
    "text",
    [
        "Статья в газете вышла вчера, в пункт выдачи привезли 5 мая.",
        "Пункт выдачи открыт до пятницы, статью о ремонте опубликуем 3 мая.",
        "Статья в газете, пункт приёма, 30 процентов работ выполнено.",
        "Ремонт п. 3 выполнен, остальное до 1 июня, в пункте 2 очереди 15 лет.",
    ],
)
def test_articles_and_points_without_acts_are_not_counted(text):
    assert "citation" not in kinds(text)


def test_final_reply_needs_a_term_a_measure_or_a_reason():
    assert "no_substance" in kinds("Спасибо за обращение, вопрос находится на контроле.")
    assert "no_substance" not in kinds("Яму заделаем до пятницы.")
    assert "no_substance" not in kinds("Яму заделаем 15 мая.")
    assert "no_substance" not in kinds("Мусор вывезен, контейнерная площадка очищена.")
    assert "no_substance" not in kinds(
        "Дорога в частной собственности, ремонт за счёт бюджета невозможен."
    )
    assert "no_substance" not in kinds("Работы проведут в течение двух недель.")
    # only final replies
    assert "no_substance" not in kinds("Уточните адрес, пожалуйста.", kind="clarification")
    assert "no_substance" not in kinds("Передали в управляющую компанию.", kind="intermediate")


def test_a_quarter_is_a_term_a_neighbourhood_is_not():
    assert "no_substance" not in kinds("Двор благоустроим во II квартале.")
    assert "no_substance" not in kinds("Двор благоустроим в третьем квартале.")
    assert "no_substance" in kinds("Двор в новом квартале благоустроим.")


def test_dates_inside_citations_are_no_term():
    text = "Руководствуемся постановлением администрации от 12.03.2024 № 123, спасибо."
    assert "no_substance" in kinds(text)


def test_length_against_the_network_limit():
    text = "Яму заделали 5 мая. " * 300  # 6000 characters
    assert "too_long" not in kinds(text, network="vk")
    assert "too_long" in kinds(text, network="telegram")
    assert "too_long" in kinds(text, network="ok")
    finding = next(f for f in rq.check(text, "final", "telegram") if f.kind == "too_long")
    assert (finding.start, finding.end) == (4096, len(text))
    caption = "Яму заделали 5 мая. " * 60  # 1200: a message, not a photo caption
    assert "too_long" not in kinds(caption, network="telegram")
    assert "too_long" in kinds(caption, network="telegram", has_media=True)
    assert "too_long" not in kinds(text, network="other")


@pytest.mark.parametrize(
    "mark",
    [
        "для служебного пользования",
        "Для Служебного\nПользования",
        "ДСП",
        "секретно",
        "конфиденциально",
        "не для распространения",
        "конфиденциальная информация",
    ],
)
def test_restricted_marks_block(mark):
    findings = rq.check(f"Схема ремонта ({mark}) прилагается, работы 5 мая.", "final", "vk")
    assert rq.has_blocking(findings)
    assert [f.fragment for f in findings if f.kind == "restricted"] == [mark]


@pytest.mark.parametrize(
    "text",
    [
        "Шкаф из ДСП заменили 5 мая.",
        "Листы ДСП вывезли вчера.",
        "Секрет хорошего двора прост: убрали 5 мая.",
        "Конфиденциальность ваших данных сохраняем, яму заделали 5 мая.",
        "Информация для распространения среди жителей: воду дадут завтра.",
    ],
)
def test_harmless_words_are_not_restricted_marks(text):
    assert not rq.has_blocking(rq.check(text, "final", "vk"))


def test_restricted_marks_are_normalised():
    findings = rq.check("ДСП. Для  служебного пользования.", "final", "vk")
    assert rq.restricted_marks(findings) == ["для служебного пользования", "дсп"]


def test_empty_text_has_no_findings():
    assert rq.check("", "final", "vk", False, PHRASES_RE) == []
    assert rq.check(None) == []
