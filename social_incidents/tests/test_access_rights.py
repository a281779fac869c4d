from odoo.exceptions import AccessError, UserError

from .common import SocialIncidentsCase


class TestAccessRights(SocialIncidentsCase):
    def test_executor_reads_only_what_was_routed_to_it(self):
        housing_incident = self.routed()
        roads_incident = self.routed(executors=self.roads)
        new_incident = self.register()
        Incident = self.Incident.with_user(self.housing_user)
        self.assertEqual(Incident.search([]), housing_incident)
        with self.assertRaises(AccessError):
            roads_incident.with_user(self.housing_user).read(["text"])
        with self.assertRaises(AccessError):
            new_incident.with_user(self.housing_user).read(["text"])
        self.assertEqual(self.Incident.with_user(self.outsider).search([]), self.Incident)

    def test_curator_and_head_read_everything(self):
        incidents = self.routed() | self.routed(executors=self.roads) | self.register()
        for user in (self.curator, self.head):
            found = self.Incident.with_user(user).search([("id", "in", incidents.ids)])
            self.assertEqual(found, incidents)

    def test_head_cannot_change_anything(self):
        incident = self.routed()
        with self.assertRaises(AccessError):
            incident.with_user(self.head).write({"importance": "high"})
        with self.assertRaises(AccessError):
            self.Incident.with_user(self.head).create({"text": "x"})
        with self.assertRaisesRegex(UserError, "Only a curator"):
            incident.with_user(self.head).action_route(self.roads)

    def test_executor_cannot_register_or_edit_incidents(self):
        incident = self.routed()
        with self.assertRaises(AccessError):
            self.Incident.with_user(self.housing_user).create({"text": "x"})
        with self.assertRaises(AccessError):
            incident.with_user(self.housing_user).write({"importance": "high"})

    def test_drafts_are_private_to_their_executor(self):
        incident = self.register()
        incident.with_user(self.curator).action_route(self.housing | self.roads, lead=self.housing)
        reply = self.draft(incident)
        Reply = self.Reply.with_user(self.roads_user)
        self.assertFalse(Reply.search([("incident_id", "=", incident.id)]))
        self.assertEqual(
            self.Reply.with_user(self.housing_user2).search([("incident_id", "=", incident.id)]),
            reply,
        )
        with self.assertRaises(AccessError):
            reply.with_user(self.roads_user).write({"body": "чужой"})
        reply.with_user(self.housing_user).action_submit()
        # Once submitted, everyone working on the incident sees it.
        self.assertEqual(Reply.search([("incident_id", "=", incident.id)]), reply)

    def test_other_company_is_invisible(self):
        other = self.env["res.company"].create({"name": "Соседний район"})
        incident = self.Incident.create({"text": "Чужое", "company_id": other.id})
        self.assertFalse(self.Incident.with_user(self.curator).search([("id", "=", incident.id)]))
        self.assertFalse(self.Incident.with_user(self.head).search([("id", "=", incident.id)]))

    def test_configuration_is_for_administrators(self):
        with self.assertRaises(AccessError):
            self.env["social.executor"].with_user(self.curator).create({"name": "X"})
        with self.assertRaises(AccessError):
            self.env["social.return.reason"].with_user(self.curator).create({"name": "X"})
        # Curators keep substitutes up to date.
        self.env["social.executor.substitute"].with_user(self.curator).create(
            {
                "executor_id": self.housing.id,
                "user_id": self.housing_user.id,
                "substitute_user_id": self.housing_user2.id,
                "date_from": "2026-01-01",
                "date_to": "2026-01-10",
            }
        )
