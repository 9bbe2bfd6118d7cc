"""Conversation memory in the shared cache: any worker or instance can continue a conversation.

Keyed by user id when signed in, else by the anonymous session id. Values are plain JSON-able
dicts (datetimes as ISO strings), kept 24 h from the last use, with a bounded history.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.cache import cache

TTL_SECONDS = 24 * 3600
MAX_TURNS = 20  # a turn is one user message and Violet's answer
MAX_SHOWN = 100


@dataclass
class Memory:
    history: list[dict[str, str]] = field(default_factory=list)  # {"role": "user"|"assistant", "text": ...}
    cards: list[dict[str, Any]] = field(default_factory=list)  # the last cards shown, in order
    shown_ids: list[str] = field(default_factory=list)  # every place_id shown, for "more options"
    vibe: str = ""
    conversation_id: int | None = None
    focus: int | None = None  # index in `cards` of the place last asked about, what "it" refers to
    request: dict[str, Any] = field(default_factory=dict)  # what the last list was for (Request.to_memory())
    earlier: list[dict[str, Any]] = field(default_factory=list)  # the list before `cards` ("the second one" after one card)

    def remember_turn(self, *, user_text: str, reply: str, cards: list[dict[str, Any]], vibe: str, new_list: bool) -> None:
        """Adds a turn; `new_list` says the cards replace the remembered list (not a follow-up on it)."""
        self.history.extend([{"role": "user", "text": user_text}, {"role": "assistant", "text": reply}])
        self.history = self.history[-2 * MAX_TURNS :]
        if cards and new_list:
            self.earlier, self.cards = self.cards, cards
            self.focus = None
            self.shown_ids = [*self.shown_ids, *(card["place_id"] for card in cards if card["place_id"] not in self.shown_ids)][
                -MAX_SHOWN:
            ]
        if vibe and vibe != "generic":
            self.vibe = vibe


def memory_key(*, user_id: int | None, session_id: str) -> str:
    return f"chat:memory:user:{user_id}" if user_id is not None else f"chat:memory:session:{session_id}"


def memory_load(*, key: str) -> Memory:
    return _memory_from(cache.get(key))


def memory_load_with(*, key: str, others: Sequence[str]) -> tuple[Memory, dict[str, Any]]:
    """memory_load(key) and the cache's values of `others` (those it holds), in one round trip."""
    found = cache.get_many([key, *others])
    return _memory_from(found.pop(key, None)), found


def _memory_from(data: Any) -> Memory:
    if not isinstance(data, dict):
        return Memory()
    try:
        return Memory(**data)
    except TypeError:  # a shape from an older release: start afresh rather than fail
        return Memory()


def memory_save(*, key: str, memory: Memory) -> None:
    # Its fields hold plain values already (lists, dicts, strings, numbers): the cache serializes
    # them as they are, where dataclasses.asdict would first deep-copy every card (half the save).
    cache.set(key, {f.name: getattr(memory, f.name) for f in fields(Memory)}, TTL_SECONDS)


def memory_clear(*, key: str) -> None:
    cache.delete(key)
