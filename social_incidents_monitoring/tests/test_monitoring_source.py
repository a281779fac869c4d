"""Who may keep the monitoring systems, and that an incident's monitoring system is
written by the intake only."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.social_incidents.tools import guard


class TestMonitoringSource(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US", mail_notify_force_send=False))
        cls.curator = new_test_user(
            cls.env,
            login="mon_curator",
            groups="base.group_user,social_incidents.group_social_curator",
        )
        cls.admin = new_test_user(
            cls.env,
            login="mon_admin",
            groups="base.group_user,social_incidents.group_social_admin",
        )
        cls.source = cls.env["social.monitoring.source"].create({"name": "Region's monitoring"})
        cls.company_b = cls.env["res.company"].create({"name": "Municipality B"})
        cls.source_b = (
            cls.env["social.monitoring.source"]
            .with_company(cls.company_b)
            .create({"name": "B's monitoring", "company_id": cls.company_b.id})
        )

    def test_curator_reads_admin_keeps(self):
        Source = self.env["social.monitoring.source"]
        self.assertEqual(
            Source.with_user(self.curator).search([]).mapped("name").count("Region's monitoring"), 1
        )
        with self.assertRaises(AccessError):
            Source.with_user(self.curator).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.source.with_user(self.curator).write({"name": "Renamed"})
        self.source.with_user(self.admin).write({"name": "Renamed"})
        self.assertEqual(self.source.name, "Renamed")
        # another municipality's systems are not listed
        self.assertNotIn(self.source_b, Source.with_user(self.admin).search([]))

    def test_source_of_an_incident_is_the_intakes(self):
        Incident = self.env["social.incident"].with_user(self.curator)
        with self.assertRaises(UserError):
            Incident.create({"text": "Яма у дома 5", "monitoring_source_id": self.source.id})
        # a context default is dropped, not applied
        typed = Incident.with_context(default_monitoring_source_id=self.source.id).create(
            {"text": "Яма у дома 7"}
        )
        self.assertFalse(typed.monitoring_source_id)
        with self.assertRaises(UserError):
            typed.write({"monitoring_source_id": self.source.id})
        self.assertFalse(typed.monitoring_source_id)
        with guard.system_write():
            found = Incident.sudo().create(
                {"text": "Яма у дома 9", "monitoring_source_id": self.source.id}
            )
        self.assertEqual(found.monitoring_source_id, self.source)
        self.assertEqual(self.source.incident_count, 1)
