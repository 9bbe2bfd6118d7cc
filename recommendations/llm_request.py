"""A request as a language model read it, checked field by field before anything uses it.

chat.llm.gemini.understand_request asks Gemini for a JSON object whose allowed values come from
here (`allowed()`: the keys of recommendations/data/words.json, and the intents, refinements and
topics below), so the schema Gemini is given and the vocabulary never drift apart. What comes
back is still never trusted: `request_from_llm` keeps a field only when its type and every value
in it are allowed, and drops it otherwise (a list with one invented key is dropped whole: the
model half understood it).
"""

import json
import logging
from functools import cache
from typing import Any

from .request import WORDS, Request, vocabulary
from .turn import INTENTS, REFINEMENTS, TOPICS

logger = logging.getLogger(__name__)

PRICE_LEVELS = (0, 4)  # Google's price levels: 0 free .. 4 very expensive
MAX_TARGET_INDEX = 9  # a place of the list shown, 0-based; lists are a handful of cards
LIST_FIELDS = ("whats", "diet", "needs")
FIELDS = ("intent", *LIST_FIELDS, "price_max", "area", "refinement", "target_index", "topic")


@cache
def allowed() -> dict[str, tuple[str, ...]]:
    """The keys each vocabulary field may hold, in words.json's order: whats, diet, needs, area."""
    data = json.loads(WORDS.read_text(encoding="utf-8"))
    return {"whats": tuple(data["what"]), "diet": tuple(data["diet"]), "needs": tuple(data["needs"]), "area": tuple(data["areas"])}


def _keys(value: Any, field: str) -> tuple[str, ...] | None:
    """The list's keys, duplicates dropped; None when it is not a list of allowed keys."""
    if not isinstance(value, list) or not all(isinstance(item, str) and item in allowed()[field] for item in value):
        return None
    return tuple(dict.fromkeys(value))


def _choice(value: Any, choices: tuple[str, ...]) -> str | None:
    return value if isinstance(value, str) and value in choices else None


def _int_between(value: Any, low: int, high: int) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high else None


def request_from_llm(data: Any) -> tuple[Request, dict[str, Any]]:
    """The Request in `data` (a model's JSON answer) and its other fields {intent, refinement,
    target_index, topic}, each None when absent or not allowed. A field that fails its check is
    dropped (logged by name, never by value); anything not an object gives an empty request."""
    data = data if isinstance(data, dict) else {}
    dropped: list[str] = []
    lists: dict[str, tuple[str, ...]] = {}
    for field in LIST_FIELDS:
        keys = () if data.get(field) is None else _keys(data[field], field)
        if keys is None:
            dropped.append(field)
        lists[field] = keys or ()

    def checked(field: str, value: Any) -> Any:
        if value is None and data.get(field) is not None:
            dropped.append(field)
        return value

    price_max = checked("price_max", _int_between(data.get("price_max"), *PRICE_LEVELS))
    area_key = checked("area", _choice(data.get("area"), allowed()["area"]))
    extras = {
        "intent": checked("intent", _choice(data.get("intent"), INTENTS)),
        "refinement": checked("refinement", _choice(data.get("refinement"), REFINEMENTS)),
        "target_index": checked("target_index", _int_between(data.get("target_index"), 0, MAX_TARGET_INDEX)),
        "topic": checked("topic", _choice(data.get("topic"), TOPICS)),
    }
    vocab = vocabulary()
    whats = [vocab.whats[key] for key in lists["whats"]]
    if any(not want.generic for want in whats):  # as understand() does: "food" gives way to "sushi"
        whats = [want for want in whats if not want.generic]
    request = Request(
        whats=tuple(whats),
        diet=lists["diet"],
        needs=lists["needs"],
        price_max=price_max,
        area=vocab.areas[area_key] if area_key else None,
    )
    unknown = len(set(data) - set(FIELDS))  # counted, not named: the names are the model's text
    if dropped or unknown:
        logger.info("Model's reading of a request: dropped %s; %d unknown field(s)", ", ".join(dropped) or "nothing", unknown)
    return request, extras
