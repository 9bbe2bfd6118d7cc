"""Rule-based intent classifier for the Violet chat concierge.

The classifier is deliberately dependency-free and deterministic: it runs on
every chat message before any expensive work (place search, LLM calls), so it
must be cheap, predictable and easy to debug from a failing test case.

Everything works on *tokens*, never on raw substrings, because substring
matching is exactly what turns "something", "this" or "sushi" into a greeting
("hi").  Messages are normalised (unicode-folded, lower-cased, apostrophes
dropped so "joe's" == "joes"), lightly spell-corrected against the keyword
vocabulary, and then matched against phrase lexicons.  The decision itself is
a short ordered list of rules in :func:`classify_intent`; the order encodes
which signal wins when a message carries several.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

__all__ = [
    "APOSTROPHES",
    "BETTER_RATED",
    "CHEAPER",
    "CLEAR",
    "CLOSER",
    "FOLLOW_UP",
    "GENERAL_QUESTION",
    "MORE_OPTIONS",
    "NEW_REQUEST",
    "OPEN_NOW",
    "QUIETER",
    "SMALL_TALK",
    "IntentResult",
    "classify_intent",
    "tokenize",
]

NEW_REQUEST = "new_request"
MORE_OPTIONS = "more_options"
FOLLOW_UP = "follow_up"
GENERAL_QUESTION = "general_question"
SMALL_TALK = "small_talk"
CLEAR = "clear"

CHEAPER = "cheaper"
CLOSER = "closer"
OPEN_NOW = "open_now"
QUIETER = "quieter"
BETTER_RATED = "better_rated"


@dataclass(frozen=True)
class IntentResult:
    intent: str
    # 0-based index into the ``remembered`` sequence passed to classify_intent.
    target_index: int | None = None
    refinement: str | None = None
    # What the classifier read, for the caller to reuse rather than tokenize again (not part of
    # the classification, so not compared): the normalised tokens, and whether the message points
    # back at one place ("how far is it?", "is that one open?") rather than at all of them.
    tokens: tuple[str, ...] = field(default=(), compare=False, repr=False)
    about_one_place: bool = field(default=False, compare=False, repr=False)


# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------

# Apostrophes are removed (not turned into spaces) so possessives and
# contractions stay one token: "joe's" -> "joes", "what's" -> "whats".
# Straight or typographic (U+2019, as phones and LLMs write them); replies.py folds with it too.
APOSTROPHES = re.compile("['\u2018\u2019\u02bc`\u00b4\u2032]")
_HASH_NUMBER = re.compile(r"#\s*(\d+)")
_WORD = re.compile(r"[^\W_]+")
_RUN_OF_3 = re.compile(r"(.)\1{2,}")
_RUN_OF_2 = re.compile(r"(.)\1+")

# Emoji carry real meaning in student chat ("🍕?" is a request, "🙏" is
# thanks); map the common ones to words before the tokenizer drops them.
_EMOJI_WORDS: dict[str, str] = {
    "👋": "hi",
    "🙏": "thanks",
    "🙌": "thanks",
    "❤": "love",
    "💜": "love",
    "😍": "love",
    "🥰": "love",
    "😂": "lol",
    "🤣": "lol",
    "😅": "lol",
    "😊": "ok",
    "🙂": "ok",
    "👍": "ok",
    "👌": "ok",
    "🔥": "fire",
    "🍕": "pizza",
    "🍣": "sushi",
    "🍜": "ramen",
    "🌮": "tacos",
    "🍔": "burger",
    "☕": "coffee",
    "🧋": "boba",
    "🍺": "beer",
    "🍻": "beer",
    "🍸": "cocktails",
    "🍷": "wine",
    "📚": "study",
    "🌧": "rain",
    "☔": "rain",
    "🔄": "reset",
}
_EMOJI = re.compile("|".join(re.escape(e) for e in _EMOJI_WORDS))

# Deliberate misspellings and chat shorthand.  Values may expand to several
# tokens.  Generic one-edit typos are handled by _fuzzy_keyword instead.
_TYPOS: dict[str, str] = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "plsss": "please",
    "thx": "thanks",
    "thnx": "thanks",
    "thanx": "thanks",
    "tx": "thanks",
    "thankyou": "thank you",
    "thnks": "thanks",
    "wat": "what",
    "wut": "what",
    "wht": "what",
    "whta": "what",
    "wats": "whats",
    "wuts": "whats",
    "whatre": "what are",
    "wher": "where",
    "whre": "where",
    "wer": "where",
    "wya": "where",
    "rn": "now",
    "atm": "now",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "2nite": "tonight",
    "tonite": "tonight",
    "2day": "today",
    "cuz": "because",
    "bc": "because",
    "abt": "about",
    "recomend": "recommend",
    "reccomend": "recommend",
    "reccommend": "recommend",
    "recommed": "recommend",
    "reccomendations": "recommendations",
    "recomendations": "recommendations",
    "reccomendation": "recommendation",
    "recomendation": "recommendation",
    "resturant": "restaurant",
    "restaraunt": "restaurant",
    "resteraunt": "restaurant",
    "resturants": "restaurants",
    "restaraunts": "restaurants",
    "coffe": "coffee",
    "cofee": "coffee",
    "piza": "pizza",
    "pizzza": "pizza",
    "suhsi": "sushi",
    "shusi": "sushi",
    "libary": "library",
    "liberry": "library",
    "hungy": "hungry",
    "cheeper": "cheaper",
    "chepaer": "cheaper",
    "quiter": "quieter",
    "quietr": "quieter",
    "closr": "closer",
    "opne": "open",
    "adress": "address",
    "addres": "address",
    "frist": "first",
    "fisrt": "first",
    "scond": "second",
    "secnd": "second",
    "thrid": "third",
    "mroe": "more",
    "moar": "more",
    "optins": "options",
    "opitons": "options",
    "optoins": "options",
    "els": "else",
    "anythin": "anything",
    "anythng": "anything",
    "somthing": "something",
    "smth": "something",
    "sth": "something",
    "sm": "so much",
    "ty": "thanks",
    "tysm": "thanks",
    "tyvm": "thanks",
    "icecream": "ice cream",
    "nearme": "near me",
    "hru": "how are you",
    "wyd": "what are you doing",
    "wsp": "whats up",
    "wassup": "whats up",
    "wazzup": "whats up",
    "sup": "whats up",
    "whatsup": "whats up",
    "nvm": "never mind",
    "nevermind": "never mind",
    "gm": "good morning",
    "gn": "good night",
    "goodnight": "good night",
    "idk": "i dont know",
    "ngl": "not gonna lie",
    "omw": "on my way",
    "ppl": "people",
    "convo": "conversation",
}

# ---------------------------------------------------------------------------
# Lexicons.  Phrases are written in natural form and run through the same
# tokenizer as messages, so "what's up" and "whats up" are one entry.
# ---------------------------------------------------------------------------

_SMALL_TALK = (
    # greetings
    "hi", "hey", "hello", "heya", "hiya", "howdy", "hola", "yo", "greetings",
    "hi there", "hey there", "hello there", "whats up", "what up",
    "good morning", "good afternoon", "good evening", "good night", "morning",
    "evening", "how are you", "how are you doing", "how you doing",
    "hows it going", "how is it going", "hows your day", "how is your day",
    "what are you doing", "nice to meet you", "wsg",
    # thanks / praise
    "thanks", "thank you", "thanks a lot", "thanks so much", "cheers",
    "appreciate it", "appreciate you", "much appreciated", "you're the best",
    "you are the best", "your the best", "you rock", "love you", "i love you",
    "you're amazing", "your amazing", "you're awesome", "good job",
    "well done", "legend", "goat",
    # reactions / acknowledgements
    "lol", "lmao", "lmfao", "rofl", "haha", "hahaha", "hehe", "heh", "ok",
    "okay", "okey", "k", "kk", "cool", "nice", "great", "awesome", "amazing",
    "perfect", "sweet", "bet", "word", "dope", "fire", "lit", "gotcha", "ah",
    "oh", "ooh", "wow", "hmm", "hm", "um", "uh", "mhm", "yes", "yeah", "yep",
    "yup", "ya", "sure", "alright", "aight", "no", "nope", "nah", "omg", "yay",
    "love it", "love that", "sounds good", "sounds great", "got it",
    "makes sense", "no worries", "all good", "never mind", "that's great",
    "that's awesome", "that's perfect", "that's cool", "that's helpful",
    "that works", "that's all", "i see", "fair enough", "i'm good",
    "i'm fine", "not much", "you too", "same to you", "have a good day",
    "true", "facts", "fr", "for real", "ikr", "lovely", "fantastic", "brilliant", "slay",
    "i dont know", "not gonna lie", "on my way", "forget it",
    "forget about it",
    # farewells
    "bye", "goodbye", "see you", "see ya", "cya", "later", "ttyl",
    "talk later", "talk to you later",
    # fillers that only count when everything else is small talk
    "violet", "so", "so much", "very", "really", "again", "too", "also",
    "and", "just", "please", "guys", "all", "everyone", "bro", "dude", "girl",
    "bestie", "man", "friend", "buddy",
)

_CLEAR = (
    "start over", "start again", "start fresh", "start from scratch",
    "start a new chat", "start a new conversation", "restart", "reset",
    "reset the chat", "reset chat", "clear chat", "clear the chat",
    "clear this chat", "clear history", "clear the history",
    "clear my history", "clear everything", "clear it all", "clear all",
    "clear conversation", "clear the conversation", "clear memory",
    "clear context", "forget everything", "forget it all", "forget all that",
    "forget all of that", "forget what i said", "forget all", "forget that",
    "new conversation", "new chat", "new session", "wipe", "wipe it",
    "begin again", "fresh start", "clean slate", "from scratch",
    "scratch that", "clear",
)
# Bare verbs such as "reset" or "clear" only mean the chat when nothing else
# is their object: "reset my password" and "clear skies?" are not resets.
_BARE_CLEAR_VERBS = frozenset({"reset", "restart", "wipe", "clear"})
_CLEAR_OBJECTS = frozenset({
    "chat", "conversation", "everything", "all", "it", "this", "that",
    "please", "now", "violet", "history", "memory", "context", "again",
    "the", "lol", "thanks", "ok",
})

# Phrases that on their own mean "find me places".  They are strong enough to
# beat an anaphoric "it"/"there" ("can you recommend a bar near there?").
_REQUEST_PHRASES = (
    "where can i", "where can we", "where should i", "where should we",
    "where could i", "where could we", "where do i find", "where to",
    "where's a", "where's a good", "where's the best", "where's good",
    "where is a good", "where is the best", "where are the best",
    "where are some", "where are good", "where do people",
    "recommend me", "recommend a", "recommend some", "recommend somewhere",
    "recommend something", "recommend any", "recommend places",
    "recommendation", "recommendations", "recs", "any recs", "rec me",
    "suggest a", "suggest some", "suggest somewhere", "suggest something",
    "suggest any", "suggestion", "suggestions", "ideas", "looking for",
    "look for", "lookin for", "find me", "find a", "find some",
    "find somewhere", "find something", "help me find", "show me a",
    "show me some", "need somewhere", "craving", "crave", "hungry", "starving", "thirsty",
    "bored", "any good", "anything good", "something good", "what's good",
    "what's fun", "what's open", "what's happening", "what's going on",
    "what to do", "something to do", "anything to do", "things to do",
    "stuff to do", "what should i do", "what should we do", "what can i do",
    "what can we do", "take me", "go out", "in the mood for", "feel like",
    "best place", "best places", "best spot", "best spots", "good place",
    "good places", "good spot", "good spots", "places to", "spots to",
    "place to", "spot to", "somewhere to", "anywhere to", "let's go",
    "down for",
)

# Nouns naming a kind of place or outing.  Their presence means the user
# still wants places even without a request verb ("late night tacos?").
_CATEGORY_NOUNS = (
    "place", "places", "spot", "spots", "somewhere", "anywhere",
    "restaurant", "restaurants", "food", "eat", "eats", "eating", "meal",
    "bite", "lunch", "dinner", "brunch", "breakfast", "dessert", "desserts",
    "snack", "snacks", "coffee", "cafe", "cafes", "coffee shop", "tea",
    "boba", "bubble tea", "matcha", "bar", "bars", "pub", "pubs", "drink",
    "drinks", "cocktail", "cocktails", "beer", "beers", "wine", "club",
    "clubs", "nightlife", "party", "parties", "pizza", "sushi", "ramen",
    "taco", "tacos", "burger", "burgers", "bagel", "bagels", "dumpling",
    "dumplings", "noodle", "noodles", "pho", "halal", "vegan", "vegetarian",
    "thai", "chinese", "korean", "indian", "mexican", "italian", "japanese",
    "bakery", "bakeries", "gelato", "ice cream", "donut", "donuts",
    "cupcake", "cupcakes", "sandwich", "sandwiches", "salad", "salads", "bbq",
    "chicken", "wings", "seafood", "steak", "bodega", "grocery", "groceries",
    "pharmacy", "library", "libraries", "park", "parks", "museum", "museums",
    "gallery", "galleries", "concert", "concerts", "live music", "jazz",
    "comedy", "karaoke", "bowling", "arcade", "gym", "gyms", "yoga",
    "thrift", "thrifting", "shopping", "bookstore", "bookstores", "movie",
    "movies", "theater", "theatre", "cinema", "rooftop", "rooftops",
    "speakeasy", "happy hour", "open mic", "event", "events", "activities",
    "activity", "fun", "hangout", "hang out", "date night", "date spot",
    "date spots", "date idea", "date ideas", "cheap eats",
)

# Purposes ("to study") hint at a request but are weaker than a category: in
# "is it good for studying?" the user is still asking about a shown place.
_WEAK_REQUEST = (
    "study", "studying", "read", "reading", "laptop",
    "date", "hang", "hang out", "relax", "chill", "near me", "nearby",
    "around here", "around campus", "near campus", "near nyu", "close by",
    "in the area", "in the village", "tonight", "this weekend", "weekend",
    "today", "right now", "anything in", "anything near", "anything around",
    "something in", "something near", "something around", "anywhere in",
    "anywhere near", "in brooklyn", "in dumbo", "in soho", "in williamsburg",
    "in the east village", "in the west village", "in chinatown",
    "in fort greene", "in downtown brooklyn",
)

# Questions about properties of a place.  With cards on screen they make a
# follow-up; without them they still imply the user wants places.
_ATTRIBUTES = (
    "open", "opens", "opening", "close", "closes", "closing", "closed",
    "hours", "hour", "late", "open late", "address", "located", "location",
    "far", "distance", "away", "walk", "walking", "walkable", "minutes",
    "mins", "min", "blocks", "price", "prices", "pricey", "expensive",
    "cheap", "cost", "costs", "how much", "menu", "reservation",
    "reservations", "reserve", "book", "wait", "line", "busy", "crowded",
    "packed", "loud", "noisy", "quiet", "wifi", "outlets", "outlet",
    "seating", "seats", "outdoor", "rating", "ratings", "reviews", "review",
    "rated", "stars", "worth", "worth it", "phone", "website", "cash",
    "card", "cards", "dogs", "pets", "bathroom", "bathrooms", "vibe",
    "vibes", "atmosphere", "dress code", "discount", "student discount",
    "directions", "get there", "tell me more", "more about", "more info",
    "more information", "more details", "details", "info", "how long",
    "kid friendly", "good for", "safe", "accessible", "like inside",
)

# Spans that use the word "more" without asking for more options.
_MORE_NEUTRALISERS = (
    "tell me more", "more about", "more info", "more information",
    "more details", "know more", "learn more", "say more",
    "another question", "one more question", "one more thing",
)

_MORE_OPTIONS = (
    "more", "more options", "any more", "others", "other", "other options",
    "other ones", "other places", "another", "another one", "another place",
    "else", "anything else", "something else", "somewhere else",
    "what else", "different", "different ones", "alternatives",
    "alternative", "similar", "more like", "next one", "next ones",
    "next option", "next options", "next few", "next page", "keep going",
    "go on", "none of these", "none of those", "none of them", "not these",
    "not those", "not feeling", "don't like", "not a fan", "not into",
    "besides", "instead", "next please",
)

# References back to the cards as a group or to "the one we talked about".
_ANAPHORA = (
    "it", "its", "it's", "that", "that's", "them", "they", "they're",
    "their", "those", "these", "this one", "that one", "this place",
    "that place", "this spot", "that spot", "the place", "the spot",
    "these ones", "those ones", "these places", "those places",
    "the other one", "there",
)

# The tokens of those references that point at one place, not at the cards as a group.
_ONE_PLACE_WORDS = frozenset({"it", "its", "that", "thats", "this", "one", "place", "spot", "there"})

# References to the *list*, which only make sense with cards on screen.
_LIST_REFERENCES = (
    "which one", "which ones", "which of", "which is", "which would",
    "which do you", "which should", "which place", "which spot",
    "any of them", "any of these", "any of those", "all of them",
    "of these", "of those", "of them", "both", "either", "neither",
    "compare", "between them", "versus", "vs", "out of these",
)

# Verbs that keep a category noun inside the follow-up ("do they have vegan
# food?") rather than turning it into a new search.
_POSSESSION = ("have", "has", "serve", "serves", "sell", "sells", "offer",
               "offers", "got", "make", "makes", "take", "takes", "do they")

_INDEFINITE = ("any", "some", "a", "an", "another", "good", "best", "other",
               "more")

_GENERAL_META = (
    "what can you do", "what do you do", "who are you", "what are you",
    "who made you", "who built you", "who created you", "are you a bot",
    "are you real", "are you human", "are you an ai", "are you ai",
    "what's your name", "what is your name", "how do you work",
    "how does this work", "how does this app work", "what is this app",
    "what is violetvibes", "help", "what else can you do",
    "can you help me with", "what time is it", "what day is it",
    "what's the date", "what is the date", "what's today",
    "what's today's date",
)

_GENERAL_WEATHER = (
    "weather", "forecast", "rain", "raining", "rainy", "snow", "snowing",
    "temperature", "degrees", "humid", "umbrella", "cold out", "hot out",
    "sunny", "windy", "cloudy", "sky", "skies", "storm", "stormy", "heatwave",
    "nice out",
)

# Directions are general only when they are not about a shown card; "how do
# I get there?" is a follow-up and is caught by _ATTRIBUTES instead.
_GENERAL_DIRECTIONS = (
    "how do i get to", "how do i get from", "how to get to",
    "how can i get to", "best way to get to", "directions to",
    "how do i take", "how far is campus",
)

# Campus-life topics; weaker than a category noun ("study spots for finals").
_GENERAL_SOFT = (
    "semester", "semesters", "class", "classes", "lecture", "finals",
    "midterms", "midterm", "exam", "exams", "registration", "register",
    "enroll", "enrollment", "professor", "professors", "tuition",
    "financial aid", "scholarship", "graduation", "commencement",
    "spring break", "fall break", "winter break", "deadline", "add drop",
    "albert", "nyu id", "dorm", "dorms", "housing", "meal plan", "subway",
    "train", "trains", "mta", "metrocard", "omny", "bus", "citibike",
    "manhattan",
)

# Comparatives and "now" phrases: the user wants the list shifted along one
# axis.  Checked in this order when several fire; earliest match wins.
_REFINEMENT_PHRASES: dict[str, tuple[str, ...]] = {
    CHEAPER: (
        "cheaper", "cheapest", "less expensive", "less pricey",
        "not as expensive", "not so expensive", "more affordable",
        "lower price", "lower priced", "too expensive", "too pricey",
        "cheaper ones", "costs less",
    ),
    CLOSER: (
        "closer", "closest", "nearer", "nearest", "less far", "not as far",
        "not so far", "shorter walk", "too far", "too far away",
    ),
    QUIETER: (
        "quieter", "quietest", "less noisy", "less loud", "less crowded",
        "less busy", "not as loud", "not as crowded", "not so loud",
        "calmer", "more chill", "more quiet", "more relaxed", "too loud",
        "too noisy", "too crowded", "too busy", "too packed",
    ),
    OPEN_NOW: (
        "open now", "open right now", "still open", "currently open",
        "open at the moment", "opened now", "open today",
    ),
    BETTER_RATED: (
        "better rated", "higher rated", "best rated", "top rated",
        "highest rated", "better reviews", "better reviewed", "best reviews",
        "higher rating", "higher ratings", "better ratings", "more stars",
        "anything better", "something better", "better ones",
        "better options", "better places", "better spots",
    ),
}

# Positive adjectives after an indefinite ("anything cheap?") read as a
# refinement only while cards are on screen; in a fresh request "somewhere
# quiet" is simply part of the query.
_ALTERNATIVE_ADJECTIVES: dict[str, tuple[str, ...]] = {
    CHEAPER: ("cheap", "affordable", "inexpensive", "budget friendly"),
    CLOSER: ("close", "near", "nearby", "close by", "walkable"),
    QUIETER: ("quiet", "calm", "chill"),
    OPEN_NOW: ("open",),
}
_ALTERNATIVE_HEADS = ("anything", "something", "somewhere", "anywhere",
                      "any", "ones", "options", "places", "spots")
# "anything open late / tomorrow" is about a different time, not "now".
_NOT_NOW = frozenset({"late", "later", "tomorrow", "on", "at", "until",
                      "till", "til", "tonight", "sunday", "saturday",
                      "weekends", "weekend"})

_QUESTION_WORDS = frozenset({
    "what", "whats", "when", "where", "wheres", "who", "whos", "why", "how",
    "hows", "is", "are", "can", "could", "do", "does", "did", "will",
    "would", "should", "any", "anything", "which", "whens",
})

# Ordinals and position words.  "last" is encoded as -1.
_ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
    "fourth": 4, "4th": 4, "fifth": 5, "5th": 5, "sixth": 6, "6th": 6,
    "seventh": 7, "7th": 7, "eighth": 8, "8th": 8, "ninth": 9, "9th": 9,
    "tenth": 10, "10th": 10, "last": -1, "final": -1, "bottom": -1,
}
_CARDINALS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    **{str(n): n for n in range(1, 11)},
}
# Words after which a cardinal is a position: "number 3", "#3", "option two".
_NUMBER_PREFIXES = frozenset({"number", "num", "option", "pick", "choice"})
# Nouns after an ordinal that make it a card reference ("the second spot").
_REFERENCE_NOUNS = frozenset({
    "one", "ones", "place", "spot", "option", "rec", "recommendation",
    "suggestion", "result", "pick", "choice", "restaurant", "cafe", "bar",
    "shop", "park", "library", "card", "listing", "location", "name",
    "link",
})
# Nouns after an ordinal that make it ordinary English ("first time",
# "last night", "second floor").
_ORDINAL_BLOCKERS = frozenset({
    "time", "times", "day", "days", "week", "weekend", "month", "year",
    "night", "semester", "date", "floor", "thing", "things", "step", "half",
    "class", "hour", "minute", "round", "course", "person", "stop",
    "question", "visit", "meal", "bite", "sip", "of",
})
_DETERMINERS = frozenset({"the", "that", "this", "your", "ur"})

# Words that never identify a place on their own: a name like "Joe's Pizza"
# is matched on "joes", not on "pizza".
_GENERIC_NAME_TOKENS = frozenset({
    "the", "a", "an", "of", "and", "at", "on", "in", "by", "nyc", "ny",
    "restaurant", "cafe", "coffee", "pizza", "pizzeria", "bar", "pub",
    "library", "park", "sushi", "ramen", "bakery", "kitchen", "grill",
    "deli", "bistro", "house", "shop", "co", "company", "hall", "center",
    "centre", "store", "market", "tavern", "lounge", "diner", "noodle",
    "noodles", "taqueria", "tea", "bagels", "bagel", "burger", "burgers",
    "museum", "gallery", "club", "room", "eatery", "cafeteria", "roasters",
    "espresso", "bookstore", "books", "garden", "gardens", "theater",
    "theatre", "cinema", "gym", "studio", "plaza", "bakeshop", "cafes",
})

# Ordinary words that may appear in a place name ("Think Coffee",
# "Washington Square Park") but must not identify it when said alone.
_COMMON_WORDS = frozenset({
    "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any",
    "anyone", "are", "around", "as", "at", "back", "be", "because", "been", "before",
    "being", "best", "better", "big", "bit", "both", "but", "by", "can", "could", "day",
    "did", "do", "does", "doing", "done", "dont", "down", "during", "each", "even",
    "ever", "every", "few", "find", "first", "for", "from", "get", "go", "going",
    "gone", "good", "got", "great", "had", "has", "have", "having", "he", "her", "here",
    "him", "his", "how", "i", "if", "im", "in", "into", "is", "it", "its", "just",
    "know", "last", "let", "like", "little", "look", "lot", "love", "make", "many",
    "may", "me", "might", "more", "most", "much", "must", "my", "near", "need", "never",
    "new", "next", "nice", "no", "not", "now", "of", "off", "ok", "old", "on", "once",
    "one", "only", "or", "other", "our", "out", "over", "own", "people", "pretty",
    "quite", "rather", "really", "right", "same", "say", "see", "she", "should",
    "since", "so", "some", "still", "such", "sure", "take", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "thing", "things", "think",
    "this", "those", "through", "time", "to", "too", "try", "under", "up", "us", "use",
    "very", "want", "was", "way", "we", "well", "were", "what", "when", "where",
    "which", "while", "who", "why", "will", "with", "without", "would", "yes", "yet",
    "you", "your", "north", "south", "east", "west", "square", "union", "street", "st",
    "ave", "avenue", "village", "greenwich", "soho", "noho", "brooklyn", "manhattan",
    "queens", "bronx", "harlem", "chelsea", "tribeca", "midtown", "downtown", "uptown",
    "nyu", "nyc", "york", "city", "central", "grand", "blue", "red", "green", "black",
    "white", "gold", "golden", "happy", "lucky", "corner", "local",
})

# ---------------------------------------------------------------------------
# Tokenisation helpers
# ---------------------------------------------------------------------------


def _fold(text: str) -> str:
    text = APOSTROPHES.sub("", text.replace("\ufe0f", ""))
    text = _EMOJI.sub(lambda m: f" {_EMOJI_WORDS[m.group(0)]} ", text)
    text = _HASH_NUMBER.sub(r" number \1 ", text)
    text = text.replace("&", " and ")
    if not text.isascii():
        # Fold accents so "Devoción" and "devocion" are the same token.
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


def _raw_tokens(text: str) -> list[str]:
    return _WORD.findall(_fold(text))


def _phrase_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(_raw_tokens(phrase))


class _PhraseSet:
    """Multi-word phrases indexed by first token for linear-time scanning."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            toks = _phrase_tokens(phrase)
            if toks:
                self._by_first.setdefault(toks[0], []).append(toks)
        for options in self._by_first.values():
            # Longest first so "clear the chat" wins over "clear".
            options.sort(key=len, reverse=True)

    @property
    def words(self) -> set[str]:
        return {tok for group in self._by_first.values()
                for phrase in group for tok in phrase}

    def spans(self, tokens: Sequence[str]) -> list[tuple[int, int]]:
        """All (start, end) spans, longest match per start position."""
        found = []
        for i, tok in enumerate(tokens):
            for phrase in self._by_first.get(tok, ()):
                end = i + len(phrase)
                if tuple(tokens[i:end]) == phrase:
                    found.append((i, end))
                    break
        return found

    def hit(self, tokens: Sequence[str]) -> bool:
        return bool(self.spans(tokens))


