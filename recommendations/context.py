"""What ranking needs to know about a request: who asks (their preferences and activity), for
what vibe, when, and in what weather."""

from datetime import datetime

from django.utils import timezone

from accounts.models import User
from accounts.selectors import activity_recent
from places import scoring

LIKED_ACTIVITY = {"clicked_recommendation", "click", "clicked", "liked", "like", "saved", "save", "visited", "shared"}
DISMISSED_ACTIVITY = {"dismissed", "dismiss", "not_interested", "hidden", "hide", "disliked", "dislike"}
BAD_WEATHER_WORDS = {"rain", "rainy", "drizzle", "thunderstorm", "storm", "snow", "snowy", "sleet", "hail", "cold"}
BAD_WEATHER_EMOJI = {"🌧", "⛈", "🌨", "❄", "☔", "🌩", "🌦"}


def activity_summary(*, user: User | None) -> scoring.ActivitySummary:
    if user is None or not user.is_authenticated:
        return scoring.ActivitySummary()
    liked, dismissed, vibes = set(), set(), {}
    # The same last 100 /api/user/me shows, from the same cache (dropped whenever activity changes).
    for activity in activity_recent(user=user):
        kind = activity["type"].lower()
        if kind in DISMISSED_ACTIVITY:
            dismissed.add(activity["place_id"])
        elif kind in LIKED_ACTIVITY:
            liked.add(activity["place_id"])
            if activity["vibe"]:
                vibes[activity["vibe"]] = vibes.get(activity["vibe"], 0) + 1
    liked.discard("")
    dismissed.discard("")
    return scoring.ActivitySummary(frozenset(liked - dismissed), frozenset(dismissed), vibes)


def weather_is_bad(hint: str | None) -> bool:
    text = (hint or "").strip().lower()
    return any(mark in text for mark in BAD_WEATHER_EMOJI) or bool(set(text.replace(",", " ").split()) & BAD_WEATHER_WORDS)


def is_late_night(at: datetime) -> bool:
    local = timezone.localtime(at)
    return local.hour >= 22 or local.hour < 6


def ranking_context(
    *, user: User | None, vibe: str | None, weather_hint: str | None = None, at: datetime | None = None
) -> scoring.RankingContext:
    """What ranking needs to know about this request: who asks, for what, and when (`at`, default now)."""
    at = at or timezone.now()
    common = {"vibe": vibe, "bad_weather": weather_is_bad(weather_hint), "late_night": is_late_night(at), "at": at}
    if user is None or not user.is_authenticated or (user.settings or {}).get("use_preferences_for_personalization") is False:
        return scoring.RankingContext(**common)
    prefs = user.preferences or {}
    vibe_weights = {k: float(v) for k, v in (prefs.get("vibes") or {}).items()}
    for preferred in prefs.get("preferred_vibes") or []:
        for mapped in scoring.PREFERRED_VIBE_MAP.get(preferred, ()):
            vibe_weights[mapped] = max(vibe_weights.get(mapped, 0.0), 0.8)
    return scoring.RankingContext(
        **common,
        distance_limit_minutes=prefs.get("distance_limit_minutes") or prefs.get("max_walk_minutes_default") or 20,
        budget=prefs.get("budget"),
        indoor_outdoor=prefs.get("indoor_outdoor") or "either",
        dietary_restrictions=tuple(prefs.get("dietary_restrictions") or ()),
        vibe_weights=vibe_weights,
        activity=activity_summary(user=user),
    )
