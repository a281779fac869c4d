#!/usr/bin/env python3
"""Benchmark of the reply checks (issue #17): a 2,000-character draft, all checks.

    python3 scripts/benchmark_reply_quality.py [--runs 200]

No database: the checks (``social_incidents/tools/reply_quality.py``) import nothing from Odoo,
and the bureaucratese list is the shipped one, read from its data file. Run by hand; the figure
goes in the closing note, no test asserts a time. Target: under 100 ms a draft.
"""

import argparse
import importlib.util
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "social_incidents" / "tools" / "reply_quality.py"
DATA = ROOT / "social_incidents" / "data" / "social_reply_phrase_data.xml"

PARAGRAPH = (
    "Здравствуйте, Анна! Доводим до вашего сведения, что в целях обеспечения безопасности "
    "движения по ул. Ленина сотрудники МБУ «Благоустройство» осмотрели участок 12.05.2025. "
    "Согласно п. 3.2 Правил благоустройства и ст. 12 Федерального закона от 10.12.1995 "
    "№ 196-ФЗ, а также ч. 2 ст. 12.34 КоАП РФ, ямочный ремонт будет выполнен в течение двух "
    "недель. Вопрос находится на контроле. "
)


def load_tool():
    spec = importlib.util.spec_from_file_location("reply_quality", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    rq = load_tool()
    phrases = [r.find("field[@name='name']").text for r in ET.parse(DATA).getroot().iter("record")]
    started = time.perf_counter()
    phrases_re = rq.compile_phrases(phrases)
    compile_ms = (time.perf_counter() - started) * 1000
    text = (PARAGRAPH * (2000 // len(PARAGRAPH) + 1))[:2000]
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        findings = rq.check(text, "final", "telegram", False, phrases_re)
        timings.append((time.perf_counter() - started) * 1000)
    kinds = {}
    for finding in findings:
        kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
    print(f"phrases: {len(phrases)}, compiled once in {compile_ms:.1f} ms (cached by the server)")
    print(f"draft: {len(text)} characters, findings: {len(findings)} {kinds}")
    print(
        f"all checks, {args.runs} runs: median {statistics.median(timings):.2f} ms, "
        f"max {max(timings):.2f} ms"
    )
    return 0 if statistics.median(timings) < 100 else 1


if __name__ == "__main__":
    sys.exit(main())
