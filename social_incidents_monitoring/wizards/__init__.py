from . import (
    social_monitoring_import_wizard,
    social_monitoring_import_wizard_column,
    social_monitoring_import_wizard_line,
)
