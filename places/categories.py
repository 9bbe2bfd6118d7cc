"""What each quick-recs category and each vibe searches for."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SearchSpec:
    key: str
    vibes: tuple[str, ...]  # catalog places with any of these vibes match
    categories: tuple[str, ...]  # ... or any of these catalog categories
    google_types: tuple[str, ...]  # Places API (New) includedTypes
    radius_m: int


CATEGORIES: dict[str, SearchSpec] = {
    "quick_bites": SearchSpec(
        "quick_bites",
        ("fast_bite",),
        ("quick_bites",),
        ("fast_food_restaurant", "pizza_restaurant", "sandwich_shop", "bagel_shop", "bakery", "meal_takeaway"),
        1000,
    ),
    "cozy_cafes": SearchSpec(
        "cozy_cafes", ("study",), ("cozy_cafes",), ("cafe", "coffee_shop", "tea_house", "library"), 1200
    ),
    "explore": SearchSpec(
        "explore",
        ("explore",),
        ("explore",),
        ("park", "museum", "tourist_attraction", "art_gallery", "book_store", "historical_landmark"),
        2500,
    ),
}
# The old server's name for cozy_cafes, still sent by the apps.
CATEGORY_ALIASES = {"chill_cafes": "cozy_cafes"}
EVENTS_CATEGORY = "events"
QUICK_RECS_CATEGORIES = (*CATEGORIES, EVENTS_CATEGORY)

VIBE_SEARCHES: dict[str, SearchSpec] = {
    "fast_bite": CATEGORIES["quick_bites"],
    "study": CATEGORIES["cozy_cafes"],
    "explore": CATEGORIES["explore"],
    "food_general": SearchSpec("food_general", ("food_general",), (), ("restaurant",), 1500),
    "party": SearchSpec("party", ("party",), (), ("night_club", "bar"), 2000),
    "chill_drinks": SearchSpec("chill_drinks", ("chill_drinks",), (), ("bar", "wine_bar", "pub"), 1500),
    "shopping": SearchSpec("shopping", ("shopping",), (), ("clothing_store", "shopping_mall", "department_store", "shoe_store"), 2000),
    "bookstore": SearchSpec("bookstore", ("bookstore",), (), ("book_store", "library"), 2000),
    "generic": SearchSpec("generic", ("food_general", "study", "explore"), (), ("restaurant", "cafe", "park"), 1800),
}


def category_normalize(value: str | None) -> str | None:
    """The canonical category for what a client sent, or None when it is not one."""
    key = (value or "").strip().lower()
    key = CATEGORY_ALIASES.get(key, key)
    return key if key in QUICK_RECS_CATEGORIES else None
