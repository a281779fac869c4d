from . import (
    social_monitoring_source,
    social_incident,
    social_monitoring_push_count,
    social_monitoring_source_push,
)
