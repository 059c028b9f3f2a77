"""The admin's list of datasets: one row per dataset of the registry, nothing else."""

from __future__ import annotations

from ..models import PublishedDataset
from ..registry import datasets


def datasets_listed() -> None:
    """Make the table hold exactly the registry's datasets (it may have changed with the code)."""
    known = {entry.id: entry.slug for entry in datasets()}
    PublishedDataset.objects.exclude(id__in=list(known)).delete()
    for dataset_id, slug in known.items():
        PublishedDataset.objects.update_or_create(id=dataset_id, defaults={"slug": slug})
