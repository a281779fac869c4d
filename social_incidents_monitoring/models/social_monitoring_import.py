import base64
import contextlib
import csv
import io
import re

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.social_incidents.models.constants import CURATOR_GROUP
from odoo.addons.social_incidents.tools import clock, deferred_triage, guard, head_alerts
from odoo.addons.social_incidents.tools.web_url import is_web_url

from ..tools.monitoring_file import (
    DATE_EXAMPLES,
    DATE_TARGETS,
    DELIMITERS,
    IMPORTANCE_VALUES,
    FileProblem,
    cell_text,
    network_of_link,
    network_of_name,
    normalize_link,
    parse_datetime,
    read_file,
)

# rows created in one call; a chunk that fails is retried row by row
CHUNK_SIZE = 500
# a file of more rows has its repeats and bursts checked by a job right after the import
DEFER_TRIAGE_ROWS = 500
# errors a row can cause: the row is not registered, the others are
ROW_ERRORS = (UserError, ValidationError, psycopg2.IntegrityError, psycopg2.DataError, ValueError)
_VK_PROFILE = re.compile(r"^(?:https?://)?(?:m\.|www\.)?vk\.(?:com|ru)/id(\d+)/?$", re.IGNORECASE)
_OK_PROFILE = re.compile(r"^(?:https?://)?(?:m\.|www\.)?ok\.ru/profile/(\d+)/?$", re.IGNORECASE)


