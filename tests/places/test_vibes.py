"""Tests for places.vibes: pure Python, no Django or database needed."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from places.vibes import (
    LEXICON,
    VIBES,
    classify_vibe,
    classify_vibe_scores,
    normalize_vibe,
)
from tests.places.vibe_cases import CASES

MIN_ACCURACY = 0.90


# --- the labelled set -------------------------------------------------------


def test_labelled_set_is_large_and_covers_every_vibe() -> None:
    assert len(CASES) >= 170
    counts = Counter(label for _, label in CASES)
    assert set(counts) == set(VIBES)
    assert min(counts.values()) >= 15, counts
    texts = [text for text, _ in CASES]
    assert len(texts) == len(set(texts)), "duplicate cases"


def test_accuracy_over_labelled_set_is_at_least_90_percent() -> None:
    misses = [(t, e, classify_vibe(t)) for t, e in CASES if classify_vibe(t) != e]
    accuracy = 1 - len(misses) / len(CASES)
    print(f"\nvibe accuracy: {accuracy:.1%} ({len(CASES) - len(misses)}/{len(CASES)})")
    for text, expected, got in misses:
        print(f"  expected {expected}, got {got}: {text!r}")
    assert accuracy >= MIN_ACCURACY


def test_every_returned_value_is_a_known_vibe() -> None:
    odd_inputs = [
        "x" * 10_000,
        "123 456",
        "ñandú café crème brûlée",
        "日本語のテキスト",
        "bar " * 500,
        "'''---!!!",
        "not not not",
        "after after after",
    ]
    for text in [t for t, _ in CASES] + odd_inputs:
        assert classify_vibe(text) in VIBES


def test_scores_have_all_nine_vibes_and_are_non_negative() -> None:
    scores = classify_vibe_scores("quiet wine bar, not a club")
    assert list(scores) == list(VIBES)
    assert all(isinstance(s, float) and s >= 0 for s in scores.values())
    assert scores["chill_drinks"] > 0
    assert scores["party"] == 0


def test_vibes_tuple_matches_the_ios_picker() -> None:
    assert VIBES == (
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


def test_every_lexicon_entry_is_reachable() -> None:
    # Guards against phrases that the tokenizer/canonicaliser can never
    # produce (e.g. a plural inside a phrase after runtime singularisation).
    unreachable = [
        (vibe, key) for vibe, entries in LEXICON.items() for key in entries if classify_vibe_scores(key)[vibe] <= 0
    ]
    assert unreachable == []


# --- empty and generic input ------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t  \n", "🤔", "🍕🍺🎉", "👋🏽", "!!!", "...", "?"])
def test_empty_whitespace_and_emoji_only_input_is_generic(text: str) -> None:
    assert classify_vibe(text) == "generic"


def test_none_like_input_does_not_crash() -> None:
    assert classify_vibe("") == "generic"
    assert set(classify_vibe_scores("").values()) == {0.0}


@pytest.mark.parametrize("text", ["hi", "hello!", "what's up", "help me", "thanks!!", "who are you?"])
def test_greetings_and_meta_questions_are_generic(text: str) -> None:
    assert classify_vibe(text) == "generic"


def test_greeting_does_not_override_a_place_signal() -> None:
    assert classify_vibe("hi! any good ramen around here?") == "food_general"
    assert classify_vibe("hey, what's a good bar near tandon") == "chill_drinks"


def test_bored_counts_as_explore() -> None:
    assert classify_vibe("I'm bored") == "explore"
    assert classify_vibe("im so bored, anything to do?") == "explore"


def test_tie_between_vibes_is_generic() -> None:
    scores = classify_vibe_scores("coffee or a drink")
    assert scores["fast_bite"] == scores["chill_drinks"] > 0
    assert classify_vibe("coffee or a drink") == "generic"


def test_a_lone_weak_hint_is_generic() -> None:
    # "chill" and "cheap" are tie-breakers, not enough to pick a vibe alone.
    assert classify_vibe("chill") == "generic"
    assert classify_vibe("something cheap") == "generic"


# --- words, not substrings --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "absent_vibe"),
    [
        ("want to see the little island", "party"),  # "little" is not "lit"
        ("a little cafe to study", "party"),
        ("best barbecue in brooklyn", "chill_drinks"),  # "barbecue" is not "bar"
        ("clubhouse sandwich for lunch", "party"),  # "clubhouse" is not "club"
        ("help with bookkeeping homework", "bookstore"),  # not "book"
        ("sushi", "generic"),  # no "hi" greeting inside "sushi"
        ("this", "generic"),  # no "hi" inside "this"
        ("something", "generic"),
        ("chill", "generic"),
        ("partisan politics", "party"),
        ("parking near campus", "explore"),  # "parking" is not "park"
        ("a notebook for class", "bookstore"),  # "notebook" is not "book"
        ("the barista was nice", "chill_drinks"),  # "barista" is not "bar"
    ],
)
def test_substring_traps_do_not_score(text: str, absent_vibe: str) -> None:
    assert classify_vibe_scores(text)[absent_vibe] == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("best barbecue in brooklyn", "food_general"),
        ("clubhouse sandwich and soup for lunch somewhere cozy", "food_general"),
        ("I need to focus on bookkeeping homework", "study"),
        ("sushi place with a chill vibe", "food_general"),
        ("souvenir shops for my little brother", "shopping"),
        ("need a used copy of a novel for my lit class", "bookstore"),
        ("lit bars with a dj tonight", "party"),
    ],
)
def test_substring_trap_sentences_get_the_right_vibe(text: str, expected: str) -> None:
    assert classify_vibe(text) == expected


@pytest.mark.parametrize(
    "variant",
    ["what's up", "whats up", "what\u2019s up", "WHAT'S UP!!", "What`s up?"],
)
def test_apostrophe_variants_are_equivalent(variant: str) -> None:
    assert classify_vibe_scores(variant) == classify_vibe_scores("whats up")
    assert classify_vibe(variant) == "generic"


def test_case_accents_and_punctuation_are_normalised() -> None:
    assert classify_vibe("ÇAFÉ WITH WI-FI & OUTLETS!!!") == "study"
    assert classify_vibe_scores("café") == classify_vibe_scores("cafe")
    assert classify_vibe("sit-down dinner") == "food_general"


def test_multi_word_phrases_match() -> None:
    assert classify_vibe("happy hour?") == "chill_drinks"
    assert classify_vibe("grab and go") == "fast_bite"
    assert classify_vibe("quiet place please") == "study"
    assert classify_vibe("night out") == "party"
    # A phrase consumes its words: "whole foods" is a store, not a meal.
    assert classify_vibe_scores("whole foods")["food_general"] == 0


def test_plurals_and_elongation_are_folded() -> None:
    assert classify_vibe("clubs") == "party"
    assert classify_vibe("libraries") == "study"
    assert classify_vibe("partyyyy") == "party"
    assert classify_vibe("hiiii") == "generic"


# --- misspellings -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # explicit misspelling table
        ("nice resturant for a date", "food_general"),
        ("need a libary", "study"),
        ("i need a coffe", "fast_bite"),
        ("musuem recs", "explore"),
        ("cheep eats", "fast_bite"),
        ("wanna go shoping", "shopping"),
        # bounded edit-distance matching (not in the table)
        ("restaurent near tandon", "food_general"),
        ("partyy tonight", "party"),
        ("karoke with friends", "party"),
        ("thirft stores", "shopping"),
        ("a good brewry", "chill_drinks"),
        ("bookstor near nyu", "bookstore"),
        ("musuems near nyu", "explore"),
    ],
)
def test_misspellings_are_understood(text: str, expected: str) -> None:
    assert classify_vibe(text) == expected


@pytest.mark.parametrize(
    ("text", "absent_vibe"),
    [
        ("bat", "chill_drinks"),  # short words are never fuzzy-matched ("bar")
        ("I'm quite hungry", "study"),  # "quite" is a word, not "quiet"
        ("I think so", "generic"),  # "think" is not "thank"
        ("that's super nice", "food_general"),  # "super" is not "supper"
        ("a cable for my phone", "study"),  # first letter must match ("table")
        ("the parts that matter", "party"),
        ("tell me a story", "shopping"),  # "story" is not "store"
    ],
)
def test_fuzzy_matching_does_not_capture_real_words(text: str, absent_vibe: str) -> None:
    assert classify_vibe_scores(text)[absent_vibe] == 0


# --- negation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "negated_vibe"),
    [
        ("not a bar", "chill_drinks"),
        ("no clubs", "party"),
        ("I don't want to go clubbing", "party"),
        ("I don\u2019t want a bar", "chill_drinks"),
        ("nothing fancy", "food_general"),
        ("without coffee", "fast_bite"),
        ("never a museum", "explore"),
    ],
)
def test_negation_removes_the_negated_vibe(text: str, negated_vibe: str) -> None:
    assert classify_vibe_scores(text)[negated_vibe] == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chill bar to catch up with a friend, not a club", "chill_drinks"),
        ("no clubs, just a quiet wine bar", "chill_drinks"),
        ("nothing fancy, just a quick slice", "fast_bite"),
        ("hungry for a proper meal, not fast food", "food_general"),
        ("takeout that's fast, not a sit down place", "fast_bite"),
        ("study spot with big tables? not a bar", "study"),
        ("i don't drink alcohol but want the bar vibe", "chill_drinks"),
    ],
)
def test_negated_hint_does_not_flip_the_dominant_vibe(text: str, expected: str) -> None:
    assert classify_vibe(text) == expected


def test_negation_scope_ends_at_clause_boundary_and_contrast_words() -> None:
    assert classify_vibe_scores("not a club, a bar")["chill_drinks"] > 0
    assert classify_vibe_scores("no club but a bar")["chill_drinks"] > 0
    # The window is short: a far-away keyword is not negated.
    far = classify_vibe_scores("no idea at all where i could find a decent museum")
    assert far["explore"] > 0


def test_idioms_with_negators_are_not_negation() -> None:
    assert classify_vibe("not sure where to study") == "study"
    assert classify_vibe("no idea where to get sushi") == "food_general"
    assert classify_vibe("somewhere with no distractions") == "study"


def test_activity_after_after_counts_less() -> None:
    # The student has finished studying; they want the beer.
    assert classify_vibe("after studying all day I want a quiet beer") == "chill_drinks"
    assert classify_vibe("where can I grab a beer after class") == "chill_drinks"


# --- normalize_vibe ---------------------------------------------------------


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


# --- determinism and speed --------------------------------------------------


def test_classification_is_deterministic() -> None:
    first = [classify_vibe(t) for t, _ in CASES]
    second = [classify_vibe(t) for t, _ in reversed(CASES)]
    assert first == list(reversed(second))


def test_classification_is_fast() -> None:
    texts = [t for t, _ in CASES]
    best = float("inf")
    # Best of several rounds, so a noisy CI neighbour does not fail the test.
    for _ in range(5):
        start = time.perf_counter()
        for text in texts:
            classify_vibe(text)
        best = min(best, (time.perf_counter() - start) / len(texts))
    print(f"\nclassify_vibe: {best * 1e6:.1f} µs per call")
    assert best < 0.0002
