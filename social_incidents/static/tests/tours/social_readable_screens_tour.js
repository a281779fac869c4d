/** @odoo-module **/

/*
 * Readable screens at 1366 × 768 (issue #13), run by
 * social_incidents/tests/test_readable_screens_tour.py.
 *
 * Elements are found by technical names (field names, button names, notebook
 * pages); the only texts used are the short names of the executors the test
 * creates.
 */

import { registry } from "@web/core/registry";

const SHORT_NAME = "УБДХ"; // "Управление благоустройства и дорожного хозяйства"
const OTHER_SHORT_NAME = "ОБЖ"; // "Отдел по безопасности жизнедеятельности населения"

/** Fail unless every element fits its box: nothing is cut with "…". */
function assertNotCut(elements, what) {
    if (!elements.length) {
        throw new Error(`No ${what} to check`);
    }
    for (const element of elements) {
        if (element.scrollWidth > element.clientWidth + 1) {
            throw new Error(
                `${what} is cut: "${element.textContent.trim()}" needs ${element.scrollWidth}px, has ${element.clientWidth}px`
            );
        }
    }
}

// the cells of column ``name`` in the rows of the form's one2many ``field``
const subListCells = (field, name) => [
    ...document.querySelectorAll(`.o_field_widget[name=${field}] .o_data_row td[name=${name}]`),
];

// the cells of column ``name`` in every row of the list view
const listCells = (name) => [...document.querySelectorAll(`.o_list_view .o_data_row td[name=${name}]`)];

// the cells, and the badges in them (a badge is cut inside a cell that is not)
const withBadges = (cells) => cells.flatMap((cell) => [cell, ...cell.querySelectorAll(".badge")]);

// the cells of the rows of the incidents routed to the test's executors
const rowCells = (name) =>
    [...document.querySelectorAll(".o_list_view .o_data_row")]
        .filter((row) => row.textContent.includes(SHORT_NAME))
        .map((row) => row.querySelector(`td[name=${name}]`));

registry.category("web_tour.tours").add("social_incident_list_readable_tour", {
    steps: () => [
        {
            content: "Switch to the list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list of incidents shows the routed incident",
            trigger: `.o_list_view .o_data_row td[name=executor_ids] .o_tag:contains(${SHORT_NAME})`,
        },
        {
            content: "Number, executors, time left and state are not cut at 1366 px",
            trigger: ".o_list_view .o_data_row td[name=sla_remaining]:not(:empty)",
            run() {
                if (window.innerWidth > 1366) {
                    throw new Error(`The browser is ${window.innerWidth}px wide, not 1366`);
                }
                assertNotCut(rowCells("name"), "The incident number");
                assertNotCut(rowCells("state"), "The state");
                assertNotCut(rowCells("sla_remaining"), "The time left");
                assertNotCut(
                    rowCells("executor_ids").flatMap((cell) => [
                        cell,
                        ...cell.querySelectorAll(".o_tag, .o_tag_badge_text"),
                    ]),
                    "An executor"
                );
                const tags = rowCells("executor_ids").flatMap((cell) =>
                    [...cell.querySelectorAll(".o_tag_badge_text")].map((tag) => tag.textContent.trim())
                );
                if (!tags.includes(SHORT_NAME) || !tags.includes(OTHER_SHORT_NAME)) {
                    throw new Error(`The executors are not shown by their short names: ${tags}`);
                }
            },
        },
        {
            content: "Open the incident",
            trigger: `.o_list_view .o_data_row:has(.o_tag:contains(${SHORT_NAME})) td[name=name]`,
            run: "click",
        },
        {
            content: "Open the routing tab",
            trigger: ".o_form_view .o_notebook a[name=routing]",
            run: "click",
        },
        {
            content: "Executor, state and time left of the routing lines are not cut",
            trigger: `.o_form_view .o_field_widget[name=assignment_ids] .o_data_row td[name=executor_id]:contains(${OTHER_SHORT_NAME})`,
            run() {
                const cells = (name) => subListCells("assignment_ids", name);
                assertNotCut(cells("executor_id"), "An executor of the routing");
                assertNotCut(cells("state"), "A routing state");
                assertNotCut(cells("sla_remaining"), "A routing's time left");
            },
        },
        {
            content: "Open the deadlines tab",
            trigger: ".o_form_view .o_notebook a[name=deadlines]",
            run: "click",
        },
        {
            content: "Step, executor, status and time left of the deadline rows are not cut",
            trigger: `.o_form_view .o_field_widget[name=deadline_ids] .o_data_row td[name=executor_id]:contains(${SHORT_NAME})`,
            run() {
                const cells = (name) => subListCells("deadline_ids", name);
                assertNotCut(cells("step"), "A step");
                assertNotCut(cells("executor_id"), "An executor of a step");
                assertNotCut(
                    withBadges(cells("status")),
                    "A step's status"
                );
                assertNotCut(cells("remaining"), "A step's time left");
            },
        },
    ],
});

