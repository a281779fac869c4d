"""The rule a link of a message or of a published reply follows; no Odoo.

``social_incidents/tools/web_url.py``: an http(s) address of a host with a dot
in its name (any script: кореновск.рф) or localhost, without spaces.
"""

import pytest

from addon_files import REPO_ROOT, load

TOOLS = REPO_ROOT / "social_incidents" / "tools"
load("si_tools", TOOLS / "__init__.py", TOOLS)

from si_tools.web_url import is_web_url  # noqa: E402


@pytest.mark.parametrize(
    "value",
    [
        "https://vk.com/wall-187654321_2207?reply=2215",
        "https://vk.com/wall-1_2?reply=3&thread=2",
        "http://ok.ru/group/54321987654321/topic/157001234567890",
        "https://t.me/akhtuba_online/48213",
        "HTTPS://VK.COM/club1",
        "https://кореновск.рф/новости/1",
        "http://localhost:8069/odoo",
        "http://127.0.0.1:8374/x",
    ],
)
def test_web_addresses_are_links(value):
    assert is_web_url(value)


@pytest.mark.parametrize(
    "value",
    [
        "не ссылка вовсе",
        "ответ опубликован",
        "vk.com/wall-1_2",  # no scheme: the web client would show http://vk.com/… or http://xn--…
        "//vk.com/wall-1_2",
        "ftp://vk.com/file",
        "javascript:alert(1)",
        "mailto:admin@vk.com",
        "https://vk",  # no dot
        "https://",
        "https://vk..com/x",
        "https://-vk.com/x",
        "https://vk.com/wall 1",
        " https://vk.com/wall-1_2",
        "https://vk.com/\twall",
        "https://vk.com:port/x",
        "",
        None,
        42,
    ],
)
def test_anything_else_is_not(value):
    assert not is_web_url(value)
