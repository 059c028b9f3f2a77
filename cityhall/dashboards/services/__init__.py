"""Writes of the dashboards app: keeping the rollups current and rebuilding them."""

from .rollups import catch_up, rebuild, refresh

__all__ = ["catch_up", "rebuild", "refresh"]
