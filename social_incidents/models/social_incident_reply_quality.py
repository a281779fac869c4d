import functools

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import UserError

from ..tools import clock, reply_quality, spelling
from ..tools.guard import workflow_action
from .constants import CURATOR_GROUP

# The return reason proposed for each kind of finding (KOR 14: the reply format).
RETURN_REASON_BY_KIND = {
    "restricted": "social_incidents.return_reason_format",
    "too_long": "social_incidents.return_reason_format",
    "no_substance": "social_incidents.return_reason_format",
    "citation": "social_incidents.return_reason_format",
    "bureaucratese": "social_incidents.return_reason_format",
    "spelling": "social_incidents.return_reason_spelling",
}
# Characters of the text shown around a highlighted fragment.
CONTEXT_CHARS = 30


class SocialIncidentReply(models.Model):  # pylint: disable=consider-merging-classes-inherited  # split by concern
    """The reply quality assistant (issue #17): warnings on the draft while it is written and
    reviewed; a mark of restricted information blocks the submission until a curator allows it."""

    _inherit = "social.incident.reply"

    quality_html = fields.Html(
        string="Reply Checks",
        compute="_compute_quality",
        sanitize=False,
        help="What the checks found in the text: bureaucratese, more than two citations of legal "
        "acts, a final reply without a date, measure or reason, a text too long for the network, "
        "marks of restricted information, misspelt words.",
    )
    spelling_status = fields.Char(
        string="Spelling Check",
        compute="_compute_spelling_status",
        help="Why the spelling is not checked on this server, if it is not.",
    )
    quality_warning_count = fields.Integer(string="Warnings", compute="_compute_quality")
    quality_blocked = fields.Boolean(
        string="Blocked by a Restricted Mark", compute="_compute_quality"
    )
    restricted_allowed_by = fields.Many2one(
        "res.users", string="Restricted Mark Allowed By", readonly=True, copy=False
    )
    restricted_allowed_at = fields.Datetime(
        string="Restricted Mark Allowed On", readonly=True, copy=False
    )
    restricted_allowed_comment = fields.Text(
        string="Why the Mark Is Allowed", readonly=True, copy=False
    )
    restricted_allowed_marks = fields.Char(
        string="Allowed Marks",
        readonly=True,
        copy=False,
        help="The marks the curator allowed; a new mark in the text blocks the submission again.",
    )

    # ------------------------------------------------------------------
    # The checks
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache()
    def _quality_phrases(self):
        """(phrases, suggestions, compiled expression) of the active bureaucratese list."""
        records = self.env["social.reply.phrase"]._phrase_records()
        names = tuple(records.mapped("name"))
        return names, tuple(records.mapped("suggestion")), reply_quality.compile_phrases(names)

    def _quality_findings(self, spelling_checkers=None):
        """The findings on the text; ``spelling_checkers``: {company id: spelling function}
        already built for a batch (one vocabulary look-up a company, not a reply)."""
        self.ensure_one()
        _names, _suggestions, phrases_re = self._quality_phrases()
        company = self.company_id or self.env.company
        if spelling_checkers is None or company.id not in spelling_checkers:
            spelling_checkers = {company.id: self._spelling_checker(company)}
        return reply_quality.check(
            self.body or "",
            kind=self.kind,
            network=self.network,
            has_media=bool(self.attachment_ids),
            phrases_re=phrases_re,
            spelling=spelling_checkers[company.id],
        )

    def _spelling_checker(self, company):
        """``spelling.check`` with ``company``'s vocabulary, or None when the dictionary is
        not available on this server (``spelling_status`` says why)."""
        speller, _reason = spelling.speller()
        if speller is None:
            return None
        vocabulary = self.env["social.spelling.word"]._vocabulary(company)
        return functools.partial(spelling.check, vocabulary=vocabulary, speller_=speller)

    def _compute_spelling_status(self):
        _speller, reason = spelling.speller()
        status = False
        if reason == spelling.NO_BINDING:
            status = self.env._(
                "Spelling not checked: the hunspell Python package is not installed on the server."
            )
        elif reason == spelling.NO_DICTIONARY:
            status = self.env._(
                "Spelling not checked: the Russian Hunspell dictionary (Debian package "
                "hunspell-ru) is not installed on the server."
            )
        elif reason:
            status = self.env._(
                "Spelling not checked: the Russian Hunspell dictionary could not be loaded (%s).",
                reason.partition(": ")[2],
            )
        for reply in self:
            reply.spelling_status = status

    def _allowed_marks(self):
        return set(filter(None, (self.restricted_allowed_marks or "").split("|")))

    def _quality_is_blocked(self, findings):
        marks = set(reply_quality.restricted_marks(findings))
        return bool(marks - self._allowed_marks())

    @api.depends("body", "kind", "network", "attachment_ids", "restricted_allowed_marks")
    def _compute_quality(self):
        companies = self.company_id | self.env.company
        checkers = {company.id: self._spelling_checker(company) for company in companies}
        for reply in self:
            findings = reply._quality_findings(checkers)
            reply.quality_warning_count = len(findings)
            reply.quality_blocked = reply._quality_is_blocked(findings)
            reply.quality_html = reply._quality_render(findings) if findings else False

    def _quality_kind_label(self, kind):
        return {
            "restricted": self.env._("Restricted Information"),
            "too_long": self.env._("Too Long"),
            "no_substance": self.env._("No Date, Measure or Reason"),
            "citation": self.env._("Legal Citation"),
            "bureaucratese": self.env._("Bureaucratese"),
            "spelling": self.env._("Spelling"),
        }[kind]

    def _quality_message(self, finding, findings):
        kind = finding.kind
        if kind == "bureaucratese":
            _names, suggestions, _re = self._quality_phrases()
            suggestion = suggestions[reply_quality.phrase_index(finding)]
            if suggestion:
                return self.env._("Write it in plain words, e.g. “%s”.", suggestion)
            return self.env._("Write it in plain words.")
        if kind == "spelling":
            suggestions = reply_quality.spelling_suggestions(finding)
            if suggestions:
                return self.env._(
                    "Not in the dictionary: perhaps %s?",
                    ", ".join(f"«{suggestion}»" for suggestion in suggestions),
                )
            return self.env._(
                "Not in the dictionary. If the word is right, an administrator can add it to the "
                "Spelling Dictionary."
            )
        if kind == "citation":
            return self.env._(
                "The reply cites %s legal acts: keep two at most, in plain words (KOR A1 10).",
                sum(1 for f in findings if f.kind == "citation"),
            )
        if kind == "no_substance":
            return self.env._(
                "A final reply gives a date or term (such as «до 15 мая», «в течение недели», "
                "«в пятницу»), the measure taken (such as «отремонтировано», «вывезено», «выдано "
                "предписание») or why it cannot be done (such as «невозможно», «не входит в "
                "полномочия»): none of these was found (KOR 20)."
            )
        if kind == "too_long":
            return self.env._(
                "The text has %(length)s characters: %(network)s takes %(limit)s at most in one "
                "reply; shorten it from the highlighted place.",
                length=len(self.body or ""),
                network=self._network_label(),
                limit=finding.start,
            )
        if " ".join(finding.fragment.lower().split()) in self._allowed_marks():
            return self.env._(
                "A mark of restricted information, allowed by %(user)s: %(comment)s",
                user=self.restricted_allowed_by.name or "",
                comment=self.restricted_allowed_comment or "",
            )
        return self.env._(
            "A mark of restricted information: such information is never published (LYA 8). "
            "The draft cannot be submitted until the mark is removed or a curator allows it."
        )

    def _network_label(self):
        return dict(self._fields["network"]._description_selection(self.env)).get(self.network, "")

    def _quality_render(self, findings):
        """The warnings panel: each finding's kind, the fragment highlighted in its context
        and the explanation."""
        text = self.body or ""
        items = []
        for finding in findings:
            badge = "danger" if finding.kind in reply_quality.BLOCKING_KINDS else "warning"
            quote = Markup("")
            if finding.end > finding.start:
                before = text[max(0, finding.start - CONTEXT_CHARS) : finding.start]
                after = text[finding.end : finding.end + CONTEXT_CHARS]
                quote = Markup(
                    '<span class="text-muted">%s%s<mark class="px-1">%s</mark>%s%s</span> '
                ) % (
                    "…" if finding.start > CONTEXT_CHARS else "",
                    before,
                    finding.fragment,
                    after,
                    "…" if finding.end + CONTEXT_CHARS < len(text) else "",
                )
            items.append(
                Markup(
                    '<li class="mb-1" data-kind="%s"><span class="badge text-bg-%s me-1">%s</span>'
                    "%s<span>%s</span></li>"
                )
                % (
                    finding.kind,
                    badge,
                    self._quality_kind_label(finding.kind),
                    quote,
                    self._quality_message(finding, findings),
                )
            )
        return Markup('<ul class="list-unstyled mb-0 o_social_reply_checks">%s</ul>') % Markup(
            ""
        ).join(items)

    def _quality_summary(self, findings):
        """One line a kind: the basis of the comment proposed when the draft is returned."""
        lines = []
        kinds = {f.kind for f in findings}

        def quoted(kind):
            fragments = []
            for f in findings:
                fragment = " ".join(f.fragment.split())
                if f.kind == kind and fragment not in fragments:
                    fragments.append(fragment)
            return ", ".join(f"«{fragment}»" for fragment in fragments[:6])

        if "restricted" in kinds:
            lines.append(self.env._("Marks of restricted information: %s.", quoted("restricted")))
        if "too_long" in kinds:
            finding = next(f for f in findings if f.kind == "too_long")
            lines.append(
                self.env._(
                    "Longer than %(network)s takes: %(length)s characters of %(limit)s.",
                    network=self._network_label(),
                    length=len(self.body or ""),
                    limit=finding.start,
                )
            )
        if "no_substance" in kinds:
            lines.append(
                self.env._("No date or term, no measure taken and no reason why it cannot be done.")
            )
        if "citation" in kinds:
            lines.append(
                self.env._(
                    "%s citations of legal acts: leave two at most.",
                    sum(1 for f in findings if f.kind == "citation"),
                )
            )
        if "bureaucratese" in kinds:
            lines.append(self.env._("Bureaucratese: %s.", quoted("bureaucratese")))
        if "spelling" in kinds:
            lines.append(self.env._("Spelling: %s.", quoted("spelling")))
        return "\n".join(lines)

    def _quality_return_proposal(self):
        """(return reason, comment) proposed to the curator who returns the draft."""
        self.ensure_one()
        findings = self._quality_findings()
        if not findings:
            return self.env["social.return.reason"], ""
        reason = self.env["social.return.reason"]
        for kind in reply_quality.KINDS:
            if any(f.kind == kind for f in findings):
                reason = self.env.ref(RETURN_REASON_BY_KIND[kind], raise_if_not_found=False)
                if reason and reason.active:
                    break
                reason = self.env["social.return.reason"]
        return reason, self._quality_summary(findings)

    # ------------------------------------------------------------------
    # The workflow
    # ------------------------------------------------------------------
    @workflow_action
    def action_submit(self):
        """The checks run again on the server: warnings are posted on the draft and never
        block; a restricted mark the curator has not allowed does."""
        self._check_edit()
        warnings = {}
        for reply in self:
            findings = reply._quality_findings()
            if reply._quality_is_blocked(findings):
                raise UserError(
                    self.env._(
                        "The reply contains a mark of restricted information (%s): such "
                        "information is never published (LYA 8). Remove it, or ask a curator to "
                        "allow it with a comment.",
                        ", ".join(
                            f"«{mark}»"
                            for mark in sorted(
                                set(reply_quality.restricted_marks(findings))
                                - reply._allowed_marks()
                            )
                        ),
                    )
                )
            warnings[reply.id] = findings
        result = super().action_submit()
        for reply in self:
            if warnings[reply.id]:
                # sudo: the writer may post on their draft only through the workflow
                reply.sudo().message_post(
                    body=Markup("%s<br/>%s")
                    % (
                        self.env._("Submitted with warnings of the reply checks:"),
                        Markup("<br/>").join(
                            reply._quality_summary(warnings[reply.id]).split("\n")
                        ),
                    ),
                    author_id=self.env.user.partner_id.id,
                )
        return result

    @workflow_action
    def action_allow_restricted(self, comment):
        """A curator allows the restricted marks now in the text, saying why (LYA 8); the
        override is recorded with who, when and the comment."""
        if not self.env.user.has_group(CURATOR_GROUP):
            raise UserError(self.env._("Only a curator allows a mark of restricted information."))
        if not isinstance(comment, str) or not comment.strip():
            raise UserError(self.env._("Say why the mark may stay in the reply."))
        for reply in self:
            if reply.state not in ("draft", "returned", "submitted"):
                raise UserError(
                    self.env._("A mark can be allowed only in a draft that is not approved yet.")
                )
            marks = reply_quality.restricted_marks(reply._quality_findings())
            if not marks:
                raise UserError(self.env._("The reply has no mark of restricted information."))
            allowed = sorted(reply._allowed_marks() | set(marks))
            reply._write_system(
                {
                    "restricted_allowed_by": self.env.uid,
                    "restricted_allowed_at": clock.now(),
                    "restricted_allowed_comment": comment.strip(),
                    "restricted_allowed_marks": "|".join(allowed),
                }
            )
            # sudo: posting the override on the draft is part of the action
            reply.sudo().message_post(
                body=Markup("%s %s<br/>%s")
                % (
                    self.env._("Restricted marks allowed:"),
                    ", ".join(f"«{mark}»" for mark in marks),
                    comment.strip(),
                ),
                author_id=self.env.user.partner_id.id,
            )
        return True

    def _check_allow_restricted(self):
        if not self.env.user.has_group(CURATOR_GROUP):
            raise UserError(self.env._("Only a curator allows a mark of restricted information."))

    def action_open_allow_restricted_wizard(self):
        self.ensure_one()
        self._check_allow_restricted()
        return self.incident_id._open_wizard("allow_restricted", reply_id=self.id)

    def action_open_return_wizard(self):
        action = super().action_open_return_wizard()
        reason, comment = self._quality_return_proposal()
        context = dict(action.get("context") or {})
        if reason:
            context["default_return_reason_id"] = reason.id
        if comment:
            context["default_text"] = comment
        action["context"] = context
        return action
