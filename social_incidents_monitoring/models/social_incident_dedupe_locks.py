from odoo import models

# Namespace of the dedupe locks (the two-key form of PostgreSQL's advisory locks,
# apart from every one-key lock) and the number of buckets the messages share.
LOCK_CLASS = 15015
LOCK_BUCKETS = 256


class SocialIncident(models.Model):
    """Dedupe locks a file import can hold.

    The core takes one transaction lock per message it registers (its company
    and id, its company and link), held until the transaction ends. A 10,000-row
    import holds about 20,000 of them in one transaction, more than PostgreSQL's
    lock table holds by default (``max_locks_per_transaction`` 64 x
    ``max_connections`` 100): it failed with "out of shared memory". Here each
    message's lock is one of ``LOCK_BUCKETS`` bucket locks chosen by a hash of
    its name: one message always maps to the same bucket, so two registrations
    of it still wait for each other; two different messages may share a bucket
    and then wait needlessly, which is harmless. Every caller goes through this
    method once the addon is installed, so all of them lock the same way.
    TODO(lead): belongs in the core's ``_lock_dedupe_keys`` (social_incident_link.py)."""

    _inherit = "social.incident"  # pylint: disable=consider-merging-classes-inherited

    def _lock_dedupe_keys(self, prepared):
        names = set()
        for company_id, network, account_id, external_id, url_key in prepared:
            if external_id:
                names.add(f"social.incident:{company_id}:{network}:{account_id}:{external_id}")
            if url_key:
                names.add(f"social.incident:{company_id}:{url_key}")
        if not names:
            return False
        self.env.cr.execute(
            "SELECT DISTINCT abs(hashtextextended(name, 0) %% %s)::int AS bucket "
            "FROM unnest(%s::text[]) AS name ORDER BY bucket",
            [LOCK_BUCKETS, sorted(names)],
        )
        buckets = [row[0] for row in self.env.cr.fetchall()]
        waited = False
        for bucket in buckets:  # one order everywhere: no deadlock
            self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_CLASS, bucket])
            if not self.env.cr.fetchone()[0]:
                waited = True
                self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, bucket])
        return waited
