/** @odoo-module **/

/*
 * Browser tours of the content plan, run by
 * social_incidents/tests/test_content_plan_tour.py: the author submits a
 * planned post, the curator sees it in the calendar and approves it.
 * Elements are found by their technical names, never by their labels.
 */

import { registry } from "@web/core/registry";

const headerButton = (name) => `.o_form_view .o_statusbar_buttons button[name="${name}"]`;
const currentState = (value) =>
    `.o_statusbar_status button.o_arrow_button_current[data-value="${value}"]`;

registry.category("web_tour.tours").add("social_content_plan_submit_tour", {
    steps: () => [
        {
            content: "The draft's text is editable by its author",
            trigger: ".o_form_view .o_field_widget[name=body] textarea",
            run: "edit Tour: the weekend fair on the central square, Saturday from 8:00.",
        },
        {
            content: "Submit the post for approval",
            trigger: headerButton("action_submit"),
            run: "click",
        },
        {
            content: "The post is submitted",
            trigger: currentState("submitted"),
        },
    ],
});

registry.category("web_tour.tours").add("social_content_plan_approve_tour", {
    steps: () => [
        {
            content: "The calendar of the content plan shows the post",
            trigger: ".o_calendar_view .fc-event:contains(Tour fair)",
        },
        {
            content: "Open the post from the calendar",
            trigger: ".o_calendar_view .fc-event:contains(Tour fair)",
            run: "click",
        },
        {
            content: "Open its form from the popover",
            trigger: ".o_cw_popover .o_cw_popover_edit",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: headerButton("action_approve"),
            run: "click",
        },
        {
            content: "The post is approved",
            trigger: currentState("approved"),
        },
    ],
});
