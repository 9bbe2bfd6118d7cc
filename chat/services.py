"""One chat turn: understand, recommend, write, remember. Nothing here fails because a provider
is down: weather is optional, places fall back to the catalog, replies to the built-in writer."""

import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from events.selectors import event_cards
from places import selectors as place_selectors
from places.geo import Point
from places.vibes import classify_vibe
from recommendations import lists as place_recommendations
from recommendations.request import Request, understand
from recommendations.request import from_memory as request_from_memory
from recommendations.retrieve import Found, places_for
from recommendations.retrieve import place_named as places_named
from violetvibes.providers import ProviderError

from . import intent as intents
from . import memory as memories
from . import replies
from .llm import gemini
from .models import Conversation, Message

logger = logging.getLogger(__name__)

CARDS_PER_REPLY = 3
HISTORY_FOR_LLM = 8  # messages


@dataclass(frozen=True)
class ChatResult:
    reply: str
    places: list[dict[str, Any]]
    vibe: str
    intent: str
    weather: dict[str, Any] | None
    session_id: str
    latency: float


def chat_session_clear(*, user: User | None, session_id: str) -> None:
    memories.memory_clear(key=memories.memory_key(user_id=_user_id(user), session_id=session_id))


def _user_id(user: User | None) -> int | None:
    return user.pk if user is not None else None  # the view passes None for an anonymous user


_CHATTY = frozenset({intents.SMALL_TALK, intents.GENERAL_QUESTION})
_NEAR = re.compile(r"\b(near|around|by|close to|next to|from)\b", re.IGNORECASE)
_ABOUT_IT = re.compile(r"\b(it|its|this|that|there)\b", re.IGNORECASE)
_THANKS = re.compile(r"\b(thanks?|thx|ty|gracias)\b|谢谢", re.IGNORECASE)


def _place_asked_about(*, message: str, asked: Request, origin: Point, at: datetime, photo_base: str) -> dict[str, Any] | None:
    """The card of the place the message asks about by name; None when it names none, or names it
    only as where ("cheap eats near Bobst") or beside another kind ("best pizza near Washington
    Square Park" asks for pizza; "does Yemen Cafe do halal?" asks about Yemen Cafe)."""
    named = places_named(message=message, origin=origin, at=at, photo_base=photo_base)
    if named is None:
        return None
    kinds_asked = {want.key for want in asked.whats if not want.generic}
    if not kinds_asked <= {want.key for want in understand(named["name"]).whats}:
        return None
    return None if asked.specific and _NEAR.search(message) else named


def _places_for_request(request: Request, tokens: Sequence[str]) -> bool:
    """Whether a request is answered with places (else events): events named ("comedy shows",
    "what's on") are events; "wifi and outlets tonight" is a place."""
    if _asks_for_events([token for token in tokens if token not in _TODAY_WORDS]):
        return False
    return request.specific or not _asks_for_events(tokens)


def _request_for_turn(
    *, asked: Request, message: str, intent: str, refinement: str | None, memory: memories.Memory
) -> Request | None:
    """What this turn asks for, when it asks for something specific: the message's own request; the
    remembered one for more options or a refinement of its list; the remembered one somewhere else
    for "near Washington Square instead". None: the turn is not a request of that kind."""
    if intent == intents.CLEAR:
        return None
    before = request_from_memory(memory.request)
    if asked.specific and (intent == intents.NEW_REQUEST or (intent in _CHATTY and not _THANKS.search(message))):
        return asked  # "附近有图书馆吗" asks for a library, whatever a classifier of English made of it
    if asked.area and intent == intents.NEW_REQUEST and not before.specific and not memory.cards:
        return asked  # "what's around Brooklyn Heights": anything good, there
    if asked.area and not asked.specific and (before.specific or memory.cards) and not refinement:
        return replace(before, area=asked.area)
    if before.specific and (intent == intents.MORE_OPTIONS or refinement in place_recommendations.REFINEMENT_KEEPS):
        return before  # ("quieter" asks for another kind of place: the vibe pipeline's study places)
    return None


