import hmac
import json
import logging
import re

from odoo import http
from odoo.http import request

from odoo.addons.social_incidents.tools.json_limits import json_depth_exceeds

_logger = logging.getLogger(__name__)

TEXT = {"Content-Type": "text/plain; charset=utf-8"}
# VK's events are a few kilobytes; anything bigger is refused before it is read.
MAX_BODY = 64 * 1024
# VK's deepest object (a comment with attachments and photo sizes) nests about 6 levels.
MAX_DEPTH = 32
# compared with a wrong token when the page is unknown, so both take the same time
_NO_TOKEN = "-" * 43
NOT_CONNECTED = "Страница не подключена."
TG_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# a NUL character (JSON "\u0000"), which PostgreSQL cannot store in a text
_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


class VkCallbackController(http.Controller):
    """VK Callback API endpoint of one official page.

    The address carries the page's id and its unguessable webhook token.
    Answers fast: the event is stored raw (once: a re-delivery answers "ok" and
    makes nothing new) and turned into an incident by a background job, so a
    failure there loses nothing. Bad input is refused before anything is stored:
    a body over 64 KiB → 413 (not read); malformed JSON, too deep, wrong types
    → 400; unknown page or wrong token → 404 (the same answer for both); wrong
    or missing secret → 403. Refused requests are counted per page and minute,
    without a row each.
    """

    @http.route(
        "/social_incidents_vk/vk/<int:account_id>/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        max_content_length=MAX_BODY,
    )
    def vk_callback(self, account_id, token, **_kwargs):
        # sudo: a public endpoint; nothing is stored before the page's token and secret are checked
        # below
        Event = request.env["social.inbound.event"].sudo()
        # before anything is written: this transaction reads what is committed,
        # so concurrent deliveries never fail on each other (no retried
        # statement, no "bad query" logged with the payload)
        Event._read_committed()
        payload, refused = _read_json_object()
        if refused:
            return refused
        if not isinstance(payload.get("type"), str):
            return request.make_response(
                "Неверный запрос: ожидается объект JSON с полем type.", TEXT, status=400
            )
        page = Event._webhook_page(account_id)
        expected = (page or {}).get("webhook_token") or _NO_TOKEN
        if not hmac.compare_digest(token.encode(), expected.encode()) or not page:
            if page:
                Event._count_refusal(page["id"], "token")
            return request.make_response(NOT_CONNECTED, TEXT, status=404)
        group_id = payload.get("group_id")
        if not isinstance(group_id, int) or isinstance(group_id, bool):
            return request.make_response(
                "Неверный запрос: group_id должен быть числом.", TEXT, status=400
            )
        if str(abs(group_id)) != (page["vk_group_id"] or "").strip().lstrip("-"):
            Event._count_refusal(page["id"], "group")
            return request.make_response(
                "Неверный запрос: событие другого сообщества.", TEXT, status=400
            )
        event_type = payload["type"]
        if event_type == "confirmation":
            # VK's minimal confirmation request carries no secret: the token
            # in the address and the group are what is checked
            if not page["vk_confirmation"]:
                account = request.env["social.account"].sudo().browse(page["id"])
                # VK's request carries no user's language: what is recorded is in the company's
                account = account.with_context(lang=account.company_id._social_lang())
                account._connector_error(
                    "webhook",
                    ValueError(
                        account.env._("VK asked for the confirmation string, which is not set.")
                    ),
                    alert=True,
                )
                return request.make_response("Строка подтверждения не задана.", TEXT, status=500)
            return request.make_response(page["vk_confirmation"], TEXT)
        secret = page["vk_secret"] or ""
        given = payload.pop("secret", None)
        if (
            not isinstance(given, str)
            or not secret
            or not hmac.compare_digest(given.encode(), secret.encode())
        ):
            Event._count_refusal(page["id"], "secret")
            return request.make_response(
                "Доступ запрещён: неверный секретный ключ.", TEXT, status=403
            )
        event_id = payload.get("event_id")
        if (
            not isinstance(event_id, str)
            or not event_id
            or not isinstance(payload.get("object"), dict)
        ):
            return request.make_response(
                "Неверный запрос: event_id должен быть строкой, object — объектом.",
                TEXT,
                status=400,
            )
        # the secret was taken out above: it is never stored
        Event._store_webhook(page, event_id, event_type, payload)
        return request.make_response("ok", TEXT)


