"""The lint rule that keeps each app's tables its own (tools/check_model_access.py, run by `make lint`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CHECKER = ROOT / "tools" / "check_model_access.py"

SIDE_DOOR = """\
from cityhall.catalogue.models import Jurisdiction
from cityhall.requests.models import ServiceRequest


def mine(user):
    return ServiceRequest.objects.filter(reporter=user)


def city():
    return Jurisdiction.objects.first()


def timeline(service_request):
    return service_request.events.filter(kind="note")


def prefetched(service_request):
    return list(service_request.events.all())  # reads what a selector prefetched: allowed
"""


def _check(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECKER), *map(str, paths)], capture_output=True, text=True, cwd=ROOT, check=False
    )


@pytest.fixture(scope="module")
def checker():  # the module itself, for paths inside the repository that a test cannot write to
    sys.path.insert(0, str(CHECKER.parent))
    try:
        import check_model_access

        yield check_model_access, check_model_access.related_accessors()
    finally:
        sys.path.remove(str(CHECKER.parent))


def test_the_code_base_keeps_the_rule():
    found = _check()
    assert found.returncode == 0, found.stdout


def test_a_side_door_fails_naming_file_line_and_the_way_in(tmp_path):
    module = tmp_path / "side_door.py"
    module.write_text(SIDE_DOOR)
    found = _check(module)
    assert found.returncode == 1
    lines = found.stdout.splitlines()
    assert lines[0].startswith(f"{module}:6: ServiceRequest.objects reaches cityhall.requests's tables; use a selector")
    assert "cityhall/requests/selectors.py" in lines[0]
    assert lines[1].startswith(f"{module}:10: Jurisdiction.objects reaches cityhall.catalogue's tables")
    assert "site_city()" in lines[1]
    assert lines[2].startswith(f"{module}:14: the related manager .events.filter() reaches cityhall.requests's")
    assert lines[3] == "3 use(s) of another app's models: each app owns its tables (docs/architecture.md)."


def test_a_models_module_imported_whole_is_caught(checker):
    module, accessors = checker
    source = "from cityhall.requests import models as m\n\nm.RequestEvent._default_manager.count()\n"
    [breach] = module.breaches_in("cityhall/live/feed.py", source, accessors)
    assert (breach.line, breach.what) == (3, "m.RequestEvent._default_manager")


def test_the_owning_app_its_tests_and_migrations_may_query(checker):
    module, accessors = checker
    for path in (
        "cityhall/requests/selectors.py",
        "cityhall/requests/management/commands/import-requests.py",
        "cityhall/staff/tests/test_queues.py",
        "cityhall/requests/migrations/0001_initial.py",
    ):
        assert module.breaches_in(path, SIDE_DOOR.replace("Jurisdiction.objects", "len"), accessors) == [], path
    # The catalogue guards only its jurisdictions: other catalogue rows are not (yet) behind a door.
    assert (
        module.breaches_in(
            "cityhall/staff/forms.py",
            "from cityhall.catalogue.models import Service\nService.objects.all()\n",
            accessors,
        )
        == []
    )


def test_the_demo_seeds_rows_but_its_command_asks_through_the_doors(checker):
    module, accessors = checker
    assert module.breaches_in("cityhall/demo/scenario.py", SIDE_DOOR, accessors) == []
    breaches = module.breaches_in("cityhall/demo/management/commands/demo.py", SIDE_DOOR, accessors)
    assert [breach.line for breach in breaches] == [6, 10, 14]
