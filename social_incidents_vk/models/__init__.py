from . import social_account
from . import social_account_polling
from . import social_connector_log
from . import social_inbound_event
from . import social_webhook_refusal
from . import social_moderation_log
from . import social_incident
from . import social_incident_reply
