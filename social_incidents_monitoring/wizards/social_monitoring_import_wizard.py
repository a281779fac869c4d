import base64
import binascii

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_datetime

from odoo.addons.base.models.res_partner import _tz_get
from odoo.addons.social_incidents.models.helpers import act_window
from odoo.addons.social_incidents.tools import guard

from ..tools.monitoring_file import (
    DELIMITERS,
    ENCODINGS,
    MAX_BASE64_SIZE,
    MAX_FILE_SIZE,
    TARGETS,
    guess_mapping,
)

PREVIEW_ROWS = 20


class SocialMonitoringImportWizard(models.TransientModel):
    """Import a file of a monitoring system: upload it, check the columns (a
    saved profile or a guess from the headers), look at the dry run of the first
    rows, import. Curators only."""

    _name = "social.monitoring.import.wizard"
    _description = "Import from a Monitoring System"

    source_id = fields.Many2one(
        "social.monitoring.source",
        string="Monitoring System",
        required=True,
        ondelete="cascade",
        default=lambda self: self._default_source(),
    )
    state = fields.Selection([("upload", "File"), ("map", "Columns")], default="upload")
    file = fields.Binary(attachment=False)
    filename = fields.Char()
    encoding = fields.Selection(
        [("auto", "Detect")] + ENCODINGS,
        default="auto",
        required=True,
        help="CSV only: the file's encoding, detected unless chosen here.",
    )
    delimiter = fields.Selection(
        [
            ("auto", "Detect"),
            ("comma", "Comma ( , )"),
            ("semicolon", "Semicolon ( ; )"),
            ("tab", "Tab"),
            ("pipe", "Vertical bar ( | )"),
        ],
        default="auto",
        required=True,
        help="CSV only: what separates the columns, detected unless chosen here.",
    )
    sheet = fields.Char(help="XLSX only: the sheet to read; empty: the first one.")
    tz = fields.Selection(
        _tz_get,
        string="Time Zone",
        required=True,
        default=lambda self: self._default_tz(),
        help="Dates without a time zone in the file are in this one.",
    )
    detected = fields.Char(string="Read As", readonly=True)
    row_count = fields.Integer(string="Rows", readonly=True)
    column_ids = fields.One2many(
        "social.monitoring.import.wizard.column", "wizard_id", string="File Columns"
    )
    line_ids = fields.One2many(
        "social.monitoring.import.wizard.line", "wizard_id", string="Column Mapping"
    )
    profile_id = fields.Many2one(
        "social.monitoring.profile",
        domain="[('source_id', '=', source_id)]",
        help="A saved column mapping of this monitoring system.",
    )
    profile_name = fields.Char(
        string="Save Profile As",
        help="The mapping is saved under this name for the next files; empty: not saved.",
    )
    preview_html = fields.Html(string="Preview", sanitize=False, readonly=True)

    @api.model
    def _default_source(self):
        return self.env["social.monitoring.source"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )

    @api.model
    def _default_tz(self):
        company = self.env.company
        return (
            self.env.user.tz
            or company.resource_calendar_id.tz
            or company.partner_id.tz
            or "Europe/Moscow"
        )

    # ------------------------------------------------------------------
    # The upload's size, checked before the file is decoded
    # ------------------------------------------------------------------
    @api.model
    def _check_upload_size(self, vals):
        value = vals.get("file")
        if value and len(value) > MAX_BASE64_SIZE:
            # its base64 text alone tells the size: nothing is decoded
            raise UserError(
                self.env._(
                    "The file is %(size)s MB: files of up to %(limit)s MB are imported. Split it "
                    "into several files (by date, for instance) and import them one by one.",
                    size=round(len(value) * 3 / 4 / 1048576, 1),
                    limit=MAX_FILE_SIZE // 1048576,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_upload_size(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_upload_size(vals)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------
    def _file_data(self):
        self.ensure_one()
        if not self.file:
            if self.filename:
                raise UserError(self.env._("The file is empty: there is nothing to import."))
            raise UserError(self.env._("Choose the file to import."))
        try:
            return base64.b64decode(self.file, validate=False)
        except (binascii.Error, ValueError) as error:
            raise UserError(self.env._("The uploaded file could not be read.")) from error

    def _parse(self):
        Import = self.env["social.monitoring.import"]
        Import._check_importer(self.source_id)
        return Import._read_file(
            self._file_data(),
            self.filename,
            encoding=None if self.encoding == "auto" else self.encoding,
            delimiter=None if self.delimiter == "auto" else self.delimiter,
            sheet=self.sheet or None,
        )

    def _mapping(self):
        return {line.field: line.column_id.name for line in self.line_ids if line.column_id}

    def _reopen(self):
        return act_window(
            self._name, self.id, name=self.env._("Import from a Monitoring System"), target="new"
        )

    def action_read_file(self):
        """Read the file, propose the columns (the best saved profile of the system,
        else a guess from the headers) and preview."""
        self.ensure_one()
        parsed = self._parse()
        profile = self.env["social.monitoring.profile"]._best_for(self.source_id, parsed.headers)
        mapping = profile._mapping() if profile else guess_mapping(parsed.headers)
        self._set_columns(parsed, mapping)
        self.profile_id = profile
        self.profile_name = profile.name if profile else self.source_id.name
        return self._show_preview(parsed)

    def _set_columns(self, parsed, mapping):
        self.column_ids.unlink()
        self.line_ids.unlink()
        columns = self.env["social.monitoring.import.wizard.column"].create(
            [
                {"wizard_id": self.id, "name": header, "sequence": index}
                for index, header in enumerate(parsed.headers)
            ]
        )
        by_name = {column.name: column for column in columns}
        self.env["social.monitoring.import.wizard.line"].create(
            [
                {
                    "wizard_id": self.id,
                    "sequence": index,
                    "field": target,
                    "column_id": by_name[mapping[target]].id
                    if mapping.get(target) in by_name
                    else False,
                }
                for index, (target, _label) in enumerate(TARGETS)
            ]
        )

    def action_apply_profile(self):
        """The columns of the chosen profile."""
        self.ensure_one()
        parsed = self._parse()
        mapping = self.profile_id._mapping() if self.profile_id else guess_mapping(parsed.headers)
        self._set_columns(parsed, mapping)
        if self.profile_id:
            self.profile_name = self.profile_id.name
        return self._show_preview(parsed)

    def action_preview(self):
        self.ensure_one()
        return self._show_preview(self._parse())

    def _show_preview(self, parsed):
        """The dry run: every row checked, the first ones shown as they will be
        registered. Nothing is written but the wizard."""
        Import = self.env["social.monitoring.import"]
        self.write(
            {
                "state": "map",
                "row_count": len(parsed.rows),
                "detected": self._describe(parsed),
            }
        )
        try:
            plans = Import._plan_rows(self.source_id, parsed, self._mapping(), self.tz)
        except UserError as error:
            self.preview_html = (
                Markup('<div class="alert alert-warning" role="alert">%s</div>') % (error.args[0])
            )
            return self._reopen()
        self.preview_html = self._preview_html(plans)
        return self._reopen()

    def _describe(self, parsed):
        _ = self.env._
        if parsed.kind == "xlsx":
            return _("XLSX, sheet “%(sheet)s”", sheet=parsed.sheet)
        encodings = dict(self._fields["encoding"]._description_selection(self.env))
        names = {
            "comma": _("comma"),
            "semicolon": _("semicolon"),
            "tab": _("tab"),
            "pipe": _("vertical bar"),
        }
        return _(
            "CSV, %(encoding)s, separated by %(delimiter)s",
            encoding=encodings.get(parsed.encoding, parsed.encoding),
            delimiter=names.get(parsed.delimiter, DELIMITERS.get(parsed.delimiter)),
        )

    def _preview_html(self, plans):
        _ = self.env._
        register = sum(
            1 for p in plans if not p["errors"] and not p["duplicate"] and not p["same_as"]
        )
        duplicates = sum(1 for p in plans if not p["errors"] and (p["duplicate"] or p["same_as"]))
        errors = sum(1 for p in plans if p["errors"])
        summary = _(
            "%(rows)s rows: %(register)s to register, %(duplicates)s duplicates, %(errors)s with "
            "errors (not registered).",
            rows=len(plans),
            register=register,
            duplicates=duplicates,
            errors=errors,
        )
        networks = dict(
            self.env["social.incident"]._fields["network"]._description_selection(self.env)
        )
        heads = [
            _("Row"),
            _("Result"),
            _("Text"),
            _("Link"),
            _("Network"),
            _("Published"),
            _("Detected"),
            _("Author"),
            _("Topics"),
            _("Location"),
            _("Importance"),
        ]
        rows = []
        for plan in plans[:PREVIEW_ROWS]:
            vals = plan["vals"]
            if plan["errors"]:
                result, css = "; ".join(plan["errors"]), "text-danger"
            elif plan["duplicate"]:
                # sudo: the number of the incident holding the message in the company
                result, css = _("Duplicate of %s", plan["duplicate"].sudo().name), "text-warning"
            elif plan["same_as"]:
                result, css = _("Same message as row %s", plan["same_as"]["row"]), "text-warning"
            else:
                result, css = _("Will be registered"), "text-success"
            if plan["notes"] and not plan["errors"]:
                result += " " + " ".join(plan["notes"])
            topics = self.env["social.incident.topic"]
            for command in vals.get("topic_ids", []):
                topics |= topics.browse(command[2])
            cells = [
                str(plan["row"]),
                result,
                (vals.get("text") or "")[:160],
                vals.get("url") or "",
                networks.get(vals.get("network"), ""),
                format_datetime(self.env, vals["published_at"]) if vals.get("published_at") else "",
                format_datetime(self.env, vals["detected_at"]) if vals.get("detected_at") else "",
                plan["author"][2] if plan["author"] else "",
                ", ".join(topics.mapped("complete_name")),
                self.env["social.incident.location"].browse(vals.get("location_id")).complete_name
                or "",
                _("High") if vals.get("importance") == "high" else "",
            ]
            rows.append(
                Markup('<tr class="o_monitoring_preview_row" data-row="%s">') % plan["row"]
                + Markup("").join(
                    Markup('<td class="%s">%s</td>') % (css if i == 1 else "", cell)
                    for i, cell in enumerate(cells)
                )
                + Markup("</tr>")
            )
        return (
            Markup('<p class="o_monitoring_preview_summary fw-bold">%s</p>') % summary
            + Markup(
                '<div class="table-responsive"><table class="table table-sm o_monitoring_preview">'
            )
            + Markup("<thead><tr>%s</tr></thead>")
            % Markup("").join(Markup("<th>%s</th>") % head for head in heads)
            + Markup("<tbody>%s</tbody></table></div>") % Markup("").join(rows)
        )

    def action_import(self):
        """Import the file: each row registered whole or not at all, and the results
        kept as an import of the monitoring system."""
        self.ensure_one()
        # what a client adds to the context never changes what is registered
        # pylint: disable-next=context-overridden  # a new context: the safe keys only
        wizard = self.with_context(guard.clean_context(self.env.context))
        parsed = wizard._parse()
        mapping = wizard._mapping()
        Import = wizard.env["social.monitoring.import"]
        Import._check_mapping(mapping, parsed.headers)
        profile = wizard._save_profile(parsed, mapping)
        batch = Import._run(
            wizard.source_id,
            wizard._file_data(),
            wizard.filename,
            parsed,
            mapping,
            wizard.tz,
            profile=profile,
        )
        return act_window(batch._name, batch.id, name=batch.name)

    def _save_profile(self, parsed, mapping):
        name = (self.profile_name or "").strip()
        if not name:
            return self.profile_id
        Profile = self.env["social.monitoring.profile"]
        profile = Profile.search([("source_id", "=", self.source_id.id), ("name", "=", name)])
        values = {
            "headers": "\n".join(parsed.headers),
            "line_ids": [fields.Command.clear()]
            + [
                fields.Command.create({"field": field, "column": column, "sequence": index})
                for index, (field, _label) in enumerate(TARGETS)
                if (column := mapping.get(field))
            ],
        }
        if profile:
            profile.write(values)
        else:
            profile = Profile.create(dict(values, name=name, source_id=self.source_id.id))
        return profile
