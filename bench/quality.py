"""Scores Violet's answers on the labelled student conversations of bench/quality/turns.jsonl.

    .venv/bin/python bench/quality.py [--base-url http://127.0.0.1:8000] [--split heldout|tune|dev|dev2|...|dev17] [-v]

Plays each conversation against a running service (POST /api/chat, one anonymous session per
conversation, the conversation's origin and instant as `latitude`/`longitude`/`at`) and checks every
turn against its machine-checkable expectations (bench/quality/README.md). A turn is fully right
when every expectation holds and the reply makes no claim its cards do not support. Run the server
with RATELIMIT_ENABLE=false (the chat allows 10 turns a minute per address); a 429 is waited out.

Prints, per split: turns fully right, the share, false claims, and which expectations fail most;
then the latency of the turns as this client saw them (one at a time: an upper bound of the
service's own time, and only as good as the server it was run against).
Never tune on the heldout split: report its figure. The default (`all`) plays tune and heldout, the
two parts the figures in docs/BENCHMARKS.md are for; the later `dev` to `dev17` parts run only when asked for.
"""

import argparse
import json
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

TURNS = Path(__file__).resolve().parent / "quality" / "turns.jsonl"
AREAS = {  # the middle of each named area
    "washington_square": (40.7308, -73.9973),
    "bobst": (40.7295, -73.9972),
    "union_square": (40.7359, -73.9911),
    "east_village": (40.7265, -73.9815),
    "greenwich_village": (40.7336, -74.0027),
    "dumbo": (40.7033, -73.9881),
    "brooklyn_heights": (40.6960, -73.9950),
    "fort_greene": (40.6892, -73.9742),
    "boerum_hill": (40.6848, -73.9845),
    "downtown_brooklyn": (40.6922, -73.9850),
    "metrotech": (40.6942, -73.9866),
}
DISTANCE_LIMIT_MINUTES = 20
OPEN_CLAIM = re.compile(r"(?<!usually )\bopen (now|right now|until|24 hours|late)\b|\bstill open\b", re.I)
RATED_CLAIM = re.compile(r"\b(best|highest|top)[- ]rated\b|\brated \d", re.I)
DONT_KNOW = re.compile(
    r"\b(don'?t|do not|didn'?t) (know|have|find|see)\b|\bcouldn'?t find\b|\bcould not find\b|\bno (\w+ ){0,3}(near|around|in|nearby|that)\b|\bnothing\b|\bnone\b",
    re.I,
)
ALTERNATIVE = re.compile(r"\b(instead|alternative|alternatives|closest thing|nearest thing|other options?|might (also )?like|could try)\b", re.I)
# Saying there are none, or that the listings are not known (never synced, or unreachable: the
# events screens and Violet say which), both claim no event.
NO_EVENTS = re.compile(
    r"\bno (\w+ )?events?\b|\bnothing (on|happening|scheduled)\b|\b(don'?t|do not) (know|have|see) (of )?any events?\b"
    r"|\b(don'?t|do not) have the event listings\b|\bcould(n'?t| not) reach the event listings\b",
    re.I,
)


