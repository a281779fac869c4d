from datetime import date

from odoo.tests import new_test_user, tagged

from .common import MARCH, ReportsCase


@tagged("post_install", "-at_install")
class TestAnalysis(ReportsCase):
    def test_each_incident_counted_as_the_regulation_counts(self):
        rows = {row.name: row for row in self.march_rows()}
        names = {key: incident.name for key, incident in self.dataset.items()}
        self.assertEqual(set(rows), {names[k] for k in "ABCDEFG"})  # H is April in Moscow
        timeliness = {key: rows[names[key]].timeliness for key in "ABCDEFG"}
        self.assertEqual(
            timeliness,
            {
                "A": "on_time",
                "B": "on_time",
                "C": "late",
                "D": "on_time",
                "E": "not_applicable",
                "F": "on_time",
                "G": "overdue",
            },
        )
        hours = {key: rows[names[key]].reply_hours for key in "ABCDF"}
        self.assertEqual(hours, {"A": 1.33, "B": 3.0, "C": 10.0, "D": 2.0, "F": 1.0})
        a = rows[names["A"]]
        self.assertEqual(
            (a.rework_count, a.executor_ids, a.lead_executor_id), (1, self.housing, self.housing)
        )
        self.assertTrue(rows[names["F"]].is_repeat)
        self.assertTrue(rows[names["F"]].has_intermediate)
        self.assertEqual(rows[names["E"]].no_reply_reason_id, self.no_reply_obscene)
        # C: the reply was due Thursday 10:00 and came at 12:00: 2 working hours late
        self.assertEqual(rows[names["C"]].reply_delay_minutes, 120)
        self.assertGreater(rows[names["C"]].violation_count, 0)
        self.assertEqual(self.dataset["C"].reply_work_minutes, 600)

    def test_pivot_totals_are_the_report_figures(self):
        domain = self.Report._period_domain(self.company, *MARCH)
        [totals] = self.Report.read_group(
            domain,
            [
                "on_time_rate:avg",
                "reply_hours:avg",
                "answered_count:sum",
                "on_time_count:sum",
                "late_count:sum",
                "overdue_count:sum",
                "high_count:sum",
                "repeat_count:sum",
                "no_reply_count:sum",
                "rework_count:sum",
            ],
            [],
        )
        self.assertEqual(totals["__count"], 7)
        self.assertAlmostEqual(totals["on_time_rate"], 80.0)
        self.assertEqual(
            [
                totals[f]
                for f in (
                    "answered_count",
                    "on_time_count",
                    "late_count",
                    "overdue_count",
                    "high_count",
                    "repeat_count",
                    "no_reply_count",
                    "rework_count",
                )
            ],
            [5, 4, 1, 1, 1, 1, 1, 1],
        )
        figures = self.env["report.social_incidents_reports.report_monthly"]._figures(
            self.company, *MARCH
        )
        t = figures["totals"]
        self.assertEqual(t["__count"], totals["__count"])
        self.assertEqual(t["on_time_share"].replace(",", "."), "80.0 %")
        self.assertAlmostEqual(t["reply_hours:avg"], totals["reply_hours"])
        self.assertAlmostEqual(figures["median_value"], 2.0)
        self.assertAlmostEqual(figures["p90_value"], 7.2)
        by_executor = {row["label"]: row for row in figures["by_executor"]}
        pivot_by_executor = {
            executor.display_name or self.env._("(none)"): (count, answered)
            for executor, count, answered in self.Report._read_group(
                domain, ["executor_ids"], ["__count", "answered_count:sum"]
            )
        }
        self.assertEqual(
            {
                label: (row["__count"], row["answered_count:sum"])
                for label, row in by_executor.items()
            },
            pivot_by_executor,
        )
        self.assertEqual(pivot_by_executor[self.housing.display_name], (4, 3))  # A C F G
        self.assertEqual(pivot_by_executor[self.roads.display_name], (2, 2))  # B D
        self.assertEqual(
            by_executor[self.housing.display_name]["on_time_share"].replace(",", "."), "66.7 %"
        )
        by_network = {row["label"]: row["__count"] for row in figures["by_network"]}
        self.assertEqual(by_network, {"VK": 6, "OK": 1})
        self.assertEqual([row.name for row in figures["high_rows"]], [self.dataset["D"].name])
        # F's final reply (due 19 March) is the longest overdue, then G's reply, then C's
        self.assertEqual(
            [row.name for row in figures["overdue_rows"]],
            [self.dataset[key].name for key in "FGC"],
        )
        self.assertEqual(figures["overdue_rows"][2].reply_delay_minutes, 120)
        self.assertEqual([bar["count"] for bar in figures["chart"]["bars"]], [0, 5, 1, 0, 0, 1])

    def test_record_rules_hold_in_the_analysis(self):
        names = {key: incident.name for key, incident in self.dataset.items()}
        seen = {
            user.login: {row.name for row in self.march_rows(user)}
            for user in (self.roads_user, self.housing_user, self.head, self.curator, self.outsider)
        }
        self.assertEqual(seen["t_roads"], {names["B"], names["D"]})
        self.assertEqual(seen["t_housing"], {names[k] for k in "ACFG"})
        self.assertEqual(seen["t_outsider"], set())
        self.assertEqual(seen["t_head"], {names[k] for k in "ABCDEFG"})
        self.assertEqual(seen["t_curator"], seen["t_head"])
        # the pivot of an executor counts only their incidents
        [group] = self.Report.with_user(self.roads_user).read_group(
            self.Report._period_domain(self.company, *MARCH), ["answered_count:sum"], []
        )
        self.assertEqual((group["__count"], group["answered_count"]), (2, 2))
        # another company's user sees none of it
        other = self.env["res.company"].create({"name": "Other municipality"})
        stranger = new_test_user(
            self.env,
            login="t_stranger",
            groups="base.group_user,social_incidents.group_social_head",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(self.march_rows(stranger))

    def test_disciplinary_figures_by_executor_and_person(self):
        Report = self.env["report.social_incidents_reports.report_disciplinary"]
        figures = Report._figures(self.company, *MARCH)
        expected = self.Violation.search(
            [
                ("company_id", "=", self.company.id),
                ("deadline", ">=", "2025-02-28 21:00:00"),
                ("deadline", "<", "2025-03-31 21:00:00"),
            ]
        )
        self.assertTrue(expected)
        self.assertEqual(figures["count"], len(expected))
        groups = {
            ex["name"]: {p["name"]: p["count"] for p in ex["people"]} for ex in figures["executors"]
        }
        housing = {v.user_id.name: 0 for v in expected if v.executor_id == self.housing}
        for v in expected.filtered(lambda v: v.executor_id == self.housing):
            housing[v.user_id.name] += 1
        self.assertEqual(groups[self.housing.display_name], housing)
        # excusing one leaves it listed with its comment, or out when asked
        violation = expected.filtered(lambda v: v.executor_id == self.housing)[:1]
        violation.with_user(self.head).action_excuse("болезнь")
        figures = Report._figures(self.company, *MARCH)
        self.assertEqual(figures["excused_count"], 1)
        rows = [
            r
            for ex in figures["executors"]
            for p in ex["people"]
            for r in p["rows"]
            if r["excused"]
        ]
        self.assertEqual([r["excuse_comment"] for r in rows], ["болезнь"])
        self.assertEqual(
            Report._figures(self.company, *MARCH, include_excused=False)["count"], len(expected) - 1
        )

    def test_wizard_opens_the_same_analysis(self):
        wizard = (
            self.env["social.report.wizard"]
            .with_user(self.head)
            .create(
                {
                    "report": "monthly",
                    "period": "custom",
                    "date_from": MARCH[0],
                    "date_to": MARCH[1],
                }
            )
        )
        action = wizard.action_open()
        self.assertEqual(action["res_model"], "social.incident.report")
        self.assertEqual(self.Report.with_user(self.head).search_count(action["domain"]), 7)
        printed = wizard.action_print()
        self.assertEqual(printed["report_name"], "social_incidents_reports.report_monthly")
        self.assertEqual(printed["data"]["date_from"], "2025-03-01")
        disciplinary = (
            self.env["social.report.wizard"]
            .with_user(self.head)
            .create(
                {
                    "report": "disciplinary",
                    "period": "custom",
                    "date_from": MARCH[0],
                    "date_to": MARCH[1],
                }
            )
        )
        action = disciplinary.action_open()
        self.assertEqual(action["res_model"], "social.sla.violation")
        figures = self.env["report.social_incidents_reports.report_disciplinary"]._figures(
            self.company, *MARCH
        )
        self.assertEqual(
            self.Violation.with_user(self.head).search_count(action["domain"]), figures["count"]
        )
        self.assertEqual(
            self.env["social.report.wizard"]._period_dates("last_month", MARCH[1]),
            (date(2025, 2, 1), date(2025, 2, 28)),
        )
