"""Fake VK, OK and Telegram API servers on 127.0.0.1, for the tests (with and without Odoo).

The real networks cannot be reached from the test machines, so the clients
talk to these servers, which answer in the wire format of the real APIs:

* :class:`FakeVk` serves ``/method/<name>`` like https://api.vk.com/method/:
  form-encoded (or query string) parameters, ``access_token`` and ``v``
  required, HTTP 200 with ``{"response": ...}`` or ``{"error": {"error_code",
  "error_msg", "request_params"}}`` and VK's error codes and messages. Each
  method accepts the token types VK's method schema (API 5.199) lists for it:

  ==================================  ==========================
  wall.get, wall.getComments          user, service
  wall.getComment                     user, service
  wall.createComment                  user, community
  wall.deleteComment, groups.ban      user
  users.get, groups.getById           user, community, service
  groups.getCallbackConfirmationCode  user, community
  ==================================  ==========================

  and answers any other token type with VK's error 27 (community token) or
  28 (service token). An unknown token gets error 5.

* :class:`FakeOk` serves ``/fb.do`` like https://api.ok.ru/fb.do: it checks
  the application key (101), recomputes the signature from its own secrets
  (104 when it differs) and checks the access token (102), then answers
  ``mediatopic.getTopics`` and ``discussions.getComments`` in OK's JSON
  shapes; errors are ``{"error_code", "error_msg", "error_data": null}`` with
  HTTP 200.

* :class:`FakeTelegram` serves ``/bot<token>/<method>`` like
  https://api.telegram.org: JSON, form-encoded or multipart bodies (or the
  query string); ``{"ok": true, "result": ...}`` or ``{"ok": false,
  "error_code", "description"[, "parameters": {"retry_after"}]}`` with the HTTP
  status equal to ``error_code`` (an unknown token gets 401 "Unauthorized").
  It holds a channel, its linked discussion group, the bot's rights in each
  (configurable), citizens, every message; its scenario helpers create
  channel posts (with their automatic forward into the group), comments,
  edits, direct messages, service and bot messages as Telegram's Updates,
  queued for ``getUpdates`` or POSTed to the webhook by ``deliver()``.

All record every request received in ``requests`` (never the access token)
and can be told to fail: :meth:`fail_next` injects an API error, an HTTP
status or a delay (to make a client time out) for the next calls of a method.

The servers live in ``fake_server.py`` (what they share), ``fake_vk.py``,
``fake_ok.py`` and ``fake_telegram.py``. None imports Odoo: the Odoo-free tests
load this folder as a plain package (``tests/addon_files.py``).
"""

from .fake_ok import FakeOk
from .fake_telegram import FakeTelegram
from .fake_vk import VK_API_VERSION, FakeVk

__all__ = ["VK_API_VERSION", "FakeOk", "FakeTelegram", "FakeVk"]
