{
    "name": "Social Network Incidents: Monitoring Systems",
    "summary": "Messages found by monitoring systems (Incident Management, Medialogia, "
    "Brand Analytics, Kribrum) come in as incidents: file import and a push endpoint",
    "version": "18.0.1.2.0",
    "category": "Services",
    "license": "LGPL-3",
    "author": "Social Incidents Team",
    "website": "https://example.org/social-incidents",
    "depends": ["social_incidents"],
    "external_dependencies": {"python": ["openpyxl"]},
    "data": [
        "security/ir.model.access.csv",
        "security/social_incidents_monitoring_rules.xml",
        "views/social_monitoring_source_views.xml",
        "views/social_incident_views.xml",
        "views/social_monitoring_import_views.xml",
        "views/social_monitoring_source_import_views.xml",
        "wizards/social_monitoring_import_wizard_views.xml",
        "views/social_incidents_monitoring_menus.xml",
        "views/social_monitoring_source_push_views.xml",
    ],
    "demo": [
        "demo/social_monitoring_source_demo.xml",
        "demo/social_monitoring_profile_demo.xml",
    ],
    "installable": True,
}
