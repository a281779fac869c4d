"""Importing the files of monitoring systems: what the curator sees in the wizard,
what is registered, what is refused, and what the result file says."""

import base64
import csv
import io
from datetime import datetime
from pathlib import Path

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.social_incidents.tests.common import JsonRpcMixin

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "docs"
HOSTILE_CONTEXT = {
    "install_mode": True,
    "tracking_disable": True,
    "active_test": False,
    "default_state": "closed",
    "default_monitoring_source_id": 1,
    "default_company_id": 1,
}


def csv_bytes(rows, delimiter=";", encoding="cp1251"):
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


class ImportCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context, lang="ru_RU", tz="Europe/Astrakhan", mail_notify_force_send=False
            )
        )
        cls.company = cls.env.company
        groups = "base.group_user,social_incidents.group_social_curator"
        cls.curator = new_test_user(
            cls.env, login="imp_curator", groups=groups, tz="Europe/Astrakhan", lang="ru_RU"
        )
        cls.source_curator = new_test_user(cls.env, login="imp_source_curator", groups=groups)
        cls.executor = new_test_user(
            cls.env,
            login="imp_executor",
            groups="base.group_user,social_incidents.group_social_executor",
        )
        cls.head = new_test_user(
            cls.env, login="imp_head", groups="base.group_user,social_incidents.group_social_head"
        )
        cls.source = cls.env["social.monitoring.source"].create(
            {
                "name": "ЦУР: тестовые выгрузки",
                "system": "incident_management",
                "curator_id": cls.source_curator.id,
            }
        )
        cls.Incident = cls.env["social.incident"].with_context(active_test=False)

    def wizard(self, data, filename, user=None, **values):
        Wizard = self.env["social.monitoring.import.wizard"].with_user(user or self.curator)
        return Wizard.create(
            dict(
                {
                    "source_id": self.source.id,
                    "file": base64.b64encode(data),
                    "filename": filename,
                    "tz": "Europe/Astrakhan",
                },
                **values,
            )
        )

    def run_import(self, data, filename, user=None, **values):
        wizard = self.wizard(data, filename, user=user, **values)
        wizard.action_read_file()
        action = wizard.action_import()
        return self.env["social.monitoring.import"].browse(action["res_id"])

    def imported(self):
        return self.Incident.search([("monitoring_source_id", "=", self.source.id)])

    def sample(self, name="monitoring-sample.csv"):
        return (SAMPLE_DIR / name).read_bytes()


