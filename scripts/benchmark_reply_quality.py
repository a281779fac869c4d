#!/usr/bin/env python3
"""Benchmark of the reply checks (issue #17): a 2,000-character draft, all checks.

    python3 scripts/benchmark_reply_quality.py [--runs 200]

No database: the checks (``social_incidents/tools/reply_quality.py`` and ``spelling.py``) import
nothing from Odoo, the bureaucratese list and the spelling dictionary's words are the shipped
ones, read from their data files. Spelling needs the ``hunspell`` binding and Debian's
``hunspell-ru``; without them the figure is of the other checks (said so). Run by hand; the
figure goes in the closing note, no test asserts a time. Target: under 100 ms a draft, the
first check of a new text too (the speller caches its words and suggestions: later runs are
faster).
"""

import argparse
import importlib.util
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "social_incidents" / "tools"
DATA = ROOT / "social_incidents" / "data" / "social_reply_phrase_data.xml"
WORDS = ROOT / "social_incidents" / "data" / "social_spelling_word_data.xml"

PARAGRAPH = (
    "Здравствуйте, Анна! Доводим до вашего сведения, что в целях обеспечения безопасности "
    "движения по ул. Ленина сотрудники МБУ «Благоустройство» осмотрели участок 12.05.2025. "
    "Согласно п. 3.2 Правил благоустройства и ст. 12 Федерального закона от 10.12.1995 "
    "№ 196-ФЗ, а также ч. 2 ст. 12.34 КоАП РФ, ямочный ремонт будет выполнен в течение двух "
    "недель. Вопрос находится на контроле. Абращение рассмотрено, кантейнер вывезут, "
    "ямочный ремонт на ул. Агурина проведут. "
)


def load_tools():
    """(reply_quality, spelling) loaded from their files, as a package without Odoo."""
    spec = importlib.util.spec_from_file_location(
        "si_tools", TOOLS / "__init__.py", submodule_search_locations=[str(TOOLS)]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules["si_tools"] = package
    spec.loader.exec_module(package)
    return importlib.import_module("si_tools.reply_quality"), importlib.import_module(
        "si_tools.spelling"
    )


def names(path):
    return [r.find("field[@name='name']").text for r in ET.parse(path).getroot().iter("record")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    rq, spelling = load_tools()
    phrases = names(DATA)
    started = time.perf_counter()
    phrases_re = rq.compile_phrases(phrases)
    compile_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    speller, reason = spelling.speller()
    load_ms = (time.perf_counter() - started) * 1000
    spell = None
    if speller is None:
        print(f"spelling NOT checked: {reason}")
    else:
        vocabulary = spelling.Vocabulary(words=names(WORDS), places=["ул. Агурина"])
        print(f"spelling dictionary loaded once in {load_ms:.0f} ms (per process)")

        def spell(text):
            return spelling.check(text, vocabulary, speller)

    text = (PARAGRAPH * (2000 // len(PARAGRAPH) + 1))[:2000]
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        findings = rq.check(text, "final", "telegram", False, phrases_re, spelling=spell)
        timings.append((time.perf_counter() - started) * 1000)
    if spell is not None:
        # the worst case: every word of the draft misspelt, each differently, nothing cached
        typos = []
        for i, word in enumerate(text.split()):
            if len(word) > 3 and word.isalpha() and word.islower():
                j = i % (len(word) - 1)
                word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
            typos.append(word)
        typo_text = " ".join(typos)[:2000]
        started = time.perf_counter()
        typo_findings = rq.check(typo_text, "final", "telegram", False, phrases_re, spelling=spell)
        typo_ms = (time.perf_counter() - started) * 1000
        misspelt = [f for f in typo_findings if f.kind == "spelling"]
        with_suggestions = sum(bool(rq.spelling_suggestions(f)) for f in misspelt)
        print(
            f"a draft of typos: {len(misspelt)} misspelt words, all checks {typo_ms:.2f} ms "
            f"(suggestions for {with_suggestions} of them, "
            f"{spelling.SUGGESTION_BUDGET * 1000:.0f} ms budget)"
        )
        timings.append(typo_ms)
    kinds = {}
    for finding in findings:
        kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
    print(f"phrases: {len(phrases)}, compiled once in {compile_ms:.1f} ms (cached by the server)")
    print(f"draft: {len(text)} characters, findings: {len(findings)} {kinds}")
    print(
        f"all checks, {args.runs} runs: first (nothing cached) {timings[0]:.2f} ms, "
        f"median {statistics.median(timings):.2f} ms, max {max(timings):.2f} ms"
    )
    return 0 if max(timings) < 100 else 1


if __name__ == "__main__":
    sys.exit(main())
