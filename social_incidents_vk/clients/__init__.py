"""Plain-Python clients of the VK and OK APIs.

Nothing here imports Odoo: the clients are tested without it
(``tests/test_vk_client.py``, ``tests/test_ok_client.py`` at the repository
root) against the fake servers of ``social_incidents_vk/tests/fake_networks.py``.
"""

from . import ok, vk

__all__ = ["ok", "vk"]
