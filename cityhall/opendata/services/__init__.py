"""The only writers of open-data rows; callers import from here."""

from .listing import datasets_listed
from .projection import RebuildReport, projection_rebuild, projection_refresh

__all__ = ["RebuildReport", "datasets_listed", "projection_rebuild", "projection_refresh"]
