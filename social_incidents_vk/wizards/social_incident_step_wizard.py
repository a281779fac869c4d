from odoo import api, fields, models


class SocialIncidentStepWizard(models.TransientModel):
    """Publishing by hand (OK, or a VK or Telegram page without the connector):
    the text and the link to the citizen's message, ready to copy, with what
    the company's regulation says about where to post it."""

    _inherit = "social.incident.step.wizard"

    incident_url = fields.Char(related="incident_id.url", string="Message Link")
    incident_network = fields.Selection(related="incident_id.network")
    publish_instruction = fields.Char(
        string="Where to Post", compute="_compute_publish_instruction"
    )

    @api.depends("incident_id.company_id.social_sla_preset")
    def _compute_publish_instruction(self):
        """Cite the regulation the company works under (Settings: Deadline
        Regulation): only Lyambir allows posting in one's own account with a
        link to the author (LYA 11); Korenovsk and Bataysk post in the network
        of the message (KOR 16, BAT 10); Akhtubinsk says nothing of it."""
        _ = self.env._
        for wizard in self:
            preset = wizard.incident_id.company_id.social_sla_preset
            if preset == "lya":
                text = _(
                    "Post this text under the citizen's message (open it with the link), or, where "
                    "a comment cannot be posted, in your own account with a link to the author "
                    "(LYA 11). Then paste the link of your reply here."
                )
            elif preset == "kor":
                text = _(
                    "Post this text under the citizen's message (open it with the link), in the "
                    "network where it was posted (KOR 16). Then paste the link of your reply here."
                )
            elif preset == "bat":
                text = _(
                    "Post this text under the citizen's message (open it with the link), in the "
                    "network where it was posted (BAT 10). Then paste the link of your reply here."
                )
            else:
                text = _(
                    "Post this text under the citizen's message (open it with the link). Then "
                    "paste the link of your reply here."
                )
            wizard.publish_instruction = text
