"""Read a message link pasted by a person or given by an import. No Odoo here.

:func:`parse_link` turns a link into a :class:`MessageLink` (network, page
key, post, comment, the message's external id, the normalized link) or
``None`` for a shape it does not know (the incident keeps it as a plain
link). :func:`normalize_link` gives the key two incidents are compared by.

Shapes understood, with or without ``http(s)://``, ``www.``, ``m.``, junk
parameters (``utm_*``, ``from``, ``ref``…) and a fragment:

VK (hosts ``vk.com``, ``vk.ru``, ``m.vk.com``, ``vkontakte.ru``):
  ``vk.com/wall-1_2``, ``vk.com/wall-1_2?reply=3``, ``vk.com/wall-1_2?reply=4&thread=3``,
  ``vk.com/wall-1_2_r3``, ``vk.com/<any page>?w=wall-1_2`` and ``…?w=wall-1_2_r3``.
  External id: ``wall{owner}_{post}`` for a post, ``wall{owner}_{post}_{comment}``
  for a comment (what the VK connector stores, ``vk_external_id``). Page key:
  the owner's id without the minus (a community's id, as in the registry).
  Normalized: ``https://vk.com/wall{owner}_{post}`` plus ``?reply={comment}``.

OK (hosts ``ok.ru``, ``m.ok.ru``, ``odnoklassniki.ru``):
  ``ok.ru/group/<gid>/topic/<tid>``, ``ok.ru/group<gid>/topic/<tid>``,
  ``ok.ru/<page name>/topic/<tid>``, ``ok.ru/dk?st.cmd=…&st.groupId=<gid>&st.topicId=<tid>``;
  a comment as ``?comment=<id>``, ``?commentId=<id>``, ``?st.commentId=<id>`` or the
  same in the fragment (``#comment=<id>``, ``#comment<id>``).
  External id: ``{topic}_{comment}`` for a comment (what the OK connector
  stores), ``{topic}`` for the topic itself. Page key: the group id, or the
  page's short name. Normalized: ``https://ok.ru/group/{gid}/topic/{tid}``
  (``https://ok.ru/{name}/topic/{tid}`` for a short name) plus ``?comment={id}``.

Telegram (hosts ``t.me``, ``telegram.me``, ``telegram.dog``):
  ``t.me/<channel>/<post>``, ``t.me/s/<channel>/<post>``, ``t.me/<channel>/<post>?comment=<id>``,
  ``t.me/c/<id>/<post>`` (a private channel), ``t.me/c/<id>/<thread>/<post>``.
  External id (a Telegram connector stores the same): ``{chat}/{post}`` for a
  post, ``{chat}/{post}/{comment}`` for a comment in its discussion, where
  ``{chat}`` is the channel's user name in lower case for a public link and
  the Bot API chat id ``-100{id}`` for a ``t.me/c/<id>`` link. Page key: the
  same ``{chat}``. Normalized: ``https://t.me/{name}/{post}`` (``https://t.me/c/{id}/{post}``)
  plus ``?comment={id}``.
"""

import contextlib
import functools
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

NETWORK_HOSTS = {
    "vk.com": "vk",
    "vk.ru": "vk",
    "vkontakte.ru": "vk",
    "ok.ru": "ok",
    "odnoklassniki.ru": "ok",
    "t.me": "telegram",
    "telegram.me": "telegram",
    "telegram.dog": "telegram",
}
CANONICAL_HOSTS = {"vk": "vk.com", "ok": "ok.ru", "telegram": "t.me"}
# parameters of another site's link that never name a message: trackers
JUNK_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|yclid|_openstat)$", re.I)

_NUMBER = re.compile(r"^\d{1,20}$")
_VK_WALL = re.compile(r"^wall(-?\d{1,20})_(\d{1,20})(?:_r(\d{1,20}))?$", re.I)
_TG_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
_OK_NAME = re.compile(r"^[A-Za-z0-9][\w.-]{0,99}$")
_OK_COMMENT_KEYS = ("comment", "commentid", "st.commentid", "st.fcid", "fcid")