_SMALL_TALK_SET = _PhraseSet(_SMALL_TALK)
_CLEAR_SET = _PhraseSet(_CLEAR)
_REQUEST_SET = _PhraseSet(_REQUEST_PHRASES)
_CATEGORY_SET = _PhraseSet(_CATEGORY_NOUNS)
_WEAK_SET = _PhraseSet(_WEAK_REQUEST)
_ATTRIBUTE_SET = _PhraseSet(_ATTRIBUTES)
_MORE_SET = _PhraseSet(_MORE_OPTIONS)
_MORE_NEUTRAL_SET = _PhraseSet(_MORE_NEUTRALISERS)
_ANAPHORA_SET = _PhraseSet(_ANAPHORA)
_LIST_REF_SET = _PhraseSet(_LIST_REFERENCES)
_POSSESSION_SET = _PhraseSet(_POSSESSION)
_META_SET = _PhraseSet(_GENERAL_META)
_WEATHER_SET = _PhraseSet(_GENERAL_WEATHER)
_DIRECTIONS_SET = _PhraseSet(_GENERAL_DIRECTIONS)
_GENERAL_SOFT_SET = _PhraseSet(_GENERAL_SOFT)
_REFINEMENT_SETS = {key: _PhraseSet(p) for key, p in _REFINEMENT_PHRASES.items()}
_ALTERNATIVE_SETS = {
    key: _PhraseSet(f"{head} {adj}" for head in _ALTERNATIVE_HEADS
                    for adj in adjectives)
    for key, adjectives in _ALTERNATIVE_ADJECTIVES.items()
}
_INDEFINITES = frozenset(_INDEFINITE)

