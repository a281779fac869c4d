"""The region: three municipalities in one database, March 2025, Moscow time,
Korenovsk regulation (8 working hours for a reply).

    Home (the test municipality of ReportsCase): 7 incidents, answered 5, on time 4,
        late 1, overdue 1 (see common.py)
    District Two:
        P  Mon 3, 10:00   published 12:00 → 2 h, on time
        Q  Wed 5, 10:00   published Thu 6, 12:00 → 10 h, late
        R  Mon 17, 10:00  routed, never answered → overdue
        S  Tue 18, 10:00  published 15:00 (across the break) → 4 h, on time
        → 4 incidents, answered 3, on time 2, late 1, overdue 1 → 66.7 %
    District Three:
        U  Tue 4, 10:00   published 11:00 → 1 h, on time
        V  Wed 12, 10:00  routed, never answered → overdue
        X  Fri 28 February, 15:00 and Y  Tue 1 April, 08:00: registered, not in March

The regional user (a head) works for Home and District Two, not District Three.
"""

from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.tests import new_test_user, tagged
from odoo.tools.misc import formatLang
from odoo.tools.safe_eval import safe_eval

from odoo.addons.social_incidents.tests.test_sla import at, msk

from .common import MARCH, ReportsCase

# the measures of the regional pivot, as the web client asks for them
MEASURES = [
    "answered_count:sum",
    "on_time_count:sum",
    "late_count:sum",
    "overdue_count:sum",
    "on_time_rate:avg",
    "reply_hours:avg",
    "violation_count:sum",
]
# the monthly report's totals that a pivot's sums give as they are
SUMS = ["answered_count", "on_time_count", "late_count", "overdue_count", "violation_count"]
MARCH_DOMAIN = [("detected_date", ">=", "2025-03-01"), ("detected_date", "<=", "2025-03-31")]


