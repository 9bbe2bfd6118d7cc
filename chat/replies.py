"""Violet's words: the built-in reply writer, the Gemini prompt, and the guard that keeps any
reply from naming a place we did not show.

The built-in writer is what answers without a Gemini key or when Gemini fails; it composes from
the same cards and intent, with varied phrasing so it does not read like one fixed template.
"""

import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from recommendations.answers import Answer, card_marked, measured_from_area, measured_from_label
from recommendations.lists import nearness
from recommendations.request import fold, said_against, unknowable_conditions
from recommendations.retrieve import BIT_FARTHER, GROUP_PARTY, card_described, card_is
from recommendations.turn import asks_cover
from recommendations.understand import (
    CLEAR,
    GENERAL_QUESTION,
    MARKED,
    MORE_OPTIONS,
    NEW_REQUEST,
    SMALL_TALK,
    Understood,
)

SYSTEM_INSTRUCTION = (
    "You are Violet, a warm, concise campus concierge for NYU students around Downtown Brooklyn "
    "(NYU Tandon) and Washington Square. Answer in at most 3 short sentences, friendly and "
    "practical. Recommend ONLY the places listed under PLACES, by their exact names, and use only "
    "the facts given there (walk time, distance, rating, price, open now, address). Never invent "
    "places, events, prices or opening hours. If PLACES is empty, do not name any venue. "
    "Do not use markdown, lists or emojis beyond one at most. Answer in the language the student "
    "writes in (English, Spanish, Chinese...), keeping place names as given."
)

VIBE_WORDS = {
    "study": "a good place to focus",
    "fast_bite": "a quick bite",
    "food_general": "a proper meal",
    "party": "a fun night out",
    "chill_drinks": "a relaxed drink",
    "shopping": "some shopping",
    "bookstore": "books",
    "explore": "something to explore",
    "generic": "something good nearby",
}

_OPENERS = {
    NEW_REQUEST: ("Here's what I'd try for {want}:", "Good call. For {want}, check these out:", "For {want}, these are my picks:"),
    MORE_OPTIONS: ("Here are a few more:", "Sure, some other options:", "More ideas coming up:"),
}
_NOTHING = (
    "I couldn't find anything that fits right now. Want to try a different vibe or a bit further out?",
    "Nothing matched that just now. Try another vibe, or tell me what you're craving?",
)
_SMALL_TALK = (
    "Hey! I'm Violet. Tell me what you're in the mood for: food, coffee, a study spot or something to do?",
    "Hi there! Looking for a bite, a quiet corner to study, or something fun nearby?",
    "Happy to help! What sounds good right now?",
)
_THANKS = ("Anytime! Enjoy.", "You're welcome, have fun!", "Glad I could help!")
# Letting off steam ("finals r killing me"): kind words and an offer of help, no list unasked.
_VENTING = (
    "That sounds like a lot. You've got this! Want a quiet study spot or a coffee nearby to reset?",
    "Ugh, hang in there! Want me to find a quiet place to study, or somewhere for a coffee break?",
    "Sending good vibes your way. Should I look for a study spot nearby, or a coffee or snack to recharge?",
)
_GENERAL = (
    "I'm best at finding places near campus: food, cafes, study spots, bars and things to do. What are you after?",
    "I can suggest spots around Tandon and Washington Square. Tell me the vibe and I'll find something.",
)
# Where the catalog's places are: around both campuses (what "do u know brooklyn too" asks).
_COVERAGE = (
    "I know places in Manhattan and Brooklyn near NYU's campuses: around Washington Square (the Village, the East Village, "
    "Union Square) and around Tandon (Downtown Brooklyn, DUMBO, Brooklyn Heights, Fort Greene). What are you after?"
)
_WHO = re.compile(r"\b(?:ur|your|you'?r) name\b|\bwho (?:are|r) (?:you|u)\b|\bc[oó]mo te llamas\b|你叫什么|你是谁", re.IGNORECASE)
_WHO_AM_I = "I'm Violet, NYU's campus concierge: I find food, coffee, study spots, bars and things to do around Washington Square and Tandon. What are you after?"
_HOW_ARE_YOU = re.compile(r"\bhow (?:are|r) (?:you|u)\b|\bhow'?s it going\b|\bhru\b|\bwyd\b|\bc[oó]mo est[aá]s\b|你好吗", re.IGNORECASE)
_FINE = (
    "Doing great, thanks for asking! Hungry, studying or looking for something to do?",
    "All good here! What are you in the mood for: food, coffee, a study spot or a night out?",
)
_CLEARED = ("Fresh start! What are you in the mood for?", "All cleared. What can I find for you?")


def _pick(options: Sequence[str], rng: random.Random) -> str:
    return options[rng.randrange(len(options))]


def _when(start: str) -> str:
    moment = timezone.localtime(datetime.fromisoformat(start))
    today = timezone.localdate()
    day = "today" if moment.date() == today else "tomorrow" if moment.date() == today + timedelta(days=1) else f"{moment:%a %b} {moment.day}"
    return f"{day} {moment:%I:%M %p}".replace(" 0", " ")


def _facts(card: dict[str, Any]) -> str:
    bits = []
    if card.get("type") == "event" and card.get("start"):
        bits.append(_when(card["start"]))
    if card.get("walk_time"):
        bits.append(f"{card['walk_time']} walk")
    if card.get("rating"):
        bits.append(f"rated {card['rating']:.1f}")
    if card.get("price_level") is not None:
        bits.append(_price(card["price_level"]))
    if card.get("open_now") is True and card.get("hours_text"):
        bits.append(card["hours_text"])  # "usually open until 23:00" for the catalog's usual hours
    return ", ".join(bits)


def _describe(card: dict[str, Any]) -> str:
    facts = _facts(card)
    return f"{card['name']} ({facts})" if facts else card["name"]


