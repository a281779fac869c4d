"""Russian in every message: what the server writes (jobs, the install's demo
history) is in the company users' language, and the demo history is dated
when each step happened."""

import html
import re
from datetime import timedelta
from pathlib import Path

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

from odoo.addons.social_incidents.tools import clock

ADDONS = ("social_incidents", "social_incidents_vk", "social_incidents_reports")
# %s, %d, %(name)s: the literal parts of a msgid around them are what a text shows
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[sdfr]")


def english_fragments(addons=ADDONS, lang="ru"):
    """The English texts of the addons' .po files that must never reach a
    Russian user: the literal fragments (between format placeholders) of the
    translated msgids, long enough to mean something (≥ 12 characters with a
    space)."""
    fragments = set()
    for addon in addons:
        path = get_module_path(addon)
        po_path = Path(path or "", "i18n", f"{lang}.po")
        if not path or not po_path.is_file():
            continue
        for entry in polib.pofile(str(po_path)):
            if not entry.msgstr or entry.msgstr == entry.msgid:
                continue
            for part in PLACEHOLDER.split(entry.msgid):
                part = " ".join(part.split())
                if len(part) >= 12 and " " in part:
                    fragments.add(part)
    return fragments


def plain(text):
    """The text a user reads: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", str(text or ""))).split())


def english_found(texts, fragments):
    """[(English fragment, where)] for every text holding one."""
    found = []
    for where, text in texts:
        readable = plain(text)
        for fragment in fragments:
            if fragment in readable:
                found.append((fragment, where, readable[:160]))
    return found


def company_texts(env, company):
    """(where, text) of the chatter and the activities of the company's records
    of the addons: message bodies and subjects, tracked values, activity
    summaries and notes, the names of the missed deadlines."""
    texts = []
    models = [name for name in env.registry if name.startswith("social.")]
    Message = env["mail.message"].sudo()
    messages = Message.search([("model", "in", models)])
    by_model = {}
    for message in messages:
        by_model.setdefault(message.model, set()).add(message.res_id)
    in_company = set()
    for model, ids in by_model.items():
        records = env[model].sudo().with_context(active_test=False).browse(list(ids)).exists()
        if "company_id" in records._fields:
            records = records.filtered(lambda r: r.company_id in (company, env["res.company"]))
        in_company |= {(model, rid) for rid in records.ids}
    for message in messages:
        if (message.model, message.res_id) not in in_company:
            continue
        where = f"{message.model},{message.res_id} message {message.id}"
        texts += [(where, message.body), (where, message.subject)]
        for value in message.sudo().tracking_value_ids:
            texts += [(where, value.old_value_char), (where, value.new_value_char)]
    activities = env["mail.activity"].sudo().search([("res_model", "in", models)])
    for activity in activities:
        if (activity.res_model, activity.res_id) in in_company or not by_model.get(
            activity.res_model
        ):
            where = f"activity {activity.id} of {activity.res_model},{activity.res_id}"
            texts += [(where, activity.summary), (where, activity.note)]
    violations = env["social.sla.violation"].sudo().search([("company_id", "=", company.id)])
    texts += [(f"missed deadline {v.id}", v.name) for v in violations]
    return texts


@tagged("post_install", "-at_install")
class TestLanguage(TransactionCase):
    """On the installed demo (Russian users), with no user's language in the
    context, as jobs run."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context={})  # a job's environment: no language
        cls.company = cls.env.ref("base.main_company")
        cls.fragments = english_fragments()

    def run_watchdog(self, days=3):
        """The watchdog a few days from now: every open step is missed."""
        before = self.env["social.sla.violation"].search_count([])
        with clock.frozen_at(clock.now() + timedelta(days=days)):
            self.env["social.incident.deadline"]._cron_watchdog(10000)
        recorded = self.env["social.sla.violation"].search_count([]) - before
        self.assertGreater(recorded, 0, "the watchdog recorded missed deadlines")
        return recorded

    def test_fragments_are_read_from_the_po_files(self):
        self.assertIn("Deadline missed:", self.fragments)
        self.assertIn("Reply Published (Total)", self.fragments)
        self.assertIn("The author edited the comment. Before:", self.fragments)
        self.assertIn("Missed deadline excused:", self.fragments)

    def test_company_language(self):
        self.assertEqual(self.company._social_lang(), "ru_RU")
        self.company.social_curator_id.lang = "en_US"
        self.assertEqual(
            self.company._social_lang(), "en_US", "the default curator's language first"
        )

    def test_demo_history_and_watchdog_write_russian(self):
        self.run_watchdog()
        found = english_found(company_texts(self.env, self.company), self.fragments)
        self.assertFalse(found, f"{len(found)} English texts, e.g. {found[:5]}")
        # what the watchdog wrote: the note, and each person's activity
        violation = self.env["social.sla.violation"].search([], order="id desc", limit=1)
        note = violation.incident_id.message_ids.filtered(
            lambda m: "Нарушен срок:" in (m.body or "")
        )
        self.assertTrue(note, "the watchdog's note is in Russian")
        overdue = self.env["mail.activity"].search(
            [
                ("res_model", "=", "social.incident"),
                ("res_id", "=", violation.incident_id.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("social_incidents.mail_act_social_overdue").id,
                ),
            ]
        )
        self.assertTrue(overdue)
        self.assertTrue(
            all(a.summary.startswith("Нарушен срок: ") for a in overdue), overdue.mapped("summary")
        )

    def test_activity_in_recipients_language(self):
        """A recipient reading English gets the activity in English; the note
        in the chatter stays in the company's language."""
        curator = self.env.ref("social_incidents.user_demo_curator")
        curator.lang = "en_US"
        self.company.social_curator_id = self.env.ref("social_incidents.user_demo_head")
        last = self.env["mail.activity"].search([], order="id desc", limit=1).id
        self.run_watchdog()
        mine = self.env["mail.activity"].search(
            [
                ("id", ">", last),
                ("user_id", "=", curator.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("social_incidents.mail_act_social_overdue").id,
                ),
            ]
        )
        self.assertTrue(mine)
        self.assertTrue(all(a.summary.startswith("Missed: ") for a in mine), mine.mapped("summary"))
        bodies = self.env["social.incident"].browse(mine[:1].res_id).message_ids.mapped("body")
        self.assertTrue(any("Нарушен срок:" in body for body in bodies))

    def test_demo_history_is_dated_when_it_happened(self):
        demo = self.env["social.incident"].search([("registered_at", "!=", False)])
        walked = demo.filtered(lambda i: i.reply_ids.filtered("published_at"))
        self.assertGreater(len(walked), 20)
        install_day = max(demo.mapped("create_date"))
        for incident in walked:
            first = incident.message_ids.sorted("id")[:1]
            self.assertEqual(first.date, incident.registered_at, f"{incident.name}: registration")
            for reply in incident.reply_ids.filtered("published_at"):
                told = incident.message_ids.filtered(
                    lambda m, r=reply: r.published_url in plain(m.body)
                )
                self.assertTrue(told, f"{incident.name}: publication told")
                self.assertEqual(set(told.mapped("date")), {reply.published_at}, incident.name)
        # the history spans the two months before the install, not the install's minutes
        dates = walked.message_ids.mapped("date")
        self.assertLess(min(dates), install_day - timedelta(days=28))