registry.category("web_tour.tours").add("social_executor_short_name_search_tour", {
    steps: () => [
        {
            content: "Search the executors for the short name",
            trigger: ".o_control_panel .o_searchview_input",
            run: `edit ${SHORT_NAME}`,
        },
        {
            content: "Search by name (the first choice)",
            trigger: ".o_searchview_autocomplete .o_menu_item:first",
            run: "click",
        },
        {
            content: "The executor whose short name it is is found, and only it",
            trigger: `.o_list_view .o_data_row:only-child td[name=short_name]:contains(${SHORT_NAME})`,
        },
    ],
});

registry.category("web_tour.tours").add("social_route_by_short_name_tour", {
    steps: () => [
        {
            content: "Open the routing dialog",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_route_wizard]",
            run: "click",
        },
        {
            content: "Type the executor's short name",
            trigger: ".modal .o_field_widget[name=executor_ids] input",
            run: `edit ${SHORT_NAME}`,
        },
        {
            content: "The executor is offered (found by its short name)",
            trigger: ".modal .o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item:first a:contains(благоустройства)",
            run: "click",
        },
        {
            content: "It is chosen",
            trigger: ".modal .o_field_widget[name=executor_ids] .o_tag",
        },
        {
            content: "Confirm the routing",
            trigger: '.modal .modal-footer button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The routing tab names the executor by its short name",
            trigger: `.o_form_view .o_field_widget[name=assignment_ids] .o_data_row td[name=executor_id]:contains(${SHORT_NAME})`,
        },
    ],
});

registry.category("web_tour.tours").add("social_my_incidents_deadline_tour", {
    steps: () => {
        let listed = null;
        return [
            {
                content: "Switch to the cards",
                trigger: ".o_control_panel .o_switch_view.o_kanban",
                run: "click",
            },
            {
                content: "The cards show my time left too, not the incident's",
                trigger: ".o_kanban_record .o_social_my_deadline",
                run() {
                    const card = this.anchor.closest(".o_kanban_record");
                    if (!card.textContent.includes(SHORT_NAME)) {
                        throw new Error(`The card does not show the executors by short name: ${card.textContent}`);
                    }
                },
            },
            {
                content: "Back to the list",
                trigger: ".o_control_panel .o_switch_view.o_list",
                run: "click",
            },
            {
                content: "«My Incidents» shows my deadline, not the incident's nearest one",
                trigger: ".o_list_view .o_data_row td[name=my_deadline]:not(:empty)",
                run() {
                    if (document.querySelector(".o_list_view td[name=sla_deadline]")) {
                        throw new Error("«My Incidents» shows the incident's nearest deadline");
                    }
                    listed = this.anchor.textContent.trim();
                    assertNotCut(rowCells("my_remaining"), "My time left");
                },
            },
            {
                content: "Open the incident",
                trigger: ".o_list_view .o_data_row td[name=name]",
                run: "click",
            },
            {
                content: "Open the routing tab",
                trigger: ".o_form_view .o_notebook a[name=routing]",
                run: "click",
            },
            {
                content: "The deadline listed is the one of my routing line, not the other unit's",
                trigger: `.o_field_widget[name=assignment_ids] .o_data_row td[name=executor_id]:contains(${SHORT_NAME})`,
                run() {
                    const deadlineOf = (shortName) => {
                        const row = [
                            ...document.querySelectorAll(".o_field_widget[name=assignment_ids] .o_data_row"),
                        ].find((tr) => tr.querySelector("td[name=executor_id]").textContent.trim() === shortName);
                        return row.querySelector("td[name=sla_deadline]").textContent.trim();
                    };
                    const mine = deadlineOf(SHORT_NAME);
                    const other = deadlineOf(OTHER_SHORT_NAME);
                    if (!mine || mine !== listed) {
                        throw new Error(`«My Incidents» shows ${listed}, my routing line is due ${mine}`);
                    }
                    if (mine === other) {
                        throw new Error(`The two units are due at the same time (${mine}): nothing is tested`);
                    }
                },
            },
        ];
    },
});