def _write_reply(
    *, intent: str, vibe: str, cards: list[dict[str, Any]], remembered: list[dict[str, Any]], message: str,
    weather: dict[str, Any] | None, target: dict[str, Any] | None, refinement: str | None, memory: memories.Memory, seed: str,
    found: Found | None = None,
) -> str:
    def builtin() -> str:
        return replies.builtin_reply(
            intent=intent, vibe=vibe, cards=cards, message=message, weather=weather, target=target, refinement=refinement, seed=seed,
            found=found, shown=remembered,
        )

    if not gemini.configured() or intent == intents.CLEAR or (refinement and not cards):
        return builtin()  # "nothing closer/cheaper/open" is said plainly, not left to a model
    shown = cards or ([target] if target else [])
    history = [gemini.Turn(role=turn["role"], text=turn["text"]) for turn in memory.history[-HISTORY_FOR_LLM:]]
    try:
        text = gemini.generate_reply(
            system_instruction=replies.SYSTEM_INSTRUCTION,
            history=history,
            prompt=replies.gemini_prompt(message=message, cards=shown, weather=weather, intent=intent, found=found),
            timeout_s=settings.GEMINI_TIMEOUT_SECONDS,
        )
    except ProviderError as exc:
        logger.info("Built-in reply used: %s", exc)
        return builtin()
    allowed = [card["name"] for card in [*shown, *remembered]]
    repaired = replies.reply_repair(text, allowed=allowed, known=place_selectors.place_names())
    return repaired or builtin()


