from . import social_incident_route_wizard
from . import social_incident_step_wizard
from . import social_sla_violation_excuse_wizard
from . import social_production_year_file_wizard
from . import social_incident_route_suggestion
from . import social_account_post_wizard
