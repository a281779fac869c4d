import json
from datetime import timedelta
from urllib.parse import urlsplit

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.sql_db import TestCursor

from odoo.addons.social_incidents.models.constants import ADMIN_GROUP, NETWORKS
from odoo.addons.social_incidents.models.helpers import in_company_lang, read_committed
from odoo.addons.social_incidents.tools import clock, guard, links

from ..tools.push_payload import DEFAULT_FIELD_PATHS, PayloadError, parse_field_paths, parse_time

# A monitoring system's batch of a few hundred messages is well under a megabyte;
# no source may accept more than this, whatever its setting.
HARD_MAX_BODY_MB = 20
HARD_MAX_MESSAGES = 5000
HARD_MAX_RATE = 6000
# a detection time a little ahead of ours is a clock's drift, more is a mistake
CLOCK_SKEW = timedelta(minutes=5)
# what a link's host says of its network, when the message does not say it
_NETWORK_HOSTS = {
    "vk.com": "vk",
    "vk.ru": "vk",
    "ok.ru": "ok",
    "t.me": "telegram",
    "telegram.me": "telegram",
    "facebook.com": "facebook",
    "instagram.com": "instagram",
    "twitter.com": "twitter",
    "x.com": "twitter",
}


def _default_field_paths(_model=None):
    return json.dumps(DEFAULT_FIELD_PATHS, indent=2)


