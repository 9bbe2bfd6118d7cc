"""How a chat turn is read: intent, target, refinement (ported from tests/chat/test_intent.py; no Django, no DB)."""

import dataclasses
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from recommendations.turn import (
    Turn,
    When,
    tokenize,
    understand_turn,
    when_from_memory,
)
from tests.recommendations.turn_cases import CASES, COFFEE, FOOD, INTENTS, MIXED, NIGHT, PARKS, REFINEMENTS, STUDY


def _case_id(index: int, message: str, intent: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", message).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40] or "symbols"
    return f"{index:03d}-{intent}-{slug}"


def _classify(message: str, remembered: tuple[str, ...] = ()) -> tuple[str, int | None, str | None]:
    result = understand_turn(message, remembered=remembered)
    return result.intent, result.target_index, result.refinement


# --- the labelled table ------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "remembered", "intent", "target", "refinement"),
    [pytest.param(*case, id=_case_id(i, case[0], case[2])) for i, case in enumerate(CASES)],
)
def test_labelled_message_gets_expected_intent_target_and_refinement(
    message: str, remembered: tuple[str, ...], intent: str, target: int | None, refinement: str | None
) -> None:
    assert _classify(message, remembered) == (intent, target, refinement)


def test_labelled_table_is_large_and_well_formed() -> None:
    assert len(CASES) >= 90
    follow_ups_with_cards = [c for c in CASES if c[2] == "follow_up" and c[1]]
    assert len(follow_ups_with_cards) >= 25
    assert {c[2] for c in CASES} == set(INTENTS)
    for message, remembered, intent, target, refinement in CASES:
        assert intent in INTENTS, message
        assert refinement is None or refinement in REFINEMENTS, message
        if target is not None:
            assert 0 <= target < len(remembered), message
        if intent in ("follow_up", "more_options"):
            assert remembered, f"{message!r}: follow-ups need cards on screen"


def test_labelled_table_has_no_duplicate_cases() -> None:
    keys = [(message, remembered) for message, remembered, *_ in CASES]
    assert len(keys) == len(set(keys))


# --- public API --------------------------------------------------------------


def test_results_are_frozen_dataclasses() -> None:
    result = understand_turn("hi")
    assert isinstance(result, Turn)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.intent = "clear"  # type: ignore[misc]


def test_classification_is_deterministic() -> None:
    first = [understand_turn(m, remembered=r) for m, r, *_ in CASES]
    second = [understand_turn(m, remembered=r) for m, r, *_ in CASES]
    assert first == second


def test_remembered_accepts_any_sequence_of_names() -> None:
    assert understand_turn("is the second one open late?", remembered=list(FOOD)).target_index == 1


@pytest.mark.parametrize("message", ["", "   ", "?!", "...", "\u200b"])
def test_empty_or_punctuation_only_message_is_small_talk(message: str) -> None:
    assert _classify(message, MIXED) == ("small_talk", None, None)


# --- substring traps ---------------------------------------------------------


@pytest.mark.parametrize(
    "word", ["something", "this", "which", "things", "chill", "they", "sushi", "hipster", "shiitake"]
)
def test_words_containing_hi_or_hey_are_not_tokenised_as_greetings(word: str) -> None:
    tokens = tokenize(word)
    assert "hi" not in tokens
    assert "hey" not in tokens


@pytest.mark.parametrize(
    ("message", "remembered", "expected"),
    [
        ("something to eat near campus", (), "new_request"),
        ("this place looks cool, is it open late?", MIXED, "follow_up"),
        ("which one has wifi", STUDY, "follow_up"),
        ("things to do tonight", (), "new_request"),
        ("somewhere chill to study", (), "new_request"),
        ("are they open late?", FOOD, "follow_up"),
        ("sushi", (), "new_request"),
        ("hipster cafes in the village", (), "new_request"),
        ("shiitake ramen", (), "new_request"),
        ("hey, sushi?", (), "new_request"),
    ],
)
def test_substring_traps_are_classified_by_meaning(message: str, remembered: tuple[str, ...], expected: str) -> None:
    assert understand_turn(message, remembered=remembered).intent == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("reset", "clear"),
        ("clear", "clear"),
        ("reset my password", "small_talk"),
        ("clear skies today?", "general_question"),
        ("scratch that, find me tacos", "new_request"),
        ("forget it", "small_talk"),
    ],
)
def test_clear_needs_the_chat_as_its_object(message: str, expected: str) -> None:
    assert understand_turn(message, remembered=FOOD).intent == expected


