"""The app's vibes: the nine a user can prefer (the iOS picker) and the names clients send for them.

A vibe read from a chat message is derived from what was asked (recommendations.request.Request.vibe);
this module only names the vocabulary and reads a client-sent vibe name.
"""

from __future__ import annotations

import re
import unicodedata

VIBES: tuple[str, ...] = (
    "explore",
    "study",
    "food_general",
    "party",
    "chill_drinks",
    "shopping",
    "fast_bite",
    "bookstore",
    "generic",
)
GENERIC = "generic"  # no vibe in particular

# Client-sent vibe names beyond the canonical nine. "cafe" means somewhere to
# sit and work (the app's study spots are mostly cafes), while bare "coffee"
# is a grab-and-go order, hence the different targets.
# fmt: off
VIBE_ALIASES: dict[str, str] = {
    **{vibe: vibe for vibe in VIBES},
    # explore
    "exploring": "explore", "sightseeing": "explore", "sights": "explore",
    "things_to_do": "explore", "activities": "explore",
    "outdoors": "explore", "parks": "explore", "park": "explore",
    "museums": "explore", "museum": "explore", "attractions": "explore",
    "adventure": "explore", "walk": "explore", "views": "explore",
    # study
    "studying": "study", "library": "study", "libraries": "study",
    "work": "study", "focus": "study", "quiet": "study",
    "cowork": "study", "coworking": "study", "study_spot": "study",
    "study_spots": "study", "cafe": "study", "cafes": "study",
    # food_general
    "food": "food_general", "foodgeneral": "food_general",
    "restaurant": "food_general", "restaurants": "food_general",
    "dining": "food_general", "dinner": "food_general",
    "lunch": "food_general", "brunch": "food_general",
    "eat": "food_general", "meal": "food_general", "meals": "food_general",
    # party
    "nightlife": "party", "club": "party", "clubs": "party",
    "clubbing": "party", "dance": "party", "dancing": "party",
    "going_out": "party", "night_out": "party", "parties": "party",
    "live_music": "party",
    # chill_drinks
    "drinks": "chill_drinks", "drink": "chill_drinks",
    "chilldrinks": "chill_drinks", "chill_drink": "chill_drinks",
    "chill": "chill_drinks", "bar": "chill_drinks", "bars": "chill_drinks",
    "happy_hour": "chill_drinks", "cocktails": "chill_drinks",
    "wine": "chill_drinks", "beer": "chill_drinks",
    # shopping
    "shop": "shopping", "shops": "shopping", "store": "shopping",
    "stores": "shopping", "thrift": "shopping", "thrifting": "shopping",
    "retail": "shopping", "mall": "shopping",
    # fast_bite
    "fastbite": "fast_bite", "fast_bites": "fast_bite",
    "quick_bite": "fast_bite", "quick_bites": "fast_bite",
    "quickbite": "fast_bite", "fast_food": "fast_bite",
    "fastfood": "fast_bite", "quick": "fast_bite", "snack": "fast_bite",
    "snacks": "fast_bite", "coffee": "fast_bite", "grab_and_go": "fast_bite",
    "cheap_eats": "fast_bite", "takeout": "fast_bite",
    # bookstore
    "books": "bookstore", "book": "bookstore", "bookstores": "bookstore",
    "bookshop": "bookstore", "bookshops": "bookstore",
    "book_store": "bookstore", "book_stores": "bookstore",
    "reading": "bookstore",
    # generic
    "any": "generic", "anything": "generic", "all": "generic",
    "general": "generic", "default": "generic", "other": "generic",
}
# fmt: on

_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS_RE = re.compile(r"[^a-z0-9]+")


def normalize_vibe(value: str | None) -> str | None:
    """Canonical vibe for a client-sent name, or None if empty/unknown.

    Accepts any case, camelCase ("chillDrinks"), spaces, hyphens and the
    aliases in VIBE_ALIASES ("food", "nightlife", "books", ...).
    """
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKD", value.strip())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _CAMEL_RE.sub("_", text).casefold()
    key = _SEPARATORS_RE.sub("_", text.replace("&", "_and_")).strip("_")
    if not key:
        return None
    return VIBE_ALIASES.get(key)