def _weather_line(weather: dict[str, Any] | None) -> str:
    if not weather:
        return ""
    return f" It's {round(weather['temp_f'])}°F with {weather['desc']} out there."


def builtin_reply(
    *,
    understood: Understood,
    answer: Answer,
    message: str,
    weather: dict[str, Any] | None,
    seed: str = "",
    shown: Sequence[dict[str, Any]] = (),
) -> str:
    """A short, friendly answer composed from the understood turn and its cards, without any LLM.
    With `answer.found` it says what was asked for, and plainly when it knows none and the cards
    are only alternatives."""
    rng = random.Random(f"{seed}|{message}")  # noqa: S311 - variety of phrasing, not security
    intent, refinement, cards = understood.intent, understood.refinement, answer.cards
    if intent == CLEAR:
        return _pick(_CLEARED, rng)
    if intent in (SMALL_TALK, GENERAL_QUESTION) and _WHO.search(message):
        return _WHO_AM_I
    if intent == SMALL_TALK and _HOW_ARE_YOU.search(message):
        return _pick(_FINE, rng)
    if intent == SMALL_TALK and understood.venting:
        return _pick(_VENTING, rng)
    if intent == SMALL_TALK:
        return _pick(_THANKS if understood.thanks else _SMALL_TALK, rng)
    if intent == GENERAL_QUESTION and understood.coverage:
        return _COVERAGE
    if intent == GENERAL_QUESTION:
        if weather and understood.topic == "weather":
            return f"Right now it's {round(weather['temp_f'])}°F with {weather['desc']}."
        return _pick(_GENERAL, rng)
    if understood.named is not None and not cards:
        return f"I don't know {understood.named}'s details right now."
    if answer.venue is not None:  # "whats playing at IFC tonight"
        return _at_venue(answer)
    if understood.compared and len(cards) > 1 and understood.topic is None:
        return _compared(cards) + _group_note(understood, cards)
    if answer.start is not None:  # "directions from the park": from the nearest park, and said so
        understood = replace(understood, from_place=answer.start)
    if not understood.new_list:
        # what the turn is about: the place picked, else those shown (not one named beyond them)
        about = [answer.target] if answer.target is not None else [card for card in cards if card is not answer.beyond] or list(cards)
        if understood.topic == "rating" and len(about) > 1 and not any(card.get("rating") for card in about):
            return "I don't have ratings for these places, so I can't say which is rated best."
        if about and understood.topic in _UNKNOWN_TOPICS and len(about) > 1:
            # "is it 21+" about a list: what is not known, said once for all of them
            names = _listing([card["name"] for card in about[:3]])
            if understood.topic == "age" and all(_BAR_TYPES & set(card.get("types") or ()) for card in about[:3]):
                return f"I don't know the age or ID rules at {names}; they serve alcohol, and in New York you must be 21 to drink."
            return f"I don't know {_UNKNOWN_TOPICS[understood.topic]} {names}: I only have their addresses, kinds, prices and hours where known."
        cover = understood.topic == "price" and not understood.pick and asks_cover(message)  # "does it have a cover"
        if cover and len(about) > 1:  # "do any of them have a cover": not known of any, said once; their price levels
            names = _listing([card["name"] for card in about[:3]])
            levels = "; ".join(f"{card['name']} {_price(card.get('price_level')) or 'not known'}" for card in about[:3])
            return f"I don't know the cover or entry fee at {names}. By price level, on a scale of $ to $$$$: {levels}."
        if understood.topic == "hours" and len(about) > 1 and not any(card.get("hours_text") for card in about):
            return "I don't have opening hours for these, so I can't tell which are open at that time; the map links show them."
        if understood.pick == MARKED and about:  # "which one has wifi": among those shown
            return _marked_among(understood, shown or about) + _marked_beyond(understood, answer)
        if about:
            said = " ".join(_about(card, understood, cover=cover, from_student=answer.from_student) for card in about[:3])
            said += _others_with_the_diet(answer.target, understood, shown)
            if understood.pick and answer.target is not None:
                said = f"Of these, {answer.target['name']} is the {'closest' if understood.pick == 'closer' else 'cheapest'}. {said}"
                if understood.pick == "cheaper" and asks_cover(message):  # a cover charge is not known, a price level is
                    said = f"I don't know their cover charges; by price level: {said}"
                said += _beyond_the_pick(understood.pick, answer)
            elif understood.pick and len(about) > 1:  # "which is cheapest?" when they tie, or nothing is known of it
                said = f"{_no_pick(understood.pick, about)} {said}{_beyond_the_pick(understood.pick, answer)}"
            if understood.named_options and answer.target is None and len(about) > 1:  # "where is stonewall": the bar and the monument
                said = f"{_COUNTS.get(len(about), 'Several')} places go by that name. {said}"
            if understood.past_end:  # "the second one" after a list of one: say so, then answer about what was shown
                shown_count = "one place" if understood.past_end == 1 else f"{understood.past_end} places"
                said = f"I only showed you {shown_count}. {said}"
            return f"{_moment_words(answer.moment)}: {said}" if answer.moment else said
    if not cards and refinement in _NONE_KEEPS:
        found = answer.found  # a refined list of alternatives is no list "of that kind"
        alternatives = found is not None and not found.exact
        return _none_keeps(refinement, shown, none=f"{_a(found.label)} near {found.where}, or an alternative" if alternatives else None)
    if answer.found is not None and (not refinement or not answer.found.exact):
        # alternatives are said to be alternatives, refined or not
        said = _asked_reply(answer.found, cards, rng) + (
            _which_described(understood, cards, message) if answer.found.exact else _described_alternatives(understood, cards, message)
        )
        said += _group_note(understood, cards)
        return _unknowns_asked(understood, cards) + said
    if not cards:
        return _pick(_NOTHING, rng)
    if refinement:
        opener = {
            # none cheaper of the kind nearby: the nearest cheaper ones, past the usual walk
            "cheaper": "Going easier on the wallet, if you'd go farther:" if answer.found and answer.found.farther else "Going easier on the wallet:",
            "closer": "Closer by:",
            "open_now": "Open right now:" if all(card.get("open_now") is True for card in cards[:3]) else _UNSURE_OPEN,
            "better_rated": "The best rated nearby:" if all(card.get("rating") for card in cards[:3]) else _NO_RATINGS,
            # calmer only of places known to be quiet: how loud the others get is not known
            "quieter": "Somewhere calmer:" if all("quiet" in (card.get("tags") or ()) for card in cards[:3]) else _UNSURE_QUIET,
            "nicer": "A step up in price from those:",
        }.get(refinement, "Here you go:")
    else:
        opener = _pick(_OPENERS.get(intent, _OPENERS[NEW_REQUEST]), rng).format(want=VIBE_WORDS.get(understood.vibe, "that"))
    body = "; ".join(_describe(card) for card in cards[:3])
    closing = _weather_line(weather) if weather and rng.random() < 0.5 else ""
    return f"{_unknowns_asked(understood, cards) if refinement != 'open_now' else ''}{opener} {body}.{closing}"