class TestImport(ImportCase):
    def test_cp1251_semicolon_csv_registers_new_incidents(self):
        wizard = self.wizard(self.sample(), "monitoring-sample.csv")
        wizard.action_read_file()
        self.assertEqual(wizard.detected, "CSV, Windows-1251, разделитель — точка с запятой")
        self.assertEqual(wizard.row_count, 8)
        self.assertIn("8 строк: 8 будут зарегистрированы", wizard.preview_html)
        self.assertIn("Ольга Миронова", wizard.preview_html)
        self.assertFalse(self.imported(), "the preview writes nothing")
        batch = self.env["social.monitoring.import"].browse(wizard.action_import()["res_id"])
        self.assertEqual(
            (batch.row_count, batch.created_count, batch.duplicate_count, batch.error_count),
            (8, 8, 0, 0),
        )
        incidents = self.imported()
        self.assertEqual(len(incidents), 8)
        self.assertEqual(set(incidents.mapped("state")), {"new"})
        self.assertEqual(set(incidents.mapped("source")), {"import"})
        self.assertEqual(incidents.curator_id, self.source_curator)
        self.assertEqual(incidents.company_id, self.company)
        garbage = incidents.filtered(lambda i: "мусор" in i.text)
        self.assertEqual(garbage.network, "vk")
        self.assertEqual(garbage.url, "https://vk.com/wall-41837211_9127?reply=9133")
        # 08:14 in Astrakhan (UTC+4) is 04:14 UTC
        self.assertEqual(garbage.published_at, datetime(2026, 12, 1, 4, 14))
        self.assertEqual(garbage.detected_at, datetime(2026, 12, 1, 4, 31))
        self.assertEqual(garbage.author_id.name, "Ольга Миронова")
        self.assertEqual(garbage.author_id.external_id, "187345520")
        self.assertEqual(garbage.topic_ids.mapped("name"), ["Вывоз мусора"])
        self.assertEqual(garbage.location_id.name, "ул. Жуковского")
        water = incidents.filtered(lambda i: "горячей воды" in i.text)
        self.assertEqual(water.importance, "high")
        self.assertEqual(
            incidents.filtered(lambda i: "t.me" in i.url).mapped("network"), ["telegram"] * 2
        )
        self.assertEqual(
            incidents.filtered(lambda i: "ok.ru" in i.url).mapped("network"), ["ok"] * 2
        )
        line = batch.line_ids.filtered(lambda r: r.incident_id == garbage)
        self.assertEqual((line.row_number, line.status), (2, "created"))
        nameless = batch.line_ids.filtered(lambda r: r.row_number == 7)
        self.assertIn("Житель Капустина Яра", nameless.message)
        self.assertEqual(self.source.import_count, 1)

    def test_xlsx_import_with_english_headers_and_excel_dates(self):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["Text", "URL", "Date", "Author", "Author URL"])
        sheet.append(
            [
                "Нет света на ул. Чкалова с утра",
                "https://vk.com/wall-41837211_9201?reply=9202",
                datetime(2026, 12, 1, 10, 0),
                "Ирина",
                "https://vk.com/id100200",
            ]
        )
        sheet.append(
            [
                "Не работает уличное освещение в Болхунах",
                "https://t.me/akhtubinsk_chat/50001",
                "2026-12-01T10:00:00+03:00",
                "",
                "",
            ]
        )
        out = io.BytesIO()
        book.save(out)
        batch = self.run_import(out.getvalue(), "upominaniya.xlsx")
        self.assertEqual((batch.created_count, batch.error_count), (2, 0))
        light = self.imported().filtered(lambda i: "Чкалова" in i.text)
        self.assertEqual(light.published_at, datetime(2026, 12, 1, 6, 0))
        self.assertEqual(light.author_id.external_id, "100200")
        tg = self.imported().filtered(lambda i: "Болхунах" in i.text)
        self.assertEqual(tg.published_at, datetime(2026, 12, 1, 7, 0))
        self.assertEqual(tg.network, "telegram")
        # the result is an XLSX too, with the status column
        result = openpyxl.load_workbook(io.BytesIO(base64.b64decode(batch.result_file)))
        rows = list(result.active.iter_rows(values_only=True))
        self.assertEqual(rows[0][-3:], ("Статус", "Инцидент", "Комментарий"))
        self.assertEqual(rows[1][-3], "Зарегистрирован")
        self.assertEqual(rows[1][-2], light.name)
        self.assertTrue(batch.result_filename.endswith(".xlsx"))

    def test_koi8r_utf16_and_tab_files_are_read(self):
        rows = [["Текст", "Ссылка"], ["Не горят фонари на ул. Щорса", "https://vk.com/wall-1_77"]]
        cases = [
            (csv_bytes(rows, "|", "koi8-r"), "CSV, KOI8-R, разделитель — вертикальная черта"),
            (csv_bytes(rows, "\t", "utf-16"), "CSV, UTF-16 с BOM, разделитель — табуляция"),
            (csv_bytes(rows, ",", "utf-8-sig"), "CSV, UTF-8 с BOM, разделитель — запятая"),
        ]
        for data, detected in cases:
            with self.subTest(detected=detected):
                wizard = self.wizard(data, "file.csv")
                wizard.action_read_file()
                self.assertEqual(wizard.detected, detected)
                self.assertIn("Не горят фонари на ул. Щорса", wizard.preview_html)
                self.assertIn("1 строк: 1 будут зарегистрированы", wizard.preview_html)

    def test_reimport_gives_duplicates_naming_the_incidents(self):
        first = self.run_import(self.sample(), "monitoring-sample.csv")
        incidents = self.imported()
        self.assertEqual(first.created_count, 8)
        second = self.run_import(self.sample("monitoring-sample.xlsx"), "monitoring-sample.xlsx")
        self.assertEqual((second.created_count, second.duplicate_count), (0, 8))
        self.assertEqual(self.imported(), incidents, "nothing new")
        for line in second.line_ids:
            self.assertIn(line.incident_id, incidents)
            self.assertEqual(line.message, f"Дубликат {line.incident_id.name}.")

    def test_bad_row_among_good_ones_is_not_registered(self):
        data = csv_bytes(
            [
                ["Текст", "Ссылка", "Дата публикации"],
                ["Яма на ул. Щорса", "https://vk.com/wall-41837211_9301?reply=9302", "01.12.2026"],
                ["Открытый люк у рынка", "https://vk.com/wall-41837211_9301?reply=9303", "вчера"],
                ["", "https://vk.com/wall-41837211_9301?reply=9304", ""],
                ["Сломана скамейка в парке", "https://ok.ru/group/1/topic/2", "2026-12-01 09:30"],
                ["Яма на ул. Щорса", "https://m.vk.com/wall-41837211_9301?reply=9302", ""],
                ["Яма на Щорса!", "https://vk.com/club41837211?w=wall-41837211_9301_r9302", ""],
            ]
        )
        batch = self.run_import(data, "rows.csv")
        self.assertEqual(
            batch.line_ids.mapped("status"),
            ["created", "error", "error", "created", "duplicate", "duplicate"],
        )
        self.assertEqual(batch.line_ids[5].incident_id, batch.line_ids[0].incident_id)
        self.assertEqual(
            sorted(self.imported().mapped("text")), ["Сломана скамейка в парке", "Яма на ул. Щорса"]
        )
        date_error = batch.line_ids[1].message
        self.assertIn("Дата «вчера» в столбце «Дата публикации» в неизвестном формате", date_error)
        self.assertIn("31.05.2024 14:05", date_error)
        self.assertEqual(batch.line_ids[2].message, "Нет текста сообщения.")
        self.assertEqual(batch.line_ids[4].incident_id, batch.line_ids[0].incident_id)

    def test_a_row_the_core_refuses_is_undone_alone(self):
        """A row that fails inside create() (here: a message id already in the
        company under another link) undoes its chunk; the other rows are registered
        one by one, the failed one not at all."""
        self.Incident.create(
            {"text": "Раньше", "network": "vk", "external_id": "wall-1_5", "source": "own_page"}
        )
        data = csv_bytes(
            [
                ["Текст", "Соцсеть", "ID сообщения"],
                ["Первое", "ВКонтакте", "wall-1_6"],
                ["Второе", "ВКонтакте", "wall-1_7"],
            ]
        )
        wizard = self.wizard(data, "ids.csv")
        wizard.action_read_file()
        Import = self.env["social.monitoring.import"].with_user(self.curator)
        parsed = wizard._parse()
        plans = Import._plan_rows(self.source, parsed, wizard._mapping(), "UTC")
        # the dry run did not see it coming (as if the duplicate arrived meanwhile)
        plans[1]["vals"]["external_id"] = "wall-1_5"
        Import._create_incidents(plans, self.source)
        self.assertTrue(plans[0]["incident"])
        self.assertFalse(plans[1]["incident"])
        self.assertIn("уже зарегистрировано", plans[1]["errors"][0])
        self.assertEqual(self.imported().mapped("text"), ["Первое"])

    def test_bad_files_are_refused_and_nothing_is_written(self):
        batches = self.env["social.monitoring.import"].search_count([])
        cases = [
            (b"", "empty.csv", "Файл пуст"),
            (b"   \r\n  ", "blank.csv", "Файл пуст"),
            (
                "Текст;Ссылка\r\nЯма;https://vk.com/wall-1_1\r\n".encode("utf-16-le"),
                "utf16.csv",
                "Не удалось определить кодировку файла",
            ),
            (b"\x00\x01\x02\x03\x04binary\x00\x00", "data.csv", "Не удалось определить кодировку"),
            (b"PK\x03\x04broken zip", "broken.xlsx", "не читается как XLSX"),
            ("Текст;Ссылка\r\n".encode("cp1251"), "header.csv", "нет строк с сообщениями"),
        ]
        for data, filename, message in cases:
            with self.subTest(filename=filename):
                wizard = self.wizard(data, filename)
                with self.assertRaises(UserError) as caught:
                    wizard.action_read_file()
                self.assertIn(message, caught.exception.args[0])
        # an encoding chosen by hand that the file is not in
        wizard = self.wizard(self.sample(), "monitoring-sample.csv", encoding="utf-8")
        with self.assertRaises(UserError) as caught:
            wizard.action_read_file()
        self.assertIn("Файл не в кодировке utf-8", caught.exception.args[0])
        # a missing required column: the preview says so, the import refuses
        data = csv_bytes([["Ссылка", "Автор"], ["https://vk.com/wall-1_1", "Иван"]])
        wizard = self.wizard(data, "no-text.csv")
        wizard.action_read_file()
        self.assertIn("Выберите столбец файла с текстом сообщения", wizard.preview_html)
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        self.assertIn("Выберите столбец файла с текстом сообщения", caught.exception.args[0])
        data = csv_bytes([["Текст", "Автор"], ["Яма", "Иван"]])
        wizard = self.wizard(data, "no-link.csv")
        wizard.action_read_file()
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        self.assertIn("со ссылкой на сообщение", caught.exception.args[0])
        # a date in an unknown format: every row refused with the value named
        data = csv_bytes(
            [["Текст", "Ссылка", "Дата"], ["Яма", "https://vk.com/wall-1_1", "1 декабря 2026"]]
        )
        batch = self.run_import(data, "dates.csv")
        self.assertEqual(batch.error_count, 1)
        self.assertIn("«1 декабря 2026»", batch.line_ids.message)
        self.assertFalse(self.imported())
        self.assertEqual(self.env["social.monitoring.import"].search_count([]), batches + 1)

    def test_a_50_mb_file_is_refused_before_it_is_decoded(self):
        Wizard = self.env["social.monitoring.import.wizard"].with_user(self.curator)
        before = Wizard.search_count([])
        # 50 MB of file is about 67 MB of base64 text: refused by its length alone
        big = "A" * (50 * 1024 * 1024 * 4 // 3)
        with self.assertRaises(UserError) as caught:
            Wizard.create({"source_id": self.source.id, "file": big, "filename": "big.csv"})
        self.assertIn("Файл весит 50.0 МБ: импортируются файлы до 20 МБ", caught.exception.args[0])
        self.assertEqual(Wizard.search_count([]), before)
        self.assertFalse(self.imported())

    def test_profile_is_saved_and_proposed_for_the_same_headers(self):
        data = csv_bytes(
            [
                ["Колонка 1", "Колонка 2", "Колонка 3"],
                ["Не убран снег во дворе", "https://vk.com/wall-41837211_9401?reply=9402", "x"],
            ]
        )
        wizard = self.wizard(data, "odd.csv")
        wizard.action_read_file()
        self.assertFalse(wizard.profile_id)
        columns = {c.name: c for c in wizard.column_ids}
        for line in wizard.line_ids:
            if line.field == "text":
                line.column_id = columns["Колонка 1"]
            elif line.field == "url":
                line.column_id = columns["Колонка 2"]
        wizard.profile_name = "Нестандартная выгрузка"
        wizard.action_import()
        profile = self.env["social.monitoring.profile"].search([("source_id", "=", self.source.id)])
        self.assertEqual(profile.name, "Нестандартная выгрузка")
        self.assertEqual(profile._mapping(), {"text": "Колонка 1", "url": "Колонка 2"})
        again = self.wizard(data, "odd-2.csv")
        again.action_read_file()
        self.assertEqual(again.profile_id, profile)
        self.assertEqual(
            {line.field: line.column_id.name for line in again.line_ids if line.column_id},
            {"text": "Колонка 1", "url": "Колонка 2"},
        )
        # other headers: no profile, a guess from the names
        other = self.wizard(csv_bytes([["Текст", "URL"], ["a", "https://vk.com/x"]]), "o.csv")
        other.action_read_file()
        self.assertFalse(other.profile_id)
        self.assertEqual(
            {line.field: line.column_id.name for line in other.line_ids if line.column_id},
            {"text": "Текст", "url": "URL"},
        )

    def test_result_download_has_the_status_column(self):
        data = csv_bytes(
            [
                ["Текст", "Ссылка", "Дата"],
                ["Яма у школы", "https://vk.com/wall-1_9501?reply=9502", "01.12.2026 10:00"],
                ["Люк", "https://vk.com/wall-1_9501?reply=9503", "позавчера"],
            ]
        )
        batch = self.run_import(data, "result.csv").with_user(self.curator)
        action = batch.action_download_result()
        self.assertIn(
            f"/web/content/social.monitoring.import/{batch.id}/result_file/", action["url"]
        )
        raw = base64.b64decode(batch.result_file)
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for Excel")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(rows[0], ["Текст", "Ссылка", "Дата", "Статус", "Инцидент", "Комментарий"])
        incident = batch.line_ids[0].incident_id
        self.assertEqual(rows[1][3:5], ["Зарегистрирован", incident.name])
        self.assertEqual(rows[2][3], "Ошибка")
        self.assertIn("«позавчера»", rows[2][5])

    def test_another_companys_incidents_are_not_duplicates(self):
        company_b = self.env["res.company"].create({"name": "Соседний район"})
        url = "https://vk.com/wall-41837211_9601?reply=9602"
        self.Incident.with_company(company_b).create(
            {"text": "Чужое", "network": "vk", "url": url, "company_id": company_b.id}
        )
        batch = self.run_import(csv_bytes([["Текст", "Ссылка"], ["Своё", url]]), "b.csv")
        self.assertEqual(batch.line_ids.status, "created")
        self.assertEqual(batch.line_ids.incident_id.company_id, self.company)

    def test_executor_and_head_cannot_import(self):
        for user in (self.executor, self.head):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.wizard(self.sample(), "monitoring-sample.csv", user=user)
                with self.assertRaises(AccessError):
                    self.source.with_user(user).action_open_import_wizard()
        # the record of an import is the import's to write: refused to the curator too
        with self.assertRaises(UserError):  # an AccessError or the guard's UserError
            self.env["social.monitoring.import"].with_user(self.curator).create(
                {"name": "x", "source_id": self.source.id, "company_id": self.company.id}
            )
        self.assertFalse(self.imported())


@tagged("post_install", "-at_install")
class TestImportOverRpc(JsonRpcMixin, HttpCase, ImportCase):
    def test_executor_cannot_import_over_rpc(self):
        wizard = self.wizard(self.sample(), "monitoring-sample.csv")
        wizard.action_read_file()
        file_value = base64.b64encode(self.sample()).decode()
        calls = [
            (
                "social.monitoring.import.wizard",
                "create",
                [{"source_id": self.source.id, "file": file_value, "filename": "a.csv"}],
            ),
            ("social.monitoring.import.wizard", "action_import", [wizard.ids]),
            ("social.monitoring.source", "action_open_import_wizard", [self.source.ids]),
            ("social.monitoring.import", "create", [{"name": "x", "source_id": self.source.id}]),
            ("social.monitoring.import", "_run", [self.source.id]),
        ]
        for login in (self.executor.login, self.head.login):
            for model, method, args in calls:
                with self.subTest(login=login, method=method):
                    _result, error = self.call_kw(
                        login, model, method, args, {"context": HOSTILE_CONTEXT}
                    )
                    self.assertTrue(error)
        self.env.invalidate_all()
        self.assertFalse(self.imported())
        self.assertEqual(self.source.import_count, 0)
        # the curator imports over the same path, and the hostile context changes nothing
        result, error = self.call_kw(
            self.curator.login,
            "social.monitoring.import.wizard",
            "action_import",
            [wizard.ids],
            {"context": HOSTILE_CONTEXT},
        )
        self.assertIsNone(error)
        self.env.invalidate_all()
        incidents = self.imported()
        self.assertEqual(len(incidents), 8)
        self.assertEqual(set(incidents.mapped("state")), {"new"})
        self.assertEqual(incidents.company_id, self.company)
        self.assertEqual(result["res_model"], "social.monitoring.import")
        # the result file downloads through the web client's link, for the curator only
        batch = self.env["social.monitoring.import"].browse(result["res_id"])
        url = batch.with_user(self.curator).action_download_result()["url"]
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"))
        self.assertIn("Статус", response.content.decode("utf-8-sig").splitlines()[0])
        self.authenticate(self.executor.login, self.executor.login)
        self.assertNotEqual(self.url_open(url).status_code, 200)


class TestImportHeadAlerts(ImportCase):
    """A file with high-importance rows and a burst of messages on one topic: each record
    is reported as a single registration reports it (a note, an activity for the head, the
    time it was reported), and the head's inbox gets ONE message for the whole file."""

    def test_one_inbox_message_for_the_whole_file(self):
        self.company.write({"social_head_user_id": self.head.id, "social_burst_threshold": 5})
        topic = self.env["social.incident.topic"].create({"name": "Тестовая волна"})
        rows = [["Текст", "Ссылка", "Дата выявления", "Рубрика", "Важность"]]
        for index in range(12):
            rows.append(
                [
                    f"Нет воды в доме № {index}",
                    f"https://vk.com/wall-77_{index + 1}",
                    f"01.12.2026 10:{index:02d}",
                    "Тестовая волна",
                    "высокая" if index in (2, 7) else "обычная",
                ]
            )
        before = self.env["mail.notification"].search_count(
            [("res_partner_id", "=", self.head.partner_id.id)]
        )
        batch = self.run_import(csv_bytes(rows), "wave.csv")
        self.assertEqual(batch.created_count, 12)
        incidents = self.imported()
        high = incidents.filtered(lambda i: i.importance == "high")
        self.assertEqual(len(high), 2)
        self.assertTrue(all(high.mapped("head_notified_at")))
        self.assertFalse(any((incidents - high).mapped("head_notified_at")))
        high_type = self.env.ref("social_incidents.mail_act_social_high_importance")
        for incident in high:
            activity = incident.activity_ids.filtered(lambda a: a.activity_type_id == high_type)
            self.assertEqual(activity.user_id, self.head)
            self.assertEqual(activity.summary, f"Инцидент повышенной важности {incident.name}")
            notes = " ".join(str(body) for body in incident.message_ids.mapped("body"))
            self.assertIn(f"Инцидент повышенной важности {incident.name}: доложено Главе", notes)
        burst = self.env["social.incident.burst"].search([("topic_id", "=", topic.id)])
        self.assertEqual(len(burst), 1)
        self.assertEqual(burst.incident_count, 12)
        self.assertTrue(burst.alerted_at)
        burst_type = self.env.ref("social_incidents.mail_act_social_burst")
        self.assertEqual(
            burst.activity_ids.filtered(lambda a: a.activity_type_id == burst_type).user_id,
            self.head,
        )
        # the head's inbox: one message for the file, naming both high-importance incidents
        # and the burst
        notifications = self.env["mail.notification"].search(
            [("res_partner_id", "=", self.head.partner_id.id)], order="id"
        )
        self.assertEqual(len(notifications) - before, 1)
        body = str(notifications[-1].mail_message_id.body)
        self.assertIn(
            "доложено Главе — инцидентов повышенной важности: 2, всплесков активности: 1", body
        )
        for incident in high:
            self.assertIn(incident.name, body)
        self.assertIn(burst.name, body)

    def test_a_large_file_is_checked_for_repeats_and_bursts_by_the_job(self):
        """Over DEFER_TRIAGE_ROWS rows, the import registers the rows and queues them; the
        job then makes the checks a registration makes: the burst, the repeats, the head's
        one inbox message."""
        from ..models import social_monitoring_import

        self.company.write({"social_head_user_id": self.head.id, "social_burst_threshold": 5})
        topic = self.env["social.incident.topic"].create({"name": "Тестовая волна 2"})
        rows = [["Текст", "Ссылка", "Дата выявления", "Рубрика", "Автор", "Ссылка на автора"]]
        for index in range(8):
            rows.append(
                [
                    f"Нет воды в доме № {index}",
                    f"https://vk.com/wall-78_{index + 1}",
                    f"01.12.2026 11:{index:02d}",
                    "Тестовая волна 2",
                    "Пётр Водин",
                    "https://vk.com/id77001",
                ]
            )
        limit = social_monitoring_import.DEFER_TRIAGE_ROWS
        social_monitoring_import.DEFER_TRIAGE_ROWS = 3
        try:
            batch = self.run_import(csv_bytes(rows), "wave2.csv")
        finally:
            social_monitoring_import.DEFER_TRIAGE_ROWS = limit
        self.assertEqual(batch.created_count, 8)
        incidents = self.imported()
        self.assertEqual(set(incidents.mapped("triage_pending")), {True})
        # the import's form says so
        self.assertEqual(batch.with_user(self.curator).pending_check_count, 8)
        Burst = self.env["social.incident.burst"]
        self.assertFalse(Burst.search([("topic_id", "=", topic.id)]), "not yet: the job does it")
        Candidate = self.env["social.incident.repeat.candidate"]
        self.assertFalse(Candidate.search([("incident_id", "in", incidents.ids)]))
        before = self.env["mail.notification"].search_count(
            [("res_partner_id", "=", self.head.partner_id.id)]
        )
        # in batches of three, the earliest first: the later queued incidents get their
        # proposals in their own batch, the best of all (not the best of each batch)
        job = self.env["social.incident"].sudo()
        self.assertEqual([job._cron_triage_pending(batch_size=3) for _i in range(3)], [3, 3, 2])
        self.assertEqual(set(incidents.mapped("triage_pending")), {False})
        batch.invalidate_recordset()
        self.assertEqual(batch.with_user(self.curator).pending_check_count, 0)
        for incident in incidents:
            self.assertLessEqual(len(Candidate.search([("incident_id", "=", incident.id)])), 5)
        burst = Burst.search([("topic_id", "=", topic.id)])
        self.assertEqual(burst.incident_count, 8)
        self.assertTrue(burst.alerted_at)
        # the same author wrote all eight: each later one proposes the earlier ones
        last = incidents.sorted("detected_at")[-1]
        self.assertEqual(
            len(Candidate.search([("incident_id", "=", last.id)])), 5, "the five closest"
        )
        notifications = self.env["mail.notification"].search(
            [("res_partner_id", "=", self.head.partner_id.id)], order="id"
        )
        self.assertEqual(len(notifications) - before, 1)
        self.assertIn(
            "Импортированные сообщения: доложено Главе — всплесков активности: 1",
            str(notifications[-1].mail_message_id.body),
        )
        # again: nothing is queued, nothing changes
        self.assertEqual(self.env["social.incident"].sudo()._cron_triage_pending(), 0)
        self.assertEqual(burst.incident_count, 8)
