"""One chat turn: understand, recommend, write, remember. Nothing here fails because a provider
is down: weather is optional, places fall back to the catalog, replies to the built-in writer."""

import logging
import time
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from places import selectors as place_selectors
from places.geo import Point
from recommendations.answers import Answer, chat_answer
from recommendations.llm_request import request_from_llm
from recommendations.request import Request
from recommendations.request import from_memory as request_from_memory
from recommendations.request import understand as request_in
from recommendations.retrieve import named_is_of, names_near
from recommendations.turn import understand_turn, when_from_memory
from recommendations.understand import (
    CLEAR,
    FOLLOW_UP,
    Context,
    Understood,
    card_words,
    understand,
    understood_by_model,
)
from violetvibes.providers import ProviderError

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


def _write_reply(
    *, understood: Understood, answer: Answer, remembered: list[dict[str, Any]], message: str, weather: dict[str, Any] | None,
    memory: memories.Memory, seed: str,
) -> str:
    """Gemini's reply when it is configured and answers within its bounds, else the built-in one.
    "Nothing closer/cheaper/open" is said plainly, never left to a model."""
    def builtin() -> str:
        return replies.builtin_reply(understood=understood, answer=answer, message=message, weather=weather, seed=seed, shown=remembered)

    if not gemini.configured() or understood.intent == CLEAR or (understood.refinement and not answer.cards):
        return builtin()
    shown = answer.cards or ([answer.target] if answer.target else [])
    history = [gemini.Turn(role=turn["role"], text=turn["text"]) for turn in memory.history[-HISTORY_FOR_LLM:]]
    try:
        text = gemini.generate_reply(
            system_instruction=replies.SYSTEM_INSTRUCTION,
            history=history,
            prompt=replies.gemini_prompt(
                message=message, cards=shown, weather=weather, found=answer.found, answer=answer,
                understood=replace(understood, from_place=answer.start) if answer.start else understood,
            ),
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
    cleared: bool = False,
    new_conversation: bool = False,
    at: datetime | None = None,
) -> ChatResult:
    """One turn, about the instant `at` (default now): understand the message in its conversation,
    find the cards that answer it, write the reply, remember the turn. `cleared` says the memory
    was just cleared, `new_conversation` that the session id was issued by this request: nothing to
    read back."""
    started = time.perf_counter()
    at = at or timezone.now()
    key = memories.memory_key(user_id=_user_id(user), session_id=session_id)
    # The memory and the version of the local places in one round trip; the turn then reads the
    # places at that version however often it asks for them. An anonymous turn with no memory to
    # read trusts the version this process read seconds ago, if it did (places/selectors.py): its
    # only round trip is the save. Signed in, the memory is the user's, from any device: read.
    trusted = place_selectors.local_places_version_trusted() if user is None and (cleared or new_conversation) else None
    if cleared or trusted is not None:
        memory, found = memories.Memory(), {}
    else:
        memory, found = memories.memory_load_with(key=key, others=[place_selectors.LOCAL_VERSION_KEY])
    version = trusted or found.get(place_selectors.LOCAL_VERSION_KEY)
    with place_selectors.local_places_read_once(version, trusted=trusted is not None):
        return _turn(
            key=key, memory=memory, user=user, session_id=session_id, message=message, origin=origin, vibe_hint=vibe_hint,
            at=at, started=started,
        )


def _turn(
    *, key: str, memory: memories.Memory, user: User | None, session_id: str, message: str, origin: Point,
    vibe_hint: str | None, at: datetime, started: float,
) -> ChatResult:
    remembered = memory.cards
    context = Context(
        shown=tuple(card["name"] for card in remembered), before=request_from_memory(memory.request), focus=memory.focus,
        vibe=memory.vibe or None, points=tuple(_point(card) for card in remembered),
        topic_before=_topic_before(memory),
        asked_before=_asked_before(memory),
        earlier=tuple(card["name"] for card in memory.earlier),
        events_before="events" in memory.request, when_before=when_from_memory(memory.request.get("events")),
        about=card_words(remembered),
        earlier_about=card_words(memory.earlier),
    )
    understood = understand(
        message, context=context, names=names_near(origin), vibe_hint=vibe_hint,
        is_of=lambda name, want: named_is_of(name, want, origin=origin),
    )
    if gemini.configured() and not understood.confident:
        understood = _read_by_gemini(message, understood, context=context, memory=memory)
    weather = place_selectors.weather_current(origin=origin)
    answer = chat_answer(
        understood, origin=origin, user=user, at=at, shown=remembered, shown_ids=memory.shown_ids,
        weather_hint=weather["main"] if weather else None, shown_around=_area_point(context.before),
    )
    reply = _write_reply(
        understood=understood, answer=answer, remembered=remembered, message=message, weather=weather, memory=memory,
        seed=session_id + str(len(memory.history)),
    )
    _remember(key=key, user=user, memory=memory, understood=understood, answer=answer, message=message, reply=reply)
    return ChatResult(
        reply=reply, places=answer.cards, vibe=understood.vibe, intent=understood.intent, weather=weather,
        session_id=session_id, latency=round(time.perf_counter() - started, 3),
    )


