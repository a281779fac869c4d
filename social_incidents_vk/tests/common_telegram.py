from odoo.addons.social_incidents_vk.tests.fake_networks import FakeTelegram


class TelegramMixin:
    """A Telegram channel with its discussion group and a bot that administers
    both, on a fake Bot API server on 127.0.0.1, connected as a page (after
    ``ConnectorMixin.setup_connector``: the company, curator and executor)."""

    @classmethod
    def setup_telegram(cls, **page_values):
        cls.fake_tg = FakeTelegram().start()
        cls.addClassCleanup(cls.fake_tg.stop)
        channel = cls.fake_tg.channel
        cls.tg = cls.env["social.account"].create(
            {
                "name": "Korenovsk news (Telegram)",
                "network": "telegram",
                "url": f"https://t.me/{channel['username']}",
                "external_id": channel["username"],
                "tg_bot_token": cls.fake_tg.token,
                "tg_api_url": cls.fake_tg.url.rstrip("/"),
                "tg_channel_id": str(channel["id"]),
                "tg_channel_username": channel["username"],
                "tg_group_id": str(cls.fake_tg.group["id"]),
                "connector_enabled": True,
                **page_values,
            }
        )
        cls.citizen = cls.fake_tg.add_user(
            5123456789, "Мария", "Иванова", username="maria_iv", language_code="ru"
        )
        cls.citizen2 = cls.fake_tg.add_user(5987654321, "Пётр", None, username=None)

    def clear_telegram(self):
        self.fake_tg.requests.clear()
        self.fake_tg.clear_failures()
        self.fake_tg.updates.clear()

    def tg_events(self, account=None):
        return self.env["social.inbound.event"].search(
            [("account_id", "=", (account or self.tg).id)], order="id"
        )

    def tg_incidents(self, account=None):
        return (
            self.env["social.incident"]
            .with_context(active_test=False)
            .search([("account_id", "=", (account or self.tg).id)], order="id")
        )
