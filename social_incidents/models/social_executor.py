from odoo import api, fields, models
from odoo.exceptions import UserError


class SocialExecutor(models.Model):
    """A department, subordinate institution or settlement administration that
    drafts replies (AKH 1.5, annex; KOR 10)."""

    _name = "social.executor"
    _description = "Executor"
    # the lang mixin first: it wraps the creation that mail.thread logs
    _inherit = ["social.company.lang.mixin", "mail.thread"]
    _order = "sequence, name"
    # "ЖКХ" finds "Управление жилищно-коммунального хозяйства"
    _rec_names_search = ["name", "short_name"]

    name = fields.Char(required=True, tracking=True)
    short_name = fields.Char(
        tracking=True,
        help="Shown in the lists and the routing tab, where the full name does not fit "
        "(e.g. ЖКХ); searching it finds the executor.",
    )
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [
            ("department", "Department"),
            ("institution", "Subordinate Institution"),
            ("settlement", "Settlement Administration"),
        ],
        required=True,
        default="department",
        tracking=True,
    )
    member_ids = fields.Many2many(
        "res.users",
        "social_executor_member_rel",
        "executor_id",
        "user_id",
        string="Members",
        domain=[("share", "=", False)],
    )
    head_user_id = fields.Many2one(
        "res.users", string="Head", tracking=True, domain=[("share", "=", False)]
    )
    substitute_ids = fields.One2many(
        "social.executor.substitute", "executor_id", string="Substitutes"
    )
    responsible_user_ids = fields.Many2many(
        "res.users",
        string="Acting Members",
        compute="_compute_responsible_user_ids",
        search="_search_responsible_user_ids",
        help="Who receives this executor's work today: its members, "
        "each absent one replaced by the substitute.",
    )
    email = fields.Char()
    phone = fields.Char()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    assignment_ids = fields.One2many(
        "social.incident.assignment", "executor_id", string="Assignments"
    )
    open_assignment_count = fields.Integer(compute="_compute_open_assignment_count")

    @api.depends("name", "short_name")
    @api.depends_context("social_executor_short_name")
    def _compute_display_name(self):
        """The short name where a view asks for it (lists, the routing tab:
        ``context="{'social_executor_short_name': True}"`` on the field), the
        full name everywhere else."""
        short = self.env.context.get("social_executor_short_name")
        for executor in self:
            executor.display_name = (short and executor.short_name) or executor.name

    def _get_absences(self, day=None):
        """Substitution lines in force on ``day`` (today by default) for these executors."""
        day = day or fields.Date.context_today(self)
        return (
            self.env["social.executor.substitute"]
            .sudo()
            .search(
                [
                    ("executor_id", "in", self.ids),
                    ("date_from", "<=", day),
                    ("date_to", ">=", day),
                ]
            )
        )

    def _get_responsible_users(self, day=None, absences=None):
        """Users who act for these executors on ``day``: present members, and the
        substitutes of absent ones; the head when the executor has no member.
        ``absences`` (a superset is fine) saves the search when callers batch."""
        if absences is None:
            absences = self._get_absences(day)
        users = self.env["res.users"]
        for executor in self:
            lines = absences.filtered(lambda a, e=executor: a.executor_id == e)
            absent = lines.user_id
            acting = (executor.member_ids - absent) | lines.substitute_user_id
            if not acting and executor.head_user_id:
                acting = executor.head_user_id
                if executor.head_user_id in absent:
                    acting = lines.filtered(
                        lambda a, e=executor: a.user_id == e.head_user_id
                    ).substitute_user_id
            users |= acting
        return users.filtered("active")

    @api.depends("member_ids", "head_user_id", "substitute_ids")
    @api.depends_context("uid")
    def _compute_responsible_user_ids(self):
        for executor in self:
            executor.responsible_user_ids = executor._get_responsible_users()

    @api.model
    def _search_responsible_user_ids(self, operator, value):
        """Executors a user belongs to or substitutes for today; used by the
        record rules, so it is evaluated at query time, not cached per day."""
        if operator not in ("in", "="):
            return NotImplemented
        user_ids = value if isinstance(value, list | tuple) else [value]
        today = fields.Date.context_today(self)
        substitutes = (
            self.env["social.executor.substitute"]
            .sudo()
            ._search(
                [
                    ("substitute_user_id", "in", user_ids),
                    ("date_from", "<=", today),
                    ("date_to", ">=", today),
                ]
            )
        )
        return [
            "|",
            "|",
            ("member_ids", "in", user_ids),
            ("head_user_id", "in", user_ids),
            ("id", "in", substitutes.subselect("executor_id")),
        ]

    def _compute_open_assignment_count(self):
        counts = dict(
            self.env["social.incident.assignment"]._read_group(
                [
                    ("executor_id", "in", self.ids),
                    ("state", "in", ("sent", "accepted")),
                ],
                ["executor_id"],
                ["__count"],
            )
        )
        for executor in self:
            executor.open_assignment_count = counts.get(executor, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_routed(self):
        """Incidents were routed to it: their history names it. Archive it instead."""
        # sudo: only counts the routings that name it, whoever deletes it (ACL: administrators)
        routed = (
            self.env["social.incident.assignment"]
            .sudo()
            .search_count([("executor_id", "in", self.ids)], limit=1)
        )
        if routed:
            raise UserError(
                self.env._(
                    "Incidents were routed to this executor: archive it instead of deleting it."
                )
            )

    def action_view_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "social_incidents.social_incident_action"
        )
        action["domain"] = [("assignment_ids.executor_id", "=", self.id)]
        action["context"] = {}
        return action

    def _user_acts_for(self, user=None):
        """Whether ``user`` (the current one by default) may act for this
        executor today: as a member, its head, or a substitute in force."""
        self.ensure_one()
        user = user or self.env.user
        if user in self.member_ids or user == self.head_user_id:
            return True
        return user in self._get_absences().substitute_user_id
