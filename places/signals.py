import uuid
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Place
from .selectors import LOCAL_VERSION_KEY, local_places_version_forget


def local_places_changed() -> None:
    """Makes every worker reload its local places (see selectors.local_places_version)."""
    cache.set(LOCAL_VERSION_KEY, uuid.uuid4().hex, None)
    local_places_version_forget()  # this process's next turn reads the new one, trusting none before
    cache.delete("places:names")


@receiver([post_save, post_delete], sender=Place, dispatch_uid="places_local_changed")
def place_changed(sender: type, instance: Place, **kwargs: Any) -> None:
    if instance.source != Place.Source.GOOGLE:
        local_places_changed()
