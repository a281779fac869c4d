"""The push endpoint's payload: its documented shape, the field paths that read
a monitoring system's own shape, and the checks a body passes before anything
is registered. Its messages are lazy translations: the controller answers
them in the company's language."""

import json
import re
from datetime import UTC, datetime

from odoo.tools.translate import LazyTranslate

from odoo.addons.social_incidents.tools.json_limits import json_depth_exceeds as nests_deeper

_lt = LazyTranslate(__name__)

# A message's fields, and where the documented shape keeps them.
DEFAULT_FIELD_PATHS = {
    "network": "network",
    "url": "url",
    "id": "id",
    "text": "text",
    "author_id": "author.id",
    "author_name": "author.name",
    "author_url": "author.url",
    "published_at": "published_at",
    "detected_at": "detected_at",
    "topic": "topic",
    "location": "location",
}
# ids may come as numbers; everything else is a string (or null: not given)
ID_FIELDS = ("id", "author_id")
MAX_DEPTH = 32
_PATH = re.compile(r"^[^.\s]+(\.[^.\s]+)*$")


class PayloadError(ValueError):
    """A body the endpoint refuses with 400: ``message`` (a lazy translation)
    names the first problem."""

    def __init__(self, message):
        super().__init__(message._source)
        self.message = message


def parse_field_paths(text):
    """The field paths a source keeps (a JSON object, may be empty), over the
    defaults. Raises PayloadError naming the problem."""
    try:
        given = json.loads(text or "{}")
    except ValueError as error:
        raise PayloadError(_lt("The field paths are not JSON.")) from error
    if not isinstance(given, dict):
        raise PayloadError(_lt("The field paths must be a JSON object."))
    unknown = sorted(set(given) - set(DEFAULT_FIELD_PATHS))
    if unknown:
        raise PayloadError(
            _lt("Unknown fields in the field paths: %(fields)s.", fields=", ".join(unknown))
        )
    for field, path in given.items():
        if not isinstance(path, str) or not _PATH.match(path):
            raise PayloadError(
                _lt(
                    "The path of %(field)s must be dotted names, such as content.text.",
                    field=field,
                )
            )
    return {**DEFAULT_FIELD_PATHS, **given}


def json_depth_exceeds(value, limit=MAX_DEPTH):
    """True when ``value`` (parsed JSON) nests deeper than ``limit``."""
    return nests_deeper(value, limit)


def bad_text(value):
    """True when a parsed body holds a string PostgreSQL cannot store (a NUL)
    or that is not Unicode (half a surrogate pair), in keys or values."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                return True
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def _lookup(message, path, index):
    value = message
    walked = []
    for part in path.split("."):
        if value is None:
            return None
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit():
            value = value[int(part)] if int(part) < len(value) else None
        else:
            raise PayloadError(
                _lt(
                    "messages[%(index)s].%(path)s: %(part)s is not an object.",
                    index=index,
                    path=path,
                    part=".".join(walked),
                )
            )
        walked.append(part)
    return value


def read_messages(payload, paths, max_messages):
    """The messages of a parsed body as dicts of plain strings per our fields
    (``paths``: field → dotted path). Raises PayloadError on the first problem
    of shape or type."""
    if not isinstance(payload, dict) or not isinstance(payload.get("messages"), list):
        raise PayloadError(_lt('Expected a JSON object with a list "messages".'))
    messages = payload["messages"]
    if not messages:
        raise PayloadError(_lt('The list "messages" is empty.'))
    if len(messages) > max_messages:
        raise PayloadError(
            _lt(
                "Too many messages in one request: %(count)s, at most %(limit)s.",
                count=len(messages),
                limit=max_messages,
            )
        )
    result = []
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            raise PayloadError(_lt("messages[%(index)s] is not an object.", index=index))
        values = {}
        for field, path in paths.items():
            value = _lookup(message, path, index)
            if value is None:
                continue
            if field in ID_FIELDS and isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str):
                raise PayloadError(
                    _lt("messages[%(index)s].%(path)s must be a string.", index=index, path=path)
                )
            value = value.strip()
            if value:
                values[field] = value
        result.append(values)
    return result


def parse_time(value):
    """A UTC naive datetime from ISO 8601 (an offset is converted; none: UTC),
    or None when it cannot be read."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)