# --- greetings and requests --------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "hey! where can I get ramen?",
        "hi violet, any good bars around here?",
        "good morning, need coffee asap",
        "yo what's good around here",
        "hello, looking for a quiet study spot",
        "thanks! where should we go for dinner?",
        "heyyy 👋 tacos?",
    ],
)
def test_greeting_followed_by_request_is_new_request(message: str) -> None:
    assert understand_turn(message).intent == "new_request"


@pytest.mark.parametrize(
    "message", ["hi", "hey violet", "hello!!", "heyyyy", "good morning", "thanks!", "ty 🙏", "lol ok", "you're the best"]
)
def test_greeting_alone_is_small_talk(message: str) -> None:
    assert understand_turn(message).intent == "small_talk"
    assert understand_turn(message, remembered=MIXED).intent == "small_talk"


def test_thanks_followed_by_follow_up_is_follow_up() -> None:
    assert _classify("thanks! is the first one open late?", MIXED) == ("follow_up", 0, None)


# --- cards are required for follow-ups and more options ---------------------


@pytest.mark.parametrize(
    ("message", "with_cards"),
    [
        ("more options", "more_options"),
        ("show me others", "more_options"),
        ("anything else?", "more_options"),
        ("is it open late?", "follow_up"),
        ("anything cheaper?", "follow_up"),
        ("how far is it?", "follow_up"),
    ],
)
def test_card_intents_fall_back_to_new_request_without_cards(message: str, with_cards: str) -> None:
    assert understand_turn(message, remembered=MIXED).intent == with_cards
    assert understand_turn(message).intent == "new_request"


# --- ordinals ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "expected_index"),
    [
        ("is the first one open late?", 0),
        ("first one pls", 0),
        ("1st one hours", 0),
        ("the top one", 0),
        ("#2 hours?", 1),
        ("# 2?", 1),
        ("second one", 1),
        ("what about the second?", 1),
        ("2nd one looks good", 1),
        ("number three", 2),
        ("number 3 address", 2),
        ("what about the 3rd", 2),
        ("option 4", 3),
        ("how late is the fifth spot open", 4),
        ("the last one", 5),
        ("last one?", 5),
        ("the last", 5),
        ("frist one hours", 0),
        ("adress of the thrid one?", 2),
    ],
)
def test_ordinal_references_resolve_to_zero_based_index(message: str, expected_index: int) -> None:
    result = understand_turn(message, remembered=MIXED)
    assert result.intent == "follow_up"
    assert result.target_index == expected_index


@pytest.mark.parametrize(
    "message",
    [
        "first time in nyc, where should i eat?",
        "wait a second, is it open?",
        "last night was so loud lol, is it always like that?",
        "is it open for the second half of the day",
    ],
)
def test_ordinal_words_in_ordinary_english_point_at_nothing(message: str) -> None:
    assert understand_turn(message, remembered=MIXED).target_index is None


def test_ordinal_past_the_end_of_the_list_has_no_target() -> None:
    assert _classify("is the seventh one open", MIXED) == ("follow_up", None, None)


def test_two_ordinals_give_no_single_target() -> None:
    assert _classify("whats the difference between the first and second", FOOD) == ("follow_up", None, None)


