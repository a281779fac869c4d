import hmac
import json
import time

from odoo import SUPERUSER_ID, http
from odoo.http import request
from odoo.tools.translate import LazyTranslate

from ..models.social_monitoring_source_push import HARD_MAX_BODY_MB
from ..tools.push_payload import (
    PayloadError,
    bad_text,
    json_depth_exceeds,
    parse_field_paths,
    read_messages,
)

_lt = LazyTranslate(__name__)

HARD_MAX_BODY = HARD_MAX_BODY_MB * 1024 * 1024
# compared with the given token when the system is unknown, so both take the same time
_NO_TOKEN = "-" * 43
# the answers before a system's company is known are in Russian, the administration's language
DEFAULT_LANG = "ru_RU"

UNAUTHORIZED = _lt("Access denied: unknown monitoring system, push disabled, or wrong token.")
TOO_BIG = _lt("The request is too large.")
NOT_JSON = _lt("Bad request: the body is not JSON.")
TOO_DEEP = _lt("Bad request: nested too deep.")
BAD_TEXT = _lt("Bad request: characters that cannot be stored in the text.")


class MonitoringPushController(http.Controller):
    """The push endpoint of a monitoring system.

    The system sends its messages as JSON with its token in a header; each
    message is registered as an incident (whole or not at all) and the answer
    says, per message, the incident created or the one that already holds it.
    Refused before anything is registered: a body over the hard cap or the
    system's size → 413 (not read); unknown or disabled system, missing or
    wrong token → 401 (one answer for all, in constant time); over the
    system's requests per minute → 429 with Retry-After; malformed JSON, too
    deep, wrong shape or types → 400 naming the first problem. The token is
    never logged nor stored anywhere but on the system's record."""

    @http.route(
        "/social_incidents_monitoring/push/<int:source_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        max_content_length=HARD_MAX_BODY,
    )
    def monitoring_push(self, source_id, **_kwargs):
        # the superuser: a public endpoint; nothing is read but the system's row, and nothing
        # is registered before its token is checked below
        env = request.env(user=SUPERUSER_ID, su=True, context={"lang": DEFAULT_LANG})
        Source = env["social.monitoring.source"]
        Count = env["social.monitoring.push.count"]
        # before anything is written: concurrent deliveries wait for each other's
        # locks and then see what the other committed
        Source._push_read_committed()
        httprequest = request.httprequest
        if (httprequest.content_length or 0) > HARD_MAX_BODY:
            return self._answer(env, 413, TOO_BIG)
        source = Source._push_source(source_id)
        given = self._given_token(httprequest.headers)
        expected = (source or {}).get("push_token") or _NO_TOKEN
        token_ok = hmac.compare_digest(
            given.encode("utf-8", "replace"), expected.encode("utf-8", "replace")
        )
        if not (token_ok and source and source["enabled"]):
            if source and not token_ok:
                Count._add(source["id"], {"token": 1})
            return self._answer(env, 401, UNAUTHORIZED)
        record = Source.browse(source["id"])
        env = record.with_context(lang=record.company_id._social_lang() or DEFAULT_LANG).env
        totals = Count._add(source["id"], {"request": 1})
        Source._push_commit_counter()
        if totals.get("request", 0) > source["push_rate_limit"]:
            Count._add(source["id"], {"rate": 1})
            wait = max(1, 60 - int(time.time()) % 60)
            return self._answer(
                env,
                429,
                _lt("Too many requests: wait %(seconds)s s.", seconds=wait),
                headers=[("Retry-After", str(wait))],
            )
        limit = source["push_max_body_mb"] * 1024 * 1024
        if (httprequest.content_length or 0) > limit:
            return self._answer(env, 413, TOO_BIG)
        # werkzeug reads at most the declared length, itself under the route's cap
        body = httprequest.get_data()
        if len(body) > limit:
            return self._answer(env, 413, TOO_BIG)
        try:
            payload = json.loads(body or b"")
        except (ValueError, UnicodeDecodeError, RecursionError):
            return self._answer(env, 400, NOT_JSON)
        if json_depth_exceeds(payload):
            return self._answer(env, 400, TOO_DEEP)
        if bad_text(payload):
            return self._answer(env, 400, BAD_TEXT)
        try:
            messages = read_messages(
                payload, parse_field_paths(source["push_field_paths"]), source["push_max_messages"]
            )
        except PayloadError as error:
            return self._answer(env, 400, error.message)
        results = record.with_env(env)._push_register(messages)
        return request.make_json_response(
            {
                "created": sum(1 for r in results if r["status"] == "created"),
                "duplicate": sum(1 for r in results if r["status"] == "duplicate"),
                "error": sum(1 for r in results if r["status"] == "error"),
                "results": results,
            }
        )

    @staticmethod
    def _given_token(headers):
        authorization = headers.get("Authorization") or ""
        scheme, _sep, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return (headers.get("X-Monitoring-Token") or "").strip()

    @staticmethod
    def _answer(env, status, message, headers=None):
        return request.make_json_response({"error": env._(message)}, headers=headers, status=status)
