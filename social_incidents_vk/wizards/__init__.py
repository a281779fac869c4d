from . import social_moderation_wizard
from . import social_incident_step_wizard
