"""The datasets, listed read-only: they are defined in code (registry.py), so the admin only shows them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cityhall.core.read_only_admin import ReadOnlyAdmin

from . import selectors
from .catalog import dictionary_path
from .models import DataExport, PublishedDataset
from .registry import UnknownDataset, dataset
from .services import datasets_listed


@admin.register(PublishedDataset)
class PublishedDatasetAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "rows", "last_changed", "links"]
    fields = readonly_fields = (
        "id", "slug", "title", "description", "keywords", "columns", "rows", "last_changed", "links",
    )  # fmt: skip

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        datasets_listed()
        return super().changelist_view(request, extra_context)

    @staticmethod
    def _dataset(row: PublishedDataset) -> Any:
        try:
            return dataset(row.id)
        except UnknownDataset:
            return None

    @admin.display(description=_("title"))
    def title(self, row: PublishedDataset) -> str:
        found = self._dataset(row)
        return str(found.title) if found else "—"

    @admin.display(description=_("description"))
    def description(self, row: PublishedDataset) -> str:
        found = self._dataset(row)
        return str(found.description) if found else "—"

    @admin.display(description=_("keywords"))
    def keywords(self, row: PublishedDataset) -> str:
        found = self._dataset(row)
        return ", ".join(map(str, found.keywords)) if found else "—"

    @admin.display(description=_("columns"))
    def columns(self, row: PublishedDataset) -> str:
        found = self._dataset(row)
        return ", ".join(f"{column.name} ({column.type})" for column in found.columns) if found else "—"

    @admin.display(description=_("rows"))
    def rows(self, row: PublishedDataset) -> int | None:
        found = self._dataset(row)
        return selectors.row_count(found) if found else None

    @admin.display(description=_("last changed"))
    def last_changed(self, row: PublishedDataset) -> Any:
        found = self._dataset(row)
        return found.last_modified() if found else None

    @admin.display(description=_("links"))
    def links(self, row: PublishedDataset) -> str:
        found = self._dataset(row)
        if found is None:
            return "—"
        return format_html(
            '<a href="/data/{}/">{}</a> · <a href="{}">{}</a>',
            found.id,
            _("public page"),
            dictionary_path(found),
            _("dictionary"),
        )


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin):
    """The log of internal exports: who took which dataset, when, how many rows. Proof, so read-only."""

    list_display = fields = readonly_fields = (
        "created_at", "who", "via", "dataset_id", "file_format", "rows", "finished_at",
    )  # fmt: skip
    list_filter = ["via", "dataset_id", "file_format"]
    search_fields = ["who"]
    date_hierarchy = "created_at"