_COUNTS = {2: "Two", 3: "Three", 4: "Four"}
_HOURS_UNKNOWN = "I don't have opening hours for these, so I can't tell which are open at this hour; check before you go. "


def _unknowns_asked(understood: Understood, cards: Sequence[dict[str, Any]]) -> str:
    """Said first, so that a list is not read as a promise: that the hours are unknown when it is
    asked for now or late at night ("whats open rn", "study all night") and not every place shown is
    known open (a place known for late nights may be closed); that the ratings are unknown when it
    is asked for the best rated."""
    places = [card for card in cards[:3] if card.get("type") != "event"]
    if not places:
        return ""
    return _unknowable_asked(understood, places) + _hours_or_ratings_unknown(understood, places)


def _unknowable_asked(understood: Understood, places: Sequence[dict[str, Any]]) -> str:
    """"cocktail bar with no wait": that waits are not known, and which place's description says there is one."""
    said = ""
    for key in understood.request.unknowable if understood.request is not None else ():
        against = [(card["name"], phrase) for card in places if (phrase := said_against(card.get("description") or "", key))]
        said += f"I don't know {unknowable_conditions()[key].said}, so I can't promise that"
        said += "".join(f"; what I have of {name} says \"{phrase}\"" for name, phrase in against) + ". "
    return said


def _hours_or_ratings_unknown(understood: Understood, places: Sequence[dict[str, Any]]) -> str:
    when = understood.when.key if understood.when is not None else None
    late = understood.request is not None and "late_night" in understood.request.needs
    open_asked = understood.topic == "hours" and understood.when is None  # "its 130am whats open": open now
    if (when in ("now", "late") or late or open_asked) and not all(card.get("open_now") is True for card in places):
        return _HOURS_UNKNOWN
    if understood.topic == "rating" and not all(card.get("rating") for card in places):
        return "I don't have ratings for these, so I can't rank them by stars. "
    return ""


# Openers for a list that cannot promise what was asked: not every card is known open, or rated.
_UNSURE_OPEN = "I don't know the hours of every place here, so check before you go. Nearby:"
_NO_RATINGS = "I don't have ratings for these, but they're good picks nearby:"
_UNSURE_QUIET = "I don't know how loud these get, so I can't promise calmer. Nearby:"

# A refinement no place keeps: say so, naming what it was measured against, rather than offer
# places that break the promise.
_NONE_KEEPS = {
    # Closer is in whole minutes (recommendations.lists.REFINEMENT_KEEPS): another place in the same
    # minute may be a few metres nearer than the one named, so the promise is said in minutes.
    "closer": "I don't know {none} less than {walk_time} away; {name} is the nearest I showed you.",
    "cheaper": "I don't know {none} cheaper than {name} ({price}).",
    "open_now": "I don't know of one nearby that's open right now: I don't have the hours of the places around here.",
    "better_rated": "I don't have ratings for the places around here, so I can't say which is better rated.",
    "nicer": "I don't know {none} pricier than {name} ({price}), the priciest I showed you.",
}
_NONE_KEEPS_PLAIN = {
    "closer": "I don't know {none} closer than what I showed you.",
    "cheaper": "I don't know {none} cheaper than what I showed you.",
    "nicer": "I don't know {none} pricier than what I showed you.",
}


def _no_pick(pick: str, about: Sequence[dict[str, Any]]) -> str:
    """"Which one is cheapest?" with no one place cheaper (or nearer) than the others: said so, of
    the places it is true of (all of them equal, or the ones tied first); unknown if one is unknown."""
    key, same, most = ("walk_minutes", "equally near", "closest") if pick == "closer" else ("price_level", "the same price level", "cheapest")
    values = [card.get(key) for card in about]
    if any(value is None for value in values):
        return f"I don't know which of these is {most}."
    if len(set(values)) == 1:
        return f"As far as I know these are {same}:"
    tied = [card["name"] for card in about if card[key] == min(values)]
    return f"As far as I know {_listing(tied).replace(' or ', ' and ')} are {same}, the {most} of these:"


def _beyond_the_pick(pick: str, answer: Answer) -> str:
    """After "of these, X is the closest": a place of the same kind nearer (or cheaper) still than all
    those shown, or that none is known ("" when the list asked for nothing to look past it by)."""
    still = "nearer" if pick == "closer" else "for less"
    if answer.beyond is not None:
        return f" {still.capitalize()}, and not in that list: {answer.beyond['name']} ({_facts(answer.beyond)})."
    return f" I don't know one {still} than that." if answer.beyond_looked else ""