def test_ordinals_count_in_the_order_the_places_were_shown() -> None:
    shown = ("Devoción", "Joe's Pizza", "Le Bain")
    assert understand_turn("the first one", remembered=shown).target_index == 0
    assert understand_turn("the second one", remembered=shown).target_index == 1
    assert understand_turn("the last one", remembered=shown).target_index == 2


def test_ordinals_without_cards_are_not_targets() -> None:
    result = understand_turn("is the first one open late?")
    assert result.intent == "new_request"
    assert result.target_index is None


# --- names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "remembered", "expected_index"),
    [
        ("devocion hours?", COFFEE, 0),
        ("DEVOCIÓN HOURS", COFFEE, 0),
        ("is Devoción busy", ("Joe's Pizza", "Devocion"), 1),
        ("is joe's open?", FOOD, 0),
        ("is joes open?", FOOD, 0),
        ("is joe open?", FOOD, 0),
        ("tell me more about Joe's", MIXED, 0),
        ("is junior's cheesecake good", FOOD, 1),
        ("katsuie looks amazing, pricey?", FOOD, 2),
        ("devocoin hours", COFFEE, 0),
        ("think coffee hours?", COFFEE, 1),
        ("is the pizza place cash only?", FOOD, 0),
        ("is brooklyn bridge park nice at night", PARKS, 0),
        ("what's the vibe at le bain", NIGHT, 2),
        ("is the second floor of dibner quiet", STUDY, 0),
    ],
)
def test_naming_a_remembered_place_targets_it(message: str, remembered: tuple[str, ...], expected_index: int) -> None:
    result = understand_turn(message, remembered=remembered)
    assert result.intent == "follow_up"
    assert result.target_index == expected_index


@pytest.mark.parametrize(
    ("message", "remembered", "expected"),
    [
        # "dinner" is one edit from "Dibner" but is a real word.
        ("where should we go for dinner", MIXED, "new_request"),
        # Generic words in a name are not the name.
        ("where can I get pizza", FOOD, "new_request"),
        ("anything in brooklyn?", PARKS, "new_request"),
        # "think" alone is ordinary English, not Think Coffee.
        ("i think so", COFFEE, "small_talk"),
    ],
)
def test_ordinary_words_do_not_match_place_names(message: str, remembered: tuple[str, ...], expected: str) -> None:
    result = understand_turn(message, remembered=remembered)
    assert result.intent == expected
    assert result.target_index is None


def test_two_names_give_follow_up_without_single_target() -> None:
    assert _classify("blue bottle or devocion?", COFFEE) == ("follow_up", None, None)


def test_category_word_shared_by_several_cards_is_a_vague_follow_up() -> None:
    assert _classify("is the library open 24/7?", STUDY) == ("follow_up", None, None)


def test_naming_a_card_while_asking_for_similar_places_is_more_options() -> None:
    assert _classify("show me more like blue bottle", COFFEE) == ("more_options", 2, None)


# --- refinements -------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("anything cheaper?", "cheaper"),
        ("less expensive options?", "cheaper"),
        ("more affordable ones pls", "cheaper"),
        ("cheeper ones?", "cheaper"),
        ("anything cheap?", "cheaper"),
        ("anything closer?", "closer"),
        ("which one is nearest", "closer"),
        ("that's too far", "closer"),
        ("anything quieter?", "quieter"),
        ("somewhere less crowded", "quieter"),
        ("too loud, somewhere calmer?", "quieter"),
        ("anything open now?", "open_now"),
        ("which are open rn", "open_now"),
        ("any still open?", "open_now"),
        ("anything better rated?", "better_rated"),
        ("which has the best reviews", "better_rated"),
        ("top rated ones?", "better_rated"),
    ],
)
def test_refinement_is_extracted_from_follow_ups(message: str, expected: str) -> None:
    assert _classify(message, FOOD) == ("follow_up", None, expected)


@pytest.mark.parametrize(
    "message",
    [
        "is Joe's Pizza cheap?",  # a question about one place, not a request to shift the list
        "anything open late?",  # a different time, not "now"
        "is the first one good for studying?",
    ],
)
def test_plain_attribute_questions_carry_no_refinement(message: str) -> None:
    result = understand_turn(message, remembered=FOOD)
    assert result.intent == "follow_up"
    assert result.refinement is None


