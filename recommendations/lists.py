"""What the recommendation endpoints answer: quick recs, top picks, the dashboard and a chat turn's places."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from django.core.cache import cache

from accounts.models import User
from events.selectors import event_cards, event_list_status
from places import candidates, geo, selectors
from places.categories import CATEGORIES, EVENTS_CATEGORY

from .context import ranking_context

DASHBOARD_PER_CATEGORY = 6
NO_EVENTS_WORDS = "No events in the next 7 days."  # event_cards' window


QUICK_RECS_CACHE_SECONDS = 60


def quick_recs(
    *, category: str, origin: geo.Point, limit: int, vibe: str | None, at: datetime
) -> list[dict[str, Any]]:
    """The same for everyone at the same spot and minute (the endpoint is anonymous), so the whole
    list is cached for a minute per ~10 m cell and minute of `at`: a warm request is one cache read."""
    minute = at.astimezone(UTC).strftime("%Y%m%d%H%M")
    key = f"places:quick:v3:{category}:{limit}:{vibe}:{round(origin.lat, 4)}:{round(origin.lng, 4)}:{minute}"
    cards = cache.get(key)
    if cards is None:
        if category == EVENTS_CATEGORY:
            cards = event_cards(origin=origin, limit=limit, at=at)
        else:
            context = ranking_context(user=None, vibe=vibe, at=at)
            spec = CATEGORIES[category]
            cards = candidates.place_recommendations(specs=[spec], origin=origin, context=context, limit=limit)[spec.key]
        cache.set(key, cards, QUICK_RECS_CACHE_SECONDS)
    return cards


def top_recommendations(
    *, origin: geo.Point, limit: int, vibe: str | None, weather_hint: str | None, user: User | None, at: datetime
) -> list[dict[str, Any]]:
    """The best of every category for this user now, no more than half from any one category."""
    if weather_hint is None:
        current = selectors.weather_current(origin=origin)
        weather_hint = current["main"] if current else None
    context = ranking_context(user=user, vibe=vibe, weather_hint=weather_hint, at=at)
    specs = list(CATEGORIES.values())
    # The vibe asked for and the user's favourite vibes bring their own candidates to the pool.
    favourites = sorted(context.vibe_weights, key=context.vibe_weights.get, reverse=True)[:2]
    for wanted in [vibe, *favourites]:
        if wanted and selectors.spec_for_vibe(wanted) not in specs:
            specs.append(selectors.spec_for_vibe(wanted))
    per_spec = candidates.place_recommendations(specs=specs, origin=origin, context=context, limit=limit)
    per_spec[EVENTS_CATEGORY] = event_cards(origin=origin, limit=limit, at=at)
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


def dashboard(*, user: User, origin: geo.Point, at: datetime) -> dict[str, Any]:
    weather = selectors.weather_current(origin=origin)
    context = ranking_context(user=user, vibe=None, weather_hint=weather["main"] if weather else None, at=at)
    lists = candidates.place_recommendations(
        specs=list(CATEGORIES.values()), origin=origin, context=context, limit=DASHBOARD_PER_CATEGORY
    )
    lists[EVENTS_CATEGORY] = event_cards(origin=origin, limit=DASHBOARD_PER_CATEGORY, at=at)
    events = event_list_status(empty=not lists[EVENTS_CATEGORY], none=NO_EVENTS_WORDS)
    return {
        "weather": weather,
        # The calendar lives on the phone; the server has no calendar to link.
        "calendar_linked": False,
        "next_free": None,
        "free_time_suggestion": None,
        "quick_recommendations": {key: lists.get(key, []) for key in (*CATEGORIES, EVENTS_CATEGORY)},
        # Beside the lists, not in them: the apps require every value of quick_recommendations to be a list.
        "events_status": events["status"],
        "events_message": events["message"],
    }


def calendar_notifications(*, user: User, at: datetime) -> list[dict[str, Any]]:
    """The free time ahead in the user's calendar, each block with the events that fit in it: what
    the iOS app polls every 15 minutes (GET /api/calendar/notifications/check).

    The calendar lives on the phone and is never sent here (the old server's Google Calendar link
    was removed; the dashboard says calendar_linked: false), so no free time is known for anyone
    at any instant: nothing to suggest, rather than a free block made up.
    """
    return []


def _least(values: Any, default: float) -> float:
    known = [value for value in values if value is not None]
    return min(known) if known else default


def nearness(card: dict[str, Any]) -> tuple[float, float]:
    """How near a card's place is, to order places and to name the nearest shown: its walk in
    minutes, then in metres (of two places 4 minutes away, the one 11 m nearer is named as the
    nearest). Unknown sorts last."""
    minutes, metres = card.get("walk_minutes"), card.get("distance_meters")
    return (float("inf") if minutes is None else minutes, float("inf") if metres is None else metres)


# What a follow-up like "closer?" promises, checked card by card against the list it follows: a
# card that does not keep the promise is not offered (the reply then says there is none).
REFINEMENT_KEEPS = {
    # In whole minutes, as the cards show them: a place also "4 min" away is not offered as closer.
    "closer": lambda card, shown: card["walk_minutes"] is not None
    and card["walk_minutes"] < _least((c["walk_minutes"] for c in shown), float("inf")),
    "cheaper": lambda card, shown: card["price_level"] is not None
    and card["price_level"] < _least((c["price_level"] for c in shown), 5),
    "open_now": lambda card, shown: card["open_now"] is True,
    "better_rated": lambda card, shown: card["rating"] is not None
    and card["rating"] > max((c["rating"] for c in shown if c.get("rating") is not None), default=0),
    # "Something nicer?": a step up in price from the priciest shown (the one measure of it we have).
    "nicer": lambda card, shown: card["price_level"] is not None
    and card["price_level"] > max((c["price_level"] for c in shown if c.get("price_level") is not None), default=4),
}

REFINEMENT_ORDER = {
    # How a follow-up like "anything cheaper?" re-orders the candidates (lower sorts first).
    "cheaper": lambda card: (card["price_level"] if card["price_level"] is not None else 2, -card["score"]),
    "closer": lambda card: (*nearness(card), -card["score"]),
    "better_rated": lambda card: (-(card["rating"] or 0), -card["score"]),  # unrated last
    "open_now": lambda card: (0 if card["open_now"] else 1 if card["open_now"] is None else 2, -card["score"]),
    "nicer": lambda card: (card["price_level"] if card["price_level"] is not None else 5, -card["score"]),  # the next step up first
}


def chat_places(
    *,
    vibe: str,
    origin: geo.Point,
    user: User | None,
    limit: int,
    exclude_ids: frozenset[str] = frozenset(),
    refinement: str | None = None,
    weather_hint: str | None = None,
    at: datetime | None = None,
    shown: Sequence[dict[str, Any]] = (),
) -> list[dict[str, Any]]:
    """Places for a chat turn: the same candidates and ranking as the lists, for one vibe. More of
    them (places already shown excluded) stay within the student's walking limit, and a refinement
    keeps its promise against the list `shown` before it: strictly closer than its nearest, cheaper
    than its cheapest, known open, better rated. None may keep it: then the answer is empty."""
    context = ranking_context(user=user, vibe=vibe if vibe != "generic" else None, weather_hint=weather_hint, at=at)
    spec = selectors.spec_for_vibe(vibe)
    # Enough to skip what was shown already and, for a refinement, to re-order a wider pool.
    wanted = limit + len(exclude_ids) + (20 if refinement else 0)
    cards = candidates.place_recommendations(specs=[spec], origin=origin, context=context, limit=wanted)[spec.key]
    fresh = [card for card in cards if card["place_id"] not in exclude_ids]
    if exclude_ids:  # "more options": new places, but not ever further away
        fresh = [card for card in fresh if (card["walk_minutes"] or 0) <= context.distance_limit_minutes]
    if refinement in REFINEMENT_KEEPS:
        # "cheaper one?" after bars is a cheaper bar: of a kind shown, not a free park.
        kinds = {card["types"][0] for card in shown if card.get("types")}
        fresh = [
            card for card in fresh
            if REFINEMENT_KEEPS[refinement](card, shown) and (not kinds or set(card.get("types", [])[:1]) & kinds)
        ]  # fmt: skip
    if refinement in REFINEMENT_ORDER:
        fresh.sort(key=REFINEMENT_ORDER[refinement])
    return fresh[:limit]