def chat_message_send(
    *,
    user: User | None,
    session_id: str,
    message: str,
    origin: Point,
    vibe_hint: str | None,
    photo_base: str,
    cleared: bool = False,
    at: datetime | None = None,
) -> ChatResult:
    """One turn, about the instant `at` (default now). `cleared` says the memory was just cleared
    (nothing to read back)."""
    started = time.perf_counter()
    key = memories.memory_key(user_id=_user_id(user), session_id=session_id)
    memory = memories.Memory() if cleared else memories.memory_load(key=key)
    remembered = memory.cards
    understood = intents.classify_intent(message, remembered=[card["name"] for card in remembered])
    intent = understood.intent
    weather = place_selectors.weather_current(origin=origin)
    weather_hint = weather["main"] if weather else None

    message_vibe = classify_vibe(message)
    if intent == intents.NEW_REQUEST:
        vibe = message_vibe if message_vibe != "generic" else (vibe_hint or "generic")
    else:
        vibe = memory.vibe or vibe_hint or message_vibe
    refinement = understood.refinement
    if refinement == intents.QUIETER:
        vibe = "study"  # calmer means study-vibe places; the refinement stays, so a new list is fetched
    if refinement and (understood.target_index is not None or (len(remembered) == 1 and _ABOUT_IT.search(message))):
        refinement = None  # "is it open now?" / "the first one, still open?": a question about a place, not a new list
    asked = understand(message)
    named = None if intent in (intents.CLEAR, intents.MORE_OPTIONS) else _place_asked_about(
        message=message, asked=asked, origin=origin, at=at or timezone.now(), photo_base=photo_base
    )
    if named is not None:
        refinement = None  # "is Joe's Pizza open right now?" asks about Joe's, not for open places
    request = None if named else _request_for_turn(asked=asked, message=message, intent=intent, refinement=refinement, memory=memory)
    if request is not None and (intent in _CHATTY or (intent == intents.FOLLOW_UP and not refinement)):
        intent = intents.NEW_REQUEST  # a request after all; or "near Washington Square instead": the same ask, elsewhere
    if request is not None and request.vibe:
        vibe = request.vibe

    target_index = None
    if understood.target_index is not None and understood.target_index < len(remembered):
        target_index = understood.target_index
    elif intent == intents.FOLLOW_UP and len(remembered) == 1:
        target_index = 0
    elif intent == intents.FOLLOW_UP and not refinement and memory.focus is not None and understood.about_one_place:
        target_index = memory.focus if memory.focus < len(remembered) else None
    target = remembered[target_index] if target_index is not None else None
    if named is not None:  # about one place, by name: it is the answer's card, and stays in focus
        intent, target, target_index = intents.FOLLOW_UP, named, 0
    conversation_id = memory.conversation_id
    cards: list[dict[str, Any]] = []
    found: Found | None = None
    new_list = False
    if intent == intents.CLEAR:
        memory = memories.Memory()  # saved below, over the old one
        vibe = vibe_hint or "generic"  # nothing of the old conversation carries over
    elif intent in (intents.NEW_REQUEST, intents.MORE_OPTIONS) or (intent == intents.FOLLOW_UP and refinement):
        exclude = frozenset(memory.shown_ids) if intent != intents.NEW_REQUEST else frozenset()
        if request is not None and _places_for_request(request, understood.tokens):
            found = places_for(
                request=request, origin=origin, user=user, at=at or timezone.now(), limit=CARDS_PER_REPLY,
                photo_base=photo_base, exclude_ids=exclude, refinement=refinement, shown=remembered, weather_hint=weather_hint,
            )
            cards = found.cards
        else:
            cards = _recommend(
                tokens=understood.tokens, vibe=vibe, origin=origin, user=user, photo_base=photo_base,
                exclude=exclude, refinement=refinement, weather_hint=weather_hint, at=at, shown=remembered,
            )
            if _asks_for_events(understood.tokens) and not any(card["type"] == "event" for card in cards):
                # No event to show: said plainly, and the places that follow are offered instead.
                found = Found(cards, exact=False, label=f"event {_events_when(understood.tokens)}", where="you")
        new_list = True
    elif named is not None:
        cards, new_list = [named], True
    elif intent == intents.FOLLOW_UP:
        # About one remembered place, or (no target) about all of them.
        cards = [target] if target is not None else list(remembered)

    reply = _write_reply(
        intent=intent, vibe=vibe, cards=cards, remembered=remembered, message=message, weather=weather,
        target=target, refinement=refinement, memory=memory, seed=session_id + str(len(memory.history)), found=found,
    )
    if intent != intents.CLEAR:  # "start over" leaves the memory empty, as the clear flag does
        memory.remember_turn(user_text=message, reply=reply, cards=cards, vibe=vibe, new_list=new_list)
        if new_list:
            memory.request = request.to_memory() if request is not None else {}
        if intent == intents.FOLLOW_UP and not new_list:
            memory.focus = target_index
    # Signed in, the turn is saved; "start over" is the last turn of the conversation it ends (none
    # when it is the first message), and the next message starts a new one.
    if user is not None and (intent != intents.CLEAR or conversation_id is not None):
        conversation_id = _conversation_record(
            user=user, conversation_id=conversation_id, message=message, reply=reply, cards=cards, intent=intent, vibe=vibe
        )
        if intent != intents.CLEAR:
            memory.conversation_id = conversation_id
    memories.memory_save(key=key, memory=memory)
    return ChatResult(
        reply=reply, places=cards, vibe=vibe, intent=intent, weather=weather, session_id=session_id,
        latency=round(time.perf_counter() - started, 3),
    )


_EVENT_WORDS = frozenset(
    {"event", "events", "happening", "concert", "concerts", "show", "shows", "festival", "festivals", "gig", "gigs", "tonight"}
)
# "show me a quiet cafe" asks to be shown places: "show" followed by one of these is the verb.
_SHOW_OBJECTS = frozenset({"me", "us", "my", "our", "some", "all"})
_TODAY_WORDS = frozenset({"tonight", "today"})
# Vibes where something on tonight is as good an answer as a place.
_EVENT_FRIENDLY_VIBES = frozenset({"explore", "party"})