def test_refinement_and_target_can_come_together() -> None:
    assert _classify("anything less expensive than joe's?", FOOD) == ("follow_up", 0, "cheaper")


def test_first_refinement_mentioned_wins() -> None:
    assert _classify("anything closer and cheaper?", FOOD) == ("follow_up", None, "closer")


def test_refinement_is_kept_on_new_requests_without_cards() -> None:
    assert _classify("what's open now near me") == ("new_request", None, "open_now")
    assert _classify("cheaper sushi?") == ("new_request", None, "cheaper")


def test_plain_adjective_in_a_fresh_request_is_not_a_refinement() -> None:
    assert _classify("somewhere quiet to study") == ("new_request", None, None)
    assert _classify("somewhere quiet to study", FOOD) == ("new_request", None, None)


@pytest.mark.parametrize(
    ("message", "remembered"),
    [(m, r) for m, r, *_ in CASES] + [("start over, the cheaper stuff was bad", FOOD), ("what's the weather at joe's", ())],
)
def test_only_place_seeking_intents_carry_target_or_refinement(message: str, remembered: tuple[str, ...]) -> None:
    result = understand_turn(message, remembered=remembered)
    if result.intent in ("small_talk", "general_question", "clear"):
        assert (result.target_index, result.refinement) == (None, None)


@pytest.mark.parametrize(
    ("message", "about_one"),
    [
        ("how far is it?", True),
        ("is that one open late?", True),
        ("whats the address of this place", True),
        ("how do I get there?", True),
        ("how far are they?", False),
        ("are those open now?", False),
        ("is there a bar nearby?", False),
    ],
)
def test_result_says_whether_the_message_points_back_at_one_place(message: str, about_one: bool) -> None:
    result = understand_turn(message, remembered=FOOD)
    assert result.about_one_place is about_one
    assert result.tokens == tuple(tokenize(message))


# --- Spanish and Chinese -----------------------------------------------------


@pytest.mark.parametrize(
    ("message", "remembered", "expected"),
    [
        ("hola", (), ("small_talk", None, None)),
        ("¡muchas gracias!", FOOD, ("small_talk", None, None)),
        ("你好", (), ("small_talk", None, None)),
        ("谢谢", FOOD, ("small_talk", None, None)),
        ("empezar de nuevo", FOOD, ("clear", None, None)),
        ("borrar todo", (), ("clear", None, None)),
        ("重新开始", FOOD, ("clear", None, None)),
        ("más opciones", FOOD, ("more_options", None, None)),
        ("otro", FOOD, ("more_options", None, None)),
        ("还有吗", FOOD, ("more_options", None, None)),
        ("更多", FOOD, ("more_options", None, None)),
        ("más cerca", FOOD, ("follow_up", None, "closer")),
        ("¿algo más barato?", FOOD, ("follow_up", None, "cheaper")),
        ("abierto ahora", FOOD, ("follow_up", None, "open_now")),
        ("更近", FOOD, ("follow_up", None, "closer")),
        ("有更便宜的吗", FOOD, ("follow_up", None, "cheaper")),
        ("现在开门的", FOOD, ("follow_up", None, "open_now")),
        ("el primero", FOOD, ("follow_up", 0, None)),
        ("¿la segunda está abierta?", FOOD, ("follow_up", 1, None)),
        ("el último", FOOD, ("follow_up", 2, None)),
        ("第一个", FOOD, ("follow_up", 0, None)),
        ("第二家怎么走", FOOD, ("follow_up", 1, None)),
        ("最后一个几点关门", FOOD, ("follow_up", 2, None)),
        ("¿Dónde puedo comer comida china barata?", (), ("new_request", None, None)),
        ("附近有咖啡馆吗", (), ("new_request", None, None)),
        ("附近有咖啡馆吗", FOOD, ("new_request", None, None)),
        ("¿a qué hora cierra?", FOOD, ("follow_up", None, None)),
        ("营业时间", FOOD, ("follow_up", None, None)),
        ("¿quién eres?", (), ("general_question", None, None)),
        ("¿el segundo tiene opciones veganas?", FOOD, ("follow_up", 1, None)),
        ("有清真的吗", FOOD, ("follow_up", None, None)),
    ],
)
def test_spanish_and_chinese_turns(message: str, remembered: tuple[str, ...], expected: tuple) -> None:
    assert _classify(message, remembered) == expected


