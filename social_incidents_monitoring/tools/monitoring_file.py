"""Reading the files monitoring systems hand out (CSV in any common delimiter and
encoding, XLSX), guessing their columns, and parsing their dates. No Odoo import:
the wizard turns the ``FileProblem`` codes into translated messages."""

import codecs
import csv
import io
import re
import zipfile
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

MAX_FILE_SIZE = 20 * 1024 * 1024
# the size of a base64 text of MAX_FILE_SIZE bytes: bigger uploads are refused undecoded
MAX_BASE64_SIZE = (MAX_FILE_SIZE + 2) // 3 * 4

ENCODINGS = [
    ("utf-8", "UTF-8"),
    ("utf-8-sig", "UTF-8 with BOM"),
    ("cp1251", "Windows-1251"),
    ("koi8-r", "KOI8-R"),
    ("utf-16", "UTF-16 with BOM"),
]
DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|"}

# what an incident takes from a file, in the order the wizard lists it
TARGETS = [
    ("text", "Text"),
    ("url", "Link"),
    ("network", "Network"),
    ("external_id", "Message ID"),
    ("author_name", "Author Name"),
    ("author_ref", "Author ID or Profile Link"),
    ("published_at", "Published At"),
    ("detected_at", "Detected At"),
    ("topic", "Topic"),
    ("location", "Location"),
    ("account", "Official Page"),
    ("importance", "Importance"),
]
DATE_TARGETS = ("published_at", "detected_at")

# Header names seen in exports (Russian and English, normalized: lower case, ё → е,
# punctuation → spaces); the first match of a column wins, exact before partial.
HEADER_NAMES = {
    "text": [
        "текст",
        "текст сообщения",
        "текст публикации",
        "текст упоминания",
        "текст поста",
        "текст комментария",
        "сообщение",
        "содержание",
        "содержимое",
        "text",
        "message",
        "content",
        "body",
        "post text",
    ],
    "url": [
        "ссылка",
        "ссылка на сообщение",
        "ссылка на публикацию",
        "ссылка на упоминание",
        "ссылка на пост",
        "ссылка на комментарий",
        "url",
        "link",
        "permalink",
        "адрес сообщения",
    ],
    "network": [
        "соцсеть",
        "социальная сеть",
        "сеть",
        "площадка",
        "платформа",
        "тип источника",
        "источник",
        "network",
        "social network",
        "platform",
        "source",
    ],
    "external_id": [
        "id сообщения",
        "ид сообщения",
        "идентификатор сообщения",
        "message id",
        "post id",
    ],
    "author_name": [
        "автор",
        "имя автора",
        "автор сообщения",
        "пользователь",
        "author",
        "author name",
    ],
    "author_ref": [
        "id автора",
        "ид автора",
        "ссылка на автора",
        "профиль автора",
        "ссылка на профиль",
        "ссылка на профиль автора",
        "author id",
        "author url",
        "author link",
        "author profile",
        "profile",
    ],
    "published_at": [
        "дата публикации",
        "время публикации",
        "дата и время публикации",
        "дата",
        "дата и время",
        "опубликовано",
        "date",
        "published",
        "published at",
        "publication date",
        "created",
    ],
    "detected_at": [
        "дата обнаружения",
        "дата выявления",
        "время обнаружения",
        "дата сбора",
        "дата добавления",
        "обнаружено",
        "выявлено",
        "detected",
        "detected at",
        "found at",
    ],
    "topic": ["тема", "тематика", "категория", "рубрика", "topic", "category", "tag", "тег"],
    "location": [
        "населенный пункт",
        "район",
        "территория",
        "место",
        "муниципальное образование",
        "муниципалитет",
        "город",
        "location",
        "place",
        "district",
    ],
    "account": [
        "официальная страница",
        "страница",
        "сообщество",
        "группа",
        "место публикации",
        "official page",
        "page",
        "community",
        "group",
    ],
    "importance": [
        "важность",
        "приоритет",
        "значимость",
        "критичность",
        "importance",
        "priority",
    ],
}

NETWORK_HOSTS = {
    "vk.com": "vk",
    "vk.ru": "vk",
    "vkontakte.ru": "vk",
    "ok.ru": "ok",
    "odnoklassniki.ru": "ok",
    "t.me": "telegram",
    "telegram.me": "telegram",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "instagram.com": "instagram",
    "twitter.com": "twitter",
    "x.com": "twitter",
}
NETWORK_NAMES = {
    "vk": "vk",
    "вк": "vk",
    "вконтакте": "vk",
    "в контакте": "vk",
    "vkontakte": "vk",
    "ok": "ok",
    "ок": "ok",
    "одноклассники": "ok",
    "odnoklassniki": "ok",
    "telegram": "telegram",
    "телеграм": "telegram",
    "телеграмм": "telegram",
    "tg": "telegram",
    "facebook": "facebook",
    "фейсбук": "facebook",
    "instagram": "instagram",
    "инстаграм": "instagram",
    "twitter": "twitter",
    "твиттер": "twitter",
    "x": "twitter",
    "other": "other",
    "другое": "other",
}
IMPORTANCE_VALUES = {
    "": "normal",
    "normal": "normal",
    "обычная": "normal",
    "обычный": "normal",
    "средняя": "normal",
    "низкая": "normal",
    "нет": "normal",
    "no": "normal",
    "0": "normal",
    "false": "normal",
    "high": "high",
    "высокая": "high",
    "высокий": "high",
    "важно": "high",
    "важное": "high",
    "критичная": "high",
    "да": "high",
    "yes": "high",
    "1": "high",
    "true": "high",
}

