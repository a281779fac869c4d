from odoo import api, fields, models


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

    def action_confirm(self):
        self.ensure_one()
        lead = self.lead_executor_id if self.needs_lead else self.executor_ids[:1]
        self.incident_id.action_route(self.executor_ids, lead=lead or None, note=self.note)
        return {"type": "ir.actions.act_window_close"}