# --- topics ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("what time does it close", "hours"),
        ("when do they open on sunday?", "hours"),
        ("dibner hours?", "hours"),
        ("is katz still serving rn", "hours"),  # still serving: open
        ("how much is it", "price"),
        ("price range for #1?", "price"),
        ("is it halal", "diet"),
        ("do they have vegan options", "diet"),
        ("where is it", "address"),
        ("what's the address", "address"),
        ("how far is it?", "distance"),
        ("is it close to the subway?", "distance"),
        ("how do I get there", "directions"),
        ("do they take reservations", "reservations"),
        ("is it 21+", "age"),
        ("is comedy cellar 18+?", "age"),
        ("do they card you", "age"),
        ("what's on the menu", "menu"),
        ("does it have wifi", "wifi"),
        ("horario", "hours"),
        ("¿a qué hora cierra?", "hours"),
        ("几点关门", "hours"),
        ("营业时间", "hours"),
        ("¿cuánto cuesta?", "price"),
        ("多少钱", "price"),
        ("¿dónde está?", "address"),
        ("地址", "address"),
        ("¿cómo llego?", "directions"),
        ("怎么走", "directions"),
        ("¿tienen opciones sin gluten?", "diet"),
        ("有清真的吗", "diet"),
        ("reset my password", None),
        ("hi", None),
        ("more options", None),
    ],
)
def test_topic_says_what_is_asked_about_a_place(message: str, topic: str | None) -> None:
    assert understand_turn(message, remembered=NIGHT).topic == topic


@pytest.mark.parametrize(
    ("message", "events"),
    [
        ("any events tonight?", True),
        ("what's on this weekend", True),
        ("anything happening tonight?", True),
        ("concerts near campus", True),
        ("any shows on friday", True),
        ("¿hay conciertos?", True),
        ("这周末有什么活动", True),
        ("what's on the menu", False),
        ("show me others", False),
        ("where can I get sushi", False),
        ("anything at bam this week?", True),  # what's on at a venue
        ("anything at the bell house tonight", True),
        ("anything at dumbo for dinner tonight", False),  # a kind of place asked for
        ("anything at all near bobst", False),  # no time said
        ("im done w class, whats going down tonight by campus", True),  # asks, whatever came before
        ("whats poppin tonight", True),
        ("whats poppin", False),  # a greeting
    ],
)
def test_events_says_whether_the_turn_asks_whats_on(message: str, events: bool) -> None:
    assert understand_turn(message).events is events


# --- when --------------------------------------------------------------------

NY = ZoneInfo("America/New_York")
WEDNESDAY_2PM = datetime(2026, 12, 9, 14, 0, tzinfo=NY)


