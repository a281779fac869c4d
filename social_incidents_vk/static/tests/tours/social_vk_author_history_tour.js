/** @odoo-module **/

/*
 * The author's history of a reply in a VK thread (issue #13), run by
 * social_incidents_vk/tests/test_author_history.py: every message of the
 * author in time order, each reply in a thread under the comment it answers.
 * Elements are found by technical names and the texts the test gives.
 */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("social_vk_author_history_tour", {
    steps: () => [
        {
            content: "Open the author's history from the incident",
            trigger: ".o_form_view button[name=action_view_author_history]",
            run: "click",
        },
        {
            content: "The three messages of the author, in time order, each under the comment it answers",
            trigger: ".o_field_widget[name=history_html] .o_social_history_incident:nth-child(3)",
            run() {
                const sections = [
                    ...document.querySelectorAll(".o_field_widget[name=history_html] .o_social_history_incident"),
                ];
                const expected = [
                    ["Когда отремонтируют крышу дома 3?", "И у нас в доме 5 течёт!"],
                    ["Крышу отремонтируют в июне.", "В июне уже поздно."],
                    ["reply=99", "Согласна с соседом."],
                ];
                if (sections.length !== expected.length) {
                    throw new Error(`${sections.length} messages shown, ${expected.length} expected`);
                }
                sections.forEach((section, index) => {
                    const parent = section.querySelector(".o_social_history_parent");
                    const message = section.querySelector(".o_social_history_message");
                    const [parentText, messageText] = expected[index];
                    if (!parent || !parent.textContent.includes(parentText)) {
                        throw new Error(`Message ${index + 1}: the comment it answers is not shown`);
                    }
                    if (!message.textContent.includes(messageText)) {
                        throw new Error(`Message ${index + 1} is not "${messageText}"`);
                    }
                    // the quote comes first, then the message
                    if (!(parent.compareDocumentPosition(message) & Node.DOCUMENT_POSITION_FOLLOWING)) {
                        throw new Error(`Message ${index + 1}: the quote is not above the message`);
                    }
                });
            },
        },
    ],
});
