"""Plain-Python clients of the VK, OK and Telegram Bot APIs.

Nothing here imports Odoo: the clients are tested without it
(``tests/test_vk_client.py``, ``tests/test_ok_client.py``,
``tests/test_telegram_client.py`` at the repository root) against the fake
servers of ``social_incidents_vk/tests/fake_networks.py``.
"""

from . import ok, telegram, vk

__all__ = ["ok", "telegram", "vk"]
