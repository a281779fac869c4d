"""A pasted message link fills the network, the official page and the message
id; a message is registered once in an administration, by its id or by its
link, and the refusal names the incident that holds it."""

from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from .common import JsonRpcMixin, SocialIncidentsCase

VK_GROUP = "900000017"
OK_GROUP = "71000000000017"


@tagged("post_install", "-at_install")
class TestLinksDedupe(SocialIncidentsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["social.account"]
        cls.vk_page = Account.create(
            {
                "name": "Администрация — ВКонтакте (тест)",
                "network": "vk",
                "url": "https://vk.com/test_links_admin",
                "external_id": VK_GROUP,
            }
        )
        cls.ok_page = Account.create(
            {
                "name": "Администрация — Одноклассники (тест)",
                "network": "ok",
                "url": "https://ok.ru/test.links.admin",
                "external_id": OK_GROUP,
            }
        )
        cls.tg_page = Account.create(
            {
                "name": "Администрация — Telegram (тест)",
                "network": "telegram",
                "url": "https://t.me/test_links_admin",
                "external_id": "-1009000000017",
            }
        )

    def paste(self, **vals):
        """Register as a curator does: the link, the text, nothing else."""
        values = {"text": "Во дворе дома 5 по Победы третий день не вывозят мусор."}
        values.update(vals)
        return self.Incident.with_user(self.curator).create(values)

    def test_a_page_added_or_changed_later_is_found(self):
        """The pages' keys are cached: a page added, readdressed or archived after a
        link was read is what the next link finds."""
        first = self.paste(url="https://vk.com/wall-900000018_1?reply=2")
        self.assertFalse(first.account_id)
        page = self.env["social.account"].create(
            {
                "name": "Поселение (тест)",
                "network": "vk",
                "url": "https://vk.com/p18",
                "external_id": "900000018",
            }
        )
        second = self.paste(url="https://vk.com/wall-900000018_1?reply=3")
        self.assertEqual(second.account_id, page)
        page.external_id = "900000019"
        third = self.paste(url="https://vk.com/wall-900000018_1?reply=4")
        self.assertFalse(third.account_id)
        page.write({"external_id": "900000018", "active": False})
        fourth = self.paste(url="https://vk.com/wall-900000018_1?reply=5")
        self.assertFalse(fourth.account_id)

    def as_connector(self, **vals):
        """Register as a connector does: every field given, as the system."""
        values = {
            "text": "Когда починят фонарь у школы?",
            "source": "own_page",
            "company_id": self.company.id,
        }
        values.update(vals)
        return self.Incident.sudo().create(values)

    def assert_refused_naming(self, incident, **vals):
        with self.assertRaises(UserError) as caught:
            self.paste(**vals)
        self.assertEqual(
            str(caught.exception),
            f"This message is already registered as incident {incident.name}.",
        )

    # ------------------------------------------------------------------
    # Reading the link
    # ------------------------------------------------------------------
    def test_form_fills_network_page_and_id_from_a_vk_link(self):
        form = Form(self.Incident.with_user(self.curator))
        form.url = f"https://vk.com/club{VK_GROUP}?w=wall-{VK_GROUP}_31_r45&utm_source=share"
        self.assertEqual(form.network, "vk")
        self.assertEqual(form.account_id, self.vk_page)
        self.assertEqual(form.external_id, f"wall-{VK_GROUP}_31_45")
        form.text = "Яма на дороге."
        incident = form.save()
        self.assertEqual(incident.url_key, f"https://vk.com/wall-{VK_GROUP}_31?reply=45")

    def test_form_fills_from_an_ok_and_a_telegram_link(self):
        form = Form(self.Incident.with_user(self.curator))
        form.url = "https://m.ok.ru/test.links.admin/topic/155000000017#comment=8"
        self.assertEqual(
            (form.network, form.account_id, form.external_id),
            ("ok", self.ok_page, "155000000017_8"),
        )
        form = Form(self.Incident.with_user(self.curator))
        form.url = "t.me/test_links_admin/1488?comment=9012"
        self.assertEqual(form.url, "https://t.me/test_links_admin/1488?comment=9012")
        self.assertEqual(
            (form.network, form.account_id, form.external_id),
            ("telegram", self.tg_page, "test_links_admin/1488/9012"),
        )
        # a message id typed first is the curator's: the link does not replace it
        form = Form(self.Incident.with_user(self.curator))
        form.external_id = "typed-by-hand"
        form.url = "https://t.me/c/9000000017/77"
        self.assertEqual((form.account_id, form.external_id), (self.tg_page, "typed-by-hand"))

    def test_create_fills_what_is_not_given(self):
        incident = self.paste(url=f"https://ok.ru/group/{OK_GROUP}/topic/155000000018?commentId=3")
        self.assertEqual(
            (incident.network, incident.account_id, incident.external_id),
            ("ok", self.ok_page, "155000000018_3"),
        )
        # a page not in the registry: network and id, no page
        incident = self.paste(url="https://vk.com/wall-45678917_8702?reply=8710")
        self.assertEqual(
            (incident.network, incident.account_id, incident.external_id),
            ("vk", self.env["social.account"], "wall-45678917_8702_8710"),
        )
        # what is given wins
        incident = self.paste(
            url=f"https://vk.com/wall-{VK_GROUP}_32?reply=5", external_id="monitoring-77"
        )
        self.assertEqual(
            (incident.account_id, incident.external_id), (self.vk_page, "monitoring-77")
        )
        # an unknown shape is a plain link
        incident = self.paste(url="https://akhtubinsk.ru/news/17", network="other")
        self.assertEqual((incident.network, incident.external_id), ("other", False))
        self.assertEqual(incident.url_key, "https://akhtubinsk.ru/news/17")

    # ------------------------------------------------------------------
    # Dedupe
    # ------------------------------------------------------------------
    def test_same_vk_link_twice_is_refused_naming_the_incident(self):
        first = self.paste(url=f"https://vk.com/wall-{VK_GROUP}_40?reply=41")
        self.assertTrue(first.name.startswith("ИНЦ-"))
        for same in (
            f"https://vk.com/wall-{VK_GROUP}_40?reply=41",
            f"http://m.vk.com/wall-{VK_GROUP}_40?reply=41&thread=40&from=feed",
            f"https://vk.ru/public{VK_GROUP}?w=wall-{VK_GROUP}_40_r41",
        ):
            self.assert_refused_naming(first, url=same)
        # the page's message id is refused whatever link comes with it
        self.assert_refused_naming(
            first,
            network="vk",
            account_id=self.vk_page.id,
            external_id=first.external_id,
            url="https://akhtubinsk.ru/news/40",
        )
        # another comment of the same post is another message
        self.assertTrue(self.paste(url=f"https://vk.com/wall-{VK_GROUP}_40?reply=42"))

    def test_same_plain_link_twice_is_refused(self):
        first = self.paste(url="https://akhtubinsk.ru/forum/topic/17", network="other")
        self.assert_refused_naming(
            first, url="HTTPS://WWW.akhtubinsk.ru/forum/topic/17/?utm_source=vk", network="other"
        )

    def test_the_same_link_twice_in_one_batch_is_refused(self):
        link = f"https://vk.com/wall-{VK_GROUP}_50?reply=51"
        with self.assertRaisesRegex(UserError, "registered twice in one batch"):
            self.Incident.with_user(self.curator).create(
                [{"text": "Раз", "url": link}, {"text": "Два", "url": link + "&thread=50"}]
            )

    def test_changing_the_link_to_a_registered_one_is_refused(self):
        first = self.paste(url=f"https://vk.com/wall-{VK_GROUP}_60?reply=61")
        second = self.paste(url="https://akhtubinsk.ru/news/60", network="other")
        with self.assertRaises(UserError) as caught:
            second.with_user(self.curator).write(
                {"url": f"https://vk.com/wall-{VK_GROUP}_60?reply=61"}
            )
        self.assertIn(first.name, str(caught.exception))
        # its own link, saved again, is no duplicate of itself
        first.with_user(self.curator).write({"url": first.url + "&thread=60"})

    def test_a_merged_incident_still_holds_its_message(self):
        first = self.paste(url=f"https://vk.com/wall-{VK_GROUP}_70?reply=71")
        target = self.paste(url=f"https://vk.com/wall-{VK_GROUP}_70?reply=72")
        first._write_system({"state": "merged", "merged_into_id": target.id})
        self.assert_refused_naming(first, url=f"https://vk.com/wall-{VK_GROUP}_70?reply=71")

    def test_another_administration_registers_the_same_link(self):
        company_b = self.env["res.company"].create({"name": "District B (links)"})
        curator_b = new_test_user(
            self.env,
            login="links_curator_b",
            groups="base.group_user,social_incidents.group_social_curator",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        link = f"https://vk.com/wall-{VK_GROUP}_80?reply=81"
        mine = self.paste(url=link)
        theirs = (
            self.Incident.with_user(curator_b)
            .with_company(company_b)
            .create({"text": "Тот же комментарий", "url": link})
        )
        self.assertEqual(theirs.company_id, company_b)
        self.assertEqual(theirs.external_id, mine.external_id)
        self.assertFalse(theirs.account_id)  # our page is not theirs
        # and each is still refused in its own administration, naming its own incident
        with self.assertRaises(UserError) as caught:
            self.Incident.with_user(curator_b).with_company(company_b).create(
                {"text": "Ещё раз", "url": link}
            )
        self.assertIn(theirs.name, str(caught.exception))
        self.assertNotIn(mine.name, str(caught.exception))
        found = (
            self.Incident.with_user(curator_b)
            .with_company(company_b)
            ._find_duplicates(
                [{"url": link}, {"url": f"https://vk.com/wall-{VK_GROUP}_80?reply=82"}]
            )
        )
        self.assertEqual([f.id for f in found], [theirs.id, False])
        # naming our company in the values reveals neither our incident nor our page
        with self.assertRaises(UserError) as caught:  # an AccessError is a UserError
            self.Incident.with_user(curator_b).with_company(company_b).create(
                {"text": "Чужая", "url": link, "company_id": self.company.id}
            )
        self.assertNotIn(mine.name, str(caught.exception))
        self.assertNotIn(self.vk_page.name, str(caught.exception))

    def test_ok_comments_of_one_topic_are_not_duplicates(self):
        topic = "155000000090"
        topic_link = f"https://ok.ru/group/{OK_GROUP}/topic/{topic}"
        # the OK connector: every comment of a topic carries the topic's link
        first = self.as_connector(
            network="ok", account_id=self.ok_page.id, external_id=f"{topic}_1", url=topic_link
        )
        second = self.as_connector(
            network="ok", account_id=self.ok_page.id, external_id=f"{topic}_2", url=topic_link
        )
        self.assertEqual(first.url_key, second.url_key)
        # the topic itself is a third message
        post = self.paste(url=topic_link)
        self.assertEqual((post.external_id, post.account_id), (topic, self.ok_page))
        self.assert_refused_naming(post, url=topic_link + "?utm_source=share")
        # a comment's link pasted by a curator is the comment the connector registered
        self.assert_refused_naming(
            second, url=f"https://ok.ru/test.links.admin/topic/{topic}#comment=2"
        )

    def test_webhook_comment_and_the_pasted_link_are_one_incident(self):
        owner, post, comment, root = f"-{VK_GROUP}", 90, 95, 91
        # what social_incidents_vk registers for a comment delivered by the webhook
        delivered = self.as_connector(
            network="vk",
            account_id=self.vk_page.id,
            external_id=f"wall{owner}_{post}_{comment}",
            url=f"https://vk.com/wall{owner}_{post}?reply={comment}&thread={root}",
        )
        self.assert_refused_naming(
            delivered, url=f"https://vk.com/club{VK_GROUP}?w=wall{owner}_{post}_r{comment}"
        )
        found = self.Incident._find_duplicates(
            [
                {"url": f"https://m.vk.com/wall{owner}_{post}?reply={comment}"},
                {
                    "network": "vk",
                    "account_id": self.vk_page.id,
                    "external_id": delivered.external_id,
                },
                {"url": f"https://m.vk.com/wall{owner}_{post}?reply={comment + 1}"},
            ]
        )
        self.assertEqual([f.id for f in found], [delivered.id, delivered.id, False])


@tagged("post_install", "-at_install")
class TestLinksOverRpc(JsonRpcMixin, HttpCase):
    """What a client sends over JSON-RPC: a create with the link alone is read
    as in the form; the helpers that read with sudo() are out of reach."""

    def test_create_over_rpc_reads_the_link_and_helpers_are_private(self):
        curator = new_test_user(
            self.env,
            login="links_rpc_curator",
            groups="base.group_user,social_incidents.group_social_curator",
        )
        page = self.env["social.account"].create(
            {
                "name": "Страница (RPC)",
                "network": "vk",
                "url": "https://vk.com/links_rpc_page",
                "external_id": "900000018",
            }
        )
        link = "https://vk.com/wall-900000018_7?reply=9"
        incident_id, error = self.call_kw(
            curator.login, "social.incident", "create", [{"text": "Яма", "url": link}]
        )
        self.assertIsNone(error)
        incident = self.env["social.incident"].browse(incident_id)
        self.assertEqual(
            (incident.network, incident.account_id, incident.external_id),
            ("vk", page, "wall-900000018_7_9"),
        )
        _result, error = self.call_kw(
            curator.login, "social.incident", "create", [{"text": "Яма", "url": link}]
        )
        self.assertIn(incident.name, error or "")  # in the user's language
        for method, args in (
            ("_find_duplicates", [[{"url": link}]]),
            ("_link_values", [{"url": link}]),
            ("_match_duplicates", [[]]),
            ("_link_account", [[], {}]),
        ):
            with self.subTest(method=method):
                _result, error = self.call_kw(curator.login, "social.incident", method, args)
                self.assertIn("cannot be called remotely", error or "")


class TestDedupeLocks(TransactionCase):
    def test_a_big_file_holds_a_bounded_number_of_dedupe_locks(self):
        """20,000 messages (a 10,000-row file: an id and a link each) take at most
        256 transaction locks, not one each (which overflows PostgreSQL's lock
        table: "out of shared memory")."""
        company = self.env.company.id
        prepared = [
            (company, "vk", False, f"wall-1_{n}", f"vk.com/wall-1_{n}") for n in range(10000)
        ]
        self.env["social.incident"]._lock_dedupe_keys(prepared)
        self.env.cr.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        self.assertLessEqual(self.env.cr.fetchone()[0], 256)