@pytest.mark.parametrize(
    ("message", "when"),
    [
        ("where can I get sushi", None),
        ("is it open now", When("now")),
        ("anything open rn?", When("now")),
        ("what's fun tonight", When("tonight")),
        ("is it open late?", When("late")),
        ("how late is it open", None),
        ("brunch today?", When("today")),
        ("tmrw?", When("tomorrow")),
        ("things to do this weekend", When("weekend")),
        ("this week", When("this_week")),
        ("are they open on sundays?", When("weekday", 6)),
        ("saturday at 8", When("weekday", 5, 20)),
        ("on friday at 9:30pm", When("weekday", 4, 21, 30)),
        ("tonight at 11", When("tonight", None, 23)),
        ("at 1am", When("today", None, 1)),
        ("at 1 a.m.", When("today", None, 1)),
        ("open at 20:00?", When("today", None, 20)),
        ("need coffee before my 9am", When("today", None, 9)),
        ("esta noche", When("tonight")),
        ("el sábado a las 8", When("weekday", 5, 20)),
        ("fin de semana", When("weekend")),
        ("今晚", When("tonight")),
        ("周末有什么活动", When("weekend")),
        ("星期六晚上8点", When("weekday", 5, 20)),
        ("#2 hours?", None),
        ("is the library open 24/7?", None),
    ],
)
def test_when_is_read_from_the_message(message: str, when: When | None) -> None:
    assert understand_turn(message).when == when


def _ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)


@pytest.mark.parametrize(
    ("when", "at", "window"),
    [
        (When("now"), WEDNESDAY_2PM, (WEDNESDAY_2PM, WEDNESDAY_2PM)),
        (When("tonight"), WEDNESDAY_2PM, (_ny(2026, 12, 9, 17), _ny(2026, 12, 10, 4))),
        (When("tonight"), _ny(2026, 12, 9, 20), (_ny(2026, 12, 9, 20), _ny(2026, 12, 10, 4))),
        (When("late"), WEDNESDAY_2PM, (_ny(2026, 12, 9, 23), _ny(2026, 12, 10, 4))),
        (When("late"), _ny(2026, 12, 10, 1, 30), (_ny(2026, 12, 10, 1, 30), _ny(2026, 12, 10, 4))),
        (When("today"), WEDNESDAY_2PM, (WEDNESDAY_2PM, _ny(2026, 12, 10))),
        (When("tomorrow"), WEDNESDAY_2PM, (_ny(2026, 12, 10), _ny(2026, 12, 11))),
        (When("weekend"), WEDNESDAY_2PM, (_ny(2026, 12, 11, 17), _ny(2026, 12, 14))),
        (When("weekend"), _ny(2026, 12, 12, 10), (_ny(2026, 12, 12, 10), _ny(2026, 12, 14))),
        (When("this_week"), WEDNESDAY_2PM, (WEDNESDAY_2PM, _ny(2026, 12, 14))),
        (When("weekday", 5), WEDNESDAY_2PM, (_ny(2026, 12, 12), _ny(2026, 12, 13))),
        (When("weekday", 2), WEDNESDAY_2PM, (_ny(2026, 12, 9), _ny(2026, 12, 10))),
        (When("weekday", 1), WEDNESDAY_2PM, (_ny(2026, 12, 15), _ny(2026, 12, 16))),
        (When("weekday", 5, 20), WEDNESDAY_2PM, (_ny(2026, 12, 12, 20), _ny(2026, 12, 12, 20))),
        (When("today", None, 1), _ny(2026, 12, 9, 22), (_ny(2026, 12, 10, 1), _ny(2026, 12, 10, 1))),
        (When("tonight", None, 23), WEDNESDAY_2PM, (_ny(2026, 12, 9, 23), _ny(2026, 12, 9, 23))),
        (When("tonight", None, 1), WEDNESDAY_2PM, (_ny(2026, 12, 10, 1), _ny(2026, 12, 10, 1))),
        # A naive moment is New York time; another zone is seen in New York.
        (When("tonight"), datetime(2026, 12, 9, 14), (_ny(2026, 12, 9, 17), _ny(2026, 12, 10, 4))),
        (When("now"), datetime(2026, 12, 9, 19, tzinfo=UTC), (WEDNESDAY_2PM, WEDNESDAY_2PM)),
    ],
)
def test_when_resolves_to_a_window_in_new_york(when: When, at: datetime, window: tuple[datetime, datetime]) -> None:
    start, end = when.resolve(at)
    assert (start, end) == window
    assert start.tzinfo == NY and end.tzinfo == NY
    assert when.instant is (start == end)


