from . import test_concurrency
from . import test_end_to_end
from . import test_publish_moderate_poll
from . import test_webhook
from . import test_publication_check
