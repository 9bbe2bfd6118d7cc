"""The vibe the apps read is derived from what was asked (Request.vibe), and the app's vibe
vocabulary (accounts.vibes): pure Python, no Django or database needed."""

from __future__ import annotations

from collections import Counter

import pytest

from accounts.vibes import VIBES, normalize_vibe
from recommendations.request import understand
from tests.recommendations.vibe_cases import CASES

MIN_ACCURACY = 0.90  # 317/350 (90.6%) when the vocabulary took over from the keyword classifier


def derived_vibe(text: str) -> str:
    return understand(text).vibe or "generic"


# --- the labelled set -------------------------------------------------------


def test_labelled_set_is_large_and_covers_every_vibe() -> None:
    assert len(CASES) >= 170
    counts = Counter(label for _, label in CASES)
    assert set(counts) == set(VIBES)
    assert min(counts.values()) >= 15, counts
    texts = [text for text, _ in CASES]
    assert len(texts) == len(set(texts)), "duplicate cases"


def test_derived_vibe_accuracy_over_labelled_set() -> None:
    misses = [(t, e, derived_vibe(t)) for t, e in CASES if derived_vibe(t) != e]
    accuracy = 1 - len(misses) / len(CASES)
    print(f"\nvibe accuracy: {accuracy:.1%} ({len(CASES) - len(misses)}/{len(CASES)})")
    for text, expected, got in misses:
        print(f"  expected {expected}, got {got}: {text!r}")
    assert accuracy >= MIN_ACCURACY


def test_every_derived_vibe_is_a_known_vibe() -> None:
    odd_inputs = ["x" * 10_000, "123 456", "ñandú café crème brûlée", "日本語のテキスト", "bar " * 500, "'''---!!!", "not not not"]
    for text in [t for t, _ in CASES] + odd_inputs:
        assert derived_vibe(text) in VIBES


@pytest.mark.parametrize("text", ["", "   ", "🤔", "!!!", "hi", "hello!", "thanks!!", "who are you?", "haha ok"])
def test_empty_greetings_and_thanks_have_no_vibe(text: str) -> None:
    assert understand(text).vibe is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("im bored anything fun to do", "explore"),
        ("need new sneakers", "shopping"),
        ("where to go dancing", "party"),
        ("need to cram for finals", "study"),
        ("quick bite before class", "fast_bite"),
        ("any indie book stores in brooklyn", "bookstore"),
        ("cafe with wifi to work on my laptop", "study"),
        ("coffee to go", "fast_bite"),
        ("best pho near campus", "food_general"),
        ("happy hour?", "chill_drinks"),
    ],
)
def test_words_students_use_give_the_vibe(text: str, expected: str) -> None:
    assert derived_vibe(text) == expected


def test_a_specific_want_wins_over_a_generic_one() -> None:
    # "something to do" gives way to the museum; "quick bite" to the pizza.
    assert [want.key for want in understand("anything fun to do? maybe a museum").whats] == ["museum"]
    assert [want.key for want in understand("quick bite, maybe pizza").whats] == ["pizza"]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("my parents are visiting", "gift"),  # "parents" is not "presents"
        ("what's the address", "clothes"),  # not "dress"
        ("no seats left at tandon", "study"),
        ("I'm paying", "going_out"),
    ],
)
def test_everyday_words_are_not_read_as_typos(text: str, absent: str) -> None:
    assert absent not in [want.key for want in understand(text).whats]


# --- the app's vibe vocabulary (accounts.vibes) ---------------------------------


def test_vibes_tuple_matches_the_ios_picker() -> None:
    assert VIBES == ("explore", "study", "food_general", "party", "chill_drinks", "shopping", "fast_bite", "bookstore", "generic")


@pytest.mark.parametrize("vibe", VIBES)
def test_normalize_vibe_accepts_canonical_names(vibe: str) -> None:
    assert normalize_vibe(vibe) == vibe
    assert normalize_vibe(vibe.upper()) == vibe
    assert normalize_vibe(f"  {vibe}  ") == vibe


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Food General", "food_general"),
        ("food-general", "food_general"),
        ("foodGeneral", "food_general"),
        ("chillDrinks", "chill_drinks"),
        ("Chill Drinks", "chill_drinks"),
        ("fast-bite", "fast_bite"),
        ("FastBite", "fast_bite"),
        ("food", "food_general"),
        ("Restaurants", "food_general"),
        ("nightlife", "party"),
        ("Going Out", "party"),
        ("drinks", "chill_drinks"),
        ("happy hour", "chill_drinks"),
        ("books", "bookstore"),
        ("book store", "bookstore"),
        ("quick_bites", "fast_bite"),
        ("quick bites", "fast_bite"),
        ("fast_food", "fast_bite"),
        ("coffee", "fast_bite"),  # bare coffee is a grab-and-go order
        ("cafe", "study"),  # a cafe is where students sit and work
        ("Café", "study"),
        ("library", "study"),
        ("sightseeing", "explore"),
        ("thrift", "shopping"),
        ("any", "generic"),
    ],
)
def test_normalize_vibe_aliases(value: str, expected: str) -> None:
    assert normalize_vibe(value) == expected


@pytest.mark.parametrize("value", [None, "", "   ", "-", "banana", "🎉", "party!!x"])
def test_normalize_vibe_returns_none_for_empty_or_unknown(value: str | None) -> None:
    assert normalize_vibe(value) is None


def test_normalize_vibe_ignores_non_strings() -> None:
    assert normalize_vibe(123) is None  # type: ignore[arg-type]


def test_normalize_vibe_results_are_always_vibes_or_none() -> None:
    for value in ["food", "nightlife", "drinks", "books", "x", "", "Study", "GENERIC"]:
        result = normalize_vibe(value)
        assert result is None or result in VIBES
