"""Load an addon's Odoo-free modules from their files.

An addon's ``__init__`` imports Odoo, so its plain-Python parts (the
working-time engine, the API clients, the fake servers) are loaded from their
files by the Odoo-free tests.
"""

import importlib.util
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def load(name, path, package_dir=None):
    """The module ``name`` from ``path`` (loaded once); a package when
    ``package_dir`` is given, so that the relative imports of its modules work."""
    if name in sys.modules:
        return sys.modules[name]
    locations = [str(package_dir)] if package_dir else None
    spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=locations)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
