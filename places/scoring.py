"""How a candidate is ranked: small named factors, each 0..1, combined with the weights below.

Every factor answers one question from data we actually have; when the data says nothing the
factor returns a neutral value, so it does not move the ranking either way.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from operator import mul
from types import MappingProxyType
from typing import NamedTuple

NEUTRAL = 0.5

# The one place where the balance between factors is decided.
WEIGHTS: Mapping[str, float] = {
    "distance": 0.28,
    "rating": 0.18,
    "vibe": 0.20,
    "open_now": 0.08,
    "price": 0.06,
    "setting": 0.07,
    "diet": 0.05,
    "activity": 0.08,
}
# Late at night most places are shut: being known to be open (or known for staying open late)
# matters far more than by day.
NIGHT_WEIGHTS: Mapping[str, float] = {**WEIGHTS, "open_now": 0.3}

# What a Google price level costs a student per person, roughly, in dollars.
PRICE_LEVEL_DOLLARS = {0: 0, 1: 12, 2: 25, 3: 50, 4: 90}
RATING_PRIOR = 3.8
RATING_PRIOR_WEIGHT = 20  # a place needs ~20 ratings before its own average dominates the prior

# The app's preferred_vibes vocabulary, in terms of the nine recommendation vibes.
PREFERRED_VIBE_MAP = {
    "study": ("study", "bookstore"),
    "food": ("food_general", "fast_bite"),
    "nightlife": ("party", "chill_drinks"),
    "explore": ("explore", "shopping"),
    "free_events": ("explore",),
}


@dataclass(frozen=True)
class ActivitySummary:
    """What a user's past activity says about their taste."""

    liked_ids: frozenset[str] = frozenset()
    dismissed_ids: frozenset[str] = frozenset()
    vibe_counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RankingContext:
    vibe: str | None = None
    distance_limit_minutes: int = 20
    budget: Mapping[str, int] | None = None
    indoor_outdoor: str = "either"
    dietary_restrictions: tuple[str, ...] = ()
    vibe_weights: Mapping[str, float] = field(default_factory=dict)
    bad_weather: bool = False
    late_night: bool = False
    activity: ActivitySummary = ActivitySummary()
    at: datetime | None = None  # the instant the request is about (None: now)


# --- Factors ----------------------------------------------------------------------------------------
def distance_fit(walk_minutes: int | None, limit_minutes: int) -> float:
    """1 next door, 0.5 at the user's limit, 0 at twice the limit."""
    if walk_minutes is None:
        return NEUTRAL
    limit = max(1, limit_minutes)
    if walk_minutes <= limit:
        return 1 - 0.5 * walk_minutes / limit
    return max(0.0, 0.5 * (1 - (walk_minutes - limit) / limit))


def rating_fit(rating: float | None, rating_count: int | None) -> float:
    """The rating shrunk towards a prior by how many people gave it, on 0..1."""
    if not rating:
        return (RATING_PRIOR - 1) / 4
    count = rating_count if rating_count is not None else RATING_PRIOR_WEIGHT
    blended = (count * rating + RATING_PRIOR_WEIGHT * RATING_PRIOR) / (count + RATING_PRIOR_WEIGHT)
    return min(1.0, max(0.0, (blended - 1) / 4))


def open_now_fit(open_now: bool | None, *, late_night: bool = False, tags: Iterable[str] = ()) -> float:
    """1 known open, 0 known closed. Unknown hours: likely open by day; at night, likely shut unless
    the place is known for staying open late."""
    if open_now is not None:
        return 1.0 if open_now else 0.0
    if not late_night:
        return 0.6
    return 0.7 if "late_night" in tags else 0.15


def price_fit(price_level: int | None, budget: Mapping[str, int] | None) -> float:
    if price_level is None or not budget or price_level not in PRICE_LEVEL_DOLLARS:
        return NEUTRAL
    cost = PRICE_LEVEL_DOLLARS[price_level]
    top = budget.get("max")
    if top is not None and cost > top:
        return max(0.0, 1 - (cost - top) / max(top, 10))
    return 1.0