_ALL_SETS = (
    _SMALL_TALK_SET, _CLEAR_SET, _REQUEST_SET, _CATEGORY_SET, _WEAK_SET,
    _ATTRIBUTE_SET, _MORE_SET, _MORE_NEUTRAL_SET, _ANAPHORA_SET,
    _LIST_REF_SET, _POSSESSION_SET, _META_SET, _WEATHER_SET, _DIRECTIONS_SET,
    _GENERAL_SOFT_SET, *_REFINEMENT_SETS.values(),
    *_ALTERNATIVE_SETS.values(),
)

_VOCABULARY: frozenset[str] = frozenset(
    set().union(*(s.words for s in _ALL_SETS))
    | _COMMON_WORDS
    | set(_ORDINALS) | set(_CARDINALS) | _NUMBER_PREFIXES | _REFERENCE_NOUNS
    | _ORDINAL_BLOCKERS | _QUESTION_WORDS | _GENERIC_NAME_TOKENS
    | {t for v in _TYPOS.values() for t in v.split()}
)

# Fuzzy correction only targets content keywords of 5+ letters: short words
# have too many one-edit neighbours to correct safely.
_FUZZY_TARGETS: dict[int, tuple[str, ...]] = {}
# Common words are excluded as targets so a typo never lands on a function
# word that would flip the intent.
for _word in sorted(_VOCABULARY - _COMMON_WORDS):
    if len(_word) >= 5 and _word.isalpha():
        _FUZZY_TARGETS.setdefault(len(_word), ())
        _FUZZY_TARGETS[len(_word)] += (_word,)
