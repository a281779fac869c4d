from . import report_monthly
from . import report_disciplinary
from . import report_incident_card