def vibe_fit(place_vibes: Iterable[str], vibe: str | None, vibe_weights: Mapping[str, float]) -> float:
    """How well the place suits the vibe asked for now, else the vibes the user prefers."""
    vibes = set(place_vibes)
    if vibe and vibe != "generic":
        return 1.0 if vibe in vibes else 0.1
    preferred = max((vibe_weights.get(v, 0.0) for v in vibes), default=0.0)
    return NEUTRAL + 0.5 * preferred


def setting_fit(place_setting: str, preference: str, *, bad_weather: bool, late_night: bool) -> float:
    """Indoor/outdoor against the user's preference; rain and late night favour indoor."""
    if place_setting == "outdoor" and (bad_weather or late_night):
        return 0.1
    if preference in ("indoor", "outdoor"):
        if place_setting == preference:
            return 1.0
        return 0.75 if place_setting == "both" else 0.25
    return 0.8 if place_setting == "indoor" and bad_weather else 0.6


def diet_fit(place_tags: Iterable[str], diet: Mapping[str, bool], restrictions: Iterable[str]) -> float:
    """Per restriction: 1 where the place's data says it caters for it, 0 where it says it does not."""
    restrictions = list(restrictions)
    if not restrictions:
        return NEUTRAL
    tags = set(place_tags)
    values = []
    for restriction in restrictions:
        if restriction in tags or diet.get(restriction) is True:
            values.append(1.0)
        elif diet.get(restriction) is False:
            values.append(0.0)
        else:
            values.append(0.4)
    return sum(values) / len(values)


def activity_fit(card_id: str, place_vibes: Iterable[str], activity: ActivitySummary) -> float:
    """Places the user dismissed sink, places they liked and vibes they keep choosing rise."""
    if card_id in activity.dismissed_ids:
        return 0.0
    if card_id in activity.liked_ids:
        return 1.0
    total = sum(activity.vibe_counts.values())
    if not total:
        return NEUTRAL
    share = max((activity.vibe_counts.get(v, 0) for v in place_vibes), default=0) / total
    return NEUTRAL + 0.5 * share


class Scorable(NamedTuple):
    """The facts about a candidate (place or event) that ranking reads. A named tuple: a chat turn
    makes one per candidate, and a tuple is made at a fraction of a frozen dataclass's cost."""

    card_id: str
    vibes: tuple[str, ...]
    tags: tuple[str, ...]
    setting: str
    walk_minutes: int | None
    rating: float | None = None
    rating_count: int | None = None
    open_now: bool | None = None
    price_level: int | None = None
    diet: Mapping[str, bool] = MappingProxyType({})  # read only: one shared empty mapping


_FACTORS = tuple(WEIGHTS)  # the factors' names, in the order _fits() gives their values
_DAY_WEIGHTS = tuple(WEIGHTS[name] for name in _FACTORS)
_NIGHT_WEIGHTS = tuple(NIGHT_WEIGHTS[name] for name in _FACTORS)


def _fits(item: Scorable, context: RankingContext) -> tuple[float, ...]:
    """Each factor's value, in the order of _FACTORS (a tuple: a chat turn scores every candidate)."""
    late = context.late_night
    return (
        distance_fit(item.walk_minutes, context.distance_limit_minutes),
        rating_fit(item.rating, item.rating_count),
        vibe_fit(item.vibes, context.vibe, context.vibe_weights),
        open_now_fit(item.open_now, late_night=late, tags=item.tags),
        price_fit(item.price_level, context.budget),
        setting_fit(item.setting, context.indoor_outdoor, bad_weather=context.bad_weather, late_night=late),
        diet_fit(item.tags, item.diet, context.dietary_restrictions),
        activity_fit(item.card_id, item.vibes, context.activity),
    )


def factors(item: Scorable, context: RankingContext) -> dict[str, float]:
    return dict(zip(_FACTORS, _fits(item, context), strict=True))


def score(item: Scorable, context: RankingContext) -> float:
    """The weighted sum of the factors, added in their order, rounded."""
    weights = _NIGHT_WEIGHTS if context.late_night else _DAY_WEIGHTS
    return round(sum(map(mul, weights, _fits(item, context))), 4)
