import logging

from odoo import api, models, modules
from odoo.exceptions import UserError

from odoo.addons.social_incidents.models.helpers import in_company_lang, scheduled_job
from odoo.addons.social_incidents.tools import clock

from ..clients.base import ApiError
from ..clients.vk import VkError
from .social_account import _is_auth, error_message

_logger = logging.getLogger(__name__)


class SocialAccount(models.Model):
    """The polling of a page's comments: each page on its own."""

    _inherit = "social.account"

    # ------------------------------------------------------------------
    # Polling
    # ------------------------------------------------------------------
    @api.model
    @scheduled_job
    def _cron_poll(self):
        """Back-fill what the webhook missed: comments on the recent posts of
        each connected VK community and the recent topics of each OK group.
        Each page on its own: its failure (no token, VK refusing, anything)
        is recorded on that page and the job goes on with the next one, and
        does not fail itself; outside tests each page is committed at once."""
        # sudo: the scheduled job (private: not callable over RPC) polls every connected page
        accounts = self.sudo().search(self._poll_domain())
        auto_commit = not modules.module.current_test
        for account in accounts:
            # the job has no user's language: what it writes is in the company's
            in_company_lang(account)._poll_once()
            if auto_commit:
                # pylint: disable-next=invalid-commit  # a cron's batch: each page's poll is kept
                self.env.cr.commit()
        return True

    @api.model
    def _poll_domain(self):
        """The pages the polling job reads."""
        return [("connector_enabled", "=", True), ("network", "in", ("vk", "ok"))]

    def _poll_network(self):
        """Poll this page's network; return the incidents registered."""
        return self._poll_vk() if self.network == "vk" else self._poll_ok()

    def _poll_once(self):
        """Poll this page in a savepoint; return (new incidents, error message
        or None). Any failure is rolled back and recorded on the page."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                created = self._poll_network()
        except Exception as error:  # noqa: BLE001 - one page never stops the others
            return self.env["social.incident"], self._poll_failed(error)
        now = clock.now()
        self._write_health({"last_poll_at": now, "last_success_at": now})
        if self.network == "vk":
            self._poll_author_names()
        return created, None

    def _poll_failed(self, error):
        """Record a failed polling on the page; return the message shown."""
        if not isinstance(error, ApiError | UserError):
            # not the network's answer nor a setting: a fault, with its traceback for the developers
            _logger.exception("Polling of page %s failed unexpectedly", self.id)
            error = ValueError(
                self.env._(
                    "Polling failed unexpectedly (%(type)s: %(message)s); the details are in the "
                    "server log. The next polling tries again.",
                    type=type(error).__name__,
                    message=str(error)[:200],
                )
            )
        # a missing token or community id is for an administrator to set
        alert = _is_auth(error) or isinstance(error, UserError)
        with self.env.cr.savepoint():
            self._connector_error("poll", error, alert=alert)
        return error_message(self.env, error)

    def _poll_author_names(self):
        """Read the authors' names VK did not give when their comments came
        (it was unreachable then), as the error message promised."""
        try:
            with self.env.cr.savepoint():
                self.env["social.inbound.event"]._vk_retry_author_names(self)
        except (VkError, UserError) as error:
            with self.env.cr.savepoint():
                self._connector_error("poll", error)

    def _poll_vk(self):
        # wall.get and wall.getComments take a service or a user token, not the community's
        self.ensure_one()
        client = self._vk_client("service" if self.sudo().vk_service_token else "user")
        owner_id = self._vk_owner_id()
        posts = client.wall_get(owner_id, count=self.sudo().poll_post_count or 10).get("items", [])
        comments = []
        for post in posts:
            page = client.wall_get_comments(owner_id, post["id"], count=100, sort="desc")
            for comment in page.get("items", []):
                comments.append(dict(comment, post_id=post["id"], owner_id=owner_id))
                for reply in (comment.get("thread") or {}).get("items", []):
                    # a reply in the thread answers its root when VK names no other
                    comments.append(
                        dict(
                            reply,
                            post_id=post["id"],
                            owner_id=owner_id,
                            parents_stack=reply.get("parents_stack") or [comment["id"]],
                        )
                    )
        return self.env["social.inbound.event"]._vk_comments_to_incidents(self, comments)

    def _poll_ok(self):
        self.ensure_one()
        client = self._ok_client()
        comments = []
        for topic in client.group_topics(self.ok_group_id, count=self.sudo().poll_post_count or 10):
            for comment in client.topic_comments(topic["id"], count=100):
                comments.append(dict(comment, topic_id=topic["id"]))
        return self.env["social.inbound.event"]._ok_comments_to_incidents(self, comments)

    def action_poll_now(self):
        """Poll the page now (Connector tab) and say what came in."""
        self.ensure_one()
        self._check_connector_admin()
        if not self.sudo().connector_enabled:
            raise UserError(self.env._("Connect the page first."))
        created, error = self.sudo()._poll_once()
        if error:
            message, kind = error, "danger"
        else:
            message, kind = self.env._("%s new incidents.", len(created)), "success"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Polling"),
                "message": message,
                "type": kind,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
