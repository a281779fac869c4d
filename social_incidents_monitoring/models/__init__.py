from . import social_monitoring_source, social_incident
