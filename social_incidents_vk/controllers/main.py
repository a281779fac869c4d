import hmac
import json
import logging

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)

TEXT = {"Content-Type": "text/plain; charset=utf-8"}


class VkCallbackController(http.Controller):
    """VK Callback API endpoint of one official page.

    Answers fast: the event is stored raw (once: a re-delivery answers "ok" and
    makes nothing new) and turned into an incident by a background job, so a
    failure there loses nothing. Bad input is refused before anything is stored:
    malformed JSON → 400, wrong or missing secret → 403.
    """

    @http.route(
        "/social_incidents_vk/vk/<int:account_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def vk_callback(self, account_id, **_kwargs):
        try:
            payload = json.loads(request.httprequest.get_data() or b"")
        except (ValueError, UnicodeDecodeError):
            return request.make_response("Неверный запрос: тело не является JSON.", TEXT, status=400)
        if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
            return request.make_response(
                "Неверный запрос: ожидается объект JSON с полем type.", TEXT, status=400
            )
        account = request.env["social.account"].sudo().browse(account_id).exists()
        if not account or account.network != "vk" or not account.connector_enabled:
            return request.make_response("Страница не подключена.", TEXT, status=404)
        # VK's request carries no user's language: what is recorded is in the company's
        account = account.with_context(lang=account.company_id._social_lang())
        secret = account.vk_secret or ""
        given = payload.get("secret")
        if (
            not isinstance(given, str)
            or not secret
            or not hmac.compare_digest(given.encode(), secret.encode())
        ):
            account._connector_error(
                "webhook",
                ValueError(account.env._("An event came with a wrong or missing secret key.")),
                alert=True,
            )
            return request.make_response("Доступ запрещён: неверный секретный ключ.", TEXT, status=403)
        if str(payload.get("group_id", "")).lstrip("-") != str(account.vk_group_id or "").lstrip("-"):
            return request.make_response(
                "Неверный запрос: событие другого сообщества.", TEXT, status=400
            )
        event_type = payload["type"]
        if event_type == "confirmation":
            if not account.vk_confirmation:
                account._connector_error(
                    "webhook",
                    ValueError(account.env._("VK asked for the confirmation string, which is not set.")),
                    alert=True,
                )
                return request.make_response("Строка подтверждения не задана.", TEXT, status=500)
            return request.make_response(account.vk_confirmation, TEXT)
        event_id = payload.get("event_id")
        if not isinstance(event_id, str) or not event_id or "object" not in payload:
            return request.make_response(
                "Неверный запрос: у события нет event_id или object.", TEXT, status=400
            )
        account.env["social.inbound.event"].sudo()._store(account, "vk", event_id, event_type, payload)
        return request.make_response("ok", TEXT)