class SocialMonitoringImport(models.Model):
    """One file of a monitoring system imported by a curator, and what became of
    each of its rows: registered as an incident, a duplicate of an incident, or
    refused with the reason. What happened: written by the import only."""

    _name = "social.monitoring.import"
    _description = "Monitoring File Import"
    _inherit = ["social.protected.mixin"]
    _order = "create_date desc, id desc"
    _protected_fields = "__all__"

    name = fields.Char(required=True, readonly=True)
    source_id = fields.Many2one(
        "social.monitoring.source",
        string="Monitoring System",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Imported By", readonly=True)
    profile_id = fields.Many2one("social.monitoring.profile", readonly=True, ondelete="set null")
    filename = fields.Char(readonly=True)
    file = fields.Binary(string="Original File", readonly=True, attachment=True)
    file_kind = fields.Selection([("csv", "CSV"), ("xlsx", "XLSX")], readonly=True)
    encoding = fields.Char(readonly=True)
    delimiter = fields.Char(readonly=True)
    sheet = fields.Char(readonly=True)
    tz = fields.Char(string="Time Zone", readonly=True)
    mapping = fields.Json(readonly=True)
    row_count = fields.Integer(string="Rows", readonly=True)
    created_count = fields.Integer(string="Registered", readonly=True)
    duplicate_count = fields.Integer(string="Duplicates", readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    line_ids = fields.One2many(
        "social.monitoring.import.line", "import_id", string="Results", readonly=True
    )
    pending_check_count = fields.Integer(
        string="Checks Pending",
        compute="_compute_pending_check_count",
        help="Registered incidents of this file whose repeats and bursts the background job "
        "has not checked yet (a large file).",
    )
    result_file = fields.Binary(compute="_compute_result_file", attachment=False)
    result_filename = fields.Char(compute="_compute_result_file")

    def _compute_pending_check_count(self):
        # sudo: a count of this import's own incidents (the importer's company), one query
        Incident = self.env["social.incident"].sudo().with_context(active_test=False)
        for batch in self:
            incidents = batch.line_ids.incident_id
            batch.pending_check_count = (
                Incident.search_count([("id", "in", incidents.ids), ("triage_pending", "=", True)])
                if incidents
                else 0
            )

    # ------------------------------------------------------------------
    # Result file
    # ------------------------------------------------------------------
    def _compute_result_file(self):
        for batch in self:
            stem = (batch.filename or "import").rsplit(".", 1)[0]
            ext = "xlsx" if batch.file_kind == "xlsx" else "csv"
            batch.result_filename = f"{stem}-result.{ext}"
            batch.result_file = base64.b64encode(batch._result_bytes()) if batch.file else False

    def _result_bytes(self):
        """The original rows with three more columns: the status, the incident's
        number and the reason."""
        self.ensure_one()
        parsed = self._read_file(
            base64.b64decode(self.file),
            self.filename,
            encoding=self.encoding,
            delimiter=self.delimiter,
            sheet=self.sheet,
        )
        statuses = dict(self.line_ids._fields["status"]._description_selection(self.env))
        by_row = {line.row_number: line for line in self.line_ids}
        extra = [self.env._("Status"), self.env._("Incident"), self.env._("Comment")]
        rows = [list(parsed.headers) + extra]
        width = len(parsed.headers)
        # (below) sudo: the numbers of the incidents this import registered or found in the
        # importer's company, as the import's own lines show them
        for number, cells in parsed.rows:
            line = by_row.get(number)
            cells = (list(cells) + [""] * width)[:width]
            rows.append(
                cells
                + [
                    statuses.get(line.status, "") if line else "",
                    line.incident_id.sudo().name or "" if line else "",
                    line.message or "" if line else "",
                ]
            )
        if self.file_kind == "xlsx":
            import openpyxl  # Odoo's own requirement

            book = openpyxl.Workbook(write_only=True)
            sheet = book.create_sheet(self.sheet or "Result")
            for row in rows:
                sheet.append(row)
            out = io.BytesIO()
            book.save(out)
            return out.getvalue()
        out = io.StringIO(newline="")
        writer = csv.writer(out, delimiter=DELIMITERS.get(self.delimiter or "semicolon", ";"))
        for row in rows:
            writer.writerow([cell_text(c) for c in row])
        # with a byte order mark: Excel then reads the UTF-8
        return out.getvalue().encode("utf-8-sig")

    def action_download_result(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/result_file/{self.result_filename}"
            "?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------------
    # The engine (the wizard's dry run and import)
    # ------------------------------------------------------------------
    @api.model
    def _check_importer(self, source):
        """Curators of the source's company import its files; nobody else, whatever
        the context says."""
        user = self.env.user
        if not user.has_group(CURATOR_GROUP):
            raise AccessError(self.env._("Only curators import the files of monitoring systems."))
        if not source or source.company_id not in user.company_ids:
            raise AccessError(
                self.env._("You import files only for the monitoring systems of your companies.")
            )
        source.check_access("read")

    @api.model
    def _read_file(self, data, filename, encoding=None, delimiter=None, sheet=None):
        """The parsed file, or a ``UserError`` that says what is wrong with it."""
        try:
            return read_file(data, filename, encoding, delimiter, sheet)
        except FileProblem as problem:
            raise UserError(self._file_problem_message(problem)) from problem

    @api.model
    def _file_problem_message(self, problem):
        _ = self.env._
        params = problem.params
        messages = {
            "too_big": lambda: _(
                "The file is %(size)s MB: files of up to %(limit)s MB are imported. Split it into "
                "several files (by date, for instance) and import them one by one.",
                size=round(params["size"] / 1048576, 1),
                limit=params["limit"] // 1048576,
            ),
            "empty": lambda: _("The file is empty: there is nothing to import."),
            "xls": lambda: _(
                "Old Excel files (.xls) are not read: save the file as XLSX or CSV and import it "
                "again."
            ),
            "bad_encoding": lambda: _(
                "The file is not in the encoding %(encoding)s: choose another encoding or let "
                "it be detected.",
                encoding=params["encoding"],
            ),
            "unknown_encoding": lambda: _(
                "The file's encoding could not be detected: it is not UTF-8, UTF-8 or UTF-16 "
                "with a byte order mark, Windows-1251 or KOI8-R. Save it as CSV in UTF-8 or "
                "as XLSX, or choose the encoding by hand."
            ),
            "bad_csv": lambda: _(
                "The file is not a readable CSV file (%(error)s).", error=params["error"]
            ),
            "bad_xlsx": lambda: _(
                "The file is not a readable XLSX file: save it again from Excel as XLSX or as CSV."
            ),
            "no_sheet": lambda: _(
                "The file has no sheet “%(sheet)s”; its sheets: %(sheets)s.",
                sheet=params["sheet"],
                sheets=params["sheets"],
            ),
            "no_header": lambda: _(
                "The file has no header row: its first row must name the columns."
            ),
            "no_rows": lambda: _("The file has a header row but no rows of messages."),
        }
        return messages[problem.code]()

    @api.model
    def _check_mapping(self, mapping, headers):
        """A file column for the text, and for a link or a network and a message id."""
        _ = self.env._
        missing = [c for c in mapping.values() if c and c not in headers]
        if missing:
            raise UserError(
                _(
                    "The file has no column %(columns)s: choose the columns of this file.",
                    columns=", ".join(f"“{c}”" for c in missing),
                )
            )
        if not mapping.get("text"):
            raise UserError(
                _(
                    "Choose the file column that holds the message text (field “Text”): the "
                    "file's columns are %(columns)s.",
                    columns=", ".join(f"“{h}”" for h in headers),
                )
            )
        if not mapping.get("url") and not (mapping.get("network") and mapping.get("external_id")):
            raise UserError(
                _(
                    "Choose the file column with the message link (field “Link”), or the "
                    "columns with the network and the message id: without them a message "
                    "cannot be found again nor told from a duplicate. The file's columns are "
                    "%(columns)s.",
                    columns=", ".join(f"“{h}”" for h in headers),
                )
            )

    @api.model
    def _lookups(self, source):
        """Topics, locations and official pages by their lower-case names, read once
        for the whole file."""
        company = source.company_id
        topics, locations, accounts = {}, {}, {}
        for topic in self.env["social.incident.topic"].search([]):
            for name in (topic.name, topic.complete_name):
                topics.setdefault((name or "").strip().lower(), topic)
        for location in self.env["social.incident.location"].search(
            [("company_id", "in", [False, company.id])]
        ):
            for name in (location.name, location.complete_name):
                locations.setdefault((name or "").strip().lower(), location)
        for account in self.env["social.account"].search(
            [("company_id", "in", [False, company.id])]
        ):
            accounts.setdefault((account.name or "").strip().lower(), account)
            if "url" in account._fields and account.url:
                accounts.setdefault(normalize_link(account.url), account)
        return {"topic": topics, "location": locations, "account": accounts}

    @api.model
    def _plan_rows(self, source, parsed, mapping, tz_name, limit=None):
        """What each row of ``parsed`` would register, without writing anything:
        [{"row", "vals", "author", "errors", "notes", "duplicate", "same_as"}]."""
        self._check_mapping(mapping, parsed.headers)
        index = {header: i for i, header in enumerate(parsed.headers)}
        columns = {target: index[column] for target, column in mapping.items() if column}
        lookups = self._lookups(source)
        rows = parsed.rows if limit is None else parsed.rows[:limit]
        plans = [
            self._plan_row(number, cells, columns, mapping, lookups, source, tz_name)
            for number, cells in rows
        ]
        self._mark_duplicates(plans, source)
        return plans

    @api.model
    def _plan_row(self, number, cells, columns, mapping, lookups, source, tz_name):
        def get(target):
            position = columns.get(target)
            if position is None or position >= len(cells):
                return ""
            return cells[position]

        errors, notes = [], []
        vals = {
            "source": "import",
            "company_id": source.company_id.id,
            "monitoring_source_id": source.id,
            "detected_at": clock.now(),
        }
        self._plan_message(get, vals, errors, notes)
        self._plan_dates(get, mapping, tz_name, vals, errors)
        self._plan_lists(get, lookups, vals, notes)
        return {
            "row": number,
            "vals": vals,
            "author": self._plan_author(get, vals, notes),
            "errors": errors,
            "notes": notes,
            "duplicate": None,
            "same_as": None,
            "incident": None,
        }

    @api.model
    def _plan_message(self, get, vals, errors, notes):
        """The text, the link, the network, the message id and the importance."""
        _ = self.env._
        text = cell_text(get("text"))
        if not text:
            errors.append(_("The message text is empty."))
        vals["text"] = text
        url = cell_text(get("url"))
        if url and not is_web_url(url):
            errors.append(
                _("The link “%s” is not a web address (it starts with http:// or https://).", url)
            )
        external_id = cell_text(get("external_id"))
        network_cell = cell_text(get("network"))
        network = network_of_name(network_cell) if network_cell else None
        if network_cell and not network:
            notes.append(_("The network “%s” is unknown: recorded as Other.", network_cell))
            network = "other"
        if not network and url:
            network = network_of_link(url)
        if not url and not (network and external_id):
            errors.append(_("The row has neither a link nor a network and a message id."))
        vals["network"] = network or "other"
        if url:
            vals["url"] = url
        if external_id:
            vals["external_id"] = external_id
        importance = cell_text(get("importance")).lower()
        if importance in IMPORTANCE_VALUES:
            vals["importance"] = IMPORTANCE_VALUES[importance]
        else:
            errors.append(
                _(
                    "The importance “%s” is unknown: write “высокая” (or “да”, “high”) or "
                    "“обычная” (or leave it empty).",
                    importance,
                )
            )

    @api.model
    def _plan_dates(self, get, mapping, tz_name, vals, errors):
        for target in DATE_TARGETS:
            raw = get(target)
            if not cell_text(raw):
                continue
            value = parse_datetime(raw, tz_name)
            if value is None:
                errors.append(
                    self.env._(
                        "The date “%(value)s” in the column “%(column)s” has an unknown format; "
                        "accepted: %(formats)s, and Excel dates.",
                        value=cell_text(raw),
                        column=mapping[target],
                        formats=DATE_EXAMPLES,
                    )
                )
            else:
                vals[target] = value

    @api.model
    def _plan_lists(self, get, lookups, vals, notes):
        """Topics, location and official page, matched by name; an unknown one is
        left out and said so."""
        _ = self.env._
        topic_cell = cell_text(get("topic"))
        if topic_cell:
            topics = self.env["social.incident.topic"]
            for name in filter(None, (n.strip() for n in re.split(r"[;,\n]", topic_cell))):
                topic = lookups["topic"].get(name.lower())
                if topic:
                    topics |= topic
                else:
                    notes.append(
                        _("The topic “%s” is not in the list: registered without it.", name)
                    )
            if topics:
                vals["topic_ids"] = [fields.Command.set(topics.ids)]
        location_cell = cell_text(get("location"))
        if location_cell:
            location = lookups["location"].get(location_cell.lower())
            if location:
                vals["location_id"] = location.id
            else:
                notes.append(
                    _("The location “%s” is not in the list: registered without it.", location_cell)
                )
        account_cell = cell_text(get("account"))
        if account_cell:
            account = lookups["account"].get(account_cell.lower()) or lookups["account"].get(
                normalize_link(account_cell)
            )
            if account:
                vals["account_id"] = account.id
                vals["network"] = account.network
            else:
                notes.append(
                    _(
                        "The official page “%s” is not in the list: registered without it.",
                        account_cell,
                    )
                )

    @api.model
    def _plan_author(self, get, vals, notes):
        """(network, id, name, profile link) of the row's author, or None."""
        author_name = cell_text(get("author_name"))
        author_ref = cell_text(get("author_ref"))
        if author_ref:
            key, profile_url = _author_key(author_ref)
            return (vals["network"], key, author_name or key, profile_url)
        if author_name:
            notes.append(
                self.env._(
                    "The author “%s” has no id or profile link in the file: registered without "
                    "the author.",
                    author_name,
                )
            )
        return None

    @api.model
    def _mark_duplicates(self, plans, source):
        """Each row that holds a message already registered in the company (by its
        id or its link, as create() reads them), or the same message as an earlier
        row of the file."""
        valid = [plan for plan in plans if not plan["errors"]]
        if not valid:
            return
        Incident = self.env["social.incident"].with_context(active_test=False)
        vals_list = [plan["vals"] for plan in valid]
        found = Incident._find_duplicates(vals_list)
        keys = Incident._dedupe_keys(vals_list)
        by_id, by_link = {}, {}
        for plan, existing, key in zip(valid, found, keys, strict=True):
            if existing:
                plan["duplicate"] = existing[:1]
                continue
            first = by_id.get(key[:4]) if key[3] else None
            if first is None and key[4]:
                first = next(
                    (
                        earlier
                        for earlier, earlier_key in by_link.get((key[0], key[4]), [])
                        if Incident._same_message(key, earlier_key)
                    ),
                    None,
                )
            if first is not None:
                plan["same_as"] = first
                continue
            if key[3]:
                by_id[key[:4]] = plan
            if key[4]:
                by_link.setdefault((key[0], key[4]), []).append((plan, key))

    @api.model
    def _create_incidents(self, plans, source, chunk_size=CHUNK_SIZE):
        """Register the rows to register, ``chunk_size`` at a time; a chunk that
        fails is undone and its rows registered one by one, each whole or not at all."""
        todo = [p for p in plans if not p["errors"] and not p["duplicate"] and not p["same_as"]]
        # like the VK intake: the importer does not follow every incident and author
        # it brings (the curator of each follows it as the core decides)
        Incident = (
            self.env["social.incident"]
            .with_company(source.company_id)
            .with_context(mail_create_nosubscribe=True)
        )
        curator = self.env["social.monitoring.source"]._curator_of(source) or self.env.user
        for start in range(0, len(todo), chunk_size):
            chunk = todo[start : start + chunk_size]
            if not self._try_create(Incident, chunk, source, curator) and len(chunk) > 1:
                for plan in chunk:
                    self._try_create(Incident, [plan], source, curator)

    @api.model
    def _try_create(self, Incident, chunk, source, curator):
        """Create the incidents of ``chunk`` in a savepoint: all or none. A single
        row that fails gets the reason among its errors."""
        try:
            with self.env.cr.savepoint():
                incidents = self._create_chunk(Incident, chunk, source, curator)
        except ROW_ERRORS as error:
            if len(chunk) == 1:
                chunk[0]["errors"].append(_error_text(error))
            return False
        for plan, incident in zip(chunk, incidents, strict=False):
            plan["incident"] = incident
        return True

    @api.model
    def _create_chunk(self, Incident, chunk, source, curator):
        by_network = {}
        for plan in chunk:
            if plan["author"]:
                network, key, name, profile_url = plan["author"]
                by_network.setdefault(network, {})[key] = {"name": name, "profile_url": profile_url}
        authors = {}
        for network, wanted in by_network.items():
            found = Incident.env["social.author"]._find_or_create_many(
                network,
                list(wanted),
                lambda missing, w=wanted: {key: w[key] for key in missing},
                company=source.company_id,
            )
            authors.update({(network, key): author for key, author in found.items()})
        vals_list = []
        for plan in chunk:
            vals = dict(plan["vals"], curator_id=curator.id)
            if plan["author"]:
                vals["author_id"] = authors[plan["author"][:2]].id
            vals_list.append(vals)
        # the monitoring system is the intake's to write: the caller was checked
        # (_check_importer) and every value comes from the rows checked above
        with guard.system_write():
            return Incident.create(vals_list)

    @api.model
    def _run(self, source, data, filename, parsed, mapping, tz_name, profile=None):
        """Import ``parsed`` (read from ``data``) into incidents of ``source`` and
        record the batch with a line per row."""
        self._check_importer(source)
        plans = self._plan_rows(source, parsed, mapping, tz_name)
        # days of messages at once: one inbox message to the head for the high-importance
        # incidents and bursts the file brings, each with its note and activity as usual
        # a large file: its repeats and bursts are checked by a job right after, so the
        # curator does not wait for them (tools/deferred_triage.py)
        defer = len(plans) > DEFER_TRIAGE_ROWS
        with head_alerts.grouped() as alerts:
            with deferred_triage.deferred() if defer else contextlib.nullcontext():
                self._create_incidents(plans, source)
        if defer:
            self.env["social.incident"].browse(
                [plan["incident"].id for plan in plans if plan["incident"]]
            )._queue_triage()
        _ = self.env._
        lines = []
        for plan in plans:
            if plan["incident"]:
                status, incident, message = "created", plan["incident"], "\n".join(plan["notes"])
            elif plan["duplicate"] or plan["same_as"]:
                incident = plan["duplicate"] or plan["same_as"]["incident"]
                if incident:
                    status = "duplicate"
                    # sudo: the number of the incident holding the message in the
                    # importer's own company, as create()'s refusal names it
                    message = _("Duplicate of %s.", incident.sudo().name)
                else:
                    status = "error"
                    message = _(
                        "The same message as row %s, which was not registered.",
                        plan["same_as"]["row"],
                    )
            else:
                status, incident, message = "error", None, "\n".join(plan["errors"])
            lines.append(
                {
                    "row_number": plan["row"],
                    "status": status,
                    "incident_id": incident.id if incident else False,
                    "message": message,
                    "text": (plan["vals"].get("text") or "")[:200],
                    "url": plan["vals"].get("url"),
                }
            )
        with guard.system_write():
            # sudo: the batch records what the checked import just did (it is
            # history, created by the import only)
            batch = self.sudo().create(
                {
                    "name": f"{source.name} — {filename or 'file'}",
                    "source_id": source.id,
                    "company_id": source.company_id.id,
                    "user_id": self.env.uid,
                    "profile_id": profile.id if profile else False,
                    "filename": filename,
                    "file": base64.b64encode(data),
                    "file_kind": parsed.kind,
                    "encoding": parsed.encoding,
                    "delimiter": parsed.delimiter,
                    "sheet": parsed.sheet,
                    "tz": tz_name,
                    "mapping": mapping,
                    "row_count": len(plans),
                    "created_count": sum(1 for line in lines if line["status"] == "created"),
                    "duplicate_count": sum(1 for line in lines if line["status"] == "duplicate"),
                    "error_count": sum(1 for line in lines if line["status"] == "error"),
                    "line_ids": [fields.Command.create(line) for line in lines],
                }
            )
        self.env["social.incident"]._send_grouped_head_alerts(
            alerts, origin=lambda env: env._("Import “%s”", batch.name)
        )
        return batch.sudo(False)


def _author_key(ref):
    """(the author's id in the network, profile link or None) of a cell holding an
    id or a profile link."""
    match = _VK_PROFILE.match(ref) or _OK_PROFILE.match(ref)
    if match:
        return match.group(1), ref
    if is_web_url(ref):
        return normalize_link(ref), ref
    return ref, None


def _error_text(error):
    if isinstance(error, UserError | ValidationError):
        return error.args[0] if error.args else str(error)
    return str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
