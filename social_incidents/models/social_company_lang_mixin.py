from odoo import api, models

from .helpers import in_company_lang


class SocialCompanyLangMixin(models.AbstractModel):
    """Records created where no user's language is at hand (a job, a webhook,
    the install's data) write their history (the "created" note, tracked
    values, activities) in the language of the company's users."""

    _name = "social.company.lang.mixin"
    _description = "History in the Company's Language"

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("lang") or not vals_list:
            return super().create(vals_list)
        company = self.env["res.company"].browse(vals_list[0].get("company_id")) or self.env.company
        records = super(SocialCompanyLangMixin, in_company_lang(self, company)).create(vals_list)
        return records.with_env(self.env)

    @api.model
    def _load_translations(self, module):
        """Load the translations of ``module`` while it is being installed:
        Odoo loads them only after the module's data and demo, and what the
        install writes (the production calendar's notes, the demo's history)
        uses the labels of its models, steps and activity types."""
        langs = [code for code, _name in self.env["res.lang"].get_installed() if code != "en_US"]
        if langs:
            self.env["ir.module.module"]._load_module_terms([module], langs)
        return True
