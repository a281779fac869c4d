from . import social_incident
from . import social_incident_demo
from . import social_incident_report
from . import social_report_monthly