class SocialMonitoringSource(models.Model):
    """The push endpoint of a monitoring system: a token of its own, the field
    paths that read its messages, limits, and what its pushes did."""

    _inherit = "social.monitoring.source"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    push_enabled = fields.Boolean(
        tracking=True,
        help="The system may send its messages to the push address.",
    )
    # never tracked, never in the chatter: administrators only
    push_token = fields.Char(
        groups=ADMIN_GROUP,
        copy=False,
        readonly=True,
        help="Sent by the system in the header Authorization: Bearer <token> "
        "(or X-Monitoring-Token); requests without it are refused.",
    )
    push_url = fields.Char(string="Push Address", compute="_compute_push_url")
    push_field_paths = fields.Text(
        string="Field Paths",
        default=_default_field_paths,
        help="A JSON object: our field → its dotted path in each message of the system's "
        'payload, e.g. {"text": "content.text"}. Fields left out keep the documented path.',
    )
    push_max_messages = fields.Integer(
        string="Messages per Request", default=500, help="At most %s." % HARD_MAX_MESSAGES
    )
    push_rate_limit = fields.Integer(
        string="Requests per Minute", default=60, help="At most %s." % HARD_MAX_RATE
    )
    push_max_body_mb = fields.Integer(
        string="Request Size (MB)", default=5, help="At most %s MB." % HARD_MAX_BODY_MB
    )
    push_last_at = fields.Datetime(string="Last Push", compute="_compute_push_stats")
    push_request_count = fields.Integer(
        string="Requests (24 h)", compute="_compute_push_stats", groups=ADMIN_GROUP
    )
    push_created_count = fields.Integer(
        string="Incidents Created (24 h)", compute="_compute_push_stats", groups=ADMIN_GROUP
    )
    push_duplicate_count = fields.Integer(
        string="Duplicates (24 h)", compute="_compute_push_stats", groups=ADMIN_GROUP
    )
    push_error_count = fields.Integer(
        string="Messages Refused (24 h)", compute="_compute_push_stats", groups=ADMIN_GROUP
    )
    push_refused_token_count = fields.Integer(
        string="Wrong Token (24 h)",
        compute="_compute_push_stats",
        groups=ADMIN_GROUP,
        help="Requests refused in the last 24 hours: the token was missing or wrong.",
    )
    push_refused_rate_count = fields.Integer(
        string="Over the Rate Limit (24 h)",
        compute="_compute_push_stats",
        groups=ADMIN_GROUP,
        help="Requests refused in the last 24 hours: more requests in a minute than allowed.",
    )

    @api.depends("push_enabled")
    def _compute_push_url(self):
        # sudo: the server's public address, which the form shows anyway
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for source in self:
            source.push_url = (
                f"{base}/social_incidents_monitoring/push/{source.id}" if source.id else False
            )

    def _compute_push_stats(self):
        since = clock.now() - timedelta(hours=24)
        Count = self.env["social.monitoring.push.count"]
        # sudo: the counters of the systems being read; their fields are the administrators'
        groups = Count.sudo()._read_group(
            [("source_id", "in", self.ids), ("minute", ">=", since)],
            ["source_id", "kind"],
            ["count:sum"],
        )
        totals = {(source.id, kind): total for source, kind, total in groups}
        last = dict(
            Count.sudo()._read_group(
                [("source_id", "in", self.ids), ("kind", "=", "request")],
                ["source_id"],
                ["write_date:max"],
            )
        )
        for source in self:
            get = lambda kind, s=source: totals.get((s.id, kind), 0)  # noqa: E731
            source.push_last_at = last.get(source, False)
            source.push_request_count = get("request")
            source.push_created_count = get("created")
            source.push_duplicate_count = get("duplicate")
            source.push_error_count = get("error")
            source.push_refused_token_count = get("token")
            source.push_refused_rate_count = get("rate")

    @api.constrains("push_field_paths")
    def _check_push_field_paths(self):
        for source in self:
            try:
                parse_field_paths(source.push_field_paths)
            except PayloadError as error:
                raise ValidationError(self.env._(error.message)) from error

    @api.constrains("push_max_messages", "push_rate_limit", "push_max_body_mb")
    def _check_push_limits(self):
        for source in self:
            for value, limit, label in (
                (source.push_max_messages, HARD_MAX_MESSAGES, self.env._("Messages per Request")),
                (source.push_rate_limit, HARD_MAX_RATE, self.env._("Requests per Minute")),
                (source.push_max_body_mb, HARD_MAX_BODY_MB, self.env._("Request Size (MB)")),
            ):
                if not 0 < value <= limit:
                    raise ValidationError(
                        self.env._("%(field)s: from 1 to %(limit)s.", field=label, limit=limit)
                    )

    @api.model_create_multi
    def create(self, vals_list):
        if any("push_token" in vals for vals in vals_list):
            raise UserError(self.env._("The push token is issued by the server only."))
        sources = super().create(vals_list)
        sources._push_issue_token()
        return sources

    def write(self, vals):
        if "push_token" in vals:
            raise UserError(self.env._("The push token is issued by the server only."))
        return super().write(vals)

    def init(self):
        # the systems kept before the push endpoint get their token
        self.env.cr.execute(
            """
            UPDATE social_monitoring_source
               SET push_token = replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
             WHERE push_token IS NULL
            """
        )

    def _push_issue_token(self):
        """Give the systems a new unguessable token: 64 hex digits of two random
        UUIDs (244 random bits), made by PostgreSQL, so that it never passes
        through a query's text and not even the SQL debug log shows it."""
        self.flush_recordset()
        self.env.cr.execute(
            """
            UPDATE social_monitoring_source
               SET push_token = replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
             WHERE id IN %s
            """,
            [tuple(self.ids)],
        )
        self.invalidate_recordset(["push_token"])

    def action_new_push_token(self):
        """A new token (the old one leaked): the old one is refused at once;
        give the new one to the system."""
        if not self.env.user.has_group(ADMIN_GROUP):
            raise AccessError(
                self.env._("Only an administrator of the incidents issues a push token.")
            )
        for source in self:
            source._push_issue_token()
            # the token itself is never in the chatter
            source.message_post(
                body=self.env._("A new push token was issued: the previous one is refused."),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # The endpoint's work (called by the controller, never over RPC)
    # ------------------------------------------------------------------
    @api.model
    def _push_read_committed(self):
        """READ COMMITTED before the push writes: a concurrent delivery's committed
        incident is then seen after its lock is taken."""
        read_committed(self.env.cr)

    @api.model
    def _push_commit_counter(self):
        """Commit the request counter at once (the rate limit of concurrent
        requests reads it), then read committed again for the registration."""
        cr = self.env.cr
        if isinstance(cr, TestCursor):
            return
        cr.commit()  # pylint: disable=invalid-commit  # the rate counter, shared by the workers
        cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")

    @api.model
    def _push_source(self, source_id):
        """The source ``source_id`` as a dict (token and limits), or None."""
        if not 0 < source_id < 2**31:
            return None  # not an id PostgreSQL can even compare
        self.env.cr.execute(
            """
            SELECT id, company_id, push_enabled AND active AS enabled, push_token,
                   push_field_paths, push_max_messages, push_rate_limit, push_max_body_mb
              FROM social_monitoring_source
             WHERE id = %s
            """,
            (source_id,),
        )
        return self.env.cr.dictfetchone()

    def _push_register(self, messages):
        """Register the messages (dicts of strings by our field names) as
        incidents of this system, each whole or not at all; return one result
        per message: {"index", "status": created|duplicate|error, "incident"
        or "error"}. Concurrent deliveries of the same messages wait for each
        other on a lock per message, so one registers and the others find it."""
        self.ensure_one()
        company = self.company_id
        Incident = in_company_lang(
            self.env["social.incident"].with_context(
                lang=False, active_test=False, mail_create_nosubscribe=True
            ),
            company,
        ).with_company(company)
        env = Incident.env
        prepared = [self._push_prepare(env, message) for message in messages]
        self._push_lock(Incident, prepared)
        results = [{"index": index} for index in range(len(prepared))]
        fresh = []
        for result, (vals, error) in zip(results, prepared, strict=True):
            if error:
                result.update(status="error", error=error)
                continue
            existing = self._push_find_duplicate(Incident, vals)
            if existing:
                result.update(status="duplicate", incident=existing.name)
            else:
                fresh.append((result, vals))
        # the new ones in one creation (far faster); when one fails, each on its own
        if fresh and not self._push_create_all(Incident, fresh):
            for result, vals in fresh:
                result.update(self._push_register_one(Incident, vals))
        counts = {"created": 0, "duplicate": 0, "error": 0}
        for result in results:
            counts[result["status"]] += 1
        self.env["social.monitoring.push.count"]._add(self.id, counts)
        return results

    def _push_prepare(self, env, message):
        """(values of the incident, None) or (None, the reason in the company's language)."""
        text = message.get("text")
        if not text:
            return None, env._("The message has no text.")
        url, external_id = message.get("url"), message.get("id")
        if not url and not external_id:
            return None, env._(
                "The message has neither a link nor an id: a re-delivery could not be recognised."
            )
        if not external_id and not links.normalize_link(url):
            return None, env._(
                "The link “%(url)s” names no message and there is no id: a re-delivery could "
                "not be recognised.",
                url=url,
            )
        network = self._push_network(message)
        if network not in dict(NETWORKS):
            return None, env._(
                "Unknown network “%(network)s”: expected one of %(known)s.",
                network=message.get("network"),
                known=", ".join(key for key, _label in NETWORKS),
            )
        vals = {
            "network": network,
            "text": text,
            "source": "monitoring",
            "monitoring_source_id": self.id,
            "company_id": self.company_id.id,
            "curator_id": self._curator_of(self).id,
        }
        if url:
            vals["url"] = url
        # a message link the core reads carries the network's own id (create() fills it):
        # the system's id may be its own, and the same message from the network's
        # connector must be found the same
        if external_id and not links.parse_link(url):
            vals["external_id"] = external_id
        now = clock.now()
        for field in ("published_at", "detected_at"):
            if message.get(field):
                moment = parse_time(message[field])
                if moment is None:
                    return None, env._(
                        "%(field)s “%(value)s” is not a date and time in ISO 8601, such as "
                        "2026-11-30T10:15:00+03:00.",
                        field=field,
                        value=message[field],
                    )
                if moment > now + CLOCK_SKEW:
                    return None, env._(
                        "%(field)s “%(value)s” is in the future.",
                        field=field,
                        value=message[field],
                    )
                vals[field] = moment
        vals.setdefault("detected_at", now)
        vals.update(self._push_topic_location(env, message))
        author = {
            key: message.get(f"author_{key}")
            for key in ("id", "name", "url")
            if message.get(f"author_{key}")
        }
        if author:
            vals["_author"] = author
        return vals, None

    @api.model
    def _push_network(self, message):
        """The message's network: given, else read from its link's host, else "other"."""
        network = (message.get("network") or "").lower()
        read = links.parse_link(message.get("url"))
        if not network and read:
            network = read.network
        if not network and message.get("url"):
            try:
                host = (urlsplit(message["url"]).hostname or "").lower()
            except ValueError:
                host = ""
            network = _NETWORK_HOSTS.get(host.removeprefix("www.").removeprefix("m."), "")
        return network or "other"

    def _push_topic_location(self, env, message):
        """The topic and the location named in the message, when they are known
        (by name); an unknown one is left for the curator."""
        vals = {}

        def exactly(name):  # =ilike without wildcards: the name as given, any case
            return name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

        if message.get("topic"):
            topic = env["social.incident.topic"].search(
                [
                    "|",
                    ("name", "=ilike", exactly(message["topic"])),
                    ("complete_name", "=ilike", exactly(message["topic"])),
                ],
                limit=1,
            )
            if topic:
                vals["topic_ids"] = [(6, 0, topic.ids)]
        if message.get("location"):
            location = env["social.incident.location"].search(
                [
                    "|",
                    ("name", "=ilike", exactly(message["location"])),
                    ("complete_name", "=ilike", exactly(message["location"])),
                    ("company_id", "in", [self.company_id.id, False]),
                ],
                limit=1,
            )
            if location:
                vals["location_id"] = location.id
        return vals

    def _push_lock(self, Incident, prepared):
        """Take the core's transaction lock per message (its id, its link) and
        one per author, all at once and in one order, so concurrent deliveries
        never deadlock: the second waits for the first to commit, then (READ
        COMMITTED) finds its incident."""
        vals_list = [self._push_clean(vals) for vals, _error in prepared if vals]
        if not vals_list:
            return
        Incident._lock_dedupe_keys(Incident._dedupe_keys(vals_list))
        company = self.company_id.id
        for author_key in sorted(
            {
                f"social.author:{company}:{vals['network']}:{vals['_author']['id']}"
                for vals, _error in prepared
                if vals and vals.get("_author", {}).get("id")
            }
        ):
            self.env.cr.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [author_key]
            )

    @staticmethod
    def _push_clean(vals):
        return {key: value for key, value in vals.items() if not key.startswith("_")}

    def _push_find_duplicate(self, Incident, vals):
        """The incident of the company that already holds this message, or an
        empty recordset."""
        return Incident._find_duplicates([self._push_clean(vals)])[0]

    def _push_author(self, Incident, vals):
        author = vals.pop("_author", None)
        if not author:
            return
        Author = Incident.env["social.author"]
        company = self.company_id
        found = Author
        if author.get("id"):
            found = Author.search(
                [
                    ("company_id", "=", company.id),
                    ("network", "=", vals["network"]),
                    ("external_id", "=", author["id"]),
                ],
                limit=1,
            )
        elif author.get("url"):
            found = Author.search(
                [("company_id", "=", company.id), ("profile_url", "=", author["url"])], limit=1
            )
        if not found:
            found = Author.create(
                {
                    "name": author.get("name") or author.get("id") or author.get("url"),
                    "network": vals["network"],
                    "external_id": author.get("id") or False,
                    "profile_url": author.get("url") or False,
                    "company_id": company.id,
                }
            )
        vals["author_id"] = found.id

    def _push_create_all(self, Incident, fresh):
        """Create the incidents of ``fresh`` [(result, vals)] at once and fill
        their results; False (nothing written) when one of them fails."""
        try:
            with self.env.cr.savepoint():
                vals_list = [dict(vals) for _result, vals in fresh]
                for vals in vals_list:
                    self._push_author(Incident, vals)
                # the monitoring system is the intake's to record, after the token was checked
                with guard.system_write():
                    incidents = Incident.create(vals_list)
        except (UserError, ValidationError, psycopg2.IntegrityError):
            return False
        for (result, _vals), incident in zip(fresh, incidents, strict=True):
            result.update(status="created", incident=incident.name)
        return True

    def _push_register_one(self, Incident, vals):
        vals = dict(vals)
        existing = self._push_find_duplicate(Incident, vals)
        if existing:
            return {"status": "duplicate", "incident": existing.name}
        try:
            with self.env.cr.savepoint():
                self._push_author(Incident, vals)
                # the monitoring system is the intake's to record, after the token was checked
                with guard.system_write():
                    incident = Incident.create([vals])
        except (UserError, ValidationError, psycopg2.IntegrityError) as error:
            # a unique index met (a delivery the locks did not cover): the holder, if any
            existing = self._push_find_duplicate(Incident, vals)
            if existing:
                return {"status": "duplicate", "incident": existing.name}
            if isinstance(error, psycopg2.IntegrityError):
                return {
                    "status": "error",
                    "error": Incident.env._("The message could not be stored."),
                }
            return {"status": "error", "error": error.args[0] if error.args else str(error)}
        return {"status": "created", "incident": incident.name}
