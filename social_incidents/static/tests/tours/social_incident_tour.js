/** @odoo-module **/

/*
 * Browser tours of the social incidents workflow, run by
 * social_incidents/tests/test_ui_tour.py.
 *
 * Elements are found by their technical names (button names, field names,
 * statusbar values), never by their labels, so the tours pass whatever the
 * users' language is. The only text used is the name of the executor record
 * the test creates ("Tour Department").
 */

import { registry } from "@web/core/registry";

const EXECUTOR_NAME = "Tour Department";

// Values the Python test checks after the tours.
const TOUR_EXTERNAL_ID = "tour-wall-1_4242";
const TOUR_MESSAGE = "Tour: the street lamp at Lenina 12 has not been working for a week.";
const TOUR_URL = "https://vk.com/wall-1_4242";
const TOUR_REPLY = "Tour reply: the lamp at Lenina 12 will be repaired by Friday.";

// Header buttons only: the routing list of the form has row buttons with the
// same names (e.g. action_accept).
const headerButton = (name) => `.o_form_view .o_statusbar_buttons button[name="${name}"]`;
const currentState = (value) =>
    `.o_statusbar_status button.o_arrow_button_current[data-value="${value}"]`;

registry.category("web_tour.tours").add("social_incident_curator_tour", {
    url: "/odoo/action-social_incidents.social_incident_action",
    steps: () => [
        {
            content: "Create a new incident",
            trigger: ".o_control_panel_main_buttons .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Type the citizen's message",
            trigger: ".o_form_view .o_field_widget[name=text] textarea",
            run: `edit ${TOUR_MESSAGE}`,
        },
        {
            content: "Give the link to the message",
            trigger: ".o_form_view .o_field_widget[name=url] input",
            run: `edit ${TOUR_URL}`,
        },
        {
            content: "Give the message id in the network",
            trigger: ".o_form_view .o_field_widget[name=external_id] input",
            run: `edit ${TOUR_EXTERNAL_ID}`,
        },
        {
            content: "Choose the network VK",
            trigger: ".o_form_view .o_field_widget[name=network] select",
            run: 'select "vk"',
        },
        {
            content: "Save the incident",
            trigger: ".o_form_view .o_form_button_save:enabled",
            run: "click",
        },
        {
            content: "Wait until it is saved: it has a number and is new",
            trigger: `.o_form_view .o_form_saved ${currentState("new")}`,
        },
        {
            content: "The deadline of the routing step and the time left are shown",
            trigger: ".o_form_view div[name=sla_banner]:visible .o_field_widget[name=sla_remaining] .badge",
        },
        {
            content: "Open the routing dialog",
            trigger: headerButton("action_open_route_wizard"),
            run: "click",
        },
        {
            content: "Search the executor",
            trigger: ".modal .o_field_widget[name=executor_ids] input",
            run: `edit ${EXECUTOR_NAME}`,
        },
        {
            content: "Pick the executor",
            trigger: `.modal .o-autocomplete--dropdown-item a:contains(${EXECUTOR_NAME})`,
            run: "click",
        },
        {
            content: "The executor is chosen",
            trigger: `.modal .o_field_widget[name=executor_ids] .o_tag:contains(${EXECUTOR_NAME})`,
        },
        {
            content: "Confirm the routing",
            trigger: '.modal .modal-footer button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The incident is routed",
            trigger: `.o_form_view ${currentState("assigned")}`,
        },
        {
            content: "The routing list names the executor",
            trigger: `.o_form_view .o_field_widget[name=assignment_ids] .o_data_row:contains(${EXECUTOR_NAME})`,
        },
        {
            content: "The executor's routing carries the deadline of its draft",
            trigger: ".o_form_view .o_field_widget[name=assignment_ids] .o_data_row td[name=sla_deadline]:not(:empty)",
        },
    ],
});

// Started by the test on the form of an incident routed to the executor.
registry.category("web_tour.tours").add("social_incident_executor_tour", {
    steps: () => [
        {
            content: "The incident is routed to my executor",
            trigger: `.o_form_view ${currentState("assigned")}`,
        },
        {
            content: "Take the incident into work",
            trigger: headerButton("action_accept"),
            run: "click",
        },
        {
            content: "The incident is in progress",
            trigger: `.o_form_view ${currentState("in_progress")}`,
        },
        {
            content: "Write a reply",
            trigger: headerButton("action_new_reply"),
            run: "click",
        },
        {
            content: "Type the reply",
            trigger:
                ".o_form_view:has(.o_field_widget[name=incident_text]) .o_field_widget[name=body] textarea",
            run: `edit ${TOUR_REPLY}`,
        },
        {
            content: "Submit the reply for approval",
            trigger: headerButton("action_submit"),
            run: "click",
        },
        {
            content: "The reply is submitted",
            trigger: `.o_form_view:has(.o_field_widget[name=incident_text]) ${currentState("submitted")}`,
        },
        {
            content: "It cannot be edited any more",
            trigger: '.o_form_view .o_form_saved:not(:has(.o_statusbar_buttons button[name="action_submit"]))',
        },
    ],
});

// Started by the test on the form of an incident whose draft waits for approval.
// The curator returns it with a reason, and approves the reworked one.
const TOUR_RETURN_COMMENT = "Tour: give the date of the repair.";
registry.category("web_tour.tours").add("social_incident_review_tour", {
    steps: () => [
        {
            content: "The draft waits for my approval",
            trigger: `.o_form_view ${currentState("review")}`,
        },
        {
            content: "Return it for rework",
            trigger: headerButton("action_open_return_wizard"),
            run: "click",
        },
        {
            content: "Choose the reason",
            trigger: ".modal .o_field_widget[name=return_reason_id] input",
            run: "edit a",
        },
        {
            content: "Pick the first reason offered",
            trigger: ".modal .o-autocomplete--dropdown-item:first-child a",
            run: "click",
        },
        {
            content: "Say what to fix",
            trigger: ".modal .o_field_widget[name=text] textarea:visible",
            run: `edit ${TOUR_RETURN_COMMENT}`,
        },
        {
            content: "Confirm the return",
            trigger: '.modal .modal-footer button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The incident is back in progress",
            trigger: `body:not(:has(.modal)) .o_form_view ${currentState("in_progress")}`,
        },
    ],
});

registry.category("web_tour.tours").add("social_incident_approve_tour", {
    steps: () => [
        {
            content: "The reworked draft waits for my approval",
            trigger: `.o_form_view ${currentState("review")}`,
        },
        {
            content: "Approve it",
            trigger: headerButton("action_approve_reply"),
            run: "click",
        },
        {
            content: "The reply is approved",
            trigger: `.o_form_view ${currentState("approved")}`,
        },
    ],
});

// The executor publishes the approved reply and records where it was posted.
const TOUR_PUBLISHED_URL = "https://vk.com/wall-1_4242?reply=4343";
registry.category("web_tour.tours").add("social_incident_publish_tour", {
    steps: () => [
        {
            content: "The reply is approved",
            trigger: `.o_form_view ${currentState("approved")}`,
        },
        {
            content: "Publish it",
            trigger: headerButton("action_open_publish_wizard"),
            run: "click",
        },
        {
            content: "Give the link of the posted reply",
            trigger: ".modal .o_field_widget[name=url] input",
            run: `edit ${TOUR_PUBLISHED_URL}`,
        },
        {
            content: "Confirm",
            trigger: '.modal .modal-footer button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The incident is answered",
            trigger: `body:not(:has(.modal)) .o_form_view ${currentState("answered")}`,
        },
    ],
});
