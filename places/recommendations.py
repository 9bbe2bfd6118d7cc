"""What the recommendation endpoints answer: quick recs, top picks and the dashboard."""

from typing import Any

from accounts.models import User

from . import geo, selectors
from .categories import CATEGORIES, EVENTS_CATEGORY

DASHBOARD_PER_CATEGORY = 6


def _event_cards(*, origin: geo.Point, limit: int) -> list[dict[str, Any]]:
    # Events join the lists once the events app serves them (issue 5); until then there are none.
    return []


def quick_recs(
    *, category: str, origin: geo.Point, limit: int, vibe: str | None, user: User | None, photo_base: str
) -> list[dict[str, Any]]:
    if category == EVENTS_CATEGORY:
        return _event_cards(origin=origin, limit=limit)
    context = selectors.ranking_context(user=user, vibe=vibe)
    spec = CATEGORIES[category]
    return selectors.place_recommendations(specs=[spec], origin=origin, context=context, limit=limit, photo_base=photo_base)[spec.key]


def top_recommendations(
    *, origin: geo.Point, limit: int, vibe: str | None, weather_hint: str | None, user: User | None, photo_base: str
) -> list[dict[str, Any]]:
    """The best of every category for this user now, no more than half from any one category."""
    if weather_hint is None:
        current = selectors.weather_current(origin=origin)
        weather_hint = current["main"] if current else None
    context = selectors.ranking_context(user=user, vibe=vibe, weather_hint=weather_hint)
    specs = list(CATEGORIES.values())
    if vibe and selectors.spec_for_vibe(vibe) not in specs:
        specs.append(selectors.spec_for_vibe(vibe))
    per_spec = selectors.place_recommendations(specs=specs, origin=origin, context=context, limit=limit, photo_base=photo_base)
    per_spec[EVENTS_CATEGORY] = _event_cards(origin=origin, limit=limit)
    pool = sorted(
        ((key, card) for key, cards in per_spec.items() for card in cards), key=lambda pair: pair[1]["score"], reverse=True
    )
    cap = max(1, (limit + 1) // 2)
    picked, seen, per_category = [], set(), dict.fromkeys(per_spec, 0)
    for category, card in pool:
        if card["place_id"] in seen or per_category[category] >= cap:
            continue
        seen.add(card["place_id"])
        per_category[category] += 1
        picked.append(card)
        if len(picked) == limit:
            break
    return picked


def dashboard(*, user: User, origin: geo.Point, photo_base: str) -> dict[str, Any]:
    weather = selectors.weather_current(origin=origin)
    context = selectors.ranking_context(user=user, vibe=None, weather_hint=weather["main"] if weather else None)
    lists = selectors.place_recommendations(
        specs=list(CATEGORIES.values()), origin=origin, context=context, limit=DASHBOARD_PER_CATEGORY, photo_base=photo_base
    )
    lists[EVENTS_CATEGORY] = _event_cards(origin=origin, limit=DASHBOARD_PER_CATEGORY)
    return {
        "weather": weather,
        # The calendar lives on the phone; the server has no calendar to link.
        "calendar_linked": False,
        "next_free": None,
        "free_time_suggestion": None,
        "quick_recommendations": {key: lists.get(key, []) for key in (*CATEGORIES, EVENTS_CATEGORY)},
    }
