{
    "name": "Social Network Incidents: VK, OK and Telegram Connectors",
    "summary": "Comments on the official VK community, OK group and Telegram channel arrive as "
    "incidents; approved replies are posted by the page; comments are moderated",
    "version": "18.0.1.2.0",
    "category": "Services",
    "license": "LGPL-3",
    "author": "Social Incidents Team",
    "website": "https://example.org/social-incidents",
    "depends": ["social_incidents"],
    "external_dependencies": {"python": ["requests", "urllib3"]},
    "data": [
        "security/ir.model.access.csv",
        "security/social_incidents_vk_rules.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/social_inbound_event_views.xml",
        "views/social_moderation_log_views.xml",
        "views/social_account_views.xml",
        "views/social_incident_views.xml",
        "wizards/social_moderation_wizard_views.xml",
        "wizards/social_incident_step_wizard_views.xml",
        "views/social_incidents_vk_menus.xml",
    ],
    "demo": [
        "demo/social_account_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "social_incidents_vk/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
