"""Helpers shared by the models of the addon and the addons built on it."""

import functools
import logging

import psycopg2.errors

from odoo import fields, modules
from odoo.exceptions import AccessError, UserError
from odoo.sql_db import TestCursor
from odoo.tools import SQL

from .constants import ADMIN_GROUP

_logger = logging.getLogger(__name__)

# Models whose dialogs upload files before the record they end on exists.
UPLOAD_MODELS = (
    "social.incident.step.wizard",
    "social.incident.reply",
    "social.incident.assignment",
    "social.account.post",
)


def in_company_lang(records, company=None):
    """``records`` in the language the server must write in: the user's when
    the request carries one (the web client does), else, in jobs, webhooks and
    the install, the language of the company's users (``company`` or the
    records' own)."""
    if records.env.context.get("lang"):
        return records
    if company is None:
        company = records.company_id if "company_id" in records._fields else records.env.company
    return records.with_context(lang=company[:1].sudo()._social_lang())


def schedule_for_administrators(records, act_type_xmlid, summary, note):
    """Give every active administrator of the incidents an activity of type
    ``act_type_xmlid`` on each record, unless they already have one;
    ``summary(record)`` and ``note(record)`` say what to do, in the
    administrator's language (``record.env.lang``)."""
    env = records.env
    activity_type = env.ref(act_type_xmlid)
    admins = env.ref(ADMIN_GROUP).sudo().users.filtered(lambda u: u.active and not u.share)
    for record in records:
        have = record.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).user_id
        for admin in admins - have:
            target = record.with_context(lang=admin.lang or record.env.lang)
            target.activity_schedule(
                act_type_xmlid=act_type_xmlid,
                user_id=admin.id,
                summary=summary(target),
                note=note(target),
            )


def log_head_alerts(records, heads, act_type_xmlid, bodies, summaries, notes):
    """Report ``records`` to ``heads`` in two batches, for a grouped alert
    (``tools/head_alerts.py``): a note in each record's chatter (``bodies``: {id: html})
    and an activity of type ``act_type_xmlid`` for each head on each record
    (``summaries``, ``notes``: {id: text}); the inbox message is the caller's."""
    env = records.env
    records._message_log_batch(bodies=bodies, author_id=env.ref("base.partner_root").id)
    type_id = env.ref(act_type_xmlid).id
    model_id = env["ir.model"]._get_id(records._name)
    today = fields.Date.context_today(records)
    vals_list = [
        {
            "res_model_id": model_id,
            "res_id": record.id,
            "activity_type_id": type_id,
            "user_id": head.id,
            "summary": summaries[record.id],
            "note": notes[record.id],
            "date_deadline": today,
            "automated": True,
        }
        for record in records
        for head in heads
    ]
    # sudo: the heads' activities on records the server is reporting (the caller has the
    # write permit); one create, and no assignment e-mail each: the inbox message is grouped
    env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(vals_list)


def act_window(
    res_model, res_id=None, name=None, target="current", context=None, domain=None, views=None
):
    """The client action that opens ``res_model``: one record's form when
    ``res_id`` is given (``False``: a new record), else the list (and form) of
    ``domain``."""
    action = {
        "type": "ir.actions.act_window",
        "res_model": res_model,
        "target": target,
        "context": context or {},
    }
    if res_id is not None:
        action.update(res_id=res_id, view_mode="form", views=views or [(False, "form")])
    else:
        action.update(
            view_mode="list,form",
            views=views or [(False, "list"), (False, "form")],
            domain=domain or [],
        )
    if name:
        action["name"] = name
    return action


def check_own_new_attachments(env, attachments, record=None):
    """Refuse files that are not the caller's own new uploads: an attachment
    given to a dialog or a draft must have been uploaded by the caller and be
    linked to no record yet (or to ``record`` itself)."""
    # sudo: reads who uploaded each file and where it is linked, to refuse what is not the caller's
    for attachment in attachments.sudo():
        linked_elsewhere = attachment.res_id and not (
            record and attachment.res_model == record._name and attachment.res_id == record.id
        )
        if (
            attachment.create_uid.id != env.uid
            or linked_elsewhere
            or (attachment.res_model and attachment.res_model not in UPLOAD_MODELS)
        ):
            raise UserError(
                env._("Only files you have just uploaded can be attached: %s.", attachment.name)
            )


def scheduled_job(method):
    """A scheduled action's method: run by the scheduler (as the superuser) or
    triggered by hand by a settings administrator; refused to anyone else."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if not (self.env.su or self.env.user._is_system()):
            raise AccessError(self.env._("Only the scheduler or an administrator runs this job."))
        return method(self, *args, **kwargs)

    return wrapper


def read_committed(cr):
    """Make a public endpoint's transaction READ COMMITTED before it writes: a
    concurrent delivery's committed rows are then seen once its lock is taken,
    and a counter is incremented in place, where REPEATABLE READ would fail the
    statement and retry the request. Only reads happened before (the routing)."""
    if isinstance(cr, TestCursor):
        return  # the tests' shared transaction: already begun
    if cr._cnx.info.transaction_status != 0:  # TRANSACTION_STATUS_IDLE
        cr.commit()  # pylint: disable=invalid-commit  # ends a read-only transaction
    cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")


def lock_row(record):
    """Lock ``record``'s row until the end of the transaction (a reply or a post being
    published); False when another transaction holds it. Re-reads the record after the
    lock: what another worker committed counts. A row changed by another worker since
    this transaction began fails here (serialization): the request is retried by Odoo,
    a job skips the record."""
    record.ensure_one()
    record.flush_recordset()
    record.env.cr.execute(
        SQL(
            "SELECT id FROM %s WHERE id = %s FOR UPDATE SKIP LOCKED",
            SQL.identifier(record._table),
            record.id,
        ),
        log_exceptions=False,
    )
    locked = bool(record.env.cr.fetchone())
    if locked:
        record.invalidate_recordset()
    return locked


def lock_if_due(record, due_domain):
    """A publishing job's check of one record: its row locked (``lock_row``) and
    still matching ``due_domain`` after the lock. False when another worker holds
    the row, changed it since this transaction began, or has dealt with it."""
    try:
        with record.env.cr.savepoint(flush=False):
            locked = lock_row(record)
    except (psycopg2.errors.SerializationFailure, psycopg2.errors.LockNotAvailable):
        return False
    return locked and bool(record.filtered_domain(due_domain))


def each_in_own_transaction(records, unit, what):
    """A scheduled job's batch: ``unit(record)`` for each record, each in its own
    transaction outside tests (what was done before is committed first, so that
    the next lock and reading see what other workers committed), in a savepoint:
    a failure is logged as "<model> <id>: <what> failed" and the others go on."""
    auto_commit = not modules.module.current_test
    cr = records.env.cr
    for record in records:
        if auto_commit:
            cr.commit()  # pylint: disable=invalid-commit  # a cron's batch
        try:
            with cr.savepoint():
                unit(record)
        except Exception:  # noqa: BLE001 - the next run tries it again; the others go on
            _logger.exception("%s %s: %s failed", record._description, record.id, what)
    if auto_commit:
        cr.commit()  # pylint: disable=invalid-commit  # a cron's batch
