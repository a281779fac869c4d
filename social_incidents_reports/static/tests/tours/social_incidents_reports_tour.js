/** @odoo-module **/

/*
 * Browser tour of the analysis, run by social_incidents_reports/tests/test_ui_tour.py:
 * the head opens the print wizard from the menu, asks for this month's analysis,
 * and reads the figures in the pivot and the list. Elements are found by technical
 * names; the only texts are the incident numbers the test creates.
 */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("social_incidents_reports_analysis_tour", {
    url: "/odoo/action-social_incidents_reports.social_report_wizard_action_monthly",
    steps: () => [
        {
            content: "Ask for this month",
            trigger: ".modal .o_field_widget[name=period] select",
            run: 'select "this_month"',
        },
        {
            content: "Open the analysis of the period",
            trigger: ".modal footer button[name=action_open]",
            run: "click",
        },
        {
            content: "The pivot counts the three incidents of the month",
            trigger: ".o_pivot table tbody tr:first-child td.o_pivot_cell_value:first:contains(3)",
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The late incident is listed",
            trigger: ".o_list_view .o_data_row:contains(TOUR-LATE)",
        },
        {
            content: "The incident answered on time is listed",
            trigger: ".o_list_view .o_data_row:contains(TOUR-ON-TIME)",
        },
    ],
});
