from odoo.tests import new_test_user

from odoo.addons.social_incidents_vk.tests.fake_networks import FakeOk, FakeVk


class ConnectorMixin:
    """A municipality with a curator, an executor, a VK community and an OK
    group connected to fake VK and OK servers on 127.0.0.1."""

    @classmethod
    def setup_connector(cls):
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US", mail_notify_force_send=False))
        cls.company = cls.env.company
        cls.company.social_reply_publisher = "executor"
        cls.fake_vk = FakeVk().start()
        cls.addClassCleanup(cls.fake_vk.stop)
        cls.fake_ok = FakeOk().start()
        cls.addClassCleanup(cls.fake_ok.stop)
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("social_incidents_vk.timeout", "1")
        params.set_param("social_incidents_vk.retry_backoff", "0")
        params.set_param("social_incidents_vk.max_retries", "2")
        cls.curator = new_test_user(
            cls.env,
            login="vk_curator",
            name="VK Curator",
            groups="base.group_user,social_incidents.group_social_curator",
        )
        cls.executor_user = new_test_user(
            cls.env,
            login="vk_executor",
            name="VK Executor",
            groups="base.group_user,social_incidents.group_social_executor",
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.company.social_curator_id = cls.curator
        cls.executor = cls.env["social.executor"].create(
            {"name": "VK Housing", "member_ids": [(6, 0, cls.executor_user.ids)]}
        )
        cls.vk = cls.env["social.account"].create(
            {
                "name": "Test community",
                "network": "vk",
                "url": "https://vk.com/test_community",
                "external_id": str(cls.fake_vk.group_id),
                "vk_group_id": str(cls.fake_vk.group_id),
                "vk_community_token": cls.fake_vk.community_token,
                "vk_user_token": cls.fake_vk.user_token,
                "vk_service_token": cls.fake_vk.service_token,
                "vk_secret": "s3cr3t-callback",
                "vk_confirmation": "a1b2c3d4",
                "vk_api_url": cls.fake_vk.url,
                "connector_enabled": True,
            }
        )
        cls.ok = cls.env["social.account"].create(
            {
                "name": "Test OK group",
                "network": "ok",
                "url": "https://ok.ru/test_group",
                "external_id": str(cls.fake_ok.group_id),
                "ok_group_id": str(cls.fake_ok.group_id),
                "ok_application_key": cls.fake_ok.application_key,
                "ok_application_secret_key": cls.fake_ok.application_secret_key,
                "ok_access_token": cls.fake_ok.access_token,
                "ok_api_url": cls.fake_ok.url,
                "connector_enabled": True,
            }
        )
        cls.Event = cls.env["social.inbound.event"]
        cls.Incident = cls.env["social.incident"]

    def clear_fakes(self):
        """Forget the fake servers' recorded requests and planned failures."""
        for fake in (self.fake_vk, self.fake_ok):
            fake.requests.clear()
            fake.clear_failures()

    def incidents_of(self, account):
        return self.Incident.with_context(active_test=False).search(
            [("account_id", "=", account.id)]
        )

    def answer(self, incident, body="Здравствуйте! Фонарь починим до пятницы."):
        """Route, draft, submit and approve a reply to the incident."""
        incident.with_user(self.curator).action_route(self.executor)
        reply = (
            self.env["social.incident.reply"]
            .with_user(self.executor_user)
            .create({"incident_id": incident.id, "kind": "final", "body": body})
        )
        reply.with_user(self.executor_user).action_submit()
        reply.with_user(self.curator).action_approve()
        return reply
