"""chat/replies.py on its own: the built-in writer, the Gemini prompt and the guard against
naming places that were not shown. No database, no network."""

from dataclasses import replace

import pytest

from chat import replies
from chat.replies import reply_repair, unknown_places_named
from recommendations import understand as intents
from recommendations.answers import Answer


def builtin_reply(*, intent, vibe, cards, message, weather, seed="", target=None, refinement=None, found=None, shown=()):
    """The built-in writer for `message` read as `intent` (and `refinement`), answered by `cards`."""
    understood = replace(intents.understand(message), intent=intent, vibe=vibe, refinement=refinement)
    answer = Answer(list(cards), found=found, target=target)
    return replies.builtin_reply(understood=understood, answer=answer, message=message, weather=weather, seed=seed, shown=shown)


def gemini_prompt(*, intent, **kwargs):
    return replies.gemini_prompt(understood=intents.Understood(intent, "generic"), **kwargs)


def _card(name: str, **facts: object) -> dict:
    card = {
        "name": name,
        "address": f"1 {name} Street, Brooklyn, NY 11201",
        "walk_time": "6 min",
        "distance": "0.3 mi",
        "rating": 4.5,
        "price_level": 1,
        "open_now": True,
    }
    card.update(facts)
    return card


CARDS = [
    _card("Fascati Pizzeria", walk_time="4 min", distance="0.2 mi", price_level=1, open_now=True, hours_text="usually open until 23:00"),
    _card(
        "Junior's Restaurant", walk_time="8 min", distance="0.4 mi", price_level=2, open_now=False,
        hours_text="closed now, usually opens at 07:00",
    ),
    _card("DeKalb Market Hall", walk_time="12 min", distance="0.6 mi", price_level=None, open_now=None, hours_text=None),
]  # fmt: skip
WEATHER = {"temp_f": 61.6, "desc": "light rain", "main": "Rain"}


def _opener(reply: str) -> str:
    return reply.split(":", 1)[0]


# --- builtin_reply: variety -------------------------------------------------------------------------------
@pytest.mark.parametrize("intent", [intents.NEW_REQUEST, intents.MORE_OPTIONS])
def test_builtin_reply_varies_its_opener_across_seeds(intent):
    replies = [
        builtin_reply(intent=intent, vibe="fast_bite", cards=CARDS, message="pizza?", weather=None, seed=f"session{n}")
        for n in range(10)
    ]

    assert len({_opener(reply) for reply in replies}) >= 2
    assert all(all(card["name"] in reply for card in CARDS) for reply in replies)


def test_builtin_small_talk_varies_across_seeds():
    replies = {builtin_reply(intent=intents.SMALL_TALK, vibe="generic", cards=[], message="hi", weather=None, seed=str(n)) for n in range(10)}

    assert len(replies) >= 2


def test_builtin_reply_is_the_same_for_the_same_seed_and_message():
    kwargs = {"intent": intents.NEW_REQUEST, "vibe": "study", "cards": CARDS, "message": "study spot", "weather": WEATHER}

    assert builtin_reply(**kwargs, seed="abc1") == builtin_reply(**kwargs, seed="abc1")


def test_builtin_new_request_names_the_vibe_and_the_card_facts():
    reply = builtin_reply(intent=intents.NEW_REQUEST, vibe="fast_bite", cards=CARDS[:1], message="slice", weather=None, seed="s")

    assert "a quick bite" in reply
    assert "Fascati Pizzeria (4 min walk, rated 4.5, $, usually open until 23:00)" in reply


def test_builtin_reply_mentions_the_weather_for_some_seeds_only():
    replies = [
        builtin_reply(intent=intents.NEW_REQUEST, vibe="study", cards=CARDS, message="study", weather=WEATHER, seed=str(n))
        for n in range(20)
    ]

    with_weather = [reply for reply in replies if "62°F with light rain" in reply]
    assert 0 < len(with_weather) < len(replies)