@tagged("post_install", "-at_install")
class TestRegionalView(ReportsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.home = cls.company
        cls.district2, cls.curator2_mo, cls.executor2 = cls._municipality("Test District Two")
        cls.district3, cls.curator3_mo, cls.executor3 = cls._municipality("Test District Three")

        d2 = (cls.district2, cls.curator2_mo, cls.executor2)
        cls._answered(d2, "P", (2025, 3, 3, 10, 0), (2025, 3, 3, 12, 0))
        cls._answered(d2, "Q", (2025, 3, 5, 10, 0), (2025, 3, 6, 12, 0))
        cls._routed(d2, "R", (2025, 3, 17, 10, 0))
        cls._answered(d2, "S", (2025, 3, 18, 10, 0), (2025, 3, 18, 15, 0))
        d3 = (cls.district3, cls.curator3_mo, cls.executor3)
        cls._answered(d3, "U", (2025, 3, 4, 10, 0), (2025, 3, 4, 11, 0))
        cls._routed(d3, "V", (2025, 3, 12, 10, 0))
        # March in Moscow neither: 28 February 12:00 and 1 April 05:00 UTC
        cls._registered(d3, "X", (2025, 2, 28, 15, 0))
        cls._registered(d3, "Y", (2025, 4, 1, 8, 0))
        with at(2025, 4, 2, 12, 0):
            cls.Deadline._cron_watchdog(batch_size=10000)

        cls.regional = new_test_user(
            cls.env,
            login="t_regional",
            groups="base.group_user,social_incidents.group_social_head",
            company_id=cls.home.id,
            company_ids=[(6, 0, (cls.home | cls.district2).ids)],
        )

    @classmethod
    def _municipality(cls, name):
        """A company with the Moscow working hours, the Korenovsk deadlines, a
        curator and an executor department with one member."""
        company = cls.env["res.company"].create({"name": name})
        company.resource_calendar_id = cls.calendar.copy(
            {"name": f"{name} hours", "company_id": company.id}
        )
        company._apply_social_sla_preset("kor")
        company.social_reply_publisher = "executor"
        login = name.lower().replace(" ", "_")

        def user(suffix, group):
            return new_test_user(
                cls.env,
                login=f"{login}_{suffix}",
                groups=f"base.group_user,social_incidents.{group}",
                company_id=company.id,
                company_ids=[(6, 0, company.ids)],
            )

        curator = user("curator", "group_social_curator")
        member = user("executor", "group_social_executor")
        executor = cls.env["social.executor"].create(
            {
                "name": f"Housing of {name}",
                "company_id": company.id,
                "member_ids": [(6, 0, member.ids)],
            }
        )
        return company, curator, executor

    @classmethod
    def _registered(cls, municipality, key, when):
        company, curator, _executor = municipality
        with freeze_time(msk(*when)):
            incident = cls.Incident.with_user(curator).create(
                {
                    "network": "vk",
                    "text": "Во дворе не вывозят мусор.",
                    "external_id": f"regional-{company.id}-{key}",
                    "url": f"https://vk.com/wall-2_{company.id}?reply={key}",
                }
            )
        cls.dataset[key] = incident
        return incident

    @classmethod
    def _routed(cls, municipality, key, when):
        _company, curator, executor = municipality
        incident = cls._registered(municipality, key, when)
        with freeze_time(msk(*when) + timedelta(minutes=10)):
            incident.with_user(curator).action_route(executor)
        return incident

    @classmethod
    def _answered(cls, municipality, key, when, published):
        """Registered at ``when``, routed 10 minutes later; the reply is written,
        approved and published by ``published``."""
        _company, curator, executor = municipality
        incident = cls._routed(municipality, key, when)
        member = executor.member_ids
        published = msk(*published)
        with freeze_time(published - timedelta(minutes=40)):
            draft = cls.Reply.with_user(member).create(
                {"incident_id": incident.id, "kind": "final", "body": "Вывезем сегодня."}
            )
            draft.with_user(member).action_submit()
        with freeze_time(published - timedelta(minutes=20)):
            draft.with_user(curator).action_approve()
        with freeze_time(published):
            draft.with_user(member).action_mark_published(
                f"https://vk.com/wall-2_{incident.id}?reply=1"
            )
        return incident

    # ------------------------------------------------------------------
    def monthly_totals(self, company):
        """The totals that the monthly PDF of ``company`` prints for March."""
        report = self.env["report.social_incidents_reports.report_monthly"]
        return report._figures(company, *MARCH)["totals"]

    def regional_groups(self, user, companies):
        """The regional pivot's rows as the web client reads them: the user's
        companies ticked in the switcher."""
        Report = self.Report.with_user(user).with_context(allowed_company_ids=companies.ids)
        result = Report.web_read_group(MARCH_DOMAIN, MEASURES, ["company_id"], lazy=False)
        self.assertEqual(result["length"], len(result["groups"]))
        return {group["company_id"][0]: group for group in result["groups"]}

    def assertSameFigures(self, group, company):
        totals = self.monthly_totals(company)
        self.assertEqual(group["__count"], totals["__count"], company.name)
        for name in SUMS:
            self.assertEqual(group[name], totals[f"{name}:sum"], f"{company.name}: {name}")
        self.assertAlmostEqual(group["reply_hours"], totals["reply_hours:avg"])
        # the share on time, printed as the PDF prints it
        self.assertEqual(
            formatLang(self.env, group["on_time_rate"], digits=1) + " %", totals["on_time_share"]
        )

    # ------------------------------------------------------------------
    def test_each_municipality_has_its_monthly_report_figures(self):
        groups = self.regional_groups(self.regional, self.home | self.district2)
        self.assertEqual(set(groups), {self.home.id, self.district2.id})
        for company in self.home | self.district2:
            self.assertSameFigures(groups[company.id], company)
        home, two = groups[self.home.id], groups[self.district2.id]
        self.assertEqual([home["__count"], *(home[name] for name in SUMS[:4])], [7, 5, 4, 1, 1])
        self.assertEqual([two["__count"], *(two[name] for name in SUMS[:4])], [4, 3, 2, 1, 1])
        self.assertAlmostEqual(home["on_time_rate"], 80.0)
        self.assertAlmostEqual(two["on_time_rate"], 200 / 3)
        self.assertAlmostEqual(two["reply_hours"], 16 / 3)  # 2, 10 and 4 working hours
        self.assertGreater(two["violation_count"], 0)  # Q's and R's missed deadlines
        # District Three has its own March, which the regional user does not see
        self.assertEqual(self.monthly_totals(self.district3)["__count"], 2)
        self.assertNotIn(self.district3.id, groups)
        Report = self.Report.with_user(self.regional).with_context(
            allowed_company_ids=(self.home | self.district2).ids
        )
        self.assertFalse(Report.search_count([("company_id", "=", self.district3.id)]))

    def test_one_company_ticked_gives_one_row(self):
        groups = self.regional_groups(self.regional, self.district2)
        self.assertEqual(list(groups), [self.district2.id])
        self.assertSameFigures(groups[self.district2.id], self.district2)
        # a head of a single municipality: the same view, one row
        groups = self.regional_groups(self.head, self.home)
        self.assertEqual(list(groups), [self.home.id])
        self.assertSameFigures(groups[self.home.id], self.home)

    def test_action_opens_pivot_and_graph_by_municipality(self):
        action = (
            self.env["ir.actions.act_window"]
            .with_user(self.regional)
            ._for_xml_id("social_incidents_reports.social_incident_report_action_regional")
        )
        self.assertEqual(action["res_model"], "social.incident.report")
        self.assertEqual([kind for _id, kind in action["views"]], ["pivot", "graph", "list"])
        context = safe_eval(action["context"])
        # the previous month, the monthly report's period
        self.assertEqual(context["search_default_detected_date"], "month-1")
        self.assertEqual(
            context["pivot_measures"], ["__count", *(m.split(":")[0] for m in MEASURES)]
        )
        views = self.Report.with_user(self.regional).get_views(
            [*action["views"], [action["search_view_id"][0], "search"]],
            {"action_id": action["id"], "load_filters": True, "toolbar": True},
        )["views"]
        pivot = etree.fromstring(views["pivot"]["arch"])
        self.assertEqual(
            [f.get("name") for f in pivot.iterfind("field[@type='row']")], ["company_id"]
        )
        self.assertEqual(
            [f.get("name") for f in pivot.iterfind("field[@type='measure']")],
            [m.split(":")[0] for m in MEASURES],
        )
        graph = etree.fromstring(views["graph"]["arch"])
        self.assertEqual(graph.get("type"), "bar")
        self.assertEqual([f.get("name") for f in graph.iterfind("field")][0], "company_id")
        search = etree.fromstring(views["search"]["arch"])
        self.assertEqual(search.find("filter[@name='detected_date']").get("date"), "detected_date")
        self.assertIsNotNone(search.find(".//filter[@name='group_company']"))

    def test_menu_for_the_head_and_the_curators(self):
        menu = self.env.ref("social_incidents_reports.social_incident_report_menu_regional")
        Menu = self.env["ir.ui.menu"]
        for user in (self.regional, self.head, self.curator):
            self.assertIn(menu.id, Menu.with_user(user)._visible_menu_ids(), user.login)
        self.assertNotIn(menu.id, Menu.with_user(self.housing_user)._visible_menu_ids())

    def test_month_filter_reads_the_local_days_of_any_time_zone(self):
        """The filter on the local day also bounds the indexed UTC time of
        detection (a day wider): at UTC+14 and UTC-12 the month still holds
        the same incidents as the view's local days say."""
        Report = self.Report
        district = [("company_id", "=", self.district3.id)]
        for tz, keys in (
            ("Europe/Moscow", "UV"),
            ("Pacific/Kiritimati", "UVX"),  # X: 1 March, 02:00 local
            ("Etc/GMT+12", "UVY"),  # Y: 31 March, 17:00 local
        ):
            self.district3.resource_calendar_id.tz = tz
            self.env.flush_all()
            Report.invalidate_model()
            rows = Report.search(district + MARCH_DOMAIN)
            self.assertEqual(
                sorted(rows.mapped("name")), sorted(self.dataset[key].name for key in keys), tz
            )
            in_march = Report.search(district).filtered(
                lambda row: MARCH[0] <= row.detected_date <= MARCH[1]
            )
            self.assertEqual(rows, in_march, tz)
            [group] = Report.read_group(district + MARCH_DOMAIN, ["answered_count:sum"], [])
            self.assertEqual(group["__count"], len(keys), tz)
