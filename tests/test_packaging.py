"""Packaging checks of every addon of the repository; no Odoo needed.

An addon is a directory at the repository root holding a ``__manifest__.py``.
"""

import ast
import tomllib
from pathlib import Path

import polib
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO_ROOT = Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent for p in REPO_ROOT.glob("*/__manifest__.py"))
ADDON_IDS = [p.name for p in ADDONS]


def _manifest(addon):
    return ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))


def test_addons_found():
    assert ADDONS, f"no addon (directory with a __manifest__.py) in {REPO_ROOT}"


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_manifest(addon):
    manifest = _manifest(addon)
    assert isinstance(manifest, dict)
    for key in ("name", "version", "license", "depends", "installable"):
        assert key in manifest, f"{addon.name}/__manifest__.py has no {key!r}"
    assert manifest["name"]
    assert str(manifest["version"]).startswith("18.0."), manifest["version"]
    assert manifest["license"]
    assert isinstance(manifest["depends"], list) and manifest["depends"]
    assert manifest["installable"] is True


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_manifest_files_exist(addon):
    manifest = _manifest(addon)
    missing = [
        f"{key}: {name}"
        for key in ("data", "demo")
        for name in manifest.get(key, [])
        if not (addon / name).is_file()
    ]
    assert not missing, f"{addon.name}/__manifest__.py lists missing files: {missing}"


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_icon(addon):
    assert (addon / "static/description/icon.png").is_file()


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_pyproject_whool(addon):
    path = addon / "pyproject.toml"
    assert path.is_file(), f"{addon.name} has no pyproject.toml"
    build_system = tomllib.loads(path.read_text(encoding="utf-8")).get("build-system", {})
    assert build_system.get("build-backend") == "whool.buildapi"
    assert any(req.startswith("whool") for req in build_system.get("requires", []))


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_russian_translation_complete(addon):
    path = addon / "i18n" / "ru.po"
    assert path.is_file(), f"{addon.name} has no i18n/ru.po"
    po = polib.pofile(str(path), encoding="utf-8")  # raises on a syntax error
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, (
        f"{len(untranslated)} untranslated entries in {path}: {untranslated[:20]}"
    )
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries in {path}: {fuzzy[:20]}"


def _requirements_txt():
    """requirements.txt as {canonical name: Requirement}."""
    lines = (REPO_ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    reqs = [Requirement(line.split("#")[0].strip()) for line in lines if line.split("#")[0].strip()]
    return {canonicalize_name(req.name): req for req in reqs}


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_external_dependencies_as_in_requirements(addon):
    """Each Python dependency a manifest declares (Odoo checks it at install, and whool makes it
    the wheel's Requires-Dist) is in requirements.txt with the same range."""
    requirements = _requirements_txt()
    declared = _manifest(addon).get("external_dependencies", {}).get("python", [])
    for text in declared:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in requirements, (
            f"{addon.name} declares {text}, requirements.txt lacks {req.name}"
        )
        assert req.specifier == requirements[name].specifier, (
            f"{addon.name}/__manifest__.py declares {text}, "
            f"requirements.txt has {requirements[name]}"
        )