def _marks_label(understood: Understood) -> str:
    """The needs and diets asked, in words: "quiet and wifi", "vegan"."""
    return " and ".join([*(need.replace("_", " ") for need in understood.asked.needs), *(diet.replace("_", "-") for diet in understood.asked.diet)])


def _marked_among(understood: Understood, about: Sequence[dict[str, Any]]) -> str:
    """"Which ones the quietest", "which one has wifi", "which is vegan": the places shown marked with
    the needs and diets asked, or plainly that none is known to be."""
    label = _marks_label(understood)
    about = about[:3]
    marked = [card["name"] for card in about if card_marked(card, understood)]
    if understood.asked.whats:  # "any cafe inside?": which of them is that kind of place too
        kind = _a(" or ".join(want.label for want in understood.asked.whats))
        if not marked:
            return f"I don't know that any of these is also {kind}{f' with {label}' if label else ''}: none is marked so in what I have."
        return f"Of these, {_listing(marked).replace(' or ', ' and ')} {'is' if len(marked) == 1 else 'are'} also {kind}, as far as I know."
    if not marked:
        said = [f"{'is' if need in _SAID_AS_IS else 'has'} {need.replace('_', ' ')}" for need in understood.asked.needs]
        said += [f"is {diet}" if diet in _WHOLE_MENU_DIETS else f"has {diet.replace('_', '-')} options" for diet in understood.asked.diet]
        return f"I don't know that any of these {' and '.join(said)}: none is marked so in what I have. Worth asking them."
    said = f"Of these, {_listing(marked).replace(' or ', ' and ')} {'is' if len(marked) == 1 else 'are'} marked {label} in what I have."
    if len(marked) < len(about):
        said += f" I don't know that of {_listing([card['name'] for card in about if card['name'] not in marked])}."
    return said


def _marked_beyond(understood: Understood, answer: Answer) -> str:
    """None of those shown is marked so: the one of their kind that is, not in that list, if one is known."""
    if answer.beyond is None or not card_marked(answer.beyond, understood):
        return ""
    label = _marks_label(understood)
    return f" One that is, not in that list: {answer.beyond['name']} ({_facts(answer.beyond)}), marked {label} in what I have."


