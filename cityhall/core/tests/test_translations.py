"""Every word the product shows has its Spanish, exactly as Django will look it up.

Each app's words are extracted afresh with Django's `makemessages` (in a copy of the app, so the
committed catalogues stay as they are) and each must be translated in the compiled catalogues
the site loads. Django merges every app's catalogue, so a word may be translated in another
app's. This catches a word never added to a catalogue, and one that is there but cannot match:
a template's `{% translate "90% closed" %}` is looked up as "90%% closed".
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

APPS_ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(APPS_ROOT.glob("*/locale/es/LC_MESSAGES/django.mo"))
# Every app, with a catalogue or not: an app whose words are translated in another's (requests'
# statuses, in the pages that show them) is checked like the rest.
APPS_WITH_WORDS = sorted(path.parent for path in APPS_ROOT.glob("*/apps.py"))


def _keys(catalogue: Path) -> dict[object, str]:
    with catalogue.open("rb") as file:
        return dict(gettext.GNUTranslations(file)._catalog)  # type: ignore[attr-defined]


def _translated() -> set[object]:
    """Every (context-qualified) message the site has a Spanish translation for."""
    found: set[object] = set()
    for catalogue in CATALOGUES:
        found |= {key for key, text in _keys(catalogue).items() if text}
    return found


def _extracted(app: Path, scratch: Path) -> set[object]:
    """The messages `makemessages` finds in the app's code and templates today."""
    copy = scratch / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.mo"))
    (copy / "locale").mkdir(exist_ok=True)  # makemessages writes only where a locale directory is
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "es", "--no-location", "--no-obsolete"],
        cwd=copy, check=True, capture_output=True,
    )  # fmt: skip
    extracted = copy / "locale/es/LC_MESSAGES/django.po"
    if not extracted.exists():
        return set()  # no words at all
    # msgen fills each entry with its own English, so msgfmt keeps them all; the keys are what Django looks up.
    every = scratch / "every.po"
    subprocess.run([_tool("msgen"), "-o", str(every), str(extracted)], check=True, capture_output=True)
    compiled = scratch / "every.mo"
    subprocess.run([_tool("msgfmt"), "-o", str(compiled), str(every)], check=True, capture_output=True)
    return {key for key in _keys(compiled) if key != ""}


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: run tools/ensure-gettext (make test does)"
    return found


def test_the_interfaces_have_spanish_catalogues():
    have = {path.parents[3].name for path in CATALOGUES}
    assert have >= {"citizen", "staff", "opendata", "dashboards", "notifications"}


@pytest.mark.parametrize("app", APPS_WITH_WORDS, ids=[app.name for app in APPS_WITH_WORDS])
def test_every_word_of_the_app_has_its_spanish(app, tmp_path):
    missing = _extracted(app, tmp_path) - _translated()

    assert not missing, f"{app.name}: no Spanish for {sorted(map(str, missing))[:10]}"
