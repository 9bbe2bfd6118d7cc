from typing import Any

from django.db.models import QuerySet

from .models import Activity, User


def activity_recent(*, user: User, fields: tuple[str, ...], limit: int = 100) -> list[dict[str, Any]]:
    """The user's last `limit` activities as dicts of `fields`, oldest first."""
    recent = list(Activity.objects.filter(user=user).order_by("-created_at", "-id").values(*fields)[:limit])
    recent.reverse()
    return recent


def activity_for_ranking(*, user: User, limit: int = 100) -> QuerySet[Activity]:
    return Activity.objects.filter(user=user).order_by("-created_at", "-id")[:limit]
