"""What the settings screens show: the unit of a policy line reads
“рабочие часы”, not “Рабочее время” (the calendar's name), and the topics list
does not add up the colours of its topics."""

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

RUSSIAN_UNITS = {
    "minutes": "рабочие минуты",
    "hours": "рабочие часы",
    "days": "рабочие дни",
    "calendar_minutes": "минуты",
    "calendar_hours": "часы",
    "calendar_days": "дни",
}


class TestPolicyLineUnits(TransactionCase):
    def test_units_read_as_working_minutes_hours_and_days_in_russian(self):
        env = self.env(context=dict(self.env.context, lang="ru_RU"))
        Line = env["social.sla.policy.line"]
        self.assertEqual(
            dict(Line.fields_get(["unit"], ["selection"])["unit"]["selection"]), RUSSIAN_UNITS
        )
        # the policy form, whose list of lines shows the unit: what the web client loads
        form = env["social.sla.policy"].get_views([(False, "form")])
        self.assertIn('name="unit"', form["views"]["form"]["arch"])
        units = dict(form["models"]["social.sla.policy.line"]["fields"]["unit"]["selection"])
        self.assertEqual(units, RUSSIAN_UNITS)
        # the calendar keeps its own name
        self.assertEqual(
            form["models"]["social.sla.policy"]["fields"]["calendar_id"]["string"], "Рабочее время"
        )
        # a line of the Korenovsk preset as the list shows it
        company = env["res.company"].create({"name": "Кореновское поселение"})
        company._apply_social_sla_preset("kor")
        policy = env["social.sla.policy"].search(
            [("company_id", "=", company.id), ("importance", "=", "normal")]
        )
        total = policy.line_ids.filtered(lambda line: line.step == "total")
        self.assertEqual((total.duration, total.unit), (8, "hours"))
        self.assertEqual(
            dict(total._fields["unit"]._description_selection(env))[total.unit], "рабочие часы"
        )
        # the year's count of working days keeps its capital letter
        self.assertEqual(
            env["social.production.year"].fields_get(["working_count"], ["string"])[
                "working_count"
            ]["string"],
            "Рабочие дни",
        )


class TestTopicList(TransactionCase):
    def test_colour_is_not_aggregated(self):
        view = self.env["social.incident.topic"].get_views(
            [(self.env.ref("social_incidents.social_incident_topic_view_list").id, "list")]
        )
        color = view["models"]["social.incident.topic"]["fields"]["color"]
        self.assertFalse(color.get("aggregator"), "the web client sums a field with an aggregator")
        Topic = self.env["social.incident.topic"]
        group = Topic.create({"name": "Дороги (тест)"})
        Topic.create(
            [
                {"name": "Ямы", "parent_id": group.id, "color": 3},
                {"name": "Освещение", "parent_id": group.id, "color": 5},
            ]
        )
        [row] = Topic.read_group([("parent_id", "=", group.id)], ["color"], ["parent_id"])
        self.assertNotIn("color", row)


@tagged("post_install", "-at_install")
class TestTopicListTour(HttpCase):
    def test_topic_groups_show_no_sum(self):
        admin = new_test_user(
            self.env,
            login="topics_admin",
            name="Topics Admin",
            groups="base.group_user,social_incidents.group_social_admin",
        )
        Topic = self.env["social.incident.topic"]
        group = Topic.create({"name": "Tour roads"})
        Topic.create(
            [
                {"name": "Tour potholes", "parent_id": group.id, "color": 3},
                {"name": "Tour lighting", "parent_id": group.id, "color": 5},
            ]
        )
        self.start_tour(
            "/odoo/action-social_incidents.social_incident_topic_action",
            "social_topic_list_tour",
            login=admin.login,
        )
