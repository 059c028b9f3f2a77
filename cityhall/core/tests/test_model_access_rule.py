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
    assert "cityhall/requests/selectors/" in lines[0]
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
        "cityhall/requests/selectors/dashboards.py",
        "cityhall/requests/management/commands/import-requests.py",
        "cityhall/staff/tests/test_queues.py",
        "cityhall/requests/migrations/0001_initial.py",
    ):
        assert module.breaches_in(path, SIDE_DOOR.replace("Jurisdiction.objects", "len"), accessors) == [], path


def test_the_demo_seeds_rows_but_its_command_asks_through_the_doors(checker):
    module, accessors = checker
    assert module.breaches_in("cityhall/demo/scenario.py", SIDE_DOOR, accessors) == []
    breaches = module.breaches_in("cityhall/demo/management/commands/demo.py", SIDE_DOOR, accessors)
    assert [breach.line for breach in breaches] == [6, 10, 14]


OTHER_APPS = """\
from cityhall.accounts.models import SavedPlace
from cityhall.catalogue.models import Service
from cityhall.notifications import models as notifications


def preferences(user):
    return notifications.Preference.objects.filter(user=user).first()


def save_place(user):
    return SavedPlace.objects.create(user=user, kind="home")


def categories():
    return Service.objects.filter(active=True)


def places(user):
    return user.saved_places.filter(kind="home")


def in_group(group):
    return group.services.values("pk")
"""


def test_every_app_with_tables_guards_all_of_them(checker):
    """A new app with models, or a new model, is behind the rule without anyone remembering to add it."""
    from django.apps import apps

    module, _accessors = checker
    owners = {model.__module__.split(".models")[0] for model in apps.get_models()}
    ours = {owner for owner in owners if owner.startswith("cityhall.")}
    assert ours, "no CityHall models found"
    assert {app: module.GUARDED.get(app, "unguarded") for app in ours} == dict.fromkeys(ours)


def test_reads_and_writes_of_other_apps_fail_naming_the_owners_selectors_and_services(tmp_path):
    target = tmp_path / "stray.py"
    target.write_text(OTHER_APPS)
    found = _check(target)
    assert found.returncode == 1
    lines = found.stdout.splitlines()
    assert [line.split(": ", 1)[0].rsplit(":", 1)[1] for line in lines[:-1]] == ["7", "11", "15", "19", "23"]
    assert "notifications.Preference.objects reaches cityhall.notifications's tables" in lines[0]
    assert "cityhall/notifications/selectors.py" in lines[0]
    assert "SavedPlace.objects reaches cityhall.accounts's tables" in lines[1]
    assert "a service in cityhall/accounts/services" in lines[1]
    assert "Service.objects reaches cityhall.catalogue's tables" in lines[2]
    assert "cityhall/catalogue/selectors.py" in lines[2]
    assert "the related manager .saved_places.filter() reaches cityhall.accounts's tables" in lines[3]
    assert "the related manager .services.values() reaches cityhall.catalogue's tables" in lines[4]
    assert lines[5] == "5 use(s) of another app's models: each app owns its tables (docs/architecture.md)."


def test_the_owner_of_the_rows_may_read_them_there(checker):
    module, accessors = checker
    for path in ("cityhall/notifications/selectors.py", "cityhall/accounts/services.py"):
        source = OTHER_APPS if "notifications" in path else OTHER_APPS.replace("notifications.Preference", "len")
        owned = {"notifications": "cityhall.notifications", "accounts": "cityhall.accounts"}[path.split("/")[1]]
        assert all(breach.owner != owned for breach in module.breaches_in(path, source, accessors)), path


def test_a_join_table_is_its_declaring_apps_own(checker):
    """`AreaAlert.services` is notifications' table of which categories an alert covers: it writes it itself."""
    module, accessors = checker
    source = "def cover(alert, chosen):\n    alert.services.set(chosen)\n"
    assert module.breaches_in("cityhall/notifications/services/subscriptions.py", source, accessors) == []
    [breach] = module.breaches_in("cityhall/staff/views/alerts.py", source, accessors)
    assert (breach.line, breach.owner) == (2, "cityhall.catalogue")


def test_a_dict_named_like_a_relation_is_not_a_query(checker):
    module, accessors = checker
    source = (
        "def label(labels, row, mapping, user):\n"
        "    named = labels.services.get(row.pop('service_id'), ('', ''))\n"  # a dict: key and default
        "    codes = list(mapping.services.values())\n"  # a dict's values
        "    return named, codes, user.saved_places.get(pk=1), user.saved_places.get(Q(pk=1))\n"  # queries
    )
    breaches = module.breaches_in("cityhall/staff/labels.py", source, accessors)
    assert [(breach.line, breach.what) for breach in breaches] == [
        (4, "the related manager .saved_places.get()"),
        (4, "the related manager .saved_places.get()"),
    ]