@pytest.mark.parametrize(
    ("refinement", "opener"),
    [
        ("cheaper", "Going easier on the wallet:"),
        ("closer", "Closer by:"),
        ("open_now", "I don't know the hours of every place here, so check before you go. Nearby:"),  # one is closed, one unknown
        ("better_rated", "The best rated nearby:"),
        ("quieter", "I don't know how loud these get, so I can't promise calmer. Nearby:"),  # none is tagged quiet
    ],
)
def test_builtin_refinement_reply_says_what_changed(refinement, opener):
    reply = builtin_reply(
        intent=intents.FOLLOW_UP, vibe="fast_bite", cards=CARDS, message="anything else?", weather=None, refinement=refinement
    )

    assert reply.startswith(opener)
    assert all(card["name"] in reply for card in CARDS)


def test_calmer_is_said_only_of_places_known_to_be_quiet():
    quiet = [{**card, "tags": ["quiet"]} for card in CARDS]
    reply = builtin_reply(intent=intents.FOLLOW_UP, vibe="study", cards=quiet, message="quieter?", weather=None, refinement="quieter")

    assert reply.startswith("Somewhere calmer:")


@pytest.mark.parametrize(
    ("intent", "refinement"),
    [(intents.NEW_REQUEST, None), (intents.MORE_OPTIONS, None), (intents.FOLLOW_UP, None), (intents.FOLLOW_UP, "cheaper")],
)
@pytest.mark.parametrize("seed", ["x", "y", "z"])
def test_builtin_reply_without_cards_names_no_place(intent, refinement, seed):
    """Even when the student names a place, a reply with no cards names none (not even that one)."""
    message = f"anything like {CARDS[0]['name']} or {CARDS[1]['name']}?"

    reply = builtin_reply(
        intent=intent, vibe="party", cards=[], message=message, weather=WEATHER, refinement=refinement, seed=seed
    )

    assert reply.strip()
    assert unknown_places_named(reply, allowed=[], known=[card["name"] for card in CARDS]) == []


def test_builtin_clear_reply_is_a_fresh_start():
    reply = builtin_reply(intent=intents.CLEAR, vibe="generic", cards=[], message="start over", weather=None)

    assert reply in ("Fresh start! What are you in the mood for?", "All cleared. What can I find for you?")


def test_builtin_thanks_is_answered_as_thanks():
    reply = builtin_reply(intent=intents.SMALL_TALK, vibe="generic", cards=[], message="thanks!!", weather=None)

    assert reply in ("Anytime! Enjoy.", "You're welcome, have fun!", "Glad I could help!")


def test_builtin_weather_question_uses_the_weather():
    reply = builtin_reply(intent=intents.GENERAL_QUESTION, vibe="generic", cards=[], message="is it cold out?", weather=WEATHER)

    assert reply == "Right now it's 62°F with light rain."


@pytest.mark.parametrize(
    ("refinement", "cards", "opener"),
    [
        ("open_now", [CARDS[0], _card("Joe's Pizza", open_now=True, hours_text="open until 04:00")], "Open right now:"),
        ("better_rated", [_card("Fascati Pizzeria", rating=None), CARDS[1]], "I don't have ratings for these"),
    ],
)
def test_open_now_and_best_rated_are_said_only_when_every_card_shows_it(refinement, cards, opener):
    reply = builtin_reply(intent=intents.FOLLOW_UP, vibe="fast_bite", cards=cards, message="more", weather=None, refinement=refinement)

    assert reply.startswith(opener)


def test_a_place_that_is_open_says_until_when_as_its_hours_do():
    reply = builtin_reply(intent=intents.NEW_REQUEST, vibe="fast_bite", cards=CARDS[:1], message="pizza", weather=None)

    assert "Fascati Pizzeria (4 min walk, rated 4.5, $, usually open until 23:00)" in reply


# --- builtin_reply: follow-ups use the card's facts -------------------------------------------------------
def _follow_up(message: str, card: dict) -> str:
    return builtin_reply(intent=intents.FOLLOW_UP, vibe="fast_bite", cards=[card], message=message, weather=None, target=card)


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        (CARDS[0], "Fascati Pizzeria: usually open until 23:00."),
        (CARDS[1], "Junior's Restaurant: closed now, usually opens at 07:00."),
        (CARDS[2], "I don't have DeKalb Market Hall's hours; the map link will show them."),
    ],
)
def test_follow_up_about_opening_uses_open_now(card, expected):
    assert _follow_up("is it open late?", card) == expected


def test_follow_up_about_distance_uses_walk_time_and_distance():
    assert _follow_up("how far is it?", CARDS[1]) == "Junior's Restaurant is about 8 min away on foot (0.4 mi)."


