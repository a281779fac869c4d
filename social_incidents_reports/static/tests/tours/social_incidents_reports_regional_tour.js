/** @odoo-module **/

/*
 * Browser tour of the regional view, run by social_incidents_reports/tests/test_regional_tour.py:
 * a head with two municipalities ticked in the company switcher opens «По муниципалитетам»
 * (the previous month by default) and reads one pivot row per municipality, then the graph.
 * The only texts are the municipalities' names the test creates.
 */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("social_incidents_reports_regional_tour", {
    steps: () => [
        {
            content: "The previous month is filtered",
            trigger: ".o_searchview_facet",
        },
        {
            content: "Region A's row counts its two incidents of the month",
            trigger:
                ".o_pivot tbody tr:has(th:contains(Tour Region A)) td.o_pivot_cell_value:first:contains(2)",
        },
        {
            content: "Region B's row counts its one incident",
            trigger:
                ".o_pivot tbody tr:has(th:contains(Tour Region B)) td.o_pivot_cell_value:first:contains(1)",
        },
        {
            content: "The total counts the three incidents of A and B: Region C, not ticked, is out",
            trigger: ".o_pivot tbody tr:first-child td.o_pivot_cell_value:first:contains(3)",
        },
        {
            content: "Switch to the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph is drawn",
            trigger: ".o_graph_renderer canvas",
        },
    ],
});