def test_when_is_read_and_resolved_from_the_examples() -> None:
    def window(message: str, at: datetime) -> tuple[datetime, datetime]:
        when = understand_turn(message).when
        assert when is not None
        return when.resolve(at)

    assert window("tonight", WEDNESDAY_2PM) == (_ny(2026, 12, 9, 17), _ny(2026, 12, 10, 4))
    assert window("open late?", _ny(2026, 12, 10, 1, 30)) == (_ny(2026, 12, 10, 1, 30), _ny(2026, 12, 10, 4))
    assert window("saturday at 8", WEDNESDAY_2PM) == (_ny(2026, 12, 12, 20),) * 2
    assert window("at 1am", _ny(2026, 12, 9, 22)) == (_ny(2026, 12, 10, 1),) * 2
    assert window("this weekend", WEDNESDAY_2PM) == (_ny(2026, 12, 11, 17), _ny(2026, 12, 14))


@pytest.mark.parametrize(
    ("when", "at", "window"),
    [
        # Clocks go forward at 2:00 on Sunday 2027-03-14: the times stay the wall-clock times asked for.
        (When("tonight"), _ny(2027, 3, 13, 14), (_ny(2027, 3, 13, 17), _ny(2027, 3, 14, 4))),
        (When("weekend"), _ny(2027, 3, 10, 12), (_ny(2027, 3, 12, 17), _ny(2027, 3, 15))),
        (When("tomorrow"), _ny(2027, 3, 13, 12), (_ny(2027, 3, 14), _ny(2027, 3, 15))),
        (When("weekday", 6, 20), _ny(2027, 3, 10, 12), (_ny(2027, 3, 14, 20), _ny(2027, 3, 14, 20))),
        (When("today", None, 8), _ny(2027, 3, 13, 22), (_ny(2027, 3, 14, 8), _ny(2027, 3, 14, 8))),
    ],
)
def test_when_stays_in_local_time_across_daylight_saving(when: When, at: datetime, window: tuple[datetime, datetime]) -> None:
    start, end = when.resolve(at)
    assert (start, end) == window
    assert (start.hour, end.hour) == (window[0].hour, window[1].hour)
    assert start.utcoffset() == window[0].utcoffset()


def test_tonight_lasts_an_hour_less_when_the_clocks_go_forward() -> None:
    start, end = When("tonight").resolve(_ny(2027, 3, 13, 14))
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=10)  # same-zone subtraction is wall-clock


@pytest.mark.parametrize("when", [When("tonight"), When("weekday", 5, 20, 30), When("now")])
def test_a_when_kept_in_memory_comes_back_as_it_was(when):
    assert when_from_memory(when.to_memory()) == when
    assert when_from_memory({"key": 3}) is None and when_from_memory(None) is None


def test_a_word_for_a_kind_of_place_is_never_mended_into_another_word():
    """"latte" is a coffee, not a typo of "late" (which would ask for late nights)."""
    assert tokenize("matcha latte near union sq?") == ["matcha", "latte", "near", "union", "sq"]
    assert understand_turn("matcha latte near union sq?").when is None


@pytest.mark.parametrize("message", ["lol ur up late too huh", "u up?", "you still up lol"])
def test_telling_violet_she_is_up_late_is_small_talk(message: str) -> None:
    assert understand_turn(message).intent == "small_talk"


def test_a_phrase_set_hit_is_whether_it_has_spans():
    from recommendations.turn import _Phrases

    phrases = _Phrases([("clear",), ("clear", "the", "chat"), ("start", "over")])
    for tokens in (["hi"], [], ["pls", "clear", "the", "chat"], ["start"], ["lets", "start", "over", "clear"]):
        assert phrases.hit(tokens) == bool(phrases.spans(tokens))
    assert phrases.spans(["pls", "clear", "the", "chat", "start", "over"]) == [(1, 4), (4, 6)]
    assert phrases.spans(["nothing", "here"]) == []
