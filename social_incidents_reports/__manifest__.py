{
    "name": "Social Network Incidents: Analysis and Reports",
    "summary": "Analysis of the incidents, the monthly report to the head, the list of "
    "missed deadlines for disciplinary decisions, the incident card",
    "version": "18.0.1.2.0",
    "category": "Services",
    "license": "LGPL-3",
    "author": "Social Incidents Team",
    "website": "https://example.org/social-incidents",
    "depends": ["social_incidents"],
    "external_dependencies": {"python": ["python-dateutil>=2.9"]},
    "data": [
        "security/ir.model.access.csv",
        "security/social_incidents_reports_rules.xml",
        "data/ir_cron_data.xml",
        "report/report_paperformat.xml",
        "report/report_common_templates.xml",
        "report/report_monthly_templates.xml",
        "report/report_disciplinary_templates.xml",
        "report/report_incident_card_templates.xml",
        "report/social_reports.xml",
        "views/social_incident_report_views.xml",
        "views/social_report_monthly_views.xml",
        "wizards/social_report_wizard_views.xml",
        "views/social_incidents_reports_menus.xml",
        "views/social_incident_report_regional_views.xml",
        "views/social_account_week_menus.xml",
    ],
    "demo": [
        "demo/social_incident_history_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "social_incidents_reports/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
