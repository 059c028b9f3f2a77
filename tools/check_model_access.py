"""Each app owns its tables: code outside it goes through its selectors, services and access doors.

Fails (exit 1) when a module outside an owning app reaches one of the app's guarded models through
a manager — `ServiceRequest.objects`, `Model._default_manager`, or a related manager such as
`service_request.events.filter(...)` — and names the file, the line and where to go instead.

Why a checker of its own: import-linter sees imports, not attribute use, and ruff's banned-api
(TID251) bans importing a name, while interfaces rightly import `ServiceRequest` to annotate and
test with `isinstance`. What must not happen is a query, and a query starts at a manager.

Related managers are read from Django's model metadata (every reverse or many-to-many accessor
that yields a guarded model), so a new relation is covered without editing this file. `.all()` on
one is allowed: it reads what a selector prefetched (`timeline` hands out events with their photos).
An app's own many-to-many field is its own join table, so it may use it (`alert.services.set(...)`
in notifications). Two shapes read as a plain dict that happens to share a relation's name, and are
not reported: `.get(key[, default])` with no keyword and no Q, and `.values()` with no argument.

Run by `make lint`: `python tools/check_model_access.py [path ...]` (default: cityhall and config).
Tests, migrations and each owning app's own modules (its admin, management commands) are exempt.
"""

from __future__ import annotations

import ast
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# App → its guarded models (None: all of them), and where other code goes instead. Every app with
# models is here, with all of them: no table is open to the apps that do not own it.
GUARDED: dict[str, frozenset[str] | None] = {
    "cityhall.requests": None,
    "cityhall.applications": None,
    "cityhall.partners": None,
    "cityhall.catalogue": None,
    "cityhall.accounts": None,
    "cityhall.geo": None,
    "cityhall.notifications": None,
    "cityhall.dashboards": None,
    "cityhall.opendata": None,
    "cityhall.open311": None,
    "cityhall.profile": None,
    "cityhall.documents": None,
    "cityhall.devices": None,
    "cityhall.core": None,
}


def _selectors_and_services(app: str) -> str:
    path = app.replace(".", "/")
    return f"a selector in {path}/selectors.py (reads) or a service in {path}/services (writes)"


USE_INSTEAD = {app: _selectors_and_services(app) for app in GUARDED} | {
    "cityhall.requests": "a selector in cityhall/requests/selectors/ (reads), a service in "
    "cityhall/requests/services/ (writes) or an access_* door in cityhall/requests/access.py (one request)",
    "cityhall.partners": "cityhall.partners.keys (authorise, issue_key, revoke_key, set_scopes), "
    "cityhall.partners.idempotency, or cityhall.partners.webhooks.services / .selectors",
    "cityhall.devices": "a selector in cityhall/devices/selectors.py, a service in cityhall/devices/services "
    "or a door in cityhall/devices/access.py",
    "cityhall.core": "cityhall.core.periodic (the serve loop's schedule; its table is no one else's)",
    "cityhall.catalogue": "a selector in cityhall/catalogue/selectors.py (site_city() for the site's city, "
    "jurisdiction_for() for an Open311 jurisdiction_id)",
}
# The demo loader builds a whole believable city (catalogue, people, a history of requests), as test
# fixtures do: it writes every app's rows by design.
SEEDERS = ("cityhall/demo/",)
# ...but the `demo` command itself asks, like any other code, through the owners' doors.
SEEDER_COMMANDS = "cityhall/demo/management/"
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
# Methods that build or run a query on a related manager; `.all()` (a prefetch read) is not one.
QUERY_METHODS = frozenset(
    {
        "filter",
        "exclude",
        "get",
        "get_or_create",
        "update_or_create",
        "create",
        "bulk_create",
        "update",
        "delete",
        "annotate",
        "aggregate",
        "alias",
        "values",
        "values_list",
        "order_by",
        "select_related",
        "prefetch_related",
        "only",
        "defer",
        "count",
        "exists",
        "first",
        "last",
        "earliest",
        "latest",
        "in_bulk",
        "iterator",
        "distinct",
        "add",
        "remove",
        "clear",
        "set",
        "union",
    }
)


@dataclass(frozen=True)
class Breach:
    path: str
    line: int
    what: str
    owner: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what} reaches {self.owner}'s tables; use {USE_INSTEAD[self.owner]}"


def _owner_of_model(module: str, name: str) -> str | None:
    for app, models in GUARDED.items():
        if module == f"{app}.models" or module.startswith(f"{app}.models."):
            return app if models is None or name in models else None
    return None


@dataclass(frozen=True)
class Relation:
    """The app whose rows a relation yields, and the apps that may use it anyway.

    A many-to-many field is also its declaring app's own join table (`AreaAlert.services`,
    `Crew.members`), so that app may use it besides the owner.
    """

    owner: str
    declared_in: frozenset[str] = frozenset()

    def open_to(self, app: str) -> bool:
        return app == self.owner or app in self.declared_in


