-- a restored copy of the database never talks to the real communities: every page's
-- connector is switched off, so nothing is polled or posted, and the Callback API
-- endpoint refuses the events of a page that is not connected
UPDATE social_account
   SET connector_enabled = false
 WHERE connector_enabled;

-- and the production credentials are wiped, so nobody switches the copy's connector back
-- on with them (a copy is connected to a test community with test credentials)
UPDATE social_account
   SET vk_community_token = NULL,
       vk_user_token = NULL,
       vk_service_token = NULL,
       vk_secret = NULL,
       ok_application_secret_key = NULL,
       ok_access_token = NULL,
       tg_bot_token = NULL,
       tg_webhook_secret = NULL
 WHERE vk_community_token IS NOT NULL OR vk_user_token IS NOT NULL OR vk_service_token IS NOT NULL
    OR vk_secret IS NOT NULL OR ok_application_secret_key IS NOT NULL OR ok_access_token IS NOT NULL
    OR tg_bot_token IS NOT NULL OR tg_webhook_secret IS NOT NULL;
