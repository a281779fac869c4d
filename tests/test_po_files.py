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


ADDON_DIRS = sorted(p.parent for p in REPO_ROOT.glob("*/__manifest__.py"))


@pytest.mark.parametrize("addon", ADDON_DIRS, ids=[p.name for p in ADDON_DIRS])
def test_pot_translated_in_ru_po(addon):
    """The addon's .pot (exported by Odoo: ``--i18n-export=<addon>/i18n/<addon>.pot
    --modules=<addon>``) is there, and ru.po translates every term of it. A term added to the
    code and the .pot but not to ru.po fails here; so does a .pot that lacks a translated term
    (a .pot older than ru.po)."""
    pot_path = addon / "i18n" / f"{addon.name}.pot"
    assert pot_path.is_file(), f"{addon.name} has no i18n/{addon.name}.pot"
    pot = polib.pofile(str(pot_path), encoding="utf-8")
    assert not [e for e in pot if e.msgstr], f"{pot_path} has translations: it is not a template"
    po = polib.pofile(str(addon / "i18n" / "ru.po"), encoding="utf-8")
    pot_terms = {(e.msgctxt, e.msgid) for e in pot if not e.obsolete}
    translated = {(e.msgctxt, e.msgid) for e in po.translated_entries()}
    missing = sorted(msgid for _, msgid in pot_terms - translated)
    assert not missing, (
        f"{len(missing)} terms of {pot_path.name} not translated in ru.po: {missing[:10]}"
    )
    stale = sorted(msgid for _, msgid in translated - pot_terms)
    assert not stale, (
        f"{len(stale)} terms of ru.po not in {pot_path.name} (re-export it): {stale[:10]}"
    )