registry.category("web_tour.tours").add("social_author_history_tour", {
    steps: () => [
        {
            content: "Open the author's history from the incident",
            trigger: ".o_form_view button[name=action_view_author_history]",
            run: "click",
        },
        {
            content: "Every message of the author, with our replies and the outcomes, in time order",
            trigger: ".o_form_view .o_field_widget[name=history_html] .o_social_history_incident:nth-child(2)",
            run() {
                const sections = [
                    ...document.querySelectorAll(".o_field_widget[name=history_html] .o_social_history_incident"),
                ];
                if (sections.length !== 2) {
                    throw new Error(`${sections.length} messages shown, 2 expected`);
                }
                const detected = sections.map((section) => section.dataset.detected);
                if ([...detected].sort().join() !== detected.join()) {
                    throw new Error(`Not in time order: ${detected}`);
                }
                const kinds = (section) =>
                    [...section.querySelectorAll("[class*=o_social_history_]")]
                        .map((node) => [...node.classList].find((c) => c.startsWith("o_social_history_")))
                        .filter((kind) => !["o_social_history_number", "o_social_history_state"].includes(kind))
                        .join(",");
                const first = kinds(sections[0]);
                if (first !== "o_social_history_message,o_social_history_reply,o_social_history_outcome") {
                    throw new Error(`The first message should show its reply and its outcome: ${first}`);
                }
                const second = kinds(sections[1]);
                if (second !== "o_social_history_message,o_social_history_outcome") {
                    throw new Error(`The second message should show its outcome: ${second}`);
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("social_reply_list_readable_tour", {
    steps: () => [
        {
            content: "The replies list shows the draft on review",
            trigger: `.o_list_view .o_data_row td[name=executor_id]:contains(${SHORT_NAME})`,
        },
        {
            content: "Incident number, executor, reply, time left and state are not cut; the text is one line",
            trigger: ".o_list_view .o_data_row td[name=sla_remaining]:not(:empty)",
            run() {
                const cells = listCells;
                assertNotCut(cells("incident_id"), "The incident number of a reply");
                assertNotCut(cells("executor_id"), "The executor of a reply");
                assertNotCut(
                    withBadges(cells("state")),
                    "The state of a reply"
                );
                assertNotCut(cells("sla_remaining"), "The time left of a reply");
                for (const row of document.querySelectorAll(".o_list_view .o_data_row")) {
                    if (row.offsetHeight > 60) {
                        throw new Error(`A reply's row is ${row.offsetHeight}px high: the whole text is shown`);
                    }
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("social_violation_list_readable_tour", {
    steps: () => [
        {
            content: "Incident number, executor and delay of the missed deadlines are not cut",
            trigger: `.o_list_view .o_data_row td[name=executor_id]:contains(${SHORT_NAME})`,
            run() {
                const cells = listCells;
                assertNotCut(cells("incident_id"), "The incident number of a missed deadline");
                assertNotCut(cells("executor_id"), "The executor of a missed deadline");
                assertNotCut(cells("delay_display"), "The delay of a missed deadline");
            },
        },
    ],
});
