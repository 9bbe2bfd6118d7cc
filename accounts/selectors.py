from typing import Any

from django.core.cache import cache

from .models import ACTIVITY_KEEP, Activity, User

ACTIVITY_FIELDS = ("type", "place_id", "name", "vibe", "score", "extra", "created_at")
RECENT_ACTIVITY_SECONDS = 300


def recent_activity_key(user_id: int) -> str:
    return f"accounts:recent-activity:v1:{user_id}"


def activity_recent(*, user: User) -> list[dict[str, Any]]:
    """The user's activities (dicts of ACTIVITY_FIELDS, the last ACTIVITY_KEEP: all it has), oldest first.

    /api/user/me and the personalised rankings (dashboard, top picks, chat) read this on every call
    and activity changes rarely, so the list is kept in the shared cache; any change to the user's
    activity drops it (accounts/signals.py).
    """
    # Read with the user's row when the request was authenticated (accounts/usercache.py), if cached.
    recent = getattr(user, "prefetched_recent_activity", None)
    if recent is not None:
        return recent
    key = recent_activity_key(user.pk)
    recent = cache.get(key)
    if recent is None:
        recent = list(Activity.objects.filter(user=user).order_by("-created_at", "-id").values(*ACTIVITY_FIELDS)[:ACTIVITY_KEEP])
        recent.reverse()
        cache.set(key, recent, RECENT_ACTIVITY_SECONDS)
    return recent
