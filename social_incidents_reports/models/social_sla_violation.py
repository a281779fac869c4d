from odoo import api, models


class SocialSlaViolation(models.Model):
    _inherit = "social.sla.violation"

    @api.model
    def _demo_excuse_one(self, comment):
        """Demo: the head excuses the first missed deadline of last month's
        history, so the disciplinary report shows an excused delay."""
        violation = self.search(
            [("incident_id.external_id", "=like", "demo-history-%"), ("excused", "=", False)],
            order="deadline desc",
            limit=1,
        )
        head = self.env.ref("social_incidents.user_demo_head")
        violation.with_user(head).action_excuse(comment)
        return True
