from collections import defaultdict

from odoo import api, fields, models

from ..tools import deferred_triage, guard

# What puts an incident in a burst: its topics, its location, when it was detected.
BURST_FIELDS = {"topic_ids", "location_id", "detected_at", "company_id"}


class SocialIncident(models.Model):
    """Bursts of social activity (LYA 13, BAT 13): every registration, and every later
    setting of a topic or a location (often at routing), counts the incident towards the
    burst of its topic or location, by its detection time."""

    _inherit = "social.incident"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    burst_ids = fields.Many2many(
        "social.incident.burst",
        "social_incident_burst_rel",
        "incident_id",
        "burst_id",
        string="Bursts of Activity",
        readonly=True,
        copy=False,
        groups="social_incidents.group_social_curator,social_incidents.group_social_head",
    )

    @api.model
    def _get_protected_fields(self):
        return super()._get_protected_fields() | {"burst_ids"}

    @api.model_create_multi
    def create(self, vals_list):
        incidents = super().create(vals_list)
        if not deferred_triage.active():  # else queued by the intake (a large import)
            incidents._check_bursts()
        return incidents

    def write(self, vals):
        result = super().write(vals)
        if BURST_FIELDS & set(vals):
            self._check_bursts()
        return result

    def _check_bursts(self):
        """Count these incidents towards the bursts of their topics and locations. The
        caller registered or changed them, which its rights allowed."""
        # sudo: bursts are the server's records; the caller only triggers the count
        incidents = self.sudo().filtered(
            lambda i: i.state != "merged" and (i.topic_ids or i.location_id)
        )
        if not incidents:
            return
        groups = defaultdict(lambda: self.env["social.incident"].sudo())
        for incident in incidents:
            for topic in incident.topic_ids:
                groups[(incident.company_id.id, "topic", topic.id)] |= incident
            if incident.location_id:
                groups[(incident.company_id.id, "location", incident.location_id.id)] |= incident
        Burst = self.env["social.incident.burst"].sudo()
        Company = self.env["res.company"].sudo()
        with guard.system_write():
            # topics first: a wave on one topic at one place is reported by its topic
            for company_id, kind, subject_id in sorted(
                groups, key=lambda key: (key[0], key[1] != "topic", key[2])
            ):
                Burst._count_incidents(
                    Company.browse(company_id),
                    kind,
                    subject_id,
                    groups[(company_id, kind, subject_id)],
                )

    def action_view_bursts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "social_incidents.social_incident_burst_action"
        )
        action["domain"] = [("incident_ids", "in", self.ids)]
        return action