def related_accessors() -> dict[str, Relation]:
    """Accessor name → its Relation, for every relation that yields rows of a guarded model."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.apps import apps

    django.setup()
    found: dict[str, Relation] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            target = field.related_model
            if not (field.one_to_many or field.many_to_many) or target is None or isinstance(target, str):
                continue
            owner = _owner_of_model(target.__module__, target.__name__)
            if owner is not None:
                name = field.get_accessor_name() if field.auto_created else field.name  # type: ignore[union-attr]
                known = found.get(str(name), Relation(owner))
                if not field.auto_created:  # a field of this model: its app's join table
                    known = Relation(known.owner, known.declared_in | {_app_of_module(model.__module__)})
                found[str(name)] = known
    return found


def _app_of_module(module: str) -> str:
    return ".".join(module.split(".")[:2]) if module.startswith("cityhall.") else ""


def _app_of(path: str) -> str:
    parts = Path(path).parts
    return ".".join(parts[:2]) if len(parts) > 1 and parts[0] == "cityhall" else ""


def _exempt(path: str) -> bool:
    parts = Path(path).parts
    seeder = path.startswith(SEEDERS) and not path.startswith(SEEDER_COMMANDS)
    return "tests" in parts or "migrations" in parts or seeder


class _Reader(ast.NodeVisitor):
    def __init__(self, path: str, accessors: dict[str, Relation]) -> None:
        self.path = path
        self.here = _app_of(path)
        self.accessors = {name: rel.owner for name, rel in accessors.items() if not rel.open_to(self.here)}
        self.models: dict[str, str] = {}  # local name → owning app
        self.modules: dict[str, str] = {}  # local name of a models module → owning app
        self.breaches: list[Breach] = []
        self.parents: dict[int, ast.AST] = {}

    def visit(self, node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            self.parents[id(child)] = node
        super().visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        for alias in node.names:
            local = alias.asname or alias.name
            owner = _owner_of_model(module, alias.name)
            if owner is not None and owner != self.here:
                self.models[local] = owner
            if alias.name == "models" and f"{module}.models" in {f"{app}.models" for app in GUARDED}:
                app = module
                if app != self.here:
                    self.modules[local] = app

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            app = alias.name.removesuffix(".models")
            if alias.asname and app in GUARDED and alias.name.endswith(".models") and app != self.here:
                self.modules[alias.asname] = app

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in MANAGERS:
            owner = self._model_owner(node.value)
            if owner is not None:
                self._breach(node, f"{ast.unparse(node)}", owner)
        elif node.attr in QUERY_METHODS and isinstance(node.value, ast.Attribute):
            owner = self.accessors.get(node.value.attr)
            if owner is not None and not self._dict_like(node):
                self._breach(node, f"the related manager .{node.value.attr}.{node.attr}()", owner)
        self.generic_visit(node)

    def _dict_like(self, node: ast.Attribute) -> bool:
        """`.get(key[, default])` or `.values()` on a plain dict named like a relation (`labels.services`).

        A related manager's `get` names its fields by keyword (or takes a Q), and `.values()` with
        no field is no read a relation is used for here; so these two shapes are taken as a dict's.
        """
        call = self.parents.get(id(node))
        if not isinstance(call, ast.Call) or call.func is not node or call.keywords:
            return False
        if node.attr == "values":
            return not call.args
        is_q = any(isinstance(arg, ast.Call) and ast.unparse(arg.func).split(".")[-1] == "Q" for arg in call.args)
        return node.attr == "get" and bool(call.args) and not is_q

    def _model_owner(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return self.models.get(node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            app = self.modules.get(node.value.id)
            if app is not None and (GUARDED[app] is None or node.attr in (GUARDED[app] or ())):
                return app
        return None

    def _breach(self, node: ast.Attribute, what: str, owner: str) -> None:
        self.breaches.append(Breach(self.path, node.lineno, what, owner))


def breaches_in(path: str, source: str, accessors: dict[str, Relation]) -> list[Breach]:
    if _exempt(path):
        return []
    reader = _Reader(path, accessors)
    reader.visit(ast.parse(source, filename=path))
    return reader.breaches


def main(argv: list[str]) -> int:
    roots = [Path(arg) for arg in argv] or [ROOT / "cityhall", ROOT / "config"]
    accessors = related_accessors()
    found: list[Breach] = []
    for root in roots:
        for file in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
            path = file.resolve().relative_to(ROOT).as_posix() if file.resolve().is_relative_to(ROOT) else str(file)
            found += breaches_in(path, file.read_text(encoding="utf-8"), accessors)
    for breach in found:
        print(breach)
    if found:
        print(f"{len(found)} use(s) of another app's models: each app owns its tables (docs/architecture.md).")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