def test_a_diet_word_in_the_name_does_not_turn_how_far_into_a_diet_answer():
    card = _card("The Halal Guys", walk_time="5 min", distance="0.2 mi", tags=["halal"])

    assert _follow_up("how far is halal guys from me", card) == "The Halal Guys is about 5 min away on foot (0.2 mi)."
    assert _follow_up("is it halal", card).startswith("Yes: ")


def test_follow_up_about_distance_without_a_walk_time_gives_the_address():
    card = _card("Sahadi's", walk_time=None)

    assert _follow_up("how far is it?", card) == f"Sahadi's is at {card['address']}."


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        (CARDS[0], "Fascati Pizzeria is $ on a scale of $ to $$$$."),
        (CARDS[1], "Junior's Restaurant is $$ on a scale of $ to $$$$."),
        (CARDS[2], "I don't know DeKalb Market Hall's prices."),
        (_card("Brooklyn Bridge Park", price_level=0), "Brooklyn Bridge Park is free on a scale of $ to $$$$."),
    ],
)
def test_follow_up_about_price_uses_price_level(card, expected):
    assert _follow_up("is it expensive?", card) == expected


def test_follow_up_about_the_address_gives_the_address():
    assert _follow_up("where is it located?", CARDS[0]) == f"Fascati Pizzeria is at {CARDS[0]['address']}."


def test_follow_up_without_a_target_answers_for_each_card():
    reply = builtin_reply(intent=intents.FOLLOW_UP, vibe="fast_bite", cards=CARDS, message="how far are they?", weather=None)

    assert reply == (
        "Fascati Pizzeria is about 4 min away on foot (0.2 mi). "
        "Junior's Restaurant is about 8 min away on foot (0.4 mi). "
        "DeKalb Market Hall is about 12 min away on foot (0.6 mi)."
    )


def test_follow_up_with_a_target_names_only_the_target():
    reply = builtin_reply(
        intent=intents.FOLLOW_UP, vibe="fast_bite", cards=[CARDS[1]], message="tell me more", weather=None, target=CARDS[1]
    )

    assert reply.startswith("Junior's Restaurant: ")
    assert CARDS[1]["address"] in reply
    assert "Fascati" not in reply and "DeKalb" not in reply


# --- Gemini prompt ----------------------------------------------------------------------------------------
def test_gemini_prompt_lists_the_cards_with_their_facts_weather_and_message():
    prompt = gemini_prompt(message="pizza near me?", cards=CARDS[:2], weather=WEATHER, intent=intents.NEW_REQUEST)

    assert prompt.splitlines() == [
        "INTENT: new_request",
        "PLACES:",
        f"- Fascati Pizzeria: {CARDS[0]['address']}; 4 min walk, rated 4.5, $, usually open until 23:00",
        f"- Junior's Restaurant: {CARDS[1]['address']}; 8 min walk, rated 4.5, $$",
        "WEATHER: 62F, light rain",
        "STUDENT: pizza near me?",
    ]


def test_gemini_prompt_without_cards_says_none():
    prompt = gemini_prompt(message="hi", cards=[], weather=None, intent=intents.SMALL_TALK)

    assert "PLACES:\n(none)" in prompt
    assert "WEATHER" not in prompt


def test_gemini_prompt_says_the_event_listings_are_missing_rather_than_that_nothing_is_on():
    from recommendations.retrieve import Found

    for why, said in (
        ("not_synced", "I don't have the event listings yet, so I can't tell you about events tonight"),
        ("sources_unreachable", "I couldn't reach the event listings, so I can't tell you about events tonight"),
    ):
        found = Found(CARDS[:1], exact=False, label="events tonight", where="you", why=why)

        prompt = gemini_prompt(message="what's on tonight?", cards=CARDS[:1], weather=None, intent=intents.NEW_REQUEST, found=found)

        assert f'NO EVENT LISTINGS: say plainly "{said}" (not that nothing is on); the places are only alternatives' in prompt
        assert "NONE MATCHES" not in prompt


# --- The guard: unknown_places_named ----------------------------------------------------------------------
KNOWN = ["Devoción", "Joe's Pizza", "Junior's Restaurant", "Fascati Pizzeria", "Bar", "Sahadi's"]


