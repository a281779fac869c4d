"""What Odoo's own samples showed the administration's users: the Apps menu
with "Request Access" buttons, "Your logo" on the login page, "Mitchell Admin",
and Marc Demo's chatter in #general."""

import base64
import hashlib
import io

from PIL import Image

from odoo.tests import HttpCase, tagged
from odoo.tools.misc import file_open

from .common import SocialIncidentsCase


@tagged("post_install", "-at_install")
class TestAppsMenu(SocialIncidentsCase):
    def visible_apps(self, user):
        Menu = self.env["ir.ui.menu"].with_user(user)
        return Menu.browse(Menu._visible_menu_ids()).filtered(lambda m: not m.parent_id)

    def test_apps_menu_only_for_administrators(self):
        apps = self.env.ref("base.menu_management")
        for user in (self.curator, self.housing_user, self.head):
            visible = self.visible_apps(user)
            self.assertIn(
                self.env.ref("social_incidents.social_incidents_menu_root"), visible, user.login
            )
            self.assertNotIn(apps, visible, f"{user.login} is offered the Apps menu")
        self.assertIn(apps, self.visible_apps(self.env.ref("base.user_admin")))


@tagged("post_install", "-at_install")
class TestDemoStockNoise(SocialIncidentsCase):
    def test_demo_admin_is_the_administration_s(self):
        admin = self.env.ref("base.user_admin")
        self.assertEqual(admin.name, "Осипов Дмитрий Александрович")
        partner = admin.partner_id
        self.assertEqual((partner.city, partner.country_id.code), ("Ахтубинск", "RU"))
        self.assertFalse(partner.company_name)  # not "YourCompany"
        self.assertFalse(partner.image_1920)  # not Mitchell's photo: the initials show
        self.assertNotIn("Mitchell", str(admin.signature))

    def test_discuss_holds_no_stock_demo_chatter(self):
        marc = self.env.ref("base.partner_demo")
        general = self.env.ref("mail.channel_all_employees")
        for login in ("curator", "executor", "head", "admin"):
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertTrue(user, login)
            channels = (
                self.env["discuss.channel.member"]
                .search([("partner_id", "=", user.partner_id.id)])
                .channel_id
            )
            messages = self.env["mail.message"].search(
                [("model", "=", "discuss.channel"), ("res_id", "in", channels.ids)]
            )
            self.assertFalse(messages.filtered(lambda m: m.author_id == marc), login)
            self.assertFalse(messages.filtered(lambda m: "Building B3" in str(m.body)), login)
        self.assertEqual(
            self.env["mail.message"].search(
                [("model", "=", "discuss.channel"), ("res_id", "=", general.id)]
            ),
            self.env.ref("mail.module_install_notification"),
        )
        self.assertFalse(
            self.env["discuss.channel"].search([("name", "in", ("sales", "board-meetings", "rd"))])
        )

    def test_executor_names_have_their_quotes_paired(self):
        executors = self.env["social.executor"].search([])
        self.assertGreaterEqual(len(executors), 15)
        for executor in executors:
            self.assertEqual(executor.name.count("«"), executor.name.count("»"), executor.name)
        self.assertEqual(
            self.env.ref("social_incidents.social_executor_demo_admcommission").name,
            "Административная комиссия при администрации МО «Ахтубинский район»",
        )


@tagged("post_install", "-at_install")
class TestLoginPage(HttpCase):
    def test_login_page_shows_the_administration_s_logo(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.name, "Администрация МО «Ахтубинский район»")
        with file_open("base/static/img/res_company_logo.png", "rb") as stock:
            stock_digest = hashlib.sha256(stock.read()).hexdigest()
        self.assertNotEqual(
            hashlib.sha256(base64.b64decode(company.logo)).hexdigest(),
            stock_digest,
            "the company shows Odoo's 'Your logo'",
        )
        self.assertEqual(Image.open(io.BytesIO(base64.b64decode(company.logo))).size, (640, 200))

        page = self.url_open("/web/login")
        self.assertEqual(page.status_code, 200)
        self.assertIn("/web/binary/company_logo", page.text)
        logo = self.url_open("/web/binary/company_logo")
        self.assertEqual(logo.status_code, 200)
        self.assertEqual(logo.content, base64.b64decode(company.logo_web))
