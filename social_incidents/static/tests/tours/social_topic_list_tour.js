/** @odoo-module **/

/*
 * The topics list, grouped by topic group as it opens: a group's header shows
 * no aggregate (the colour is an index into the palette, not a number to add
 * up). Run by social_incidents/tests/test_units_and_topics.py; elements are
 * found by technical names and classes, never by labels.
 */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("social_topic_list_tour", {
    url: "/odoo/action-social_incidents.social_incident_topic_action",
    steps: () => [
        {
            content: "The topics are grouped by topic group",
            trigger: ".o_list_view .o_group_header.o_group_has_content",
        },
        {
            content: "The colour column is shown",
            trigger: ".o_list_view th[data-name=color]",
        },
        {
            content: "No group header sums a column",
            trigger: ".o_list_view:not(:has(.o_group_header td.o_list_number))",
        },
        {
            content: "Open a group: its topics show their colour",
            trigger: ".o_list_view .o_group_header.o_group_has_content",
            run: "click",
        },
        {
            content: "The topics of the group are listed, still with no sum",
            trigger: ".o_list_view:not(:has(.o_group_header td.o_list_number)) .o_data_row td[name=color]",
        },
    ],
});
