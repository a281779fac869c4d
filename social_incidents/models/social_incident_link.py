from odoo import SUPERUSER_ID, api, fields, models, tools
from odoo.exceptions import UserError

from ..tools import links

# Namespace of the dedupe locks (the two-key form of PostgreSQL's advisory locks, apart
# from every one-key lock) and the number of buckets the messages share.
LOCK_CLASS = 15015
LOCK_BUCKETS = 256


class SocialIncident(models.Model):
    """The message link read (network, official page, message id) and a
    message registered once in an administration: by its id and by its link."""

    _inherit = "social.incident"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    url_key = fields.Char(
        string="Normalized Link",
        compute="_compute_url_key",
        store=True,
        index=True,
        copy=False,
        help="The message link as incidents are compared by; empty when the link names "
        "no message (a page, a profile).",
    )

    @api.depends("url")
    def _compute_url_key(self):
        for incident in self:
            incident.url_key = links.normalize_link(incident.url) or False

    # ------------------------------------------------------------------
    # Reading the link
    # ------------------------------------------------------------------
    @api.model
    def _link_account(self, company, link):
        """The official page of ``company`` the parsed ``link`` was found on, or
        an empty recordset."""
        account_id = self._link_page_index(company.id, link.network).get(link.page.lower())
        return self.env["social.account"].browse(account_id)

    @api.model
    @tools.ormcache("company_id", "network")
    def _link_page_index(self, company_id, network):
        """{page key: official page id} of the company's pages of ``network``, the first
        page in the registry's order winning; cached (an import reads thousands of links)
        and cleared when the registry changes (social_account.py)."""
        # sudo: only the ids of the company's own pages leave this method, whoever
        # registers (an import or a push endpoint may not read the registry)
        accounts = (
            self.env["social.account"]
            .sudo()
            .search([("company_id", "=", company_id), ("network", "=", network)])
        )
        index = {}
        for account in accounts:
            keys = {links.page_key(account.url)}
            if account.external_id:
                external_id = account.external_id.strip().lower()
                keys |= {external_id, external_id.lstrip("-")}
            for key in keys:
                if key:
                    index.setdefault(key, account.id)
        return index

    @api.model
    def _vals_company(self, vals):
        """The company ``vals`` register in, when the caller may register there
        (else an empty recordset: another company's pages and incidents are
        never looked at; create() refuses the company itself)."""
        company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
        if not self.env.su and company not in self.env.user.company_ids:
            return self.env["res.company"]
        return company

    @api.model
    def _link_values(self, vals):
        """What the link of ``vals`` tells and ``vals`` lack: network, official
        page, message id. Values given win; a link of another network than the
        one given tells nothing."""
        link = links.parse_link(vals.get("url"))
        if not link:
            return {}
        network = vals.get("network")
        if vals.get("account_id") and not network:
            # sudo: the page's network only; create() checks the page's company
            network = self.env["social.account"].sudo().browse(vals["account_id"]).network
        if network and network != link.network:
            return {}
        filled = {}
        if not network:
            filled["network"] = link.network
        company = self._vals_company(vals)
        if not vals.get("account_id") and company:
            account = self._link_account(company, link)
            if account:
                filled["account_id"] = account.id
        if not (vals.get("external_id") or "").strip():
            filled["external_id"] = link.external_id
        return filled

    @api.onchange("url")
    def _onchange_url_read_link(self):
        """A pasted link fills the network, the official page and, when empty,
        the message id."""
        link = links.parse_link(self.url)
        if not link:
            return
        if "://" not in self.url:
            self.url = "https://" + self.url.strip().lstrip("/")
        self.network = link.network
        account = self._link_account(self.company_id or self.env.company, link)
        if account:
            self.account_id = account
        elif self.account_id.network != link.network:
            self.account_id = False
        if not self.external_id:
            self.external_id = link.external_id

    # ------------------------------------------------------------------
    # Dedupe
    # ------------------------------------------------------------------
    def _dedupe_keys(self, vals_list):
        """(company id, network, page id, message id, normalized link) of each
        vals, read as create() reads them."""
        prepared = []
        for vals in vals_list:
            vals = {**vals, **self._link_values(vals)}
            network = vals.get("network")
            if not network and vals.get("account_id"):
                # sudo: the page's network only, as create() reads it
                network = self.env["social.account"].sudo().browse(vals["account_id"]).network
            prepared.append(
                (
                    self._vals_company(vals).id or 0,
                    network or "vk",
                    vals.get("account_id") or False,
                    (vals.get("external_id") or "").strip() or False,
                    links.normalize_link(vals.get("url")) or False,
                )
            )
        return prepared

    @staticmethod
    def _same_message(key, other):
        """Do two dedupe keys name one message? Same page and message id, or
        same link unless both carry different message ids (the OK connector
        gives every comment of a topic the topic's link)."""
        if key[0] != other[0]:
            return False
        if key[3] and key[1:4] == other[1:4]:
            return True
        return (
            bool(key[4]) and key[4] == other[4] and not (key[3] and other[3] != key[3] and other[3])
        )

    def _match_duplicates(self, prepared, exclude_ids=()):
        """The earliest incident (sudo) each prepared key duplicates, in one query."""
        # sudo: the caller learns at most the number of an incident of its own company
        Incident = self.sudo().with_context(active_test=False)
        companies = list({key[0] for key in prepared if key[0]})
        ids = list({key[3] for key in prepared if key[3]})
        url_keys = list({key[4] for key in prepared if key[4]})
        if not companies or not (ids or url_keys):
            return [Incident.browse() for _key in prepared]
        domain = [("company_id", "in", companies)]
        if ids and url_keys:
            domain += ["|", ("external_id", "in", ids), ("url_key", "in", url_keys)]
        elif ids:
            domain += [("external_id", "in", ids)]
        else:
            domain += [("url_key", "in", url_keys)]
        if exclude_ids:
            domain += [("id", "not in", list(exclude_ids))]
        candidates = Incident.search_fetch(
            domain,
            ["company_id", "network", "account_id", "external_id", "url_key", "name"],
            order="id",
        )
        by_id, by_link = {}, {}
        for incident in candidates:
            key = (
                incident.company_id.id,
                incident.network,
                incident.account_id.id or False,
                incident.external_id or False,
                incident.url_key or False,
            )
            if key[3]:
                by_id.setdefault(key[:4], []).append((key, incident))
            if key[4]:
                by_link.setdefault((key[0], key[4]), []).append((key, incident))
        result = []
        for key in prepared:
            found = Incident.browse()
            rows = by_id.get(key[:4], []) + by_link.get((key[0], key[4]), [])
            for other, incident in sorted(rows, key=lambda row: row[1].id):
                if self._same_message(key, other):
                    found = incident
                    break
            result.append(found)
        return result

    @api.model
    def _find_duplicates(self, vals_list):
        """For each values of a new incident, the registered incident (of the
        same company, whatever its state, merged too) holding the same message,
        or an empty recordset; in the order of ``vals_list``. The link is read
        as create() reads it. Records are in the caller's environment: read
        their number with ``sudo()`` if the caller may not see them."""
        exclude = self.ids if self else ()
        return [
            found.with_env(self.env)
            for found in self._match_duplicates(self._dedupe_keys(vals_list), exclude)
        ]

    def _lock_dedupe_keys(self, prepared):
        """Take a transaction lock on each (company, message); True when another
        transaction held one (it may have registered the message meanwhile).

        A message's lock is one of ``LOCK_BUCKETS`` bucket locks chosen by a hash of
        its name: one message always maps to the same bucket, so two registrations of
        it wait for each other, and a 10,000-row import holds at most 256 locks (one
        lock per message overflowed PostgreSQL's lock table, ``max_locks_per_transaction``
        64 x ``max_connections`` 100: "out of shared memory"). Two messages sharing a
        bucket only wait needlessly."""
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

    def _check_external_id_unique(self, vals_list):
        """A message already registered in the administration cannot be
        registered twice there, by its id or by its link: name the incident that
        holds it. Another administration's incidents are neither revealed nor
        in the way. Concurrent registrations of one message wait for each other
        (a transaction lock per message), the second one then refused."""
        if len(self) == 1:
            vals_list = [{"url": self.url, **vals} for vals in vals_list]
        prepared = self._dedupe_keys(vals_list)
        for index, key in enumerate(prepared):
            if any(self._same_message(key, other) for other in prepared[:index]):
                raise UserError(self.env._("The same message is registered twice in one batch."))
        waited = self._lock_dedupe_keys(prepared)
        existing = [found for found in self._match_duplicates(prepared, self.ids) if found]
        if not existing and waited:
            # our snapshot predates the other registration: look again with a fresh one
            with self.env.registry.cursor() as cr:
                fresh = self.with_env(api.Environment(cr, SUPERUSER_ID, {}))
                names = [i.name for i in fresh._match_duplicates(prepared, self.ids) if i]
            if names:
                raise UserError(
                    self.env._(
                        "This message is already registered as incident %(number)s.",
                        number=names[0],
                    )
                )
        if existing:
            raise UserError(
                self.env._(
                    "This message is already registered as incident %(number)s.",
                    number=existing[0].name,
                )
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.update(self._link_values(vals))
        return super().create(vals_list)

    def write(self, vals):
        if "url" in vals:
            # social_incident.py checks the other keys; a new link is checked here
            for incident in self:
                incident._check_external_id_unique(
                    [
                        {
                            "company_id": incident.company_id.id,
                            "network": incident.network,
                            "account_id": incident.account_id.id,
                            "external_id": incident.external_id,
                            **vals,
                        }
                    ]
                )
        return super().write(vals)
