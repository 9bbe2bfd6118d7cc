from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Activity
from .selectors import recent_activity_key


@receiver([post_save, post_delete], sender=Activity, dispatch_uid="accounts_forget_recent_activity")
def forget_recent_activity(sender: type, instance: Activity, **kwargs: Any) -> None:
    cache.delete(recent_activity_key(instance.user_id))
