from . import (
    social_monitoring_source,
    social_incident,
    social_monitoring_profile,
    social_monitoring_profile_line,
    social_monitoring_import,
    social_monitoring_import_line,
    social_monitoring_source_import,
    social_monitoring_push_count,
    social_monitoring_source_push,
)
