"""What the built-in writer says of what is not known (hours, a group's seats, ratings, which card
is described with what was asked) is in Gemini's prompt too, so its reply says it as well (issue 13).

Gemini runs through the real SDK against tests/fakes/gemini_server.py (`fake_gemini`).
"""

from datetime import datetime

import pytest

from tests.chat.helpers import chat
from tests.clock import NEW_YORK
from tests.fakes.gemini_server import FakeGeminiServer

WASHINGTON_SQUARE = {"latitude": 40.7308, "longitude": -73.9973}
TANDON = {"latitude": 40.6942, "longitude": -73.9866}
UNION_SQUARE = {"latitude": 40.7359, "longitude": -73.9911}
SATURDAY_0130 = datetime(2026, 12, 12, 1, 30, tzinfo=NEW_YORK)
FRIDAY_NINE_PM = datetime(2026, 12, 11, 21, 0, tzinfo=NEW_YORK)
SUNDAY_MORNING = datetime(2026, 12, 13, 11, 0, tzinfo=NEW_YORK)


def _prompt(fake_gemini: FakeGeminiServer) -> str:
    return fake_gemini.requests[-1].json["contents"][-1]["parts"][0]["text"]


@pytest.mark.parametrize(
    ("at", "message", "where", "note"),
    [
        (SATURDAY_0130, "hungry af whats open rn near wash sq", WASHINGTON_SQUARE, "I don't have opening hours for these"),
        (SUNDAY_MORNING, "brunch near union sq for 6 ppl", UNION_SQUARE, "For 6 of you, I don't know which can seat a group"),
        (FRIDAY_NINE_PM, "any bar with karaoke?", TANDON, "only Montero Bar & Grill is known for karaoke"),
        (FRIDAY_NINE_PM, "best rated burger around here", WASHINGTON_SQUARE, "I don't have ratings for these"),
    ],
)
def test_the_notes_the_built_in_writer_says_are_in_the_gemini_prompt(api, catalog, clock, fake_gemini, at, message, where, note):
    clock(at)
    fake_gemini.reply_text = "Enjoy!"

    chat(api, message, **where)

    prompt = _prompt(fake_gemini)
    assert note in prompt
    assert prompt.index(note) < prompt.index("PLACES:")


def test_no_event_known_at_the_venue_asked_about_is_in_the_gemini_prompt(api, catalog, clock, fake_gemini, events_synced):
    clock(datetime(2026, 12, 11, 18, 0, tzinfo=NEW_YORK))
    fake_gemini.reply_text = "Enjoy!"

    chat(api, "whats playing at IFC tonight", **WASHINGTON_SQUARE)

    prompt = _prompt(fake_gemini)
    assert 'say plainly "I don\'t know of any events at IFC Center tonight"' in prompt
    assert "- IFC Center:" in prompt


def test_a_walking_limit_no_place_keeps_is_in_the_gemini_prompt(api, catalog, clock, fake_gemini):
    clock(datetime(2026, 12, 9, 12, 0, tzinfo=NEW_YORK))
    fake_gemini.reply_text = "Enjoy!"

    chat(api, "need a sandwich to go, 20 min before lab", **TANDON)

    assert 'say plainly "I don\'t know a deli within a 6-min walk of you"' in _prompt(fake_gemini)


def test_the_pick_and_a_place_beyond_it_are_in_the_gemini_prompt(api, catalog, clock, fake_gemini):
    clock(FRIDAY_NINE_PM)
    fake_gemini.reply_text = "Enjoy!"
    session = {"X-Session-ID": chat(api, "bars near washington square", **WASHINGTON_SQUARE).json()["session_id"]}

    chat(api, "which is cheapest", headers=session, **WASHINGTON_SQUARE)

    picked = [line for line in _prompt(fake_gemini).splitlines() if line.startswith("PICKED: ")]
    assert len(picked) == 1 and "is the cheapest of the places shown before; For less, and not in that list: " in picked[0]


def test_a_cover_asked_about_is_said_unknown_in_the_gemini_prompt(api, catalog, fake_gemini):
    fake_gemini.reply_text = "Enjoy!"

    chat(api, "whats the cover at webster hall", **UNION_SQUARE)

    assert "ASKED ABOUT: a cover charge or entry fee (not known: say you don't know it, then give the price level)" in _prompt(fake_gemini)


def test_a_condition_no_fact_tells_is_said_unknown_in_the_gemini_prompt(api, catalog, fake_gemini):
    fake_gemini.reply_text = "Enjoy!"

    chat(api, "cocktail bar with no wait", **UNION_SQUARE)

    assert "NOT KNOWN, NEVER PROMISE: wait times (asked for: say you don't know them)" in _prompt(fake_gemini)