DATE_EXAMPLES = "2024-05-31 14:05, 2024-05-31T14:05:00+03:00, 31.05.2024 14:05[:30], 31.05.2024"
_DOTTED = re.compile(
    r"^(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})"
    r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
EXCEL_EPOCH = datetime(1899, 12, 30)


class FileProblem(Exception):
    """A file that cannot be read: ``code`` names the problem, ``params`` its details."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


class ParsedFile:
    """The header and the data rows of a file, and how it was read."""

    def __init__(self, kind, headers, rows, encoding=None, delimiter=None, sheet=None, sheets=()):
        self.kind = kind
        self.headers = headers
        self.rows = rows  # [(row number in the file, [cell, ...])]
        self.encoding = encoding
        self.delimiter = delimiter
        self.sheet = sheet
        self.sheets = list(sheets)


def normalize_header(value):
    text = str(value or "").strip().lower().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def is_xlsx(data, filename=None):
    if data[:4] == b"PK\x03\x04":
        return True
    return bool(filename) and filename.lower().endswith((".xlsx", ".xlsm"))


def read_file(
    data, filename=None, encoding=None, delimiter=None, sheet=None, max_size=MAX_FILE_SIZE
):
    """The ``ParsedFile`` of ``data`` (bytes); ``encoding``, ``delimiter`` (a key of
    ``DELIMITERS``) and ``sheet`` override what is detected."""
    if len(data) > max_size:
        raise FileProblem("too_big", size=len(data), limit=max_size)
    if not data.strip():
        raise FileProblem("empty")
    if (
        filename
        and filename.lower().endswith(".xls")
        or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    ):
        raise FileProblem("xls")
    if is_xlsx(data, filename):
        return _read_xlsx(data, sheet)
    return _read_csv(data, encoding, delimiter)


def decode(data, encoding=None):
    """(text, encoding) of ``data``: the given encoding, else the detected one."""
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise FileProblem("bad_encoding", encoding=encoding) from error
        if encoding == "utf-16" and text.startswith("\ufeff"):
            text = text[1:]
        return _check_text(text, encoding), encoding
    if data.startswith(codecs.BOM_UTF8):
        try:
            return _check_text(data[3:].decode("utf-8"), "utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise FileProblem("unknown_encoding") from error
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _check_text(data.decode("utf-16"), "utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise FileProblem("unknown_encoding") from error
    if b"\x00" in data[:65536]:
        # UTF-16 or UTF-32 without a byte order mark, or not a text at all
        raise FileProblem("unknown_encoding")
    text = _try_decode(data, "utf-8")
    if text is not None:
        return _check_text(text, None), "utf-8"
    best = None
    for candidate in ("cp1251", "koi8-r"):
        text = _try_decode(data, candidate)
        if text is None:
            continue
        score = _russian_score(text[:200000])
        if best is None or score > best[0]:
            best = (score, text, candidate)
    if best is None or best[0] <= 0:
        raise FileProblem("unknown_encoding")
    return _check_text(best[1], None), best[2]


def _try_decode(data, encoding):
    """``data`` decoded, or None when it is not in ``encoding``."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _russian_score(text):
    """Lower-case Cyrillic letters minus upper-case ones: read in the wrong one of
    Windows-1251 and KOI8-R, a Russian text turns into capitals (and back)."""
    lower = sum(1 for ch in text if "а" <= ch <= "я" or ch == "ё")
    upper = sum(1 for ch in text if "А" <= ch <= "Я" or ch == "Ё")
    return lower - upper


def _check_text(text, encoding):
    sample = text[:200000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    if sample and controls * 100 > len(sample):
        if encoding:
            raise FileProblem("bad_encoding", encoding=encoding)
        raise FileProblem("unknown_encoding")
    return text


def sniff_delimiter(text):
    """The delimiter among , ; tab | that splits the first lines into the same,
    largest number of columns."""
    lines = text[:65536].splitlines()[:50]
    if len(lines) > 1 and not text[:65536].endswith(("\n", "\r")):
        lines = lines[:-1]  # a cut line
    best = ("comma", (0, 0, 0))
    for key, char in DELIMITERS.items():
        try:
            rows = [r for r in csv.reader(lines, delimiter=char) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        same = sum(1 for r in rows if len(r) == width)
        score = (1 if width > 1 else 0, same, width)
        if score > best[1]:
            best = (key, score)
    return best[0]


def _unique_headers(cells):
    headers, seen = [], {}
    for index, cell in enumerate(cells, start=1):
        name = str(cell if cell is not None else "").strip() or f"#{index}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        headers.append(name)
    return headers


def _split_header(rows):
    header = None
    data = []
    for number, cells in rows:
        if not any(str(c).strip() for c in cells if c is not None):
            continue
        if header is None:
            header = cells
            continue
        data.append((number, list(cells)))
    if header is None:
        raise FileProblem("no_header")
    while header and (header[-1] is None or not str(header[-1]).strip()):
        header = header[:-1]
    if not header:
        raise FileProblem("no_header")
    headers = _unique_headers(header)
    if not data:
        raise FileProblem("no_rows")
    return headers, data


def _read_csv(data, encoding, delimiter):
    text, used = decode(data, encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise FileProblem("empty")
    key = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITERS[key])
    try:
        rows = [(number, cells) for number, cells in enumerate(reader, start=1)]
    except csv.Error as error:
        raise FileProblem("bad_csv", error=str(error)) from error
    headers, data_rows = _split_header(rows)
    return ParsedFile("csv", headers, data_rows, encoding=used, delimiter=key)


def _read_xlsx(data, sheet):
    import openpyxl  # Odoo's own requirement

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileProblem("bad_xlsx") from error
    try:
        names = book.sheetnames
        if sheet and sheet not in names:
            raise FileProblem("no_sheet", sheet=sheet, sheets=", ".join(names))
        ws = book[sheet] if sheet else book.worksheets[0]
        rows = [
            (number, ["" if v is None else v for v in values])
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()
    headers, data_rows = _split_header(rows)
    return ParsedFile("xlsx", headers, data_rows, sheet=ws.title, sheets=names)


def guess_mapping(headers):
    """{target: header} guessed from the header names."""
    normalized = {header: normalize_header(header) for header in headers}
    mapping = {}
    used = set()
    for exact in (True, False):
        for target, names in HEADER_NAMES.items():
            if target in mapping:
                continue
            for name in names:
                found = next(
                    (
                        header
                        for header in headers
                        if header not in used
                        and (
                            normalized[header] == name
                            if exact
                            else len(name) > 3
                            and re.search(rf"\b{re.escape(name)}\b", normalized[header])
                        )
                    ),
                    None,
                )
                if found:
                    mapping[target] = found
                    used.add(found)
                    break
    return mapping


def cell_text(value):
    """A cell as text: numbers without a trailing .0, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


def parse_datetime(value, tz_name):
    """The UTC naive datetime of ``value`` (a cell: text, an Excel date or serial
    number); naive values are in ``tz_name``. None when the format is unknown."""
    tz = ZoneInfo(tz_name or "UTC")
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            return None
        moment = EXCEL_EPOCH + timedelta(days=float(value))
        moment = moment.replace(microsecond=0)
    else:
        moment = _parse_text_datetime(str(value).strip())
        if moment is None:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _parse_text_datetime(text):
    if not text:
        return None
    match = _DOTTED.match(text)
    if match:
        day, month, year, hour, minute, second, zone = match.groups()
        year = int(year)
        if year < 100:
            year += 2000
        try:
            moment = datetime(
                year, int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
            )
        except ValueError:
            return None
        if zone:
            moment = moment.replace(tzinfo=_zone(zone))
        return moment
    iso = text.replace("Z", "+00:00").replace("z", "+00:00")
    iso = re.sub(r"\s*(UTC|GMT)$", "+00:00", iso, flags=re.IGNORECASE)
    moment = _try_isoformat(iso)
    if moment is not None:
        return moment
    if re.fullmatch(r"\d{4,5}(\.\d+)?", text):
        return parse_excel_serial(float(text))
    return None


def _try_isoformat(text):
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_excel_serial(number):
    if not 20000 <= number < 2958466:
        return None
    return (EXCEL_EPOCH + timedelta(days=number)).replace(microsecond=0)


def _zone(zone):
    if zone.upper() in ("Z", "UTC", "GMT"):
        return timezone.utc
    sign, hours, minutes = _OFFSET.match(zone).groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(delta if sign == "+" else -delta)


def network_of_link(url):
    """The network a link points into, by its host (``m.``/``www.`` ignored)."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return NETWORK_HOSTS.get(host)


def network_of_name(value):
    """The network a cell names ("ВКонтакте", "vk.com", "Telegram"...), or None."""
    name = normalize_header(value)
    if not name:
        return None
    if name in NETWORK_NAMES:
        return NETWORK_NAMES[name]
    by_host = network_of_link("https://" + str(value).strip().lower())
    if by_host:
        return by_host
    for key, network in NETWORK_NAMES.items():
        if len(key) > 3 and key in name:
            return network
    return None


def normalize_link(url):
    """A link compared for duplicates: no scheme, no www./m., no trailing slash."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text if "://" in text else "https://" + text)
    except ValueError:
        return text.lower()
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    if host == "vk.ru":
        host = "vk.com"
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"
