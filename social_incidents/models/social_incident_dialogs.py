from odoo import models
from odoo.exceptions import UserError

from .helpers import act_window


class SocialIncident(models.Model):
    """The form's buttons that open dialogs and views: each runs the check of
    the transition it leads to, and writes nothing."""

    _inherit = "social.incident"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    # ------------------------------------------------------------------
    # Buttons that open dialogs and views (they write nothing)
    # ------------------------------------------------------------------
    def _open_wizard(self, step, **defaults):
        self.ensure_one()
        context = {
            "default_step": step,
            "default_incident_id": self.id,
            **{f"default_{key}": value for key, value in defaults.items()},
        }
        name = dict(
            self.env["social.incident.step.wizard"]._fields["step"]._description_selection(self.env)
        )[step]
        return act_window(
            "social.incident.step.wizard", res_id=False, name=name, target="new", context=context
        )

    def action_open_route_wizard(self):
        self.ensure_one()
        self._check_route()
        return act_window(
            "social.incident.route.wizard",
            res_id=False,
            name=self.env._("Route the Incident"),
            target="new",
            context={"default_incident_id": self.id},
        )

    def action_open_no_reply_wizard(self):
        self._check_no_reply()
        return self._open_wizard("no_reply")

    def action_open_merge_wizard(self):
        self._check_merge()
        return self._open_wizard("merge")

    def action_open_clarification_wizard(self):
        self._check_record_clarification()
        return self._open_wizard("clarification_answer")

    def action_open_control_wizard(self):
        self._check_set_control()
        return self._open_wizard("control_set")

    def action_open_control_report_wizard(self):
        self._check_report_control()
        return self._open_wizard("control_report")

    def action_open_decline_wizard(self):
        self._check_decline()
        return self._open_wizard("decline", assignment_id=self._get_user_assignment().id)

    def action_open_info_wizard(self):
        self._check_give_info()
        return self._open_wizard("info", assignment_id=self._get_user_assignment().id)

    def action_open_return_wizard(self):
        self.ensure_one()
        self._check_review()
        return self._open_wizard("return", reply_id=self.current_reply_id.id)

    def action_open_publish_wizard(self):
        self.ensure_one()
        self._check_publish()
        return self.current_reply_id.action_open_publish_wizard()

    def action_accept(self):
        self._check_accept()
        for incident in self:
            incident._get_user_assignment().action_accept()
        return True

    def action_approve_reply(self):
        self.ensure_one()
        self._check_review()
        return self.current_reply_id.action_approve()

    def action_submit_reply(self):
        self.ensure_one()
        if not self.current_reply_id:
            raise UserError(self.env._("There is no draft to submit."))
        return self.current_reply_id.action_submit()

    def action_new_reply(self):
        """Open a new draft reply; an intermediate or clarification kind can be
        chosen in it."""
        self.ensure_one()
        self._check_draft()
        kind = "final"
        if self.env.context.get("reply_kind") in ("final", "intermediate", "clarification"):
            kind = self.env.context["reply_kind"]
        return act_window(
            "social.incident.reply",
            res_id=False,
            name=self.env._("Draft Reply"),
            context={"default_incident_id": self.id, "default_kind": kind},
        )

    def _action_open_form(self):
        """The act_window that opens this incident's form."""
        self.ensure_one()
        return act_window("social.incident", res_id=self.id)

    def action_open_current_reply(self):
        self.ensure_one()
        return act_window("social.incident.reply", res_id=self.current_reply_id.id)

    def action_view_repeat_of(self):
        self.ensure_one()
        return act_window("social.incident", res_id=self.repeat_of_id.id)

    def action_view_violations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "social_incidents.social_sla_violation_action"
        )
        action["domain"] = [("incident_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_author_history(self):
        """The author's history: all their messages, our replies and the
        outcomes, in time order (``social.author.history_html``)."""
        self.ensure_one()
        return act_window(
            "social.author",
            res_id=self.author_id.id,
            name=self.env._("History of %s", self.author_id.display_name),
            views=[(self.env.ref("social_incidents.social_author_view_form_history").id, "form")],
        )

    def _history_parent_comments(self):
        """{incident id: (who, text)}: the comment each of these messages
        answers, for the author's history; the connectors that know threads
        fill it."""
        return {}
