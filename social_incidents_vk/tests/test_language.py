"""Russian in every message: on the installed demo, the connector's job and
the watchdog, which run with no user's language, write in the company's."""

from datetime import timedelta

from odoo.tests import TransactionCase, tagged

from odoo.addons.social_incidents.tests.test_language import (
    company_texts,
    english_found,
    english_fragments,
)
from odoo.addons.social_incidents.tools import clock


@tagged("post_install", "-at_install")
class TestConnectorLanguage(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context={})  # a job's environment: no language
        cls.company = cls.env.ref("base.main_company")
        cls.page = cls.env.ref("social_incidents.social_account_demo_vk")

    def event(self, event_id, event_type, comment):
        Event = self.env["social.inbound.event"]
        payload = {
            "type": event_type,
            "event_id": event_id,
            "group_id": 187654321,
            "object": comment,
        }
        return Event.browse(Event._store(self.page, "vk", event_id, event_type, payload))

    def test_connector_and_watchdog_write_russian(self):
        comment = {
            "id": 9001,
            "from_id": 31337,
            "post_id": 2358,
            "owner_id": -187654321,
            "text": "У дома 12 по Волгоградской третий день нет света в подъезде.",
            "date": 1764000000,
        }
        new = self.event("lang-test-1", "wall_reply_new", comment)
        self.env["social.inbound.event"]._cron_process()
        self.assertEqual(new.state, "done")
        incident = new.incident_id
        self.assertEqual(incident.company_id, self.company)
        edit = self.event(
            "lang-test-2", "wall_reply_edit", dict(comment, text="Исправлено: у дома 14.")
        )
        self.env["social.inbound.event"]._cron_process()
        self.assertEqual(incident.text, "Исправлено: у дома 14.")
        with clock.frozen_at(clock.now() + timedelta(days=3)):
            self.env["social.incident.deadline"]._cron_watchdog(10000)
        self.assertTrue(incident.violation_ids, "the new incident's routing is missed too")
        texts = company_texts(self.env, self.company)
        texts += [(f"event {e.id}", e.note) for e in new | edit]
        found = english_found(texts, english_fragments())
        self.assertFalse(found, f"{len(found)} English texts, e.g. {found[:5]}")
        self.assertTrue(
            incident.message_ids.filtered(
                lambda m: "Автор изменил комментарий. Было:" in (m.body or "")
            ),
            incident.message_ids.mapped("body"),
        )
        self.assertEqual((new.note, edit.note), ("Инцидент зарегистрирован", "Текст обновлён"))
