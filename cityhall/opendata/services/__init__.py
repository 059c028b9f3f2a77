"""The only writers of open-data rows; callers import from here."""

from .projection import RebuildReport, projection_rebuild, projection_refresh

__all__ = ["RebuildReport", "projection_rebuild", "projection_refresh"]
