"""The only writers of open-data rows; callers import from here."""

from .exports import EXPORT_FORMATS, ExportRefused, dataset_export
from .listing import datasets_listed
from .projection import RebuildReport, projection_rebuild, projection_refresh

__all__ = [
    "EXPORT_FORMATS",
    "ExportRefused",
    "RebuildReport",
    "dataset_export",
    "datasets_listed",
    "projection_rebuild",
    "projection_refresh",
]
