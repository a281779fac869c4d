from . import social_report_wizard