@dataclass(frozen=True)
class MessageLink:
    network: str
    page: str
    post: str
    comment: str
    external_id: str
    url: str


def _split(value):
    """(host, port, path, query pairs, fragment) of a link, scheme optional;
    None if not a link."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or any(char.isspace() or ord(char) < 32 for char in text):
        return None
    if "://" not in text:
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    query = parse_qsl(parts.query, keep_blank_values=True)
    return host, port, parts.path, query, parts.fragment


def _network_host(host):
    host = host.lower()
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix) and host[len(prefix) :] in NETWORK_HOSTS:
            host = host[len(prefix) :]
    return NETWORK_HOSTS.get(host)


def _params(query, fragment=""):
    """Query parameters by lower-case name (first wins), the fragment's too."""
    params = {}
    for key, value in query:
        params.setdefault(key.lower(), value)
    if fragment:
        for key, value in parse_qsl(fragment.lstrip("!/"), keep_blank_values=True):
            params.setdefault("#" + key.lower(), value)
    return params


def parse_link(value):
    """The :class:`MessageLink` of a link, or None for an unknown shape. Never raises."""
    # an import reads each link several times (dry run, dedupe, create): parsed once
    return _parse_link(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=32768)
def _parse_link(value):
    try:
        split = _split(value)
        if not split:
            return None
        host, _port, path, query, fragment = split
        network = _network_host(host)
        segments = [s for s in path.split("/") if s]
        params = _params(query, fragment)
        if network == "vk":
            return _parse_vk(segments, params)
        if network == "ok":
            return _parse_ok(segments, params, fragment)
        if network == "telegram":
            return _parse_telegram(segments, params)
    except (ValueError, TypeError, UnicodeError):
        return None
    return None


def _parse_vk(segments, params):
    wall = params.get("w") or (segments[0] if len(segments) == 1 else "")
    match = _VK_WALL.match(wall or "")
    if not match:
        return None
    owner, post, comment = match.group(1), match.group(2), match.group(3) or ""
    reply = params.get("reply")
    if reply is not None:
        if comment or not _NUMBER.match(reply):
            return None
        comment = reply
    owner = str(int(owner))
    post, comment = str(int(post)), str(int(comment)) if comment else ""
    if post == "0" or owner in ("0", "-0"):
        return None
    external_id = f"wall{owner}_{post}" + (f"_{comment}" if comment else "")
    url = f"https://vk.com/wall{owner}_{post}" + (f"?reply={comment}" if comment else "")
    return MessageLink("vk", owner.lstrip("-"), post, comment, external_id, url)


def _ok_comment(params, fragment):
    for key in _OK_COMMENT_KEYS:
        for name in (key, "#" + key):
            if name in params:
                return params[name]
    match = re.match(r"^comment[-_]?(\d{1,20})$", fragment or "", re.I)
    return match.group(1) if match else ""


def _parse_ok(segments, params, fragment):
    lowered = [s.lower() for s in segments]
    group = topic = ""
    if lowered[:1] == ["dk"]:
        group = params.get("st.groupid", "")
        topic = params.get("st.topicid") or params.get("st.themeid") or ""
        if not _NUMBER.match(group):
            return None
    elif len(segments) == 4 and lowered[0] == "group" and lowered[2] == "topic":
        group, topic = segments[1], segments[3]
        if not _NUMBER.match(group):
            return None
    elif len(segments) == 3 and lowered[1] == "topic":
        page = segments[0]
        number = re.match(r"^group(\d{1,20})$", page, re.I)
        if number:
            group = number.group(1)
        elif _OK_NAME.match(page) and lowered[0] not in ("profile", "dk", "video", "music"):
            group = page.lower()
        else:
            return None
        topic = segments[2]
    else:
        return None
    if not _NUMBER.match(topic or ""):
        return None
    comment = _ok_comment(params, fragment)
    if comment and not _NUMBER.match(comment):
        return None
    topic = str(int(topic))
    comment = str(int(comment)) if comment else ""
    if group.isdigit():
        group = str(int(group))
        base = f"https://ok.ru/group/{group}"
    else:
        base = f"https://ok.ru/{group}"
    url = f"{base}/topic/{topic}" + (f"?comment={comment}" if comment else "")
    external_id = f"{topic}_{comment}" if comment else topic
    return MessageLink("ok", group, topic, comment, external_id, url)


