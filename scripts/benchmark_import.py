#!/usr/bin/env python3
"""Benchmark of the import of a monitoring system's file, on a real Odoo database.

    python3 scripts/benchmark_import.py -c ODOO_CONF -d DATABASE [--rows 10000] [--xlsx]

DATABASE must have social_incidents_monitoring installed with its demo data (the
demo database of scripts/serve, or the one scripts/test builds, will do). A file of
N rows shaped like an export of «Инцидент Менеджмент» (Windows-1251, ";", or XLSX
with --xlsx) is generated: VK, OK and Telegram links, a third of the authors
writing more than once, topics and locations of the demo, 2 % of rows repeating an
earlier row and 1 % with a date in an unknown format. A curator of the demo then
goes through the wizard as in the browser: reads the file (the dry run of every
row for the preview), imports it. Everything happens in one transaction that is
rolled back: the database is left as it was. Run by hand; the figure goes in the
closing note, no test asserts a time.
"""

import argparse
import base64
import csv
import io
import os
import random
import sys
import time
from datetime import datetime, timedelta

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config

HEADERS = [
    "Номер",
    "Дата публикации",
    "Дата выявления",
    "Соцсеть",
    "Ссылка на сообщение",
    "Автор",
    "Ссылка на автора",
    "Текст сообщения",
    "Рубрика",
    "Муниципальное образование",
    "Важность",
]
PROBLEMS = [
    "не вывозят мусор, контейнеры переполнены",
    "нет горячей воды третий день",
    "автобус не пришёл по расписанию",
    "яма во всю полосу, пробили колесо",
    "не горят фонари на всей улице",
    "упало аварийное дерево на гаражи",
    "холодно в квартирах, отопление еле тёплое",
    "не чистят снег во дворе",
]
STREETS = ["ул. Жуковского", "ул. Волгоградская", "ул. Агурина", "ул. Чкалова", "ул. Щорса"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--xlsx", action="store_true", help="an XLSX file instead of CSV")
    return parser.parse_args()


def make_rows(count, topics, locations):
    rng = random.Random(15)
    start = datetime(2026, 11, 20, 8, 0)
    rows = []
    for index in range(count):
        if index > 50 and rng.random() < 0.02:
            rows.append(list(rows[rng.randrange(index - 50, index)]))  # sent twice
            continue
        published = start + timedelta(minutes=3 * index + rng.randrange(3))
        detected = published + timedelta(minutes=rng.randrange(5, 40))
        network = rng.choice(["vk", "vk", "vk", "ok", "telegram"])
        author = rng.randrange(count // 3 + 1)
        if network == "vk":
            url = f"https://vk.com/wall-41837211_{7000 + index // 20}?reply={100000 + index}"
            author_url = f"https://vk.com/id{5000000 + author}"
            label = "ВКонтакте"
        elif network == "ok":
            url = f"https://ok.ru/group/53294651883754/topic/{155873409000000 + index}"
            author_url = f"https://ok.ru/profile/{578213000000 + author}"
            label = "Одноклассники"
        else:
            url = f"https://t.me/akhtubinsk_chat/{40000 + index}"
            author_url = f"https://t.me/user_{author}"
            label = "Telegram"
        date = published.strftime("%d.%m.%Y %H:%M")
        if rng.random() < 0.01:
            date = "вчера вечером"
        rows.append(
            [
                f"ИМ-30-{200000 + index}",
                date,
                detected.strftime("%d.%m.%Y %H:%M"),
                label,
                url,
                f"Житель {author}",
                author_url,
                f"{rng.choice(STREETS)}: {rng.choice(PROBLEMS)}. Сообщение № {index}.",
                rng.choice(topics),
                rng.choice(locations),
                "высокая" if rng.random() < 0.05 else "обычная",
            ]
        )
    return rows


def make_file(rows, xlsx):
    if xlsx:
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Упоминания")
        sheet.append(HEADERS)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue(), "benchmark.xlsx"
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("cp1251"), "benchmark.csv"


def cpu_seconds(cr):
    """(this process's CPU seconds, its PostgreSQL backend's CPU seconds or None): on a
    busy machine the wall time waits for other processes, the CPU time does not."""
    cr.execute("SELECT pg_backend_pid()")
    backend = None
    try:
        with open(f"/proc/{cr.fetchone()[0]}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        backend = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        pass  # PostgreSQL on another machine or user: only the wall time
    return time.process_time(), backend


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "ru_RU", "tz": "Europe/Astrakhan"})
        source = env.ref("social_incidents_monitoring.social_monitoring_source_demo_im")
        curator = env["res.users"].create(
            {
                "name": "Куратор (замер импорта)",
                "login": f"benchmark_import_{os.getpid()}",
                "company_id": source.company_id.id,
                "company_ids": [(6, 0, source.company_id.ids)],
                "groups_id": [(6, 0, [env.ref("social_incidents.group_social_curator").id])],
                "tz": "Europe/Astrakhan",
                "lang": "ru_RU",
            }
        )
        topics = env["social.incident.topic"].search([]).mapped("name")
        locations = (
            env["social.incident.location"]
            .search([("company_id", "in", [False, source.company_id.id])])
            .mapped("complete_name")
        )
        rows = make_rows(args.rows, topics, locations)
        data, filename = make_file(rows, args.xlsx)
        print(
            f"load averages before: {' '.join(f'{load:.2f}' for load in os.getloadavg())}; "
            f"{len(rows)} rows, {len(data) / 1048576:.1f} MB ({filename})"
        )
        env.invalidate_all()
        Wizard = env["social.monitoring.import.wizard"].with_user(curator)
        cpu_before = cpu_seconds(cr)
        started = time.perf_counter()
        wizard = Wizard.create(
            {"source_id": source.id, "file": base64.b64encode(data), "filename": filename}
        )
        wizard.action_read_file()
        env.flush_all()
        read = time.perf_counter() - started
        print(f"  read + dry run of every row + preview: {read:.1f} s ({wizard.detected})")
        started = time.perf_counter()
        action = wizard.action_import()
        env.flush_all()
        imported = time.perf_counter() - started
        cpu_after = cpu_seconds(cr)
        batch = env["social.monitoring.import"].browse(action["res_id"])
        # a large file's repeats and bursts: the background job right after the import
        started = time.perf_counter()
        checked = 0
        while True:
            done = env["social.incident"]._cron_triage_pending()
            env.flush_all()
            if not done:
                break
            checked += done
        job = time.perf_counter() - started
        started = time.perf_counter()
        result = base64.b64decode(batch.result_file)
        download = time.perf_counter() - started
        total = read + imported
        print(
            f"  import: {imported:.1f} s; {batch.created_count} registered, "
            f"{batch.duplicate_count} duplicates, {batch.error_count} errors"
        )
        print(f"  result file: {download:.1f} s, {len(result) / 1048576:.1f} MB")
        print(f"  background job (repeats and bursts of {checked} incidents): {job:.1f} s")
        print(
            f"  total (read, preview, import): {total:.1f} s, {len(rows) / total:.0f} rows/s "
            f"({'under' if total < 60 else 'OVER'} 60 s)"
        )
        odoo_cpu = cpu_after[0] - cpu_before[0]
        if cpu_after[1] is not None:
            pg_cpu = cpu_after[1] - cpu_before[1]
            print(
                f"  CPU time of read + import: Odoo {odoo_cpu:.1f} s, PostgreSQL {pg_cpu:.1f} s, "
                f"together {odoo_cpu + pg_cpu:.1f} s (the wall time on an idle machine)"
            )
        else:
            print(f"  CPU time of read + import: Odoo {odoo_cpu:.1f} s")
        cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
