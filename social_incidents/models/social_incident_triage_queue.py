from odoo import api, fields, models

from ..tools import head_alerts
from ..tools.guard import system_method
from .helpers import scheduled_job

TRIAGE_CRON = "social_incidents.ir_cron_social_triage_pending"


class SocialIncident(models.Model):
    """The repeat and burst checks of a large intake, made by a background job right after
    it (``tools/deferred_triage.py``): the incidents are queued, and the job checks them in
    detection order, in batches, exactly as a registration one by one would."""

    _inherit = "social.incident"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    triage_pending = fields.Boolean(
        string="Checks Pending",
        readonly=True,
        copy=False,
        help="Registered by a large import: the check for repeats and bursts is being made in "
        "the background.",
    )

    @api.model
    def _get_protected_fields(self):
        return super()._get_protected_fields() | {"triage_pending"}

    def init(self):
        result = super().init()
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS social_incident_triage_pending_idx
                ON social_incident (detected_at, id) WHERE triage_pending
            """
        )
        return result

    def _queue_triage(self):
        """Queue these incidents (registered in a ``deferred_triage.deferred()`` block) for
        the job, and wake it once the caller's transaction is committed."""
        if not self:
            return
        self._write_system({"triage_pending": True})
        # sudo: waking the scheduled job (ir.cron is the administrators'); it checks its caller
        self.env.ref(TRIAGE_CRON).sudo()._trigger()

    @api.model
    @scheduled_job
    @system_method
    def _cron_triage_pending(self, batch_size=5000):
        """Check the queued incidents for repeats and bursts, the earliest detected first,
        ``batch_size`` at a time; the head gets one inbox message a batch for what it
        reports. Running it again checks nothing twice."""
        self.env.flush_all()
        # sudo: the scheduled job (private: not callable over RPC) checks every company's queue
        Incident = self.sudo().with_context(active_test=False)
        queued = Incident.search(
            [("triage_pending", "=", True)], order="detected_at, id", limit=batch_size
        )
        if not queued:
            return 0
        later = Incident.search([("triage_pending", "=", True), ("id", "not in", queued.ids)])
        with head_alerts.grouped() as alerts:
            queued._check_bursts()
            # the later queued ones get their proposals in their own batch, the best of all
            queued._detect_repeats(skip_ids=later.ids)
        queued.write({"triage_pending": False})
        Incident._send_grouped_head_alerts(alerts, origin=lambda env: env._("Imported messages"))
        self.env["ir.cron"]._notify_progress(done=len(queued), remaining=len(later))
        return len(queued)