def _parse_telegram(segments, params):
    if segments[:1] == ["s"]:
        segments = segments[1:]
    if segments[:1] == ["c"]:
        numbers = segments[1:]
        if len(numbers) not in (2, 3) or not all(_NUMBER.match(n) for n in numbers):
            return None
        chat = f"-100{int(numbers[0])}"
        page_url = f"https://t.me/c/{int(numbers[0])}"
    elif len(segments) in (2, 3) and _TG_NAME.match(segments[0]):
        numbers = segments[1:]
        if not all(_NUMBER.match(n) for n in numbers):
            return None
        chat = segments[0].lower()
        page_url = f"https://t.me/{chat}"
    else:
        return None
    post = str(int(numbers[-1]))
    comment = params.get("comment", "")
    if comment and not _NUMBER.match(comment):
        return None
    comment = str(int(comment)) if comment else ""
    if post == "0":
        return None
    external_id = f"{chat}/{post}" + (f"/{comment}" if comment else "")
    url = f"{page_url}/{post}" + (f"?comment={comment}" if comment else "")
    return MessageLink("telegram", chat, post, comment, external_id, url)


def page_key(value):
    """The page key of an official page's address (``vk.com/club1`` → ``1``,
    ``ok.ru/group/5`` → ``5``, ``t.me/name`` → ``name``), lower case; None if none."""
    try:
        split = _split(value)
        if not split:
            return None
        host, _port, path, _query, _fragment = split
        network = _network_host(host)
        segments = [s for s in path.split("/") if s]
        if not network or not segments:
            return None
        first = segments[0].lower()
        if network == "vk":
            match = re.match(r"^(?:club|public|event)(\d{1,20})$", first)
            return str(int(match.group(1))) if match else first
        if network == "ok":
            if first == "group" and len(segments) > 1 and _NUMBER.match(segments[1]):
                return str(int(segments[1]))
            match = re.match(r"^group(\d{1,20})$", first)
            return str(int(match.group(1))) if match else first
        if first == "s" and len(segments) > 1:
            first = segments[1].lower()
        if first == "c" and len(segments) > 1 and _NUMBER.match(segments[1]):
            return f"-100{int(segments[1])}"
        return first
    except (ValueError, TypeError, UnicodeError):
        return None


def normalize_link(value):
    """The key a link is compared by: a recognized message's canonical link;
    for another site's link, the link with a lower-case ``https`` scheme and
    host, without ``www.``, the fragment, tracking parameters and a trailing
    slash; None for a network's link that names no message (a page, a
    profile) and for text that is no link. Never raises."""
    message = parse_link(value)
    if message:
        return message.url
    try:
        split = _split(value)
        if not split:
            return None
        host, port, path, query, _fragment = split
        host = host.lower()
        if _network_host(host) or ("." not in host and host != "localhost"):
            return None
        if host.startswith("www."):
            host = host[4:]
        with contextlib.suppress(UnicodeError):  # a host idna refuses stays as typed
            host = host.encode("idna").decode("ascii")
        if not host.isprintable() or any(ch.isspace() for ch in host):
            # "0.¸": idna's NFKC turns the cedilla into a space and a combining mark
            return None
        kept = [(k, v) for k, v in query if not JUNK_PARAMS.match(k)]
        path = path.rstrip("/")
        if port and port not in (80, 443):
            host = f"{host}:{port}"
        return urlunsplit(("https", host, path, urlencode(kept), ""))
    except (ValueError, TypeError, UnicodeError):
        return None
