"""Two municipalities in one database, side by side: each sees, blocks and
reuses only its own."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.social_incidents.tools import guard


def two_companies(cls):
    """District A (the current company) and a new District B, on the class."""
    cls.env = cls.env(context=dict(cls.env.context, lang="en_US", mail_notify_force_send=False))
    cls.company_a = cls.env.company
    cls.company_b = cls.env["res.company"].create({"name": "District B"})


@tagged("post_install", "-at_install")
class TestMultiCompany(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        two_companies(cls)
        cls.company_b._apply_social_sla_preset("lya")

        def user(login, company, group="group_social_curator"):
            return new_test_user(
                cls.env,
                login=login,
                groups=f"base.group_user,social_incidents.{group}",
                company_id=company.id,
                company_ids=[(6, 0, company.ids)],
            )

        cls.curator_a = user("mc_curator_a", cls.company_a)
        cls.curator_b = user("mc_curator_b", cls.company_b)
        cls.executor_user_a = user("mc_exec_a", cls.company_a, "group_social_executor")
        cls.executor_a = cls.env["social.executor"].create(
            {
                "name": "Housing A",
                "company_id": cls.company_a.id,
                "member_ids": [(6, 0, cls.executor_user_a.ids)],
            }
        )
        cls.author_a = cls.env["social.author"].create(
            {
                "name": "Автор А",
                "network": "vk",
                "external_id": "555",
                "company_id": cls.company_a.id,
            }
        )
        cls.location_a = cls.env["social.incident.location"].create(
            {"name": "Улица района А", "company_id": cls.company_a.id}
        )

    def register(self, curator, **vals):
        values = {
            "network": "vk",
            "source": "monitoring",
            "text": "Во дворе третий день не вывозят мусор.",
            "external_id": "wall-77_1_9",
        }
        values.update(vals)
        return (
            self.env["social.incident"]
            .with_user(curator)
            .with_company(curator.company_id)
            .create(values)
        )

    def test_same_message_registered_in_each_company(self):
        incident_a = self.register(self.curator_a)
        incident_b = self.register(self.curator_b)
        self.assertEqual(incident_a.company_id, self.company_a)
        self.assertEqual(incident_b.company_id, self.company_b)
        self.assertEqual(incident_b.external_id, incident_a.external_id)
        # within a company the message is still registered once
        with self.assertRaisesRegex(UserError, "already registered"):
            self.register(self.curator_a)

    def test_other_company_number_is_never_revealed(self):
        incident_a = self.register(self.curator_a)
        incident_b = self.register(self.curator_b)
        with self.assertRaises(UserError) as caught:
            self.register(self.curator_b)
        message = str(caught.exception)
        self.assertIn(incident_b.name, message)
        self.assertNotIn(incident_a.name, message)
        # an edit that would copy A's message id in B is judged in B only
        other_b = self.register(self.curator_b, external_id="wall-77_1_10")
        with self.assertRaises(UserError) as caught:
            other_b.with_user(self.curator_b).write({"external_id": "wall-77_1_9"})
        self.assertNotIn(incident_a.name, str(caught.exception))

    def test_company_b_never_reuses_an_author_of_a(self):
        Author = self.env["social.author"].sudo()
        author_b = Author.with_company(self.company_b)._find_or_create("vk", "555", "Автор Б")
        self.assertNotEqual(author_b, self.author_a)
        self.assertEqual(author_b.company_id, self.company_b)
        self.assertEqual(author_b.name, "Автор Б")
        self.assertEqual(
            Author.with_company(self.company_a)._find_or_create("vk", "555"), self.author_a
        )
        self.assertEqual(Author._find_or_create("vk", "555", company=self.company_b), author_b)

    def test_policy_lines_of_another_company_are_hidden(self):
        Line = self.env["social.sla.policy.line"]
        lines_a = Line.search([("company_id", "=", self.company_a.id)])
        self.assertTrue(lines_a)
        seen = Line.with_user(self.curator_b).search([])
        self.assertTrue(seen, "B's curator reads B's deadlines")
        self.assertEqual(seen.company_id, self.company_b)
        with self.assertRaises(AccessError):
            lines_a[:1].with_user(self.curator_b).read(["duration"])

    def test_links_to_another_company_are_refused(self):
        incident_b = self.register(self.curator_b)
        with self.assertRaisesRegex(UserError, "[Ii]ncompatible companies"):
            incident_b.sudo().write({"author_id": self.author_a.id})
        with self.assertRaisesRegex(UserError, "[Ii]ncompatible companies"):
            incident_b.sudo().write({"location_id": self.location_a.id})
        with self.assertRaisesRegex(UserError, "[Ii]ncompatible companies"), guard.system_write():
            self.env["social.incident.assignment"].sudo().create(
                {"incident_id": incident_b.id, "executor_id": self.executor_a.id}
            )
        incident_a = self.register(self.curator_a)
        with self.assertRaisesRegex(UserError, "[Ii]ncompatible companies"):
            incident_b.sudo().write({"repeat_of_id": incident_a.id})
