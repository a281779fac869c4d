from . import social_incident_route_wizard
from . import social_incident_step_wizard
