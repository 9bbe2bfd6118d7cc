from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from accounts.models import User

from . import memory


@receiver(post_delete, sender=User, dispatch_uid="chat_forget_deleted_user")
def forget_deleted_user(sender: type, instance: User, **kwargs: Any) -> None:
    # Saved conversations go by cascade; the cached memory must go too.
    memory.memory_clear(key=memory.memory_key(user_id=instance.pk, session_id=""))