del _word


def _osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, giving up once it exceeds limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if (i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb):
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _fuzzy_keyword(token: str) -> str | None:
    if len(token) < 5 or not token.isalpha():
        return None
    best: list[str] = []
    for length in (len(token) - 1, len(token), len(token) + 1):
        for cand in _FUZZY_TARGETS.get(length, ()):
            if _osa_distance(token, cand, 1) <= 1:
                best.append(cand)
    # Ambiguous corrections are worse than none.
    return best[0] if len(best) == 1 else None


# Cached because chat vocabulary is small and repetitive, while the fuzzy
# pass is the only non-trivial cost per token.
@lru_cache(maxsize=8192)
def _normalise_token(token: str) -> tuple[str, ...]:
    if token in _TYPOS:
        return tuple(_TYPOS[token].split())
    if token in _VOCABULARY or not token.isalpha():
        return (token,)
    # Elongations: "heyyy" -> "hey", "hiii" -> "hi", "coool" -> "cool".
    for cand in (_RUN_OF_3.sub(r"\1\1", token), _RUN_OF_2.sub(r"\1", token)):
        if cand in _TYPOS:
            return tuple(_TYPOS[cand].split())
        if cand in _VOCABULARY:
            return (cand,)
    fixed = _fuzzy_keyword(token)
    return (fixed or token,)


