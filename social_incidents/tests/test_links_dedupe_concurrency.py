"""Two people register the same link at the same moment: the second waits for
the first and is refused, naming its incident. Separate database cursors, as
two HTTP workers would use; the data is committed, so the test removes it after."""

import threading

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged

# a site's link: no message id, only the link tells the two registrations apart
LINK = "https://akhtubinsk.ru/forum/concurrent-registration-15"


@tagged("post_install", "-at_install")
class TestConcurrentRegistration(BaseCase):
    def test_same_link_at_the_same_moment_is_registered_once(self):
        registry = Registry(get_db_name())
        first_created = threading.Event()
        second_started = threading.Event()
        outcome = {}

        def register(cr, text):
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            return env["social.incident"].create({"network": "other", "url": LINK, "text": text})

        def first():
            with registry.cursor() as cr:
                outcome["first"] = register(cr, "Первая регистрация").name
                first_created.set()
                # commit only once the second one has its snapshot and waits for the lock
                second_started.wait(timeout=10)
                threading.Event().wait(0.5)

        def second():
            first_created.wait(timeout=10)
            try:
                with registry.cursor() as cr:
                    cr.execute("SELECT 1")  # the snapshot: taken before the first commits
                    second_started.set()
                    outcome["second"] = register(cr, "Вторая регистрация").name
            except UserError as error:
                outcome["refused"] = str(error)

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            self.assertNotIn("second", outcome)
            self.assertEqual(
                outcome.get("refused"),
                f"This message is already registered as incident {outcome['first']}.",
            )
        finally:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["social.incident"].with_context(active_test=False).search(
                    [("url", "=", LINK)]
                ).unlink()
