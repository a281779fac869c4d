-- a restored copy of the database never talks to the real communities: every page's
-- connector is switched off, so nothing is polled or posted, and the Callback API
-- endpoint refuses the events of a page that is not connected
UPDATE social_account
   SET connector_enabled = false
 WHERE connector_enabled;