def tokenize(message: str) -> list[str]:
    """Normalised, spell-corrected tokens of a message (exposed for tests)."""
    out: list[str] = []
    for tok in _raw_tokens(message):
        out.extend(_normalise_token(tok))
    return out


# ---------------------------------------------------------------------------
# Place references
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Card:
    index: int  # index into the caller's sequence, the order shown
    tokens: tuple[str, ...]
    key: tuple[str, ...]  # distinctive tokens used for matching


def _cards(remembered: Sequence[str]) -> list[_Card]:
    return [_Card(index, *_name_tokens(str(name))) for index, name in enumerate(remembered)]


# The same handful of names is re-sent on every turn of a conversation.
@lru_cache(maxsize=4096)
def _name_tokens(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    tokens = tuple(_raw_tokens(name))
    key = tuple(t for t in tokens if t not in _GENERIC_NAME_TOKENS)
    return tokens, key or tokens


@lru_cache(maxsize=65536)
def _same_word(said: str, name_token: str) -> bool:
    if said == name_token:
        return True
    # Possessive/plural drift: "joe" vs "joes", "junior" vs "juniors".
    if said + "s" == name_token or name_token + "s" == said:
        return len(min(said, name_token, key=len)) >= 3
    # Typos in distinctive names ("katsuie", "devocoin"), but never when the
    # user typed a real word ("dinner" must not match "Dibner").
    return (
        len(name_token) >= 5
        and said not in _VOCABULARY
        and said.isalpha()
        and _osa_distance(said, name_token, 1) <= 1
    )


def _find_sequence(raw: Sequence[str], seq: Sequence[str]) -> list[int]:
    n = len(seq)
    return [
        i for i in range(len(raw) - n + 1)
        if all(_same_word(raw[i + k], seq[k]) for k in range(n))
    ]


@dataclass
class _NameRefs:
    matched: set[int]  # card indices named in the message
    used: set[int]  # token positions consumed by those names
    vague: bool = False  # "the library" when several cards are libraries


def _name_matches(raw: Sequence[str], cards: Sequence[_Card]) -> _NameRefs:
    matched: set[int] = set()
    used: set[int] = set()
    vague = False
    key_counts: dict[str, int] = {}
    for card in cards:
        for tok in set(card.key):
            key_counts[tok] = key_counts.get(tok, 0) + 1

    def mark(card: _Card, starts: list[int], length: int) -> bool:
        if not starts:
            return False
        matched.add(card.index)
        for s in starts:
            used.update(range(s, s + length))
        return True

    for card in cards:
        if not card.tokens:  # a blank or emoji-only name can never be "said"
            continue
        if mark(card, _find_sequence(raw, card.tokens), len(card.tokens)):
            continue
        distinctive_key = len(card.key) > 1 or card.key[0] not in _COMMON_WORDS
        if distinctive_key and mark(card, _find_sequence(raw, card.key),
                                    len(card.key)):
            continue
        # A single distinctive word of a longer name: "quotidien", "bridge".
        for tok in card.key:
            if (len(card.key) > 1 and key_counts[tok] == 1 and len(tok) >= 4
                    and tok not in _COMMON_WORDS
                    and mark(card, _find_sequence(raw, (tok,)), 1)):
                break
    # "the pizza place", "that library": a generic word from a card's name.
    # It identifies the card only when exactly one card has that word.
    for i in range(1, len(raw)):
        word = raw[i]
        if (i in used or raw[i - 1] not in _DETERMINERS
                or word not in _GENERIC_NAME_TOKENS
                or word in {"the", "a", "an", "of", "and", "at", "on", "in", "by"}):
            continue
        owners = [c for c in cards if word in c.tokens]
        if len(owners) == 1:
            matched.add(owners[0].index)
            used.add(i)
        elif owners:
            vague = True
    return _NameRefs(matched, used, vague)


def _position_refs(tokens: Sequence[str]) -> list[int]:
    """1-based positions (or -1 for "last") the user points at."""
    refs = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i > 0 else None
        nxt = tokens[i + 1] if i + 1 < n else None
        if tok in _ORDINALS:
            if nxt in _ORDINAL_BLOCKERS:
                continue
            # "the first and (the) second": coordination carries the article.
            coordinated = bool(refs) and prev in {"and", "or", "vs", "versus"}
            if (nxt in _REFERENCE_NOUNS or prev in _DETERMINERS
                    or coordinated or n == 1):
                refs.append(_ORDINALS[tok])
        elif tok == "top" and nxt in {"one", "pick", "choice", "option"}:
            refs.append(1)
        elif tok in _CARDINALS and prev in _NUMBER_PREFIXES:
            refs.append(_CARDINALS[tok])
    return refs


def _resolve_position(position: int, cards: Sequence[_Card]) -> int | None:
    """The card index at a 1-based position (-1: the last one), None past the end."""
    if not cards:
        return None
    if position == -1:
        return len(cards) - 1
    return position - 1 if 1 <= position <= len(cards) else None


# ---------------------------------------------------------------------------
# Feature extraction and decision
# ---------------------------------------------------------------------------


def _covered(spans: Iterable[tuple[int, int]]) -> set[int]:
    return {i for start, end in spans for i in range(start, end)}


def _anaphora_positions(tokens: Sequence[str]) -> set[int]:
    positions = _covered(_ANAPHORA_SET.spans(tokens))
    for i, tok in enumerate(tokens):
        if tok != "there" or i not in positions:
            continue
        prev = tokens[i - 1] if i > 0 else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        # Existential "is there a bar...", "what else is there": not a place.
        if prev in {"is", "are", "was", "were", "any"} or nxt in {
                "is", "are", "any", "a", "an", "some"}:
            positions.discard(i)
    return positions


def _refinement(tokens: Sequence[str], *, with_cards: bool,
                has_new_topic: bool) -> str | None:
    best: tuple[int, str] | None = None
    for key, phrase_set in _REFINEMENT_SETS.items():
        for start, _ in phrase_set.spans(tokens):
            if best is None or start < best[0]:
                best = (start, key)
    if best is None and with_cards and not has_new_topic:
        for key, phrase_set in _ALTERNATIVE_SETS.items():
            for start, end in phrase_set.spans(tokens):
                if key == OPEN_NOW and end < len(tokens) and tokens[end] in _NOT_NOW:
                    continue
                if best is None or start < best[0]:
                    best = (start, key)
    return best[1] if best else None


def _wants_clear(tokens: Sequence[str]) -> bool:
    for start, end in _CLEAR_SET.spans(tokens):
        bare = end - start == 1 and tokens[start] in _BARE_CLEAR_VERBS
        if not bare or end == len(tokens) or tokens[end] in _CLEAR_OBJECTS:
            return True
    return False


def _is_question(message: str, tokens: Sequence[str]) -> bool:
    return "?" in message or bool(tokens and tokens[0] in _QUESTION_WORDS)


def _is_small_talk_only(tokens: Sequence[str]) -> bool:
    return len(_covered(_SMALL_TALK_SET.spans(tokens))) == len(tokens)


def classify_intent(
    message: str,
    *,
    remembered: Sequence[str] = (),
) -> IntentResult:
    """Classify one chat message.

    ``remembered`` holds the names of the place cards shown in the previous
    turn, in the order shown.  ``target_index`` indexes into that sequence.
    ``refinement`` is reported for place-seeking intents only.
    """
    cards = _cards(remembered)
    raw = _raw_tokens(message)
    names = _name_matches(raw, cards) if cards else _NameRefs(set(), set())

    tokens: list[str] = []
    for i, tok in enumerate(raw):
        # Never spell-correct a place name into a keyword ("dibner"/"dinner").
        tokens.extend((tok,) if i in names.used else _normalise_token(tok))

    anaphora = _anaphora_positions(tokens)
    result = _decide(message, tokens, cards, names, anaphora)
    return replace(
        result,
        tokens=tuple(tokens),
        about_one_place=any(tokens[i] in _ONE_PLACE_WORDS for i in anaphora),
    )


def _decide(message: str, tokens: Sequence[str], cards: Sequence[_Card],
            names: _NameRefs, anaphora: set[int]) -> IntentResult:
    """The ordered rules; the order encodes which signal wins."""
    matched_cards = names.matched
    if not tokens:
        return IntentResult(SMALL_TALK)

    request_phrase = _REQUEST_SET.hit(tokens)
    category_spans = [s for s in _CATEGORY_SET.spans(tokens)
                      if s[0] not in anaphora]
    category = bool(category_spans)
    indefinite_category = any(
        start > 0 and tokens[start - 1] in _INDEFINITES
        for start, _ in category_spans
    ) or any(tok in {"somewhere", "anywhere"} for tok in tokens)
    wants_places = request_phrase or category

    if _wants_clear(tokens) and not wants_places:
        return IntentResult(CLEAR)
    if _is_small_talk_only(tokens):
        return IntentResult(SMALL_TALK)

    neutral = _covered(_MORE_NEUTRAL_SET.spans(tokens))
    more_positions = _covered(_MORE_SET.spans(tokens)) - neutral
    for phrase_set in _REFINEMENT_SETS.values():
        more_positions -= _covered(phrase_set.spans(tokens))
    more_positions -= anaphora
    # A bare "next" is paging; "next week" is not, so only the lone word counts.
    more = bool(more_positions) or tokens == ["next"]

    has_new_topic = category or _WEAK_SET.hit(tokens)
    refinement = _refinement(tokens, with_cards=bool(cards),
                             has_new_topic=has_new_topic)
    meta = _META_SET.hit(tokens) or _WEATHER_SET.hit(tokens)
    question = _is_question(message, tokens)

    if not cards:
        # Nothing to follow up on: anything place-flavoured is a new search
        # (best effort for "is it open late?"), the rest is a question or chat.
        if meta and not request_phrase:
            return IntentResult(GENERAL_QUESTION)
        if (_DIRECTIONS_SET.hit(tokens) and not request_phrase
                and not anaphora):
            return IntentResult(GENERAL_QUESTION)
        if (wants_places or refinement or more or _WEAK_SET.hit(tokens)
                or _ATTRIBUTE_SET.hit(tokens)):
            return IntentResult(NEW_REQUEST, None, refinement)
        if question or _GENERAL_SOFT_SET.hit(tokens):
            return IntentResult(GENERAL_QUESTION)
        return IntentResult(SMALL_TALK)

    positions = _position_refs(tokens)
    pointed = set(matched_cards)
    for pos in positions:
        idx = _resolve_position(pos, cards)
        if idx is not None:
            pointed.add(idx)
    target = next(iter(pointed)) if len(pointed) == 1 else None
    refers_to_card = bool(matched_cards or positions or names.vague)

    # Pointing at a card (by rank, name or "which one") is the most specific
    # signal there is, so it beats directions, weather and category nouns.
    if refers_to_card or _LIST_REF_SET.hit(tokens):
        intent = MORE_OPTIONS if more and not refinement else FOLLOW_UP
        return IntentResult(intent, target, refinement)
    if meta and not request_phrase:
        return IntentResult(GENERAL_QUESTION)
    if _DIRECTIONS_SET.hit(tokens) and not anaphora and not request_phrase:
        return IntentResult(GENERAL_QUESTION)
    if refinement:
        return IntentResult(FOLLOW_UP, None, refinement)
    if more:
        return IntentResult(MORE_OPTIONS)
    if anaphora:
        # "it"/"they" point back at the cards unless the user is clearly
        # starting a new search around them ("any bars near it?"); "do they
        # have vegan food?" stays a follow-up despite the category noun.
        if request_phrase or (indefinite_category
                              and not _POSSESSION_SET.hit(tokens)):
            return IntentResult(NEW_REQUEST)
        return IntentResult(FOLLOW_UP)
    if wants_places:
        return IntentResult(NEW_REQUEST)
    # A bare attribute ("hours?", "address pls") can only be about the cards.
    if _ATTRIBUTE_SET.hit(tokens):
        return IntentResult(FOLLOW_UP)
    if _WEAK_SET.hit(tokens):
        return IntentResult(NEW_REQUEST)
    if question or _GENERAL_SOFT_SET.hit(tokens):
        return IntentResult(GENERAL_QUESTION)
    return IntentResult(SMALL_TALK)
