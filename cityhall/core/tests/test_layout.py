"""Tests sit beside their app (docs/architecture.md): pytest collects only `cityhall/`, so a test module
left anywhere else would silently never run. This fails instead and names it."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
NOT_OURS = {".venv", ".tools", "var", "node_modules", ".git"}


def test_every_test_module_sits_in_its_apps_tests_package():
    strays = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("test_*.py")
        if not NOT_OURS & set(path.relative_to(ROOT).parts)
        and not (path.parent.name == "tests" and path.parent.parent.parent == ROOT / "cityhall")
    ]
    assert not strays, f"move these into cityhall/<app>/tests/: {strays}"
