from odoo import Command, api, fields, models


class SocialIncidentRouteWizard(models.TransientModel):
    """Route an incident to one executor, or to several for a consolidated reply."""

    _name = "social.incident.route.wizard"
    _description = "Route an Incident"

    incident_id = fields.Many2one("social.incident", required=True, readonly=True)
    current_executor_ids = fields.Many2many(
        "social.executor",
        "social_route_wizard_current_rel",
        string="Already Routed To",
        compute="_compute_current_executor_ids",
    )
    executor_ids = fields.Many2many(
        "social.executor",
        "social_route_wizard_executor_rel",
        string="Executors",
        domain="[('id', 'not in', current_executor_ids), ('company_id', '=', company_id)]",
    )
    lead_executor_id = fields.Many2one(
        "social.executor",
        help="With several executors: who writes the consolidated reply (KOR 19).",
    )
    lead_choice_ids = fields.Many2many(
        "social.executor",
        "social_route_wizard_lead_rel",
        compute="_compute_lead_choice_ids",
    )
    needs_lead = fields.Boolean(compute="_compute_lead_choice_ids")
    note = fields.Text(string="Note for the Executors")
    company_id = fields.Many2one(related="incident_id.company_id")
    # Suggestions (computed once, when the dialog opens)
    suggestion_ids = fields.One2many(
        "social.incident.route.suggestion", "wizard_id", string="Suggestions"
    )
    topic_ids = fields.Many2many(
        "social.incident.topic",
        "social_route_wizard_topic_rel",
        string="Topics to Add",
        help="Added to the incident's topics when it is routed.",
    )

    @api.model
    def default_get(self, fields_list):
        result = super().default_get(fields_list)
        incident = self.env["social.incident"].browse(result.get("incident_id"))
        if "suggestion_ids" in fields_list and incident:
            result["suggestion_ids"] = [
                Command.create(vals) for vals in self._suggestion_values(incident)
            ]
        return result

    @api.model
    def _suggestion_values(self, incident):
        """The suggestion lines of ``incident``'s dialog: for a curator who may route it."""
        incident.check_access("read")
        if not incident._allowed("_check_route"):
            return []
        suggestions = incident._triage_suggestions()
        return [
            {
                "kind": kind,
                f"{kind}_id": record.id,
                "name": record.display_name,
                "score": score,
                "reason": reason,
            }
            for kind in ("executor", "topic")
            for record, score, reason in suggestions[kind + "s"]
        ]

    @api.depends("incident_id")
    def _compute_current_executor_ids(self):
        for wizard in self:
            wizard.current_executor_ids = wizard.incident_id.executor_ids

    @api.depends("executor_ids", "current_executor_ids")
    def _compute_lead_choice_ids(self):
        for wizard in self:
            choices = wizard.executor_ids | wizard.current_executor_ids
            wizard.lead_choice_ids = choices
            wizard.needs_lead = len(choices) > 1

    @api.onchange("executor_ids")
    def _onchange_executor_ids(self):
        choices = self.executor_ids | self.current_executor_ids
        if self.lead_executor_id not in choices:
            self.lead_executor_id = self.incident_id.lead_executor_id or (
                choices[:1] if len(choices) > 1 else False
            )

    @api.onchange("suggestion_ids")
    def _onchange_suggestion_ids(self):
        """A chosen suggestion is added to the dialog's executors or topics; one unchosen
        again is taken out."""
        executors = self.suggestion_ids.filtered(lambda s: s.kind == "executor")
        topics = self.suggestion_ids.filtered(lambda s: s.kind == "topic")
        self.executor_ids = (
            self.executor_ids - executors.filtered(lambda s: not s.chosen).executor_id
            | executors.filtered("chosen").executor_id
        ) - self.current_executor_ids
        self.topic_ids = (
            self.topic_ids - topics.filtered(lambda s: not s.chosen).topic_id
            | topics.filtered("chosen").topic_id
        )
        self._onchange_executor_ids()

    def action_confirm(self):
        self.ensure_one()
        lead = self.lead_executor_id if self.needs_lead else self.executor_ids[:1]
        incident = self.incident_id
        new_topics = self.topic_ids - incident.topic_ids
        if new_topics:
            incident._check_route()
            incident.write({"topic_ids": [Command.link(topic.id) for topic in new_topics]})
        incident.action_route(self.executor_ids, lead=lead or None, note=self.note)
        return {"type": "ir.actions.act_window_close"}
