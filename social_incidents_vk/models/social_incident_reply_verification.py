"""Proof of publication: a reply the connector posted is read back from the
network a few minutes later and again the next day, by a scheduled job.

VK: ``wall.getComment`` with the reply's comment id says whether the reply is
visible, deleted (VK keeps its place with ``"deleted": true``) or unknown to
VK (error 100 or 104: the comment, or the post under it, is gone).

Telegram: the Bot API has no method that reads a message by its id; the only
ways to look at one (``forwardMessage``, ``copyMessage``) post a new message
somewhere, a side effect the check must not have. A reply posted in Telegram
is therefore recorded as "not verifiable", never as seen. OK replies are not
posted by the connector (no publisher), so they are published by hand.

A reply marked as published by hand is "not verified": nobody read it back.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models, modules

from odoo.addons.social_incidents.models.helpers import in_company_lang, scheduled_job
from odoo.addons.social_incidents.tools import clock
from odoo.addons.social_incidents.tools.guard import system_method, workflow_action

from ..clients.vk import VkError

_logger = logging.getLogger(__name__)

# When the reply is read back: soon after posting, then the next day.
FIRST_CHECK_DELAY = timedelta(minutes=10)
SECOND_CHECK_DELAY = timedelta(hours=24)
# A check VK could not answer (a passing failure) is tried again this much later.
CHECK_RETRY_DELAY = timedelta(minutes=30)
# VK's answer for a comment it does not know (the comment or its post is gone).
VK_NOT_FOUND_CODES = (100, 104)
GONE_STATES = ("deleted", "not_found")

VERIFY_STATES = [
    ("pending", "Awaiting Check"),
    ("visible", "Visible"),
    ("deleted", "Deleted"),
    ("not_found", "Not Found"),
    ("not_verifiable", "Not Verifiable"),
    ("not_verified", "Not Verified"),
]


class SocialIncidentReply(models.Model):
    _inherit = "social.incident.reply"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    verify_state = fields.Selection(
        VERIFY_STATES,
        string="Publication Check",
        readonly=True,
        copy=False,
        index=True,
        help="What the network showed when the server read the posted reply back: a few "
        "minutes after posting and again the next day. A reply marked as published by hand "
        "is not verified.",
    )
    verify_first_at = fields.Datetime(string="First Check", readonly=True, copy=False)
    verify_second_at = fields.Datetime(string="Next-Day Check", readonly=True, copy=False)
    verify_next_at = fields.Datetime(string="Next Check", readonly=True, copy=False, index=True)

    @api.model
    def _get_protected_fields(self):
        return super()._get_protected_fields() | {
            "verify_state",
            "verify_first_at",
            "verify_second_at",
            "verify_next_at",
        }

    @api.private
    @workflow_action
    def action_mark_published(self, url, published_at=None, external_id=None):
        """A reply marked as published by hand is "not verified"; the
        connectors then plan the check of what they posted (below)."""
        result = super().action_mark_published(url, published_at, external_id)
        self._write_system({"verify_state": "not_verified", "verify_next_at": False})
        return result

    def _record_vk_post(self, result, owner_id, post_id, comment_id):
        recorded = super()._record_vk_post(result, owner_id, post_id, comment_id)
        self._plan_first_check()
        return recorded

    def _record_telegram_post(self, posted, group_id, thread_id):
        recorded = super()._record_telegram_post(posted, group_id, thread_id)
        self._plan_first_check()
        return recorded

    def _plan_first_check(self):
        """The connector posted the reply: read it back in a few minutes."""
        self.filtered(lambda r: r.state == "published")._write_system(
            {
                "verify_state": "pending",
                "verify_first_at": False,
                "verify_second_at": False,
                "verify_next_at": clock.now() + FIRST_CHECK_DELAY,
            }
        )

    @api.model
    def _verify_due_domain(self):
        return [
            ("state", "=", "published"),
            ("verify_next_at", "!=", False),
            ("verify_next_at", "<=", clock.now()),
        ]

    @api.model
    @scheduled_job
    @system_method
    def _cron_verify_publication(self, limit=100):
        """Read the due posted replies back (a bounded batch, oldest first),
        record what the network shows and when, and plan the next-day check.
        Each reply is checked at most twice: running the job again changes
        nothing until the next check is due. Returns how many were checked."""
        # sudo: the scheduled job (private, refused to all but the scheduler and administrators
        # by @scheduled_job) checks the posted replies of every company
        replies = self.sudo().search(self._verify_due_domain(), limit=limit, order="verify_next_at")
        auto_commit = not modules.module.current_test
        checked = 0
        for reply in replies:
            try:
                with self.env.cr.savepoint():
                    checked += bool(in_company_lang(reply)._verify_one())
            except Exception:  # noqa: BLE001 - the next run tries it again; the others go on
                _logger.exception("Reply %s: the publication check failed", reply.id)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit  # a cron's batch
        # sudo: the same job's count of what is still due
        remaining = self.sudo().search_count(self._verify_due_domain()) if replies else 0
        self.env["ir.cron"]._notify_progress(done=len(replies), remaining=remaining)
        return checked

    def _verify_one(self):
        """Check one reply; returns the state found, or None when the network
        could not answer (the check is tried again later)."""
        self.ensure_one()
        now = clock.now()
        found = self._read_back()
        if found is None:
            self._write_system({"verify_next_at": now + CHECK_RETRY_DELAY})
            return None
        previous = self.verify_state
        vals = {"verify_state": found}
        if not self.verify_first_at:
            vals["verify_first_at"] = now
            next_at = (self.published_at or now) + SECOND_CHECK_DELAY
            # nothing more to learn from a network that cannot be read
            vals["verify_next_at"] = max(next_at, now) if found != "not_verifiable" else False
        else:
            vals["verify_second_at"] = now
            vals["verify_next_at"] = False
        self._write_system(vals)
        if found in GONE_STATES and previous not in GONE_STATES:
            self._alert_reply_gone()
        return found

    def _read_back(self):
        """What the network shows of the posted reply: "visible", "deleted",
        "not_found", "not_verifiable", or None when it could not answer."""
        self.ensure_one()
        if self.incident_id.network != "vk":
            return "not_verifiable"
        # sudo: the page's administrators-only credentials, read by the job that checks its replies
        account = self.incident_id.account_id.sudo()
        if not account.connector_enabled:
            # a page switched off (or a neutralized copy) is not called: checked when back on
            return None
        token_type = "service" if account.vk_service_token else "user"
        if not (account.vk_service_token or account.vk_user_token) or not self.external_id:
            return "not_verifiable"
        owner_id = self.incident_id._vk_ids()[0]
        try:
            answer = account._vk_client(token_type).wall_get_comment(
                owner_id, int(self.external_id)
            )
        except VkError as error:
            if error.code in VK_NOT_FOUND_CODES:
                return "not_found"
            _logger.warning("Reply %s: VK did not answer the publication check: %s", self.id, error)
            return None
        items = answer.get("items") if isinstance(answer, dict) else None
        comment = next((c for c in items or () if str(c.get("id")) == str(self.external_id)), None)
        if comment is None:
            return "not_found"
        return "deleted" if comment.get("deleted") else "visible"

    def _alert_reply_gone(self):
        """The published reply is no longer in the network: the incident's
        curator and the page's responsible executor get an activity on the
        incident (one each), and the incident's chatter says so."""
        self.ensure_one()
        incident = self.incident_id
        # sudo: the page's responsible executor and its acting members, for the alert
        executor = incident.account_id.sudo().executor_id
        users = incident.sudo().curator_id | executor.responsible_user_ids
        if not executor.responsible_user_ids:
            users |= executor.head_user_id
        users = users.filtered(lambda u: u.active and not u.share)
        label = dict(self._fields["verify_state"]._description_selection(self.env))
        message = self.env._(
            "The published reply is no longer in the network (check result: %(state)s): post "
            "it again or find out who removed it.",
            state=label[self.verify_state].lower(),
        )
        incident._post("<p>%s</p><p>%s</p>", message, self.published_url or "")
        act_type = self.env.ref("social_incidents_vk.mail_act_social_reply_gone")
        # sudo: activities for the curator and the executor on the incident, by the job
        incident_su = incident.sudo()
        have = incident_su.activity_ids.filtered(lambda a: a.activity_type_id == act_type).user_id
        for user in users - have:
            incident_su.activity_schedule(
                act_type_xmlid="social_incidents_vk.mail_act_social_reply_gone",
                user_id=user.id,
                summary=self.env._("The published reply of %s disappeared", incident.name),
                note=message,
            )