def _weekend(now: datetime) -> tuple[datetime, datetime]:
    """This weekend as seen from `now` (New York): Friday 17:00 to Monday 00:00; from within it, now on."""
    friday = (now - timedelta(days=(now.weekday() - 4) % 7)).replace(hour=17, minute=0, second=0, microsecond=0)
    if now.weekday() < 4 or (now.weekday() == 4 and now.hour < 17):
        friday = (now + timedelta(days=(4 - now.weekday()) % 7)).replace(hour=17, minute=0, second=0, microsecond=0)
    monday = (friday + timedelta(days=3)).replace(hour=0)
    return max(friday, now), monday


def _events_when(tokens: Sequence[str]) -> str:
    if "weekend" in tokens:
        return "this weekend"
    return "today" if _TODAY_WORDS.intersection(tokens) else "this week"


def _asks_for_events(tokens: Sequence[str]) -> bool:
    """Events are asked for by name ("any concerts?", "comedy shows"), by "tonight" or by "what's on"
    (tokens drop apostrophes, straight or curly, so "what's" is "whats")."""
    for i, word in enumerate(tokens):
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if word in _EVENT_WORDS and not (word in ("show", "shows") and after in _SHOW_OBJECTS):
            return True
        if (word, after) in (("whats", "on"), ("anything", "on"), ("going", "on")):
            return True
    return False


def _recommend(
    *, tokens: Sequence[str], vibe: str, origin: Point, user: User | None, photo_base: str, exclude: frozenset[str],
    refinement: str | None, weather_hint: str | None, at: datetime | None, shown: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Cards for a request: events when the student asks what's on (topped up with places when
    there are fewer than a reply's worth), else places (with one event mixed in for explore and
    party vibes)."""
    wanted_events = _asks_for_events(tokens)
    days = 1 if _TODAY_WORDS.intersection(tokens) else 7
    events: list[dict[str, Any]] = []
    if wanted_events or (vibe in _EVENT_FRIENDLY_VIBES and not refinement):
        events = [card for card in event_cards(origin=origin, limit=50, days=days, at=at) if card["place_id"] not in exclude]
        if "weekend" in tokens:  # only what is on between Friday evening and Sunday night
            start, end = _weekend(timezone.localtime(at or timezone.now()))
            events = [card for card in events if card["start"] and start <= datetime.fromisoformat(card["start"]) < end]
        events = events[: CARDS_PER_REPLY + len(exclude)]
    if wanted_events and len(events) >= CARDS_PER_REPLY:
        return events[:CARDS_PER_REPLY]
    places = place_recommendations.chat_places(
        vibe=vibe, origin=origin, user=user, limit=CARDS_PER_REPLY, photo_base=photo_base,
        exclude_ids=exclude, refinement=refinement, weather_hint=weather_hint, at=at, shown=shown,
    )
    if wanted_events:
        return [*events, *places][:CARDS_PER_REPLY]
    if events:
        places = [*places[: CARDS_PER_REPLY - 1], events[0]]
    return places


def _conversation_record(
    *, user: User, conversation_id: int | None, message: str, reply: str, cards: list[dict[str, Any]], intent: str, vibe: str
) -> int:
    # One statement both checks that the remembered conversation is still this user's and bumps it;
    # a new conversation gets its updated_at from create() (auto_now). Two queries a turn in all.
    touched = conversation_id is not None and Conversation.objects.filter(pk=conversation_id, user=user).update(updated_at=timezone.now())
    if not touched:
        conversation_id = Conversation.objects.create(user=user, title=message[:120]).pk
    Message.objects.bulk_create(
        [
            Message(conversation_id=conversation_id, role=Message.Role.USER, text=message, intent=intent, vibe=vibe),
            Message(conversation_id=conversation_id, role=Message.Role.ASSISTANT, text=reply, cards=cards, intent=intent, vibe=vibe),
        ]
    )
    return conversation_id
