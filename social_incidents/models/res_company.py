from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import guard
from ..tools.sla_presets import PRESETS
from .social_sla_policy import recompute_deferred, recompute_is_deferred

SLA_PRESETS = [
    ("kor", "Korenovsk (working time, 8 h; 4 h for high importance)"),
    ("lya", "Lyambir (plain hours; the curator publishes)"),
    ("bat", "Bataysk (24 h from detection)"),
    ("akh", "Akhtubinsk (2 working h for information)"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    social_reply_publisher = fields.Selection(
        [("executor", "Executor"), ("curator", "Curator")],
        string="Approved Replies Are Published By",
        default="executor",
        required=True,
        help="KOR 16 and BAT 10: the executor publishes the approved reply; "
        "LYA 6: the curator does.",
    )
    social_curator_id = fields.Many2one(
        "res.users",
        string="Default Curator",
        help="Curator in charge of incidents that arrive without one "
        "(from monitoring software or a connector).",
    )
    social_head_user_id = fields.Many2one(
        "res.users",
        string="Head of the Municipality",
        help="Told at once of high-importance incidents (LYA 13, BAT 13) and of the "
        "missed deadlines of high-importance incidents.",
    )
    social_sla_preset = fields.Selection(
        SLA_PRESETS,
        string="Deadline Regulation",
        help="The deadlines of this regulation are copied into the company's policies, "
        "which can then be edited.",
    )
    social_sla_policy_ids = fields.One2many(
        "social.sla.policy", "company_id", string="Deadline Policies"
    )
    social_curators_may_excuse = fields.Boolean(
        string="Curators May Excuse Missed Deadlines",
        help="Besides the head, curators may excuse a missed deadline, never one of their own.",
    )
    # Repeated messages (LYA 10, AKH 3.6, BAT 11)
    social_repeat_days = fields.Integer(
        string="Repeat Period (Days)",
        default=30,
        help="An earlier incident of the same author, or with a similar text on the same "
        "location or topic, detected within this many days is proposed as the one a new "
        "incident repeats.",
    )
    social_repeat_similarity = fields.Float(
        string="Repeat Text Similarity",
        default=0.25,
        digits=(3, 2),
        help="From 0 to 1: how alike two texts must be (trigram similarity) to propose the "
        "earlier one as repeated.",
    )

    @api.constrains("social_repeat_days", "social_repeat_similarity")
    def _check_social_repeat_settings(self):
        for company in self:
            if company.social_repeat_days < 1 or company.social_repeat_days > 3650:
                raise ValidationError(self.env._("The repeat period is from 1 to 3650 days."))
            if not 0.05 <= company.social_repeat_similarity <= 1:
                raise ValidationError(self.env._("The repeat text similarity is from 0.05 to 1."))

    # Bursts of social activity (LYA 13, BAT 13)
    social_burst_threshold = fields.Integer(
        string="Incidents in a Burst",
        default=5,
        help="So many incidents on one topic or at one location within the period make a "
        "burst of social activity, reported to the head at once (LYA 13, BAT 13).",
    )
    social_burst_window_hours = fields.Integer(
        string="Burst Period (Hours)",
        default=3,
        help="The incidents of a burst are detected within so many hours.",
    )
    social_burst_quiet_hours = fields.Integer(
        string="Burst Ends After (Hours)",
        default=3,
        help="A burst ends when no incident on its topic or location was detected for so "
        "many hours; a later wave opens a new burst.",
    )

    @api.constrains(
        "social_burst_threshold", "social_burst_window_hours", "social_burst_quiet_hours"
    )
    def _check_social_burst_settings(self):
        for company in self:
            if company.social_burst_threshold < 2:
                raise ValidationError(
                    self.env._("A burst of social activity takes at least two incidents.")
                )
            if company.social_burst_window_hours < 1 or company.social_burst_quiet_hours < 1:
                raise ValidationError(
                    self.env._(
                        "The period of a burst and the quiet time that ends it are at least "
                        "one hour."
                    )
                )

    def _get_social_heads(self):
        """The head of the municipality: the company's setting, or the users of
        the head group in the company."""
        self.ensure_one()
        if self.social_head_user_id.active:
            return self.social_head_user_id
        group = self.env.ref("social_incidents.group_social_head")
        return group.sudo().users.filtered(
            lambda u: u.active and not u.share and self in u.company_ids
        )

    def _social_lang(self):
        """The language the server writes in for this company's users when no
        user's language is at hand (jobs, webhooks, the install): the default
        curator's, else the head's, else the company's own; English last."""
        company = self[:1] or self.env.company
        installed = {code for code, _name in self.env["res.lang"].get_installed()} | {"en_US"}
        candidates = (
            company.social_curator_id.lang,
            company.social_head_user_id.lang,
            company.partner_id.lang,
        )
        return next((lang for lang in candidates if lang in installed), "en_US")

    def write(self, vals):
        result = super().write(vals)
        if vals.get("social_sla_preset") and not recompute_is_deferred():
            self._apply_social_sla_preset(vals["social_sla_preset"])
        return result

    def _apply_social_sla_preset(self, preset):
        """Copy the preset's deadlines into the companies' policies (one per
        importance), then recompute the open deadlines."""
        definition = PRESETS[preset]
        Policy = self.env["social.sla.policy"].sudo().with_context(active_test=False)
        labels = dict(self._fields["social_sla_preset"]._description_selection(self.env))
        importance = dict(Policy._fields["importance"]._description_selection(self.env))
        with recompute_deferred():
            self._write_social_sla_preset(preset, definition, Policy, labels, importance)
        policies = Policy.search([("company_id", "in", self.ids)])
        with guard.system_write():
            policies._recompute_after_lines_change()
        return True

    def _write_social_sla_preset(self, preset, definition, Policy, labels, importance):
        for company in self:
            vals = {"social_sla_preset": preset}
            if definition["publisher"]:
                vals["social_reply_publisher"] = definition["publisher"]
            # sudo: the preset is applied after res.company.write() passed its ACL (settings
            # administrators)
            company.sudo().write(vals)
            for level, lines in definition["lines"].items():
                policy = Policy.search(
                    [("company_id", "=", company.id), ("importance", "=", level)], limit=1
                )
                values = {
                    "name": "%s — %s" % (labels[preset].split(" (")[0], importance[level]),
                    "active": True,
                    "pause_on_clarification": definition["pause_on_clarification"],
                }
                if not policy:
                    policy = Policy.create(
                        dict(
                            values,
                            company_id=company.id,
                            importance=level,
                            calendar_id=(
                                company.resource_calendar_id
                                or self.env.ref("resource.resource_calendar_std")
                            ).id,
                        )
                    )
                else:
                    values["calendar_id"] = (company.resource_calendar_id or policy.calendar_id).id
                    policy.write(values)
                policy.line_ids.unlink()
                policy.line_ids = [
                    (0, 0, {"step": step, "duration": duration, "unit": unit, "anchor": anchor})
                    for step, duration, unit, anchor in lines
                ]

    @api.model
    def _social_apply_default_preset(self):
        """At installation: every company without a regulation gets the
        Korenovsk deadlines (the most detailed); Settings switch it."""
        companies = self.sudo().search([("social_sla_preset", "=", False)])
        if companies:
            companies._apply_social_sla_preset("kor")
        return True
