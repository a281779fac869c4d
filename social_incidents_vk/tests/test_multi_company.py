"""The connector of one municipality never reuses another's authors."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.social_incidents.tests.test_multi_company import two_companies


@tagged("post_install", "-at_install")
class TestConnectorMultiCompany(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        two_companies(cls)
        Account = cls.env["social.account"]
        cls.page_a = Account.create(
            {
                "name": "Page A",
                "network": "vk",
                "url": "https://vk.com/page_a",
                "vk_group_id": "4201",
                "company_id": cls.company_a.id,
            }
        )
        cls.page_b = Account.create(
            {
                "name": "Page B",
                "network": "vk",
                "url": "https://vk.com/page_b",
                "vk_group_id": "4202",
                "company_id": cls.company_b.id,
            }
        )
        cls.author_a = cls.env["social.author"].create(
            {
                "name": "Ирина Соколова",
                "network": "vk",
                "external_id": "214500",
                "company_id": cls.company_a.id,
            }
        )

    def comment(self, page, comment_id):
        return {
            "id": comment_id,
            "from_id": 214500,
            "post_id": 7,
            "owner_id": -int(page.vk_group_id),
            "text": "Когда починят фонари у школы?",
            "date": 1764000000,
        }

    def test_connector_of_b_creates_its_own_author(self):
        Event = self.env["social.inbound.event"]
        incident_b = Event._vk_comments_to_incidents(self.page_b, [self.comment(self.page_b, 31)])
        self.assertEqual(incident_b.company_id, self.company_b)
        self.assertNotEqual(incident_b.author_id, self.author_a, "A's author is not reused by B")
        self.assertEqual(incident_b.author_id.company_id, self.company_b)
        self.assertEqual(incident_b.author_id.external_id, "214500")
        incident_a = Event._vk_comments_to_incidents(self.page_a, [self.comment(self.page_a, 32)])
        self.assertEqual(incident_a.author_id, self.author_a, "A's connector finds A's author")
        # the next comment of the same citizen on B's page: B's author again
        again = Event._vk_comments_to_incidents(self.page_b, [self.comment(self.page_b, 33)])
        self.assertEqual(again.author_id, incident_b.author_id)