class TelegramWebhookController(http.Controller):
    """Bot API webhook of one Telegram page (setWebhook with the page's secret).

    Every update must carry the page's secret in the header
    X-Telegram-Bot-Api-Secret-Token (compared in constant time): a wrong or
    missing one → 403, nothing stored, counted per page and minute. Unknown or
    disconnected page → 404. Then the VK endpoint's limits: over 64 KiB → 413,
    not a JSON object, too deep, bad text, no integer update_id → 400. The
    update is stored raw once per (page, update_id) and answered 200 at once;
    the processing job turns it into an incident."""

    @http.route(
        "/social_incidents_vk/telegram/<int:account_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        max_content_length=MAX_BODY,
    )
    def telegram_webhook(self, account_id, **_kwargs):
        # sudo: a public endpoint; nothing is stored before the page's secret is checked below
        Event = request.env["social.inbound.event"].sudo()
        Event._read_committed()
        page = Event._tg_webhook_page(account_id)
        given = request.httprequest.headers.get(TG_SECRET_HEADER) or ""
        expected = (page or {}).get("tg_webhook_secret") or _NO_TOKEN
        valid = hmac.compare_digest(given.encode(), expected.encode())
        if not page:
            return request.make_response(NOT_CONNECTED, TEXT, status=404)
        if not valid or not page["tg_webhook_secret"]:
            Event._count_refusal(page["id"], "secret")
            return request.make_response(
                "Доступ запрещён: неверный секретный токен.", TEXT, status=403
            )
        update, refused = _read_json_object()
        if refused:
            return refused
        update_id = update.get("update_id")
        if (
            not isinstance(update_id, int)
            or isinstance(update_id, bool)
            or not 0 < update_id < 2**53
        ):
            return request.make_response(
                "Неверный запрос: update_id должен быть положительным числом.", TEXT, status=400
            )
        Event._tg_store(page["id"], page["company_id"], update)
        return request.make_response("ok", TEXT)


def _read_json_object():
    """(payload, None) for a body that is a JSON object within the limits, or
    (None, the refusal): a body over 64 KiB → 413 (not read); not JSON, too
    deep, not an object, a NUL or half a surrogate pair in a text → 400."""
    httprequest = request.httprequest
    if (httprequest.content_length or 0) > MAX_BODY:
        return None, request.make_response("Слишком большой запрос.", TEXT, status=413)
    # werkzeug reads at most the declared length, itself limited by the
    # route's max_content_length (a longer body is a 413 before this)
    body = httprequest.get_data()
    if len(body) > MAX_BODY:
        return None, request.make_response("Слишком большой запрос.", TEXT, status=413)
    try:
        payload = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None, request.make_response(
            "Неверный запрос: тело не является JSON.", TEXT, status=400
        )
    if json_depth_exceeds(payload, MAX_DEPTH):
        return None, request.make_response(
            "Неверный запрос: слишком глубокая вложенность.", TEXT, status=400
        )
    if not isinstance(payload, dict):
        return None, request.make_response(
            "Неверный запрос: ожидается объект JSON.", TEXT, status=400
        )
    try:
        # half a surrogate pair or a NUL could never be stored nor become an incident
        valid_text = not _NUL.search(json.dumps(payload, ensure_ascii=False).encode().decode())
    except UnicodeEncodeError:
        valid_text = False
    if not valid_text:
        return None, request.make_response(
            "Неверный запрос: недопустимые символы в тексте.", TEXT, status=400
        )
    return payload, None
