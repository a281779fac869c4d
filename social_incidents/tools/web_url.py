"""Is a text a link a person can open? No Odoo here.

A link of a message or of a published reply is an ``http`` or ``https``
address of a host with a dot in its name (``vk.com``, ``кореновск.рф``,
``127.0.0.1``) or ``localhost``, without spaces. Anything else ("не ссылка
вовсе") would be shown by the web client as a broken ``http://xn--…`` link.
"""

import re
from urllib.parse import urlsplit

# a label of a host name: letters (any script) and digits, hyphens inside
_LABEL = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$")


def is_web_url(value):
    """True when ``value`` is an http(s) link to a named host, without spaces."""
    if not isinstance(value, str) or not value or any(char.isspace() for char in value):
        return False
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        return False
    try:
        parts = urlsplit(value)
        host = parts.hostname
        _port = parts.port  # raises ValueError on a port that is not a number
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or not host:
        return False
    if host == "localhost":
        return True
    labels = host.split(".")
    return len(labels) > 1 and all(_LABEL.match(label) for label in labels)