@pytest.mark.parametrize(
    "reply",
    [
        "Try Devoción for coffee.",
        "Try DEVOCION for coffee.",
        "try devocion!",
        "Devoción, then home.",
        "Try Devocio\u0301n (decomposed accent).",
    ],
)
def test_unknown_places_are_found_whatever_the_case_and_accents(reply):
    assert unknown_places_named(reply, allowed=["Fascati Pizzeria"], known=KNOWN) == ["Devoción"]


@pytest.mark.parametrize("reply", ["Joe's Pizza is great", "Joe\u2019s Pizza is great", "joe\u2018s pizza!!", "JOES PIZZA, 5 min"])
def test_apostrophes_straight_or_typographic_do_not_hide_a_name(reply):
    assert unknown_places_named(reply, allowed=[], known=KNOWN) == ["Joe's Pizza"]


def test_an_allowed_name_written_with_a_typographic_apostrophe_is_still_allowed():
    reply = "Junior\u2019s Restaurant is 8 min away. Devoción is nice too."

    assert unknown_places_named(reply, allowed=["Junior's Restaurant"], known=KNOWN) == ["Devoción"]
    assert reply_repair(reply, allowed=["Junior's Restaurant"], known=KNOWN) == "Junior\u2019s Restaurant is 8 min away."


def test_allowed_names_are_not_reported():
    reply = "Fascati Pizzeria or Junior's Restaurant, both close."

    assert unknown_places_named(reply, allowed=["Fascati Pizzeria", "junior's restaurant"], known=KNOWN) == []


def test_allowed_names_match_whatever_their_accents():
    assert unknown_places_named("Devoción is lovely", allowed=["DEVOCION"], known=KNOWN) == []


def test_names_are_matched_as_whole_words_only():
    assert unknown_places_named("The Sahadisson twins run Devocionals.", allowed=[], known=KNOWN) == []


def test_very_short_names_are_not_matched():
    assert unknown_places_named("Grab a drink at the bar.", allowed=[], known=KNOWN) == []


def test_every_unknown_place_is_reported():
    reply = "Devoción for coffee, then Sahadi's for snacks and Fascati Pizzeria."

    assert unknown_places_named(reply, allowed=["Fascati Pizzeria"], known=KNOWN) == ["Devoción", "Sahadi's"]


# --- The guard: reply_repair ------------------------------------------------------------------------------
def test_repair_keeps_a_reply_that_names_only_allowed_places():
    reply = "Fascati Pizzeria is 4 min away. Enjoy!"

    assert reply_repair(reply, allowed=["Fascati Pizzeria"], known=KNOWN) == reply


def test_repair_keeps_a_reply_that_names_no_place():
    assert reply_repair("Hi! What are you craving?", allowed=[], known=KNOWN) == "Hi! What are you craving?"


def test_repair_drops_only_the_sentences_naming_unknown_places():
    reply = "Fascati Pizzeria is 4 min away! Devoción has great coffee. It's cheap too? Or try Sahadi's."

    repaired = reply_repair(reply, allowed=["Fascati Pizzeria"], known=KNOWN)

    assert repaired == "Fascati Pizzeria is 4 min away! It's cheap too?"


def test_repair_returns_none_when_every_sentence_names_an_unknown_place():
    assert reply_repair("Devoción is great. So is Sahadi's.", allowed=["Fascati Pizzeria"], known=KNOWN) is None


def test_repair_returns_none_when_what_is_left_names_no_allowed_place():
    reply = "Devoción is a short walk. It has great coffee."

    assert reply_repair(reply, allowed=["Fascati Pizzeria"], known=KNOWN) is None


def test_repair_accepts_an_allowed_name_whatever_its_case():
    reply = "FASCATI PIZZERIA is close. Devoción too."

    assert reply_repair(reply, allowed=["Fascati Pizzeria"], known=KNOWN) == "FASCATI PIZZERIA is close."


def test_gemini_is_asked_to_answer_in_the_students_language():
    assert "language the student writes in" in replies.SYSTEM_INSTRUCTION


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("cafe open right now near me", "I don't have opening hours for these"),
        ("best rated burger around here", "I don't have ratings for these"),
    ],
)
def test_a_new_list_asked_open_now_or_best_rated_says_first_what_is_unknown(message, said):
    unknown = [_card(card["name"], open_now=None, rating=None) for card in CARDS]

    reply = builtin_reply(intent=intents.NEW_REQUEST, vibe="fast_bite", cards=unknown, message=message, weather=None)

    assert reply.startswith(said)
    assert all(card["name"] in reply for card in unknown)
    assert "open right now" not in reply and "best rated" not in reply  # no promise, even in passing


