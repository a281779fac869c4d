"""The regional view in the browser: a head with two of three municipalities
ticked in the company switcher sees one pivot row for each of the two, with
their incidents of the previous month, and the graph."""

from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo.tests import HttpCase, new_test_user, tagged

from ..report.helpers import previous_month


@tagged("post_install", "-at_install")
class TestRegionalViewInTheBrowser(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.regions = cls.env["res.company"].create(
            [{"name": f"Tour Region {letter}"} for letter in "ABC"]
        )
        for company in cls.regions:
            company.resource_calendar_id.tz = "Europe/Moscow"
            company._apply_social_sla_preset("kor")
        curator = new_test_user(
            cls.env,
            login="tour_region_curator",
            groups="base.group_user,social_incidents.group_social_curator",
            company_id=cls.regions[0].id,
            company_ids=[(6, 0, cls.regions.ids)],
        )
        cls.head = new_test_user(
            cls.env,
            login="tour_region_head",
            groups="base.group_user,social_incidents.group_social_head",
            company_id=cls.regions[0].id,
            company_ids=[(6, 0, cls.regions[:2].ids)],
            lang="ru_RU",
            tz="Europe/Moscow",
        )
        # the 10th of the previous month, midday in Moscow
        first, _last = previous_month(datetime.now().date())
        moment = datetime.combine(first + timedelta(days=9), time(9, 0))
        with freeze_time(moment):
            for company, count in zip(cls.regions, (2, 1, 1), strict=True):
                for number in range(count):
                    cls.env["social.incident"].with_user(curator).with_company(company).create(
                        {
                            "network": "vk",
                            "text": "Во дворе не вывозят мусор.",
                            "external_id": f"tour-region-{company.id}-{number}",
                        }
                    )

    def test_head_of_two_municipalities_sees_both_rows(self):
        cids = "-".join(str(company_id) for company_id in self.regions[:2].ids)
        self.start_tour(
            f"/odoo/action-social_incidents_reports.social_incident_report_action_regional"
            f"?cids={cids}",
            "social_incidents_reports_regional_tour",
            login=self.head.login,
        )
