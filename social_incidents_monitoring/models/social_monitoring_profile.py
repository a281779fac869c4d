from odoo import api, fields, models

from ..tools.monitoring_file import normalize_header


class SocialMonitoringProfile(models.Model):
    """How the files of one monitoring system map onto incidents: which column
    holds the text, the link, the dates... Saved from the import wizard under a
    name and proposed again when a file with the same headers comes."""

    _name = "social.monitoring.profile"
    _description = "Monitoring Import Profile"
    _order = "source_id, write_date desc, id desc"

    name = fields.Char(required=True)
    source_id = fields.Many2one(
        "social.monitoring.source",
        string="Monitoring System",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="source_id.company_id", store=True, index=True)
    headers = fields.Text(
        help="The headers of the file the profile was saved from, one a line: the next file "
        "with these headers gets this profile."
    )
    line_ids = fields.One2many(
        "social.monitoring.profile.line", "profile_id", string="Columns", copy=True
    )

    _sql_constraints = [
        (
            "name_source_uniq",
            "unique(source_id, name)",
            "A monitoring system has one profile of a name.",
        ),
    ]

    def _mapping(self):
        """{target field: file column}."""
        self.ensure_one()
        return {line.field: line.column for line in self.line_ids if line.column}

    @api.model
    def _best_for(self, source, headers):
        """The profile of ``source`` whose columns are all among ``headers`` and that
        matches most of them (its saved headers first); an empty recordset if none."""
        present = {normalize_header(h) for h in headers}
        best, best_score = self.browse(), None
        for profile in self.search([("source_id", "=", source.id)]):
            columns = {normalize_header(c) for c in profile._mapping().values()}
            if not columns or not columns <= present:
                continue
            saved = {normalize_header(h) for h in (profile.headers or "").splitlines() if h}
            score = (len(saved & present) - len(saved ^ present), len(columns))
            if best_score is None or score > best_score:
                best, best_score = profile, score
        return best
