"""A follow-up after a list of one card: "it" is that place. With one card on screen, "is it open?"
or "how far is it?" asks about the place shown, not to refine a list (recommendations/understand.py);
with several, the same words are about all of them. From the catalog, no provider keys."""

import pytest

from tests.chat.helpers import chat, names

TANDON = {"latitude": 40.6942, "longitude": -73.9866}
ONLY = "Montero Bar & Grill"  # the only karaoke place in the catalog near Tandon


@pytest.fixture
def one_card(api, catalog) -> dict[str, str]:
    session = {"X-Session-ID": "one-card-0001"}
    first = chat(api, "karaoke near tandon?", headers=session, **TANDON).json()
    assert names(first) == [ONLY]
    return session


@pytest.mark.parametrize(
    ("question", "reply"),
    [
        ("how far is it?", f"{ONLY} is about 15 min away on foot (0.8 mi)."),
        ("走路要多久？", f"{ONLY} is about 15 min away on foot (0.8 mi)."),  # noqa: RUF001
        ("is it open now?", f"I don't have {ONLY}'s hours; the map link will show them."),
        ("what time does it close", f"I don't have {ONLY}'s hours; the map link will show them."),
        ("is it cheap?", f"{ONLY} is $ on a scale of $ to $$$$."),
        ("whats the address", f"{ONLY} is at 73 Atlantic Ave, Brooklyn, NY 11201."),
    ],
)
def test_a_question_after_one_card_is_about_that_place(api, one_card, question, reply):
    body = chat(api, question, headers=one_card, **TANDON).json()

    assert body["intent"] == "follow_up"
    assert names(body) == [ONLY]
    assert body["reply"] == reply


def test_directions_after_one_card_lead_to_that_place(api, one_card):
    body = chat(api, "how do i get there", headers=one_card, **TANDON).json()

    assert names(body) == [ONLY]
    assert body["reply"].startswith(f"{ONLY} is at 73 Atlantic Ave, Brooklyn, NY 11201, about 15 min on foot. Directions: ")


@pytest.mark.parametrize("question", ["any closer?", "is there anything closer?", "are there any closer"])
def test_asking_for_closer_after_one_card_asks_for_other_places_not_its_distance(api, one_card, question):
    """ "Is there anything closer?": "there" is not the place shown (as in "how do I get there"):
    the student wants somewhere nearer than it, and the catalog has none."""
    body = chat(api, question, headers=one_card, **TANDON).json()

    assert body["intent"] == "follow_up"
    assert body["reply"] == f"I don't know anything of that kind less than 15 min away; {ONLY} is the nearest I showed you."
    assert body["places"] == []


def test_with_two_cards_the_same_question_is_about_both(api, catalog):
    session = {"X-Session-ID": "two-cards-001"}
    first = chat(api, "a museum near tandon", headers=session, **TANDON).json()
    assert len(first["places"]) == 2

    body = chat(api, "how far is it?", headers=session, **TANDON).json()

    assert names(body) == names(first)
    assert all(name in body["reply"] for name in names(first))
