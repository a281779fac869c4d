import json
from datetime import date, timedelta

from odoo.tests import TransactionCase, new_test_user


class SocialIncidentsCase(TransactionCase):
    """One municipality: a curator, a second curator, executors of two
    departments, the head; reused by every test of the addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US", mail_notify_force_send=False))
        cls.company = cls.env.company
        cls.company.social_reply_publisher = "executor"
        cls.company.social_curator_id = False

        def user(login, group):
            return new_test_user(
                cls.env,
                login=login,
                groups=f"base.group_user,social_incidents.{group}",
                name=login.replace("_", " ").title(),
            )

        cls.curator = user("t_curator", "group_social_curator")
        cls.curator2 = user("t_curator2", "group_social_curator")
        cls.housing_user = user("t_housing", "group_social_executor")
        cls.housing_user2 = user("t_housing2", "group_social_executor")
        cls.roads_user = user("t_roads", "group_social_executor")
        cls.school_user = user("t_school", "group_social_executor")
        cls.head = user("t_head", "group_social_head")
        cls.outsider = user("t_outsider", "group_social_executor")

        Executor = cls.env["social.executor"]
        cls.housing = Executor.create(
            {"name": "Housing", "member_ids": [(6, 0, (cls.housing_user | cls.housing_user2).ids)]}
        )
        cls.roads = Executor.create({"name": "Roads", "member_ids": [(6, 0, cls.roads_user.ids)]})
        cls.schools = Executor.create(
            {"name": "Schools", "kind": "institution", "member_ids": [(6, 0, cls.school_user.ids)]}
        )
        cls.reason_spelling = cls.env.ref("social_incidents.return_reason_spelling")
        cls.reason_other = cls.env.ref("social_incidents.return_reason_other_executor")
        cls.no_reply_obscene = cls.env.ref("social_incidents.no_reply_reason_obscene")
        cls.Incident = cls.env["social.incident"]
        cls.Reply = cls.env["social.incident.reply"]
        cls._counter = 0

    # ------------------------------------------------------------------
    def register(self, user=None, **vals):
        type(self)._counter += 1
        values = {
            "network": "vk",
            "text": "На улице Ленина яма уже месяц, машины бьют колёса.",
            "external_id": f"-1_{type(self)._counter}",
            "url": f"https://vk.com/wall-1_100?reply={type(self)._counter}",
        }
        values.update(vals)
        return self.Incident.with_user(user or self.curator).create(values)

    def routed(self, executors=None, lead=None, **vals):
        incident = self.register(**vals)
        incident.with_user(self.curator).action_route(executors or self.housing, lead=lead)
        return incident

    def draft(self, incident, user=None, kind="final", body="Яму заделаем до пятницы."):
        return self.Reply.with_user(user or self.housing_user).create(
            {"incident_id": incident.id, "kind": kind, "body": body}
        )

    def submitted(self, incident, user=None, kind="final"):
        reply = self.draft(incident, user=user, kind=kind)
        reply.with_user(user or self.housing_user).action_submit()
        return reply

    def approved(self, incident, kind="final"):
        reply = self.submitted(incident, kind=kind)
        reply.with_user(self.curator).action_approve()
        return reply

    def published(self, incident, kind="final"):
        reply = self.approved(incident, kind=kind)
        reply.with_user(self.housing_user).action_mark_published(
            "https://vk.com/wall-1_100?reply=999"
        )
        return reply

    def activities_of_type(self, incident, step):
        """The incident's open activities of ``step`` (the suffix of the type's XML id)."""
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "social.incident"),
                    ("res_id", "=", incident.id),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref(f"social_incidents.mail_act_social_{step}").id,
                    ),
                ]
            )
        )

    def activities(self, incident, xmlid=None):
        """{(activity type xml id suffix, login)} of the incident's open activities."""
        acts = (
            self.env["mail.activity"]
            .sudo()
            .search([("res_model", "=", "social.incident"), ("res_id", "=", incident.id)])
        )
        names = {
            self.env.ref(f"social_incidents.mail_act_social_{key}").id: key
            for key in (
                "route",
                "lead",
                "draft",
                "info",
                "rework",
                "review",
                "publish",
                "answer",
                "control_report",
                "control_review",
            )
        }
        result = {
            (names.get(a.activity_type_id.id, a.activity_type_id.name), a.user_id.login)
            for a in acts
        }
        if xmlid:
            return {login for key, login in result if key == xmlid}
        return result

    @staticmethod
    def today_range(before=1, after=1):
        today = date.today()
        return today - timedelta(days=before), today + timedelta(days=after)


class JsonRpcMixin:
    """For an HttpCase: what a client sends over the web client's JSON-RPC."""

    def call_kw(self, login, model, method, args, kwargs=None):
        """(result, error message) of /web/dataset/call_kw as ``login``."""
        self.authenticate(login, login)
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        error = body.get("error")
        return body.get("result"), (error["data"]["message"] if error else None)
