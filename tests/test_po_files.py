"""Every entry of the addons' ru.po files names its module, as Odoo's reader requires (an
entry without ``#. module:`` makes the install fail)."""

import re

import polib
import pytest

from addon_files import REPO_ROOT

PO_FILES = sorted(REPO_ROOT.glob("*/i18n/ru.po"))


@pytest.mark.parametrize("path", PO_FILES, ids=[p.parent.parent.name for p in PO_FILES])
def test_every_entry_names_its_module(path):
    po = polib.pofile(str(path), encoding="utf-8")
    nameless = [e.msgid for e in po if not e.obsolete and not re.match(r"modules?: \w+", e.comment)]
    assert not nameless, f"entries without '#. module:' in {path}: {nameless[:10]}"


@pytest.mark.parametrize("path", PO_FILES, ids=[p.parent.parent.name for p in PO_FILES])
def test_no_entry_twice(path):
    po = polib.pofile(str(path), encoding="utf-8")
    seen, twice = set(), []
    for entry in po:
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            twice.append(entry.msgid)
        seen.add(key)
    assert not twice, f"entries twice in {path}: {twice[:10]}"
