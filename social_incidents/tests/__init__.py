from . import test_registration
from . import test_routing
from . import test_reply_approval
from . import test_control_no_reply_merge
from . import test_access_rights
from . import test_translation_and_demo
from . import test_ui_tour
from . import test_production_calendar
