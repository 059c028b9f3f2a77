from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class Open311Config(AppConfig):
    name = "cityhall.open311"
    label = "open311"
    verbose_name = "Open311 API"

    def ready(self) -> None:
        # Cache upkeep, not business flow: an edit to the catalogue drops this process's rendered
        # service list at once (other processes refresh within SERVICE_LIST_SECONDS).
        from cityhall.catalogue.models import AttributeValue, Service, ServiceAttribute, ServiceGroup

        from .views import service_lists

        def forget(**kwargs: object) -> None:
            service_lists.clear()

        for model in (Service, ServiceAttribute, AttributeValue, ServiceGroup):
            post_save.connect(forget, sender=model, dispatch_uid=f"open311-services-{model.__name__}", weak=False)
            post_delete.connect(forget, sender=model, dispatch_uid=f"open311-services-del-{model.__name__}", weak=False)
