from odoo import api, models
from odoo.exceptions import UserError

from ..tools import guard

# Fields the platform itself writes on any record (chatter, activities, bookkeeping).
_PLATFORM_FIELDS = {"id", "display_name", "create_uid", "create_date", "write_uid", "write_date"}


class SocialProtectedMixin(models.AbstractModel):
    """Fields that change only inside the workflow (``tools/guard.py``).

    ``_protected_fields`` names them, or is ``"__all__"`` for a record that is history
    through and through (a routing line, a review, a deadline row, a violation): every field
    but the platform's (chatter, activities). Outside the workflow's permit, ``create`` and
    ``write`` refuse them whatever the context, ``default_<field>`` context keys are dropped,
    and ``unlink`` of an ``"__all__"`` record is refused. Like ``hr.leave.write()``, this
    holds for every caller: no context key unlocks it."""

    _name = "social.protected.mixin"
    _description = "Fields Changed by the Workflow Only"

    _protected_fields = ()
    # Protected fields a client may give when it creates the record (its parent, say).
    _protected_fields_creatable = ()

    @api.model
    def _get_protected_fields(self):
        if self._protected_fields != "__all__":
            return set(self._protected_fields)
        platform = set(_PLATFORM_FIELDS)
        for mixin in ("mail.thread", "mail.activity.mixin"):
            if mixin in self.env:
                platform |= set(self.env[mixin]._fields)
        return set(self._fields) - platform

    def _guard_active(self):
        # While modules load (data files, demo data) nobody is connected: the loader writes.
        return self.pool.ready and not guard.permitted()

    def _refuse_protected(self, names):
        labels = ", ".join(
            sorted(self._fields[name].get_description(self.env)["string"] for name in names)
        )
        raise UserError(
            self.env._(
                "%(model)s: %(fields)s change only through the workflow's buttons.",
                model=self.env["ir.model"]._get(self._name).name,
                fields=labels,
            )
        )

    @api.model
    def _without_protected_defaults(self):
        """This model with the context's ``default_<protected field>`` keys dropped."""
        protected = self._get_protected_fields() - set(self._protected_fields_creatable)
        context = self.env.context
        if not any(key.startswith("default_") and key[8:] in protected for key in context):
            return self
        return self.with_context(  # pylint: disable=context-overridden  # drops keys: a new context
            {
                k: v
                for k, v in context.items()
                if not (k.startswith("default_") and k[8:] in protected)
            }
        )

    @api.model
    def _check_protected_create(self, vals_list):
        if self._guard_active():
            protected = self._get_protected_fields() - set(self._protected_fields_creatable)
            given = set().union(*(protected & set(vals) for vals in vals_list))
            if given:
                self._refuse_protected(given)

    @api.model_create_multi
    def create(self, vals_list):
        self = self._without_protected_defaults()
        self._check_protected_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if self._guard_active():
            given = self._get_protected_fields() & set(vals)
            if given:
                self._refuse_protected(given)
        return super().write(vals)

    def unlink(self):
        if self._protected_fields == "__all__" and self._guard_active():
            raise UserError(
                self.env._(
                    "%(model)s is a record of what happened: it is never deleted by hand.",
                    model=self.env["ir.model"]._get(self._name).name,
                )
            )
        return super().unlink()

    def _allowed(self, check, *args):
        """Whether the check method ``check`` (a ``_check_*`` that raises
        ``UserError``) passes: what a button shows is what its method allows."""
        if not self.ids:
            return False
        try:
            getattr(self, check)(*args)
        except UserError:
            return False
        return True

    def _write_system(self, vals):
        """Write protected fields from the workflow's own code (after its checks)."""
        with guard.system_write():
            # sudo: the caller (an action_* or a job) ran its checks before calling this
            return self.sudo().write(vals)