def _listing(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _none_open(shown: Sequence[dict[str, Any]]) -> str:
    """No place shown is known open: whose hours are unknown, and which are known for late nights."""
    names = [card["name"] for card in shown[:3]]
    if not names:
        return _NONE_KEEPS["open_now"]
    which = "whether it's" if len(names) == 1 else "which is"
    said = f"I don't have the hours of {_listing(names)}, so I can't say {which} open right now; the map links show them."
    late = [card["name"] for card in shown[:3] if "late_night" in (card.get("tags") or ())]
    if late:
        said += f" {' and '.join(late)} {'is' if len(late) == 1 else 'are'} known for late nights."
    return said


def _none_keeps(refinement: str, shown: Sequence[dict[str, Any]], *, none: str | None = None) -> str:
    """The reply when no place keeps a refinement, naming the shown place it was measured against;
    `none` says what is not known ("anything of that kind", unless the list was alternatives)."""
    if refinement == "open_now":
        return _none_open(shown)
    none = none or "anything of that kind"
    key = {"closer": "walk_minutes", "cheaper": "price_level", "nicer": "price_level"}.get(refinement)
    known = [card for card in shown if key and card.get(key) is not None]
    if not known:
        return _NONE_KEEPS_PLAIN.get(refinement, _NONE_KEEPS[refinement]).format(none=none)
    # The nearest is measured as "closer" was (in minutes, then metres): two places 4 minutes away
    # are not equally near.
    best = (max if refinement == "nicer" else min)(known, key=nearness if refinement == "closer" else lambda card: card[key])
    price = _price(best.get("price_level"))
    return _NONE_KEEPS[refinement].format(none=none, name=best["name"], walk_time=best.get("walk_time"), price=price)


_SAID_WITH_A = ("use", "usu", "uni", "eu", "one")  # "a used bookstore", "a unique spot": a "y" or "w" sound


def _a(label: str) -> str:
    vowel = label[:1].lower() in "aeiou" and not label.lower().startswith(_SAID_WITH_A)
    return f"an {label}" if vowel else f"a {label}"


# Events asked for when the listings are not there (events.selectors): not "none are on".
_NO_LISTINGS = {
    "not_synced": "I don't have the event listings yet, so I can't tell you about {label}",
    "sources_unreachable": "I couldn't reach the event listings, so I can't tell you about {label}",
}

_ASKED_OPENERS = ("For {a} near {where}, try: ", "{A} near {where}? I'd go to ", "Good options for {a} near {where}: ")


def _asked_reply(found: Any, cards: Sequence[dict[str, Any]], rng: random.Random) -> str:
    """The answer to a specific request: the matching places, or that there are none and the
    other places nearby, said as alternatives."""
    body = "; ".join(_describe(card) for card in cards[:3])
    a, where = _a(found.label), found.where
    if found.exact and cards and found.farther:
        if found.more:  # "any other halal spots?": the nearest others, past the usual walk
            return f"I don't know another {found.label} right near {where}. If you'd go farther, the nearest others I know: {body}."
        return f"I don't know {a} right near {where}. If you'd go farther instead, the nearest I know: {body}."
    walk = f"within a {found.walk_max}-min walk of {where}" if found.walk_max is not None else ""
    if found.exact and cards and found.beyond:
        bit = all((card.get("walk_minutes") or 0) <= found.walk_max * BIT_FARTHER for card in cards[:3])
        return f"I don't know {f'another {found.label}' if found.more else a} {walk}. The nearest I know, {'a bit ' if bit else ''}farther: {body}."
    if found.exact and cards:
        opener = _pick(_ASKED_OPENERS, rng).format(a=a, A=a[:1].upper() + a[1:], where=where)
        within = f" {'It is' if len(cards) == 1 else 'All are'} {walk}." if walk else ""
        return f"{opener}{body}.{within}{_no_events_after(found)}"
    if "events" in found.label.split() and found.why in _NO_LISTINGS:
        none = _NO_LISTINGS[found.why].format(label=found.label)
    elif "events" in found.label.split():
        none = f"I don't know of any {found.label} near {where}"
    else:
        none = f"I don't know another {found.label} near {where}" if found.more else f"I don't know {a} near {where}"
    if not cards:
        return f"{none} within your walking limit, nor anything like it."  # searched within it: no claim past it
    others = _plural(found.instead) if found.instead else "other places"
    return f"{none}. {others[:1].upper()}{others[1:]} nearby instead: {body}."


_PLURAL_BEFORE = re.compile(r" (?:to|for|with) ")


def _plural(label: str) -> str:
    """ "coffee shop": "coffee shops"; "place to eat": "places to eat"; "bakery": "bakeries";
    "place for a drink": "places for a drink", "bar with darts": "bars with darts"."""
    if " or " in label:  # "bar or pub": "bars or pubs"
        return " or ".join(_plural(part) for part in label.split(" or "))
    split = _PLURAL_BEFORE.search(label)
    head, to, rest = (label[: split.start()], split.group(0).strip().join("  "), label[split.end() :]) if split else (label, "", "")
    if head.endswith(("s", "x", "ch", "sh")):
        head += "es"
    elif head.endswith("y") and head[-2:-1] not in tuple("aeiou"):
        head = head[:-1] + "ies"
    else:
        head += "s"
    return f"{head}{to}{rest}"


def _venue_none(answer: Answer) -> str:
    """That no event is known at the venue asked about in the window, or that the listings are missing."""
    label = f"what's on at {answer.venue['name']} {answer.window}"
    if answer.listings in _NO_LISTINGS:
        return _NO_LISTINGS[answer.listings].format(label=label)
    return f"I don't know of any events at {answer.venue['name']} {answer.window}"


def _at_venue(answer: Answer) -> str:
    """What's on at a venue: its events, or that none is known, then the venue itself, said as such."""
    events = [card for card in answer.cards if card.get("type") == "event"]
    if events:
        return f"On at {answer.venue['name']} {answer.window}: {'; '.join(_describe(card) for card in events[:3])}."
    venue = answer.venue
    return f"{_venue_none(answer)}; its own calendar will say what's on. The venue itself: {_describe(venue)}, at {venue['address']}."


def _which_described(understood: Understood, cards: Sequence[dict[str, Any]], message: str) -> str:
    """"Any bar with karaoke?": which of the places shown the catalog describes with it, when only
    some are (the others are of the kind asked, with nothing known of karaoke)."""
    if understood.request is None:
        return ""
    said = f" {fold(message)} "
    for want in understood.request.whats:
        marked = [card["name"] for card in cards[:3] if card_is(card, want)]
        if not want.described or not marked or len(marked) == len(cards[:3]):
            continue
        words = sorted(want.described, key=lambda word: (f" {word} " not in said, -len(word)))
        described = [f" {fold(card.get('description') or '')} " for card in cards[:3] if card["name"] in marked]
        word = next((word for word in words if any(f" {word} " in text for text in described)), None)
        if word is None:
            continue
        verb = "is" if len(marked) == 1 else "are"
        return f" Of these, only {' and '.join(marked)} {verb} known for {word} in what I have."
    return ""


def _described_alternatives(understood: Understood, cards: Sequence[dict[str, Any]], message: str) -> str:
    """Alternatives to a kind not known nearby whose description names it ("a Saturday greenmarket"
    at a park, for a farmers market): said, so that they read as what they are."""
    if understood.request is None:
        return ""
    said = f" {fold(message)} "
    for want in understood.request.whats:
        marked = [card for card in cards[:3] if want.described and card_described(card, want)]
        if not marked:
            continue
        texts = [f" {fold(card.get('description') or '')} " for card in marked]
        ranked = sorted(want.described, key=lambda word: (f" {word} " not in said, -len(word)))
        word = next((word for word in ranked if any(f" {word} " in text for text in texts)), None)
        if word is None:  # matched one typo off or by its name ("poutin"): nothing to quote
            continue
        if len(marked) == 1:
            return f" In what I have, {marked[0]['name']}'s description mentions {_a(word)}."
        return f" In what I have, the descriptions of {' and '.join(card['name'] for card in marked)} mention {_a(word)}."
    return ""


def _compared(cards: Sequence[dict[str, Any]]) -> str:
    """"Juliana's or Grimaldi's?": the two side by side on what is known of both (the walk, the
    price, a rating), then what each is; never a pick on what is not known."""
    first, second = cards[0], cards[1]
    said = []
    walks = (first.get("walk_minutes"), second.get("walk_minutes"))
    if None not in walks and abs(walks[0] - walks[1]) >= 2:
        near, far = (first, second) if walks[0] < walks[1] else (second, first)
        said.append(f"{near['name']} is the shorter walk ({near['walk_minutes']} min vs {far['walk_minutes']} min)")
    elif None not in walks:
        said.append(f"both are about {max(walks)} min away on foot")
    prices = (first.get("price_level"), second.get("price_level"))
    if None not in prices and prices[0] != prices[1]:
        cheap, dear = (first, second) if prices[0] < prices[1] else (second, first)
        said.append(f"{cheap['name']} is cheaper ({_price(cheap['price_level'])} vs {_price(dear['price_level'])})")
    elif None not in prices:
        said.append(f"both are {_price(first['price_level'])}")
    if first.get("rating") and second.get("rating") and first["rating"] != second["rating"]:
        best = max((first, second), key=lambda card: card["rating"])
        said.append(f"{best['name']} is rated higher ({best['rating']:.1f})")
    facts = f"{_listing([first['name'], second['name']])}: {'; '.join(said)}." if said else f"{_listing([first['name'], second['name']])}."
    what = " ".join(f"{card['name']}: {card['description']}" for card in (first, second) if card.get("description"))
    return f"{facts} {what}".strip()


def _price(level: int | None) -> str:
    """A price level as the cards say it: "free", "$" to "$$$$" ("" when it is not known)."""
    return "" if level is None else "free" if level == 0 else "$" * level


def _group_note(understood: Understood, cards: Sequence[dict[str, Any]]) -> str:
    """"For 6 ppl": whether a place seats a group is not in what is known, so that is said."""
    party = (understood.request or understood.asked).party  # asked of places named too ("juliana's or grimaldi's")
    if not cards or party is None or party < GROUP_PARTY:
        return ""
    return f" For {party} of you, I don't know which can seat a group, so it's worth calling ahead."


def _no_events_after(found: Any) -> str:
    """After the places for a kind asked with a time ("jazz tonight"): what is not known of events then."""
    if not found.no_events:
        return ""
    label = f"events {found.no_events}"
    if found.why in _NO_LISTINGS:
        return f" {_NO_LISTINGS[found.why].format(label=label)}; their own calendars will say what's on."
    return f" I don't know of any events {found.no_events} near {found.where}; their own calendars will say what's on."


def _others_with_the_diet(target: dict[str, Any] | None, understood: Understood, shown: Sequence[dict[str, Any]]) -> str:
    """"Is the second one halal?" when it is not known to be: the places shown that are."""
    diets = set(understood.asked.diet)
    if target is None or not diets or diets <= _diet_tags(target):
        return ""
    others = [card["name"] for card in shown if card["name"] != target["name"] and diets <= _diet_tags(card)]
    if not others:
        return ""
    label = " and ".join(diet.replace("_", "-") for diet in understood.asked.diet)
    return f" Of the others, {' and '.join(others)} {'is' if len(others) == 1 else 'are'} marked {label}."


def _diet_tags(card: dict[str, Any]) -> set[str]:
    tags = set(card.get("tags") or ())
    return tags | ({"vegetarian"} if "vegan" in tags else set())


def _moment_words(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"On {local:%A} at {local:%H:%M}"


def _about(card: dict[str, Any], understood: Understood, *, cover: bool = False, from_student: bool = False) -> str:
    """The answer to a question about one place, from its facts, or that it is not known (`cover`:
    the price asked is its cover charge, never known; its price level is said after; `from_student`:
    its walk re-measured from where the student is, after a list measured from another area)."""
    name, topic = card["name"], understood.topic
    if topic == "diet" or (understood.asked.diet and topic in (None, "menu")):
        # another question wins: "how far is halal guys" asks the distance ("halal" is in its name)
        return _diet_answer(card, understood.asked.diet)
    needs = tuple(need for need in understood.asked.needs if need != "late_night") or (("wifi",) if topic == "wifi" else ())
    if needs and topic in (None, "wifi"):  # "does it have wifi?", "is it quiet?": what the place is tagged with
        return _needs_answer(card, needs)
    if understood.kind_asked and topic is None:  # "is nom wah more of a sit down place": from its kinds
        label = " or ".join(want.label for want in understood.asked.whats)
        if any(card_is(card, want) for want in understood.asked.whats):
            return f"Yes: {name} is {_a(label)}, as far as I know. {_summary(card)}"
        return f"In what I have, {name} is not {_a(label)}. {_summary(card)}"
    # "how far is it from Tandon?": measured from there, and said so
    start = f" from {measured_from_label(understood)}" if measured_from_area(understood) else ""
    # "directions from the park" (a start not placed), or after a list for another area: from the student, said so
    if understood.start_unknown or from_student:
        start = " from where you are"
    if topic in ("directions", "address"):
        walk = f", about {card['walk_time']} on foot{start}" if topic == "directions" and card.get("walk_time") else ""
        link = f" Directions: {card['maps_link']}" if topic == "directions" and card.get("maps_link") else ""
        return f"{name} is at {card['address']}{walk}.{link}"
    booking = _BOOKING.search(card.get("description") or "") if topic == "reservations" else None
    if booking:  # "book ahead" in what the catalog says of it: said, and how to book is not known
        said = f"reservations are {booking.group(1).lower()}" if booking.group(1) else "to book ahead"
        return f"What I have of {name} says {said}; I don't know how it takes bookings. {_summary(card)}"
    busy = said_against(card.get("description") or "", "wait") if topic == "wait" else None
    if busy:  # "is there a long wait at death and co": what the catalog says of it, the length not known
        return f'What I have of {name} says "{busy}"; I don\'t know how long it is. {_summary(card)}'
    if topic == "age" and _BAR_TYPES & set(card.get("types") or ()):  # "is pdt 21+", "do they card? im 20"
        return f"I don't know the age or ID rules at {name}; it serves alcohol, and in New York you must be 21 to drink. {_summary(card)}"
    if topic in _UNKNOWN_TOPICS:
        return f"I don't know {_UNKNOWN_TOPICS[topic]} {name}: I only have its address, kind, prices and hours where known. {_summary(card)}"
    if topic == "hours":
        if card.get("hours_text"):  # "open until 23:00", or "usually ..." for the catalog's usual hours
            return f"{name}: {card['hours_text']}."
        if "late_night" in understood.asked.needs and "late_night" in (card.get("tags") or ()):  # "is joe's open late"
            return f"I don't have {name}'s hours, but it's known for late nights; the map link will show them."
        return f"I don't have {name}'s hours; the map link will show them."
    if topic == "distance":
        if card.get("walk_time"):
            return f"{name} is about {card['walk_time']} away on foot{start} ({card.get('distance') or 'nearby'})."
        return f"{name} is at {card['address']}."
    if topic == "rating":
        return f"{name} is rated {card['rating']:.1f}." if card.get("rating") else f"I don't have a rating for {name}."
    if topic == "price":
        level = card.get("price_level")
        if level is None:
            return f"I don't know {name}'s {'cover or its ' if cover else ''}prices."
        said = f"{_price(level)} on a scale of $ to $$$$"
        if cover and level == 0:
            return f"As far as I know, {name} is free."
        if cover:  # "does the first one have a cover", "how much is admission"
            return f"I don't know the cover or entry fee at {name}; its prices are {said}."
        if understood.asked.whats:  # "how much is the pastrami": what one item costs is not known
            return f"I don't know what items cost at {name}; overall it is {said}."
        return f"{name} is {said}."
    return _summary(card)


# Places that serve alcohol by their kind: asked their age rules, the law is said (the door policy is not known).
_BAR_TYPES = frozenset({"bar", "bar_and_grill", "cocktail_bar", "lounge_bar", "night_club", "pub", "wine_bar"})
# Questions the facts cannot answer: said so, never guessed.
_BOOKING = re.compile(r"\bbook ahead\b|\breservations? (recommended|required|essential|needed)\b", re.I)
_UNKNOWN_TOPICS = {
    "reservations": "whether you can reserve at",
    "age": "the age or ID rules at",
    "menu": "the menu at",
    "access": "who can get into",
    "wait": "how long the wait is at",
}


def _needs_answer(card: dict[str, Any], needs: Sequence[str]) -> str:
    name, tags = card["name"], set(card.get("tags") or ())
    said = " and ".join(need.replace("_", " ") for need in needs)
    if set(needs) <= tags:
        level = card.get("price_level")
        price = f" Otherwise it is {'$' * level} on a scale of $ to $$$$." if "student_discount" in needs and level else ""
        return f"Yes: {name} is known for {said}.{price}"
    verb = "is" if set(needs) <= _SAID_AS_IS else "has"  # "is quiet", "has wifi"
    return f"I don't know whether {name} {verb} {said}; it isn't marked so in what I have."


_SAID_AS_IS = frozenset({"quiet", "indoors"})  # needs said of a place with "is", not "has"
_WHOLE_MENU_DIETS = frozenset({"halal", "kosher"})  # said of a place as a whole; the others are options


def _diet_answer(card: dict[str, Any], diets: Sequence[str]) -> str:
    name, tags = card["name"], _diet_tags(card)
    if not diets:
        known = sorted(tag for tag in tags if tag in ("halal", "kosher", "vegan", "vegetarian", "gluten_free"))
        if known:
            return f"In what I have, {name} is marked {', '.join(tag.replace('_', '-') for tag in known)}."
        return f"I don't know {name}'s dietary options; it isn't marked for any in what I have. Worth asking them."
    known, unknown = [diet for diet in diets if diet in tags], [diet for diet in diets if diet not in tags]
    if not unknown:
        return f"Yes: {_diet_said(name, known)} as far as I know."
    doubt = f"I don't know whether {name if not known else 'it'} is {_diet_label(unknown)}; it isn't marked so in what I have. Worth asking them."
    # "vegan or just vegetarian?": what the tags say, then what they don't
    return f"{_diet_said(name, known)} as far as I know. {doubt}" if known else doubt


def _diet_label(diets: Sequence[str]) -> str:
    return " and ".join(diet.replace("_", "-") for diet in diets)


def _diet_said(name: str, diets: Sequence[str]) -> str:
    """A place known for `diets`: halal or kosher is said of the place as a whole; the others are
    options (a falafel shop marked vegetarian serves vegetarians; it is no vegetarian restaurant)."""
    if set(diets) <= _WHOLE_MENU_DIETS:
        return f"{name} is {_diet_label(diets)}"
    return f"{name} has {_diet_label(diets)} options"


def _summary(card: dict[str, Any]) -> str:
    """What a card knows about its place, in a sentence or two."""
    details = _facts(card)
    about = f" {card['description']}" if card.get("description") else ""
    return f"{card['name']}: {card['address']}" + (f" ({details})." if details else ".") + about


# --- Gemini prompt ------------------------------------------------------------------------------------
def notes(*, understood: Understood, cards: Sequence[dict[str, Any]], message: str, found: Any = None) -> str:
    """What the built-in writer says of a list besides its places: that the hours or ratings are not
    known, that a group's seats are not, which card is described with what was asked ("karaoke");
    "" when none applies. Gemini is told to say them too."""
    if not understood.new_list or not cards:
        return ""
    said = _unknowns_asked(understood, cards)
    if understood.refinement == "open_now" and not all(card.get("open_now") is True for card in cards[:3]):
        said = _UNSURE_OPEN.removesuffix(" Nearby:") + " "
    elif understood.refinement == "better_rated" and not all(card.get("rating") for card in cards[:3]):
        said = "I don't have ratings for these, so I can't rank them by stars. "
    if found is not None:
        said += _which_described(understood, cards, message) if found.exact else _described_alternatives(understood, cards, message)
    said += _group_note(understood, cards)
    return " ".join(said.split())


def gemini_prompt(
    *, message: str, cards: Sequence[dict[str, Any]], weather: dict[str, Any] | None, understood: Understood, found: Any = None,
    answer: Answer | None = None,
) -> str:
    lines = [f"INTENT: {understood.intent}"]
    if understood.venting:
        lines.append("VENTING: the student is letting off steam and asked for nothing: be kind, and offer help (a quiet study spot or a coffee nearby); name no place")
    if answer is not None and answer.venue is not None and not any(card.get("type") == "event" for card in answer.cards):
        lines.append(
            f"NO EVENT KNOWN AT THE VENUE ASKED ABOUT: say plainly \"{_venue_none(answer)}\" first, claim no show or set time; "
            "the place below is the venue itself"
        )
    if understood.request is not None and understood.request.specific and found is None:
        lines.append(f"ASKED FOR: {understood.request.label()}")
    if understood.refinement:
        lines.append(f"REFINEMENT: {understood.refinement.replace('_', ' ')} (the places below keep it; claim nothing more)")
    if answer is not None and understood.pick in ("closer", "cheaper") and answer.target is not None:
        most = "closest" if understood.pick == "closer" else "cheapest"
        beyond = _beyond_the_pick(understood.pick, answer)
        lines.append(f"PICKED: {answer.target['name']} is the {most} of the places shown before" + (f";{beyond}" if beyond else ""))
    if understood.named_options and len(cards) > 1:
        lines.append("SEVERAL PLACES GO BY THE NAME ASKED ABOUT: say so, and answer briefly about each of those below")
    for key in understood.request.unknowable if understood.request is not None else ():  # "cocktail bar with no wait"
        lines.append(f"NOT KNOWN, NEVER PROMISE: {unknowable_conditions()[key].said} (asked for: say you don't know them)")
    if understood.topic == "price" and not understood.pick and asks_cover(message):  # "whats the cover at webster hall"
        lines.append("ASKED ABOUT: a cover charge or entry fee (not known: say you don't know it, then give the price level)")
    elif understood.topic:
        lines.append(f"ASKED ABOUT: {understood.topic} (answer only from the facts below, else say you don't know)")
    if understood.kind_asked and understood.topic is None and cards:  # "is nom wah more of a sit down place"
        label = " or ".join(want.label for want in understood.asked.whats)
        known = any(card_is(cards[0], want) for want in understood.asked.whats)
        lines.append(f"ASKED WHETHER {cards[0]['name']} IS {_a(label).upper()}: {'it is' if known else 'it is not, in what you have'}; say so")
    said = notes(understood=understood, cards=cards, message=message, found=found)
    if said:
        lines.append(f"SAY TOO, in your own words (it is true, and the student should know it): {said}")
    if understood.start_unknown:  # "directions from the park": no start we can place
        lines.append("START UNKNOWN: the walk and the link are from where the student is, not from the start they named; say so")
    if measured_from_area(understood):
        lines.append(f"WALKS MEASURED FROM: {measured_from_label(understood)} (not from the student; say so)")
    elif answer is not None and answer.from_student:
        lines.append("WALKS MEASURED FROM: where the student is (the list before was measured from the area asked; say so)")
    if found is not None:
        lines.append(f"ASKED FOR: {found.label} near {found.where}")
        if not found.exact and found.why in _NO_LISTINGS:
            said = _NO_LISTINGS[found.why].format(label=found.label)
            lines.append(f"NO EVENT LISTINGS: say plainly \"{said}\" (not that nothing is on); the places are only alternatives")
        elif not found.exact:
            lines.append(f"NONE MATCHES: say plainly you don't know {_a(found.label)} near {found.where}; the places are only alternatives")
        elif found.farther:
            lines.append(f"FARTHER: none right near {found.where}; say these are the nearest you know")
        elif found.beyond:
            walk = f"within a {found.walk_max}-min walk of {found.where}"
            lines.append(f"NONE WITHIN THE WALK ASKED: say plainly \"I don't know {_a(found.label)} {walk}\"; these are the nearest, farther")
        elif found.walk_max is not None:
            lines.append(f"WALK ASKED: every place below is within a {found.walk_max}-min walk of {found.where}")
        if found.exact and found.no_events:
            lines.append(f"NO EVENTS KNOWN {found.no_events.upper()}: after the places, say so; claim no show or set times")
    lines.append("PLACES:")
    lines += [f"- {card['name']}: {card['address']}; {_facts(card) or 'no extra facts'}" for card in cards] or ["(none)"]
    if weather:
        lines.append(f"WEATHER: {round(weather['temp_f'])}F, {weather['desc']}")
    lines.append(f"STUDENT: {message}")
    return "\n".join(lines)


# --- Guard: no place we did not show ------------------------------------------------------------------
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc`\u00b4\u2032]")


def _fold(text: str) -> str:
    # Apostrophes are dropped, straight or typographic (as LLMs write them), so both match "Joe's".
    text = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def unknown_places_named(reply: str, *, allowed: Iterable[str], known: Iterable[str]) -> list[str]:
    """Names of known places that the reply mentions although they are not in `allowed`."""
    folded = f" {_fold(reply)} "
    allowed_folded = [f" {_fold(name)} " for name in allowed]
    named = []
    for name in known:
        key = f" {_fold(name)} "
        if len(key) > 5 and key in folded and not any(key in ok or ok in key for ok in allowed_folded):
            named.append(name)
    return named


def reply_repair(reply: str, *, allowed: Sequence[str], known: Iterable[str]) -> str | None:
    """The reply without the sentences naming places we did not show; None when nothing is left."""
    known = list(known)
    if not unknown_places_named(reply, allowed=allowed, known=known):
        return reply
    sentences = re.split(r"(?<=[.!?])\s+", reply.strip())
    kept = [s for s in sentences if not unknown_places_named(s, allowed=allowed, known=known)]
    return " ".join(kept) if kept and any(_fold(name) in _fold(" ".join(kept)) for name in allowed) else None
