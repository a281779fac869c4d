"""Names shared by the models of the addon and by the addons built on it
(selections, states, groups, activity types). No Odoo import."""

NETWORKS = [
    ("vk", "VK"),
    ("ok", "OK"),
    ("telegram", "Telegram"),
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("twitter", "Twitter"),
    ("other", "Other"),
]

REPLY_KINDS = [
    ("final", "Final Reply"),
    ("intermediate", "Intermediate Reply"),
    ("clarification", "Clarification Request"),
]
REPLY_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("returned", "Returned"),
    ("approved", "Approved"),
    ("published", "Published"),
    ("publish_failed", "Publication Failed"),
    ("cancelled", "Cancelled"),
]

STATES = [
    ("new", "New"),
    ("assigned", "Routed"),
    ("in_progress", "In Progress"),
    ("clarification", "Waiting for Author"),
    ("review", "On Review"),
    ("approved", "Approved"),
    ("intermediate", "Intermediate Reply Given"),
    ("answered", "Answered"),
    ("closed", "Closed"),
    ("no_reply", "No Reply"),
    ("merged", "Merged"),
]
# States in which the incident is still worked on.
OPEN_STATES = (
    "new",
    "assigned",
    "in_progress",
    "clarification",
    "review",
    "approved",
    "intermediate",
)
# States in which executors may work on it (draft, give information).
WORK_STATES = ("assigned", "in_progress", "intermediate")
ROUTE_STATES = ("new", "assigned", "in_progress", "intermediate")
DONE_STATES = ("answered", "closed", "no_reply", "merged")
# States in which the record is final: its detection time and importance no longer change.
FINISHED_STATES = ("closed", "no_reply", "merged")

# Activity types, keyed by step, each for the next actor.
ACTIVITY_TYPES = {
    "route": "social_incidents.mail_act_social_route",
    "lead": "social_incidents.mail_act_social_lead",
    "draft": "social_incidents.mail_act_social_draft",
    "info": "social_incidents.mail_act_social_info",
    "rework": "social_incidents.mail_act_social_rework",
    "review": "social_incidents.mail_act_social_review",
    "publish": "social_incidents.mail_act_social_publish",
    "answer": "social_incidents.mail_act_social_answer",
    "control_report": "social_incidents.mail_act_social_control_report",
    "control_review": "social_incidents.mail_act_social_control_review",
}

CURATOR_GROUP = "social_incidents.group_social_curator"
ADMIN_GROUP = "social_incidents.group_social_admin"
HEAD_GROUP = "social_incidents.group_social_head"
