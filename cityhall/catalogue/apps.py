from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _catalogue_changed(sender: Any, **kwargs: Any) -> None:
    # Hot paths keep catalogue rows per process for a few seconds; the process that edits a row
    # forgets them at once (other processes within their few seconds).
    from cityhall.core.ttl_cache import clear_all_caches

    clear_all_caches()


class CatalogueConfig(AppConfig):
    name = "cityhall.catalogue"
    label = "catalogue"
    verbose_name = _("Catalog and city policy")

    def ready(self) -> None:
        from cityhall.core import city_names

        from .selectors import site_name

        city_names.register_reader(site_name)  # for accounts, below the catalogue: its emails and issuer
        for model in self.get_models():
            post_save.connect(_catalogue_changed, sender=model, dispatch_uid=f"catalogue-changed-{model.__name__}")
            post_delete.connect(_catalogue_changed, sender=model, dispatch_uid=f"catalogue-gone-{model.__name__}")
