from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Activity, RevokedTokenFamily, User
from .selectors import recent_activity_key
from .usercache import user_cache_forget


def _user_deleted(origin: object) -> bool:
    return isinstance(origin, User) or (isinstance(origin, QuerySet) and origin.model is User)


@receiver([post_save, post_delete], sender=Activity, dispatch_uid="accounts_forget_recent_activity")
def forget_recent_activity(sender: type, instance: Activity, origin: object = None, **kwargs: Any) -> None:
    # Rows deleted with their account (up to ACTIVITY_KEEP of them): forget_deleted_users_activity
    # drops the key once instead.
    if _user_deleted(origin):
        return
    cache.delete(recent_activity_key(instance.user_id))


@receiver(post_delete, sender=User, dispatch_uid="accounts_forget_deleted_users_activity")
def forget_deleted_users_activity(sender: type, instance: User, **kwargs: Any) -> None:
    cache.delete(recent_activity_key(instance.pk))


@receiver([post_save, post_delete], sender=User, dispatch_uid="accounts_forget_cached_user")
def forget_cached_user(sender: type, instance: User, created: bool = False, **kwargs: Any) -> None:
    # A new id has no copy to forget. Queryset updates send no signal: their callers forget the
    # users themselves (accounts.services.user_tokens_revoke_all, the admin's bulk deactivation).
    if not created:
        user_cache_forget(instance.pk)


@receiver(post_save, sender=RevokedTokenFamily, dispatch_uid="accounts_forget_cached_user_family")
def forget_cached_user_of_an_ended_family(sender: type, instance: RevokedTokenFamily, **kwargs: Any) -> None:
    # The copy holds the user's revoked families (accounts/usercache.py).
    user_cache_forget(instance.user_id)