def test_a_new_list_of_places_known_open_needs_no_word_on_hours():
    reply = builtin_reply(intent=intents.NEW_REQUEST, vibe="fast_bite", cards=CARDS[:1], message="pizza open now", weather=None)

    assert "I don't have the hours" not in reply


def test_a_position_past_the_list_says_how_many_were_shown():
    understood = replace(intents.understand("the second one, how far?"), intent=intents.FOLLOW_UP, past_end=1, topic="distance")
    answer = Answer([CARDS[0]], target=CARDS[0])

    reply = replies.builtin_reply(understood=understood, answer=answer, message="the second one, how far?", weather=None)

    assert reply.startswith("I only showed you one place.") and "Fascati Pizzeria" in reply


def test_gemini_prompt_says_a_start_it_cannot_place_is_not_where_the_walk_is_from():
    understood = intents.Understood(intents.FOLLOW_UP, "explore", topic="directions", start_unknown=True)

    prompt = replies.gemini_prompt(message="directions from the park pls", cards=CARDS[:1], weather=None, understood=understood)

    assert "START UNKNOWN: the walk and the link are from where the student is, not from the start they named; say so" in prompt


def test_gemini_prompt_says_walks_re_measured_from_the_student_after_a_list_for_another_area():
    understood = intents.Understood(intents.FOLLOW_UP, "food", topic="distance")
    answer = Answer(CARDS[:2], from_student=True)

    prompt = replies.gemini_prompt(message="how long would it take me to walk there", cards=CARDS[:2], weather=None, understood=understood, answer=answer)

    assert "WALKS MEASURED FROM: where the student is" in prompt


def test_the_model_is_told_a_student_venting_asked_for_nothing():
    understood = intents.Understood(intents.SMALL_TALK, "generic", venting=True)

    prompt = replies.gemini_prompt(message="finals r killing me", cards=[], weather=None, understood=understood)

    assert "VENTING" in prompt and "offer" in prompt


def test_alternatives_described_loosely_are_said_without_failing():
    """A thing asked with a typo ("poutin") matches a description one typo off: the note about it must
    not look for the exact word and fail the turn."""
    from recommendations.request import Request, asked_for

    understood = replace(intents.understand("poutin"), request=Request(whats=(asked_for("poutin"),)))
    card = _card("Mile End Delicatessen", description="Montreal-style deli for smoked meat sandwiches and poutine.")

    assert replies._described_alternatives(understood, [card], "where can i get poutin") == ""


@pytest.mark.parametrize("pick", ["cheaper", "closer"])
def test_no_place_is_called_cheapest_or_closest_while_another_shown_is_unknown(pick):
    from recommendations.answers import _picked

    key = "price_level" if pick == "cheaper" else "walk_minutes"
    shown = [_card("A", **{key: 1}), _card("B", **{key: None}), _card("C", **{key: 2})]

    assert _picked(pick, shown) is None


def test_a_tie_for_the_cheapest_names_only_the_tied_places():
    shown = [_card("A", price_level=1), _card("B", price_level=1), _card("C", price_level=3)]

    said = replies._no_pick("cheaper", shown)

    assert said.startswith("As far as I know A and B are the same price level") and "C" not in said  # not all three
    assert replies._no_pick("cheaper", [_card("A", price_level=1), _card("B", price_level=None)]) == "I don't know which of these is cheapest."
    assert replies._no_pick("cheaper", shown[:2]) == "As far as I know these are the same price level:"


@pytest.mark.parametrize(
    ("label", "plural"),
    [("coffee shop", "coffee shops"), ("place to eat", "places to eat"), ("place for a drink", "places for a drink"),
     ("bar with darts", "bars with darts"), ("bar or pub", "bars or pubs"), ("bakery", "bakeries")],
)  # fmt: skip
def test_a_kind_said_in_the_plural_puts_its_noun_in_the_plural(label, plural):
    assert replies._plural(label) == plural
