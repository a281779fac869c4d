from . import test_analysis
from . import test_reports_pdf
from . import test_monthly_dispatch
from . import test_ui_tour
from . import test_provisional_calendar_pdf
from . import test_reports_printing
from . import test_demo_history
from . import test_regional_view