def _topic_before(memory: memories.Memory) -> str | None:
    """What the student's previous message asked about a place (hours, price...), if anything."""
    said = [turn["text"] for turn in memory.history if turn["role"] == "user"]
    return understand_turn(said[-1]).topic if said else None


def _asked_before(memory: memories.Memory) -> Request:
    """What the student's previous message asked for, in its own words (an empty request if none)."""
    said = [turn["text"] for turn in memory.history if turn["role"] == "user"]
    return request_in(said[-1]) if said else Request()


def _area_point(request: Request) -> Point | None:
    """Where the list a request answered was measured from, when it named an area ("pizza in dumbo")."""
    return Point(request.area.lat, request.area.lng) if request.area else None


def _point(card: dict[str, Any]) -> tuple[float, float] | None:
    location = card.get("location")
    return (location["lat"], location["lng"]) if location else None


def _read_by_gemini(message: str, understood: Understood, *, context: Context, memory: memories.Memory) -> Understood:
    """Gemini's reading of a turn the built-in one did not settle, every field checked; the
    built-in reading when Gemini cannot answer."""
    history = [gemini.Turn(role=turn["role"], text=turn["text"]) for turn in memory.history[-HISTORY_FOR_LLM:]]
    try:
        data = gemini.understand_request(message, history, timeout_s=settings.GEMINI_TIMEOUT_SECONDS)
    except ProviderError as exc:
        logger.info("Built-in understanding used: %s", exc)
        return understood
    request, fields = request_from_llm(data)
    return understood_by_model(understood, request=request, fields=fields, context=context)


def _remember(
    *, key: str, user: User | None, memory: memories.Memory, understood: Understood, answer: Answer, message: str, reply: str
) -> int | None:
    """Keeps the turn in the conversation's memory and, signed in, in its saved conversation.
    "Start over" leaves the memory empty, and is the last turn of the conversation it ends (none
    when it is the first message): the next message starts a new one."""
    intent, vibe, cards = understood.intent, understood.vibe, answer.cards
    conversation_id = memory.conversation_id
    new_list = understood.new_list or understood.named is not None or bool(understood.named_options)
    if intent == CLEAR:
        memory = memories.Memory()  # saved below, over the old one
    else:
        memory.remember_turn(user_text=message, reply=reply, cards=cards, vibe=vibe, new_list=new_list)
        if new_list:
            asked = answer.request or understood.request  # "coffee near bar tabac": around Bar Tabac, remembered
            memory.request = asked.to_memory() if asked is not None else {}
            if answer.events_asked:  # "anything free?" next narrows the question of what's on
                memory.request["events"] = understood.when.to_memory() if understood.when is not None else {}
        if intent == FOLLOW_UP and not new_list:
            memory.focus = understood.target if understood.pick is None else _index_of(answer.target, memory.cards)
    if user is not None and (intent != CLEAR or conversation_id is not None):
        conversation_id = _conversation_record(
            user=user, conversation_id=conversation_id, message=message, reply=reply, cards=cards, intent=intent, vibe=vibe
        )
        if intent != CLEAR:
            memory.conversation_id = conversation_id
    memories.memory_save(key=key, memory=memory)
    return conversation_id


def _index_of(card: dict[str, Any] | None, cards: list[dict[str, Any]]) -> int | None:
    """Where a picked card ("which one is closest") is in the remembered list: what "it" is next."""
    ids = [shown.get("place_id") for shown in cards]
    return ids.index(card["place_id"]) if card is not None and card.get("place_id") in ids else None


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