def meters(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lat2 = math.radians(a[0]), math.radians(b[0])
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


@dataclass
class Turn:
    conversation: str
    split: str
    index: int
    message: str
    expect: dict[str, Any]
    reply: str = ""
    seconds: float = 0.0
    cards: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    false_claims: list[str] = field(default_factory=list)

    @property
    def right(self) -> bool:
        return not self.failures and not self.false_claims


# --- Checks: each returns a failure message, or None --------------------------------------------------------
def _place_cards(turn: Turn) -> list[dict[str, Any]]:
    return [card for card in turn.cards if card.get("type") == "place"]


def _every_card(turn: Turn, what: str, ok: Callable[[dict[str, Any]], bool]) -> str | None:
    cards = _place_cards(turn)
    said_none = turn.expect.get("refinement") and ("already" in turn.reply.lower() or DONT_KNOW.search(turn.reply))
    if not cards:  # fine when nothing matches, or when no place keeps a refinement and the reply says so
        return None if turn.expect.get("none_expected") or said_none else f"{what}: no place cards"
    if turn.expect.get("none_expected"):
        return None  # alternatives are allowed to differ
    wrong = [card["name"] for card in cards if not ok(card)]
    return f"{what}: {', '.join(wrong)}" if wrong else None


def check_kinds(turn: Turn, wanted: list[str], _previous: Turn | None) -> str | None:
    return _every_card(turn, "kind", lambda card: bool(set(card.get("types") or []) & set(wanted)))


def check_cuisine(turn: Turn, wanted: list[str], _previous: Turn | None) -> str | None:
    return _every_card(turn, "cuisine", lambda card: bool(set(card.get("cuisine") or []) & set(wanted)))


def check_tags(turn: Turn, wanted: list[str], _previous: Turn | None) -> str | None:
    return _every_card(turn, "tags", lambda card: set(wanted) <= set(card.get("tags") or []))


def check_area(turn: Turn, area: dict[str, Any], _previous: Turn | None) -> str | None:
    center, limit = AREAS[area["name"]], area.get("max_m", 1500)

    def near(card: dict[str, Any]) -> bool:
        where = card.get("location")
        return bool(where) and meters(center, (where["lat"], where["lng"])) <= limit

    return _every_card(turn, f"area {area['name']}", near)


def check_events(turn: Turn, wanted: bool, _previous: Turn | None) -> str | None:
    if not wanted:
        return None
    events = [card for card in turn.cards if card.get("type") == "event"]
    if not events:
        return None if NO_EVENTS.search(turn.reply) else "events: none shown and the reply does not say there are none"
    window = turn.expect.get("window")
    if window:
        start, end = (datetime.fromisoformat(value) for value in window)

        def overlaps(card: dict[str, Any]) -> bool:  # on at some point in the window
            began = datetime.fromisoformat(card["start"])
            ends = datetime.fromisoformat(card["end"]) if card.get("end") else began
            return began < end and ends >= start

        outside = [card["name"] for card in events if not overlaps(card)]
        if outside:
            return f"events outside the window: {', '.join(outside)}"
    if len(events) < len(turn.cards) and not ALTERNATIVE.search(turn.reply) and not NO_EVENTS.search(turn.reply):
        return "events: places mixed in without saying so"
    return None


def check_none(turn: Turn, expected: bool, _previous: Turn | None) -> str | None:
    if not expected:
        return None
    if not DONT_KNOW.search(turn.reply):
        return "nothing matches, but the reply does not say so"
    if _place_cards(turn) and not ALTERNATIVE.search(turn.reply):
        return "nothing matches, and the cards are not labelled as alternatives"
    return None


def _about(turn: Turn, previous: Turn | None) -> dict[str, Any] | None:
    """The card the turn asks about: the named place, or card_index of the last list shown."""
    name = turn.expect.get("place")
    for card in [*turn.cards, *(previous.cards if previous else [])]:
        if name and card.get("name") == name:
            return card
    index = turn.expect.get("card_index")
    if index is not None and previous and index < len(previous.cards):
        return previous.cards[index]
    return None


def _name_said(name: str, reply: str) -> bool:
    core = re.sub(r"\s*\(.*?\)|^the\s+", "", name, flags=re.I).split(" \N{EN DASH} ")[0]
    words = [word for word in re.findall(r"[\w']+", core.lower()) if len(word) > 2][:2]
    return core.lower() in reply.lower() or (bool(words) and all(word in reply.lower() for word in words))


def check_place(turn: Turn, name: str, _previous: Turn | None) -> str | None:
    if not _name_said(name, turn.reply):
        return f"place: the reply is not about {name}"
    cards = turn.cards
    if cards and cards[0].get("name") != name:
        return f"place: the first card is {cards[0].get('name')}, not {name}"
    return None


ANSWERS = {
    "hours": lambda card, reply: bool(card.get("hours_text") and card["hours_text"].split(",")[0] in reply) or bool(DONT_KNOW.search(reply)),
    "price": lambda card, reply: bool(re.search(r"\$|\bfree\b|\bcheap\b|\bpric", reply, re.I)) or bool(DONT_KNOW.search(reply)),
    "diet": lambda card, reply: bool(re.search(r"halal|kosher|vegan|vegetarian|gluten", reply, re.I)) or bool(DONT_KNOW.search(reply)),
    "address": lambda card, reply: card.get("address", "").split(",")[0].lower() in reply.lower(),
    "distance": lambda card, reply: bool(re.search(r"\d+\s*min|\d(\.\d)?\s*mi\b", reply)),
    "directions": lambda card, reply: bool(re.search(r"https?://|direction|walk|head", reply, re.I)),
    "reservations": lambda card, reply: bool(re.search(r"reserv|walk-in|book", reply, re.I)) or bool(DONT_KNOW.search(reply)),
    "21_plus": lambda card, reply: bool(re.search(r"21\+?|\bID\b|\bage\b", reply)) or bool(DONT_KNOW.search(reply)),
}


def check_asks(turn: Turn, what: str, previous: Turn | None) -> str | None:
    card = _about(turn, previous)
    if card is None:
        return f"asks {what}: the place asked about is not in the answer"
    if not _name_said(card["name"], turn.reply) and what not in ("distance", "directions"):
        return f"asks {what}: the reply does not name {card['name']}"
    return None if ANSWERS[what](card, turn.reply) else f"asks {what}: not answered"


def _walks(cards: list[dict[str, Any]]) -> list[int]:
    return [card["walk_minutes"] for card in cards if card.get("walk_minutes") is not None]


def _prices(cards: list[dict[str, Any]]) -> list[int]:
    return [card["price_level"] for card in cards if card.get("price_level") is not None]


def check_refinement(turn: Turn, what: str, previous: Turn | None) -> str | None:
    before, now = (previous.cards if previous else []), turn.cards
    seen = {card.get("place_id") for card in before}
    if what == "closer":
        if now and _walks(before) and _walks(now) and min(_walks(now)) >= min(_walks(before)) and not DONT_KNOW.search(turn.reply):
            return "closer: not closer than the nearest already shown"
    elif what == "cheaper":
        if now and _prices(before) and any(price >= min(_prices(before)) for price in _prices(now)) and not DONT_KNOW.search(turn.reply):
            return "cheaper: not cheaper than what was shown"
    elif what == "more":
        repeated = [card["name"] for card in now if card.get("place_id") in seen]
        far = [card["name"] for card in now if (card.get("walk_minutes") or 0) > DISTANCE_LIMIT_MINUTES]
        if repeated or far or not now:
            return f"more: repeated {repeated}, beyond {DISTANCE_LIMIT_MINUTES} min {far}" if now else "more: nothing new"
    elif what == "open_now":
        if any(card.get("open_now") is not True for card in now) and not DONT_KNOW.search(turn.reply):
            return "open_now: a card not known to be open, and no word that it is unknown"
    elif what == "better_rated":
        if any(card.get("rating") is None for card in now) and not DONT_KNOW.search(turn.reply):
            return "better_rated: unrated cards, and no word that ratings are unknown"
    elif what == "quieter" and any(card.get("place_id") in seen for card in now):
        return "quieter: the same places again"
    return None


def check_no_cards(turn: Turn, expected: bool, _previous: Turn | None) -> str | None:
    return "small talk got place cards" if expected and _place_cards(turn) else None


CHECKS: dict[str, Callable[[Turn, Any, Turn | None], str | None]] = {
    "kinds_any": check_kinds,
    "cuisine_any": check_cuisine,
    "tags_all": check_tags,
    "area": check_area,
    "events": check_events,
    "none_expected": check_none,
    "place": check_place,
    "asks": check_asks,
    "refinement": check_refinement,
    "no_place_cards": check_no_cards,
}


def false_claims(turn: Turn, previous: Turn | None) -> list[str]:
    """Claims anywhere in a reply that its cards do not support: open, rated, closer, cheaper."""
    claims = []
    named = [card for card in turn.cards if _name_said(card["name"], turn.reply)]
    if OPEN_CLAIM.search(turn.reply) and any(card.get("open_now") is not True for card in named):
        claims.append("open: said of a place not known to be open")
    if RATED_CLAIM.search(turn.reply) and any(card.get("rating") is None for card in named):
        claims.append("rated: said over places with no rating")
    before_walks, before_prices = (_walks(previous.cards), _prices(previous.cards)) if previous else ([], [])
    now_walks, now_prices = _walks(turn.cards), _prices(turn.cards)
    if re.search(r"\bcloser\b", turn.reply, re.I) and now_walks and before_walks and min(now_walks) >= min(before_walks):
        claims.append("closer: not closer than the nearest shown before")
    if re.search(r"\bcheaper\b", turn.reply, re.I) and now_prices and before_prices and max(now_prices) >= min(before_prices):
        claims.append("cheaper: not cheaper than what was shown before")
    return claims


# --- Running ---------------------------------------------------------------------------------------------------
def ask(session: requests.Session, base_url: str, body: dict[str, Any]) -> dict[str, Any]:
    for _ in range(30):
        response = session.post(f"{base_url}/api/chat", json=body, timeout=30)
        if response.status_code != 429:
            break
        time.sleep(float(response.headers.get("Retry-After", "5")))
    response.raise_for_status()
    return response.json()


def play(conversation: dict[str, Any], base_url: str) -> list[Turn]:
    session = requests.Session()  # its own anonymous conversation (the chat cookie)
    turns, last_list = [], None
    for index, spec in enumerate(conversation["turns"]):
        body = {"message": spec["message"], "at": conversation["at"]}
        if conversation.get("origin"):
            body |= {"latitude": conversation["origin"]["lat"], "longitude": conversation["origin"]["lng"]}
        started = time.perf_counter()
        answer = ask(session, base_url, body)
        seconds = time.perf_counter() - started
        turn = Turn(conversation["id"], conversation["split"], index, spec["message"], spec["expect"], answer["reply"], seconds, answer["places"])
        for name, value in spec["expect"].items():
            check = CHECKS.get(name)
            failure = check(turn, value, last_list) if check else None
            if failure:
                turn.failures.append(failure)
        turn.false_claims = false_claims(turn, last_list)
        turns.append(turn)
        if len(turn.cards) > 1 or (turn.cards and last_list is None):
            last_list = turn  # the list "the second one" refers to (a one-card answer about a place is not a new list)
    return turns


def report(turns: list[Turn], verbose: bool) -> None:
    for split in sorted({turn.split for turn in turns}):
        group = [turn for turn in turns if turn.split == split]
        right = sum(turn.right for turn in group)
        claims = sum(len(turn.false_claims) for turn in group)
        print(f"{split:8} {right:4}/{len(group):<4} turns fully right ({right / len(group):.1%}); false claims: {claims}")
        reasons = Counter(failure.split(":")[0] for turn in group for failure in [*turn.failures, *turn.false_claims])
        print("         most failed: " + ", ".join(f"{reason} {count}" for reason, count in reasons.most_common(8)))
    timings = sorted(turn.seconds for turn in turns)
    p50, p99 = timings[len(timings) // 2], timings[min(len(timings) - 1, round(0.99 * len(timings)))]
    print(f"latency  p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms over {len(timings)} turns, one at a time")
    if verbose:
        for turn in turns:
            if not turn.right:
                names = ", ".join(card["name"] for card in turn.cards)
                print(f"\n[{turn.conversation}#{turn.index}] {turn.message}\n  reply: {turn.reply}\n  cards: {names}")
                for failure in [*turn.failures, *turn.false_claims]:
                    print(f"  - {failure}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--split", choices=("tune", "heldout", "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11", "dev12", "dev13", "dev14", "dev15", "dev16", "dev17", "all"), default="all", help="all: tune and heldout")
    parser.add_argument("--turns", type=Path, default=TURNS)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every turn that is not fully right")
    parser.add_argument("--json", type=Path, help="write every turn with its reply, cards and failures here")
    args = parser.parse_args()

    conversations = [json.loads(line) for line in args.turns.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = ("tune", "heldout") if args.split == "all" else (args.split,)
    conversations = [c for c in conversations if c["split"] in wanted]
    turns = [turn for conversation in conversations for turn in play(conversation, args.base_url.rstrip("/"))]
    report(turns, args.verbose)
    if args.json:
        rows = [{**turn.__dict__, "cards": [card["name"] for card in turn.cards]} for turn in turns]
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
