"""Map free-text requests (and client-sent vibe names) to one of nine vibes.

The concierge needs a cheap, predictable first guess at what a student is
after before any place lookup or LLM call happens, so this module is a small
rule-based scorer rather than a model: pure Python, no dependencies,
deterministic, and everything is precompiled at import.

How ``classify_vibe`` works:

1. Tokenise on words (NFKD + casefold, accents and apostrophes dropped,
   punctuation kept only as clause boundaries), so "little" never matches
   "lit" and "barbecue" never matches "bar".
2. Canonicalise each token: explicit misspelling/slang table, exact lexicon
   word, naive singular or base form ("clubs", "quickest"), de-elongation
   ("partyyy"), then a bounded fuzzy match (one edit, same first letter,
   words of length >= 5, common English words excluded).
3. Scan left to right, preferring the longest lexicon phrase at each
   position; add its weights to the matching vibes unless it sits inside a
   short negation scope ("not a bar", "no clubs") or is damped because it
   follows "after" ("a beer after class" is not about class).
4. The highest-scoring non-generic vibe wins; no signal, only a weak hint
   (below MIN_SCORE), a tie, or a greeting at least as strong as the best
   signal yields "generic".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

VIBES: tuple[str, ...] = (
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

GENERIC = "generic"

# fmt: off
# Weights: ~3-4 = the word alone settles the vibe, ~2 = strong hint,
# ~1 = supporting hint, < 1 = tie-breaker only. Multi-word keys are phrases
# and are matched before their individual words, which they then consume
# ("happy hour" never also counts as "hour", "whole foods" is not food).
# Write phrase words in singular form: runtime plurals are singularised.
LEXICON: dict[str, dict[str, float]] = {
    "explore": {
        "explore": 3, "exploring": 3, "sightseeing": 3, "sightsee": 3,
        "sight": 2, "tourist": 2, "touristy": 2, "tour": 1.5,
        "attraction": 2, "landmark": 2, "museum": 3, "gallery": 2.5,
        "exhibit": 2.5, "exhibition": 2.5, "art": 1, "moma": 3,
        "whitney": 2.5, "guggenheim": 3, "park": 2.5, "garden": 2,
        "botanical": 2, "greenery": 2, "nature": 2, "outdoors": 2,
        "outdoor": 1.5, "outside": 1.5, "walk": 2, "walking": 2,
        "stroll": 2, "hike": 2, "wander": 2, "view": 2, "skyline": 2.5,
        "sunset": 1.5, "sunrise": 1.5, "scenic": 2.5, "waterfront": 2,
        "water": 0.5, "pier": 2, "bridge": 1.5, "ferry": 2, "photo": 1,
        "pic": 1, "picture": 1, "insta": 1, "instagram": 1,
        "instagrammable": 2, "carousel": 1.5, "zoo": 2.5, "aquarium": 2.5,
        "observatory": 2, "statue": 2, "architecture": 2, "historic": 1.5,
        "history": 1, "bored": 2, "boring": 1, "activity": 2,
        "adventure": 2, "neighborhood": 1, "weekend": 0.5, "saturday": 0.5,
        "sunday": 0.5, "afternoon": 0.5, "sunny": 1, "visiting": 1,
        "visit": 1, "fun": 0.5, "free": 0.5, "indoor": 0.5, "dumbo": 1,
        "island": 1, "festival": 1,
        "thing to do": 3, "stuff to do": 3, "something to do": 3,
        "anything to do": 3, "fun to do": 3, "what to do": 2,
        "what should i do": 2, "must see": 3, "must do": 2, "the met": 2.5,
        "central park": 3, "high line": 3, "little island": 3,
        "brooklyn bridge": 2.5, "prospect park": 3, "hang outside": 2,
        "walk around": 2.5, "look at the city": 2.5, "see the city": 2.5,
        "photo op": 2, "day trip": 2.5, "to see": 1.5, "fresh air": 2.5,
        "people watch": 2, "street art": 2.5, "mural": 2, "nice day": 1.5,
        "nice weather": 1.5, "beach": 2, "boardwalk": 2, "promenade": 2,
        "picnic": 2, "sculpture": 2, "memorial": 2, "monument": 2,
        "comedy": 2, "movie": 1.5, "theater": 2, "broadway": 2.5,
        "show": 1, "coney island": 3, "governors island": 3,
        "times square": 2, "empire state": 2.5, "hudson yard": 2,
        "pretty": 0.5, "warm": 0.5, "cherry blossom": 3, "blossom": 2,
        "foliage": 2, "there to do": 3,
    },
    "study": {
        "study": 3, "studying": 3, "library": 3, "bobst": 3, "dibner": 3,
        "cram": 3, "cramming": 3, "homework": 3, "pset": 3, "essay": 2.5,
        "thesis": 2.5, "assignment": 2.5, "paper": 1, "project": 1,
        "midterm": 1.5, "final": 1.5, "exam": 2, "quiz": 1.5,
        "revise": 2.5, "revision": 2.5, "review": 1, "focus": 2.5,
        "concentrate": 2.5, "productive": 2.5, "quiet": 1.5, "silent": 2.5,
        "calm": 1, "peaceful": 1, "peace": 1, "wifi": 2.5, "outlet": 2.5,
        "laptop": 1.5, "desk": 1.5, "table": 0.5, "work": 1,
        "working": 1.5, "coworking": 3, "cowork": 3, "read": 1,
        "reading": 1.5, "textbook": 1, "note": 1, "lecture": 0.5,
        "class": 0.5, "sesh": 1, "grind": 1.5, "zoom": 2, "interview": 1.5,
        "distraction": 1.5, "cafe": 1.5, "coding": 1.5,
        "study group": 1, "study room": 4, "quiet place": 3,
        "quiet spot": 3, "quiet cafe": 3, "problem set": 3,
        "work done": 3, "work on": 1.5, "place to work": 2, "lock in": 3,
        "locked in": 3, "grind out": 2.5, "wi fi": 2.5, "in peace": 2,
        "without distraction": 2.5, "no distraction": 2.5,
        "sit for hour": 3, "for hour": 1.5, "24 hour": 1, "for class": 1,
        "coffee shop": 1.5, "prep": 1.5, "lsat": 2.5, "mcat": 2.5,
        "gre": 2.5, "gmat": 2.5, "test": 0.5, "lab": 0.5, "email": 1.5,
        "meeting": 1, "write": 1, "writing": 1.5, "research": 2,
        "flashcard": 2.5, "deadline": 2, "workspace": 3, "plug": 1.5,
        "charging": 1, "corner": 0.5, "phone call": 1.5,
        "reading room": 3, "work space": 3, "place to sit": 1,
        "job interview": 0.5,
    },
    "food_general": {
        "restaurant": 3, "dinner": 2.5, "diner": 2.5, "lunch": 2,
        "brunch": 3, "breakfast": 1.5, "meal": 2, "eat": 1.5, "eating": 1.5,
        "food": 1.5, "cuisine": 3, "hungry": 1.5, "dine": 2.5,
        "dining": 2.5, "reservation": 2.5, "bistro": 3, "foodie": 2,
        "sushi": 3, "ramen": 3, "thai": 3, "korean": 2.5, "bbq": 3,
        "kbbq": 3, "barbecue": 3, "pho": 3, "dumpling": 2.5,
        "italian": 2.5, "pasta": 2.5, "indian": 2.5, "chinese": 2.5,
        "mexican": 2.5, "japanese": 2.5, "vietnamese": 2.5, "french": 2,
        "greek": 2, "ethiopian": 2.5, "mediterranean": 2.5, "tapas": 2.5,
        "curry": 2.5, "noodle": 2, "steak": 2.5, "steakhouse": 3,
        "seafood": 2.5, "omakase": 3, "taco": 2, "soup": 1.5, "salad": 1,
        "vegan": 1.5, "vegetarian": 1.5, "date": 1, "fancy": 1.5,
        "authentic": 1, "bussin": 1, "craving": 1, "chinatown": 1.5,
        "dish": 1.5, "menu": 1, "pizza": 1, "burger": 1,
        "sit down": 3, "dim sum": 3, "hot pot": 3, "proper meal": 3,
        "where to eat": 2, "place to eat": 2, "tasting menu": 3,
        "book a table": 3, "sichuan": 3, "szechuan": 3, "spicy": 1,
        "hotpot": 3, "malaysian": 2.5, "filipino": 2.5, "caribbean": 2.5,
        "jamaican": 2.5, "peruvian": 2.5, "turkish": 2.5, "lebanese": 2.5,
        "udon": 3, "soba": 3, "izakaya": 3, "bibimbap": 3, "biryani": 3,
        "bao": 2, "oyster": 2.5, "lobster": 2.5, "risotto": 2.5,
        "paella": 2.5, "wing": 1, "chicken": 0.5, "romantic": 2,
        "anniversary": 2, "supper": 2.5, "feast": 2,
        "soul food": 3, "middle eastern": 2.5, "fried chicken": 1.5,
        "eat out": 2, "place to sit": 1.5, "family style": 2,
        "restaurant week": 3, "something to eat": 1, "eatery": 3,
    },
    "party": {
        "party": 3, "partying": 3, "club": 3, "clubbing": 3.5,
        "nightclub": 3.5, "nightlife": 3.5, "dance": 2.5, "dancing": 3,
        "rave": 3.5, "dj": 2.5, "lit": 2, "turnt": 3.5, "concert": 2.5,
        "gig": 2, "karaoke": 2.5, "techno": 2.5, "edm": 2.5, "loud": 1,
        "wild": 1.5, "crazy": 1, "celebrate": 1.5, "celebration": 1.5,
        "birthday": 0.5, "squad": 1, "halloween": 1.5, "pregame": 2,
        "function": 2, "kickback": 1.5, "frat": 2, "rager": 3,
        "banger": 2, "bouncer": 2, "fun": 0.5, "tonight": 0.5,
        "music": 1, "band": 1.5, "drag": 1.5,
        "go out": 3, "going out": 3, "night out": 3.5, "live music": 3.5,
        "live band": 3, "dance floor": 3.5, "gay bar": 2.5, "turn up": 2.5,
        "friday night": 1, "saturday night": 1, "house music": 2.5,
        "afterparty": 3.5, "after party": 3.5, "salsa night": 3,
        "latin night": 3, "bottle service": 3, "vip": 1.5, "hip hop": 2,
        "reggaeton": 2.5, "afrobeats": 2.5, "dj set": 3, "mosh": 2.5,
        "till 4am": 1.5, "all night": 1, "bachelorette": 3,
        "bachelor party": 3, "bar crawl": 3.5, "pub crawl": 3.5,
    },
    "chill_drinks": {
        "bar": 2, "drink": 2, "drinking": 2, "beer": 2.5, "wine": 2.5,
        "cocktail": 3, "mocktail": 3, "pub": 3, "brewery": 3,
        "speakeasy": 3.5, "pint": 2.5, "sake": 2, "whiskey": 2.5,
        "margarita": 1.5, "sangria": 2, "alcohol": 1.5, "booze": 2,
        "tipsy": 1.5, "lounge": 1.5, "taproom": 3, "ipa": 2,
        "bartender": 1.5, "lowkey": 1, "chill": 0.5, "unwind": 1.5,
        "relax": 1, "relaxing": 1, "quiet": 0.5, "rooftop": 1,
        "happy hour": 4, "wine bar": 3.5, "cocktail bar": 3.5,
        "dive bar": 3.5, "rooftop bar": 3.5, "beer garden": 3.5,
        "low key": 1, "glass of wine": 3, "glass of": 2, "catch up": 1.5,
        "pool table": 2, "watch the game": 2, "nightcap": 3,
        "old fashioned": 3, "martini": 2.5, "negroni": 2.5, "mimosa": 2,
        "spritz": 2.5, "gin": 2, "vodka": 1.5, "tequila": 2, "mezcal": 2.5,
        "cider": 2, "sip": 1.5, "trivia night": 2.5, "conversation": 1,
        "hear each other": 2, "talk": 0.5,
    },
    "shopping": {
        "shop": 2, "shopping": 3.5, "store": 2, "buy": 1.5,
        "purchase": 1.5, "thrift": 3.5, "thrifting": 3.5, "vintage": 1.5,
        "clothes": 3, "clothing": 3, "mall": 3.5, "gift": 2.5,
        "present": 1, "souvenir": 3, "boutique": 3, "sneaker": 2.5,
        "shoe": 2, "jeans": 2.5, "coat": 2, "jacket": 2, "dress": 1.5,
        "outfit": 2, "jewelry": 2.5, "candle": 2, "grocery": 3.5,
        "supermarket": 3.5, "target": 2, "uniqlo": 3, "zara": 3,
        "ikea": 3, "sephora": 3, "drugstore": 3, "pharmacy": 2.5,
        "cvs": 2.5, "walgreens": 2.5, "toiletry": 2.5, "charger": 2,
        "electronics": 2.5, "furniture": 2.5, "decor": 2.5, "record": 1,
        "vinyl": 2, "soho": 1, "merch": 2, "makeup": 2, "cosmetics": 2.5,
        "flea market": 3.5, "trader joes": 3, "whole foods": 3,
        "apple store": 3.5, "art supply": 3, "record store": 3,
        "phone charger": 3, "duane reade": 3, "mothers day": 2,
        "essentials": 1.5, "hanger": 2, "storage": 1.5, "bedding": 2.5,
        "towel": 2, "supply": 1.5, "stationery": 3, "notebook": 2,
        "backpack": 2.5, "bag": 1, "suit": 2, "blazer": 2.5, "hoodie": 2,
        "sweater": 2, "sunglasses": 2, "umbrella": 2, "mat": 1, "gear": 1.5,
        "equipment": 1.5, "consignment": 3, "resale": 2.5, "depop": 2,
        "dorm stuff": 2.5, "dorm essentials": 3, "home goods": 3,
        "school supply": 3, "yoga mat": 3, "headphones": 2.5,
        "airpods": 2.5, "microwave": 2.5, "fridge": 2, "mini fridge": 3,
        "appliance": 2.5, "lamp": 2, "rug": 2, "plant": 1.5, "mirror": 1.5,
        "costume": 2.5, "phone case": 3, "replace": 1,
    },
    "fast_bite": {
        "quick": 2, "quickly": 2, "fast": 1.5, "cheap": 0.75, "eats": 1,
        "slice": 3, "pizza": 2, "bagel": 3, "halal": 2.5, "cart": 1,
        "truck": 1, "snack": 2.5, "munchies": 2.5, "takeout": 2.5,
        "bodega": 3, "deli": 2.5, "sandwich": 2, "coffee": 2, "latte": 2,
        "espresso": 2, "cappuccino": 2, "matcha": 1.5, "boba": 2.5,
        "smoothie": 2.5, "juice": 1.5, "donut": 2.5, "doughnut": 2.5,
        "croissant": 2, "pastry": 2, "bakery": 2, "cookie": 1.5,
        "dessert": 1.5, "burger": 1.5, "fries": 2, "shawarma": 2.5,
        "falafel": 2.5, "gyro": 2.5, "wrap": 1.5, "burrito": 2,
        "chipotle": 2.5, "mcdonalds": 3, "empanada": 2, "hotdog": 2.5,
        "starving": 1.5, "asap": 1.5, "minute": 1.5, "hurry": 1.5,
        "rush": 1, "grab": 1, "broke": 0.5, "dollar": 1,
        "quick bite": 4, "grab and go": 4, "grab n go": 4, "on the go": 3,
        "coffee to go": 3, "food to go": 3, "fast food": 4,
        "cheap eats": 3, "cheap food": 3, "dollar pizza": 3.5,
        "halal cart": 4, "food truck": 4, "bacon egg and cheese": 4,
        "chopped cheese": 3.5, "ice cream": 2, "hot dog": 2.5,
        "iced coffee": 2.5, "coffee run": 2.5, "between class": 2,
        "before class": 1.5, "before lecture": 1.5, "bite to eat": 3,
        "something fast": 2.5, "coffee shop": 1, "togo": 2.5,
        "bite": 2, "grab a bite": 3.5, "cold brew": 2.5, "salad": 1,
        "sweetgreen": 3, "cava": 3, "kebab": 1.5, "poke": 1.5, "wing": 1,
        "chicken": 0.5, "something to eat": 1, "on my way": 2,
        "on the way": 1.5, "way to class": 2, "late night food": 3,
        "late night bite": 3, "late night eat": 3, "drunk food": 3,
        "lunch to go": 3, "breakfast to go": 3, "order to go": 3,
        "before my class": 1.5, "before my lab": 1.5,
        "before my lecture": 1.5, "before my exam": 1.5,
        "before my shift": 1.5, "before work": 1.5, "caffeine": 2,
        "dunkin": 3, "starbucks": 2, "pret": 2.5, "now": 0.5,
    },
    "bookstore": {
        "book": 3, "bookstore": 4, "bookshop": 4, "bookseller": 4,
        "novel": 2.5, "manga": 3, "comic": 2.5, "paperback": 3,
        "hardcover": 3, "poetry": 2, "zine": 2.5, "author": 1.5,
        "reading": 1, "read": 1, "textbook": 2.5, "strand": 3.5,
        "mcnally": 3, "kinokuniya": 3, "browse": 1, "literature": 2,
        "fiction": 2, "bookworm": 2,
        "book store": 4, "book shop": 4, "comic book": 4,
        "graphic novel": 3, "first edition": 3, "barnes and noble": 4,
        "lit class": 1.5, "english lit": 1.5, "sci fi": 1.5,
        "indie press": 2, "memoir": 2.5, "biography": 2, "nonfiction": 2,
        "copy of": 2, "book club": 2.5, "signed copy": 2.5, "used book": 1,
    },
    # Only scored so that a bare greeting or meta question is not beaten by a
    # stray weak hint; it never beats a real place signal of equal strength
    # because classify_vibe resolves ties to generic anyway.
    "generic": {
        "hi": 1, "hello": 1, "hey": 1, "yo": 1, "sup": 1, "hiya": 1,
        "howdy": 1, "greetings": 1, "thanks": 1, "thank": 1, "bye": 1,
        "goodbye": 1, "help": 1, "joke": 2, "weather": 1.5, "app": 1,
        "bot": 1.5, "lol": 0.3, "lmao": 0.3, "ok": 0.3, "okay": 0.3,
        "cool": 0.3, "idk": 0.5, "hmm": 0.5, "nvm": 0.5,
        "whats up": 1.5, "what up": 1.5, "whats good": 1.5,
        "how are you": 1.5, "who are you": 2, "what can you do": 2,
        "good morning": 1.5, "good night": 1.5, "good afternoon": 1.5,
        "thank you": 1.5, "this app": 2, "the app": 2, "how does": 1,
        "how does this work": 2, "good evening": 1.5, "hear me": 1,
        "real person": 2, "are you": 1, "never mind": 2, "nice": 0.3,
        "hows it going": 1.5, "who made you": 2,
    },
}

# A speed or price word right before a meal word frames the meal as fast_bite
# ("quick lunch", "cheap dinner"), outweighing the meal word's food_general
# pull; generated rather than listed so every pairing is covered.
for _modifier in ("quick", "fast", "cheap"):
    for _meal in ("lunch", "dinner", "breakfast", "meal", "food", "bite", "eats"):
        LEXICON["fast_bite"].setdefault(f"{_modifier} {_meal}", 3.5)
del _modifier, _meal

# Applied before any lexicon lookup. Misspellings that fuzzy matching cannot
# reach (two edits away, or too short) and chat slang/abbreviations.
TOKEN_FIXES: dict[str, str] = {
    # misspellings
    "resturant": "restaurant", "restaraunt": "restaurant",
    "restraunt": "restaurant", "resteraunt": "restaurant",
    "restuarant": "restaurant", "resturaunt": "restaurant",
    "resturants": "restaurant", "restaraunts": "restaurant",
    "libary": "library", "liberry": "library", "librery": "library",
    "libarary": "library", "libraray": "library",
    "coffe": "coffee", "cofee": "coffee", "coffie": "coffee",
    "cofe": "coffee", "caffe": "cafe",
    "musuem": "museum", "museam": "museum", "musem": "museum",
    "meuseum": "museum", "musuems": "museum",
    "cheep": "cheap", "shoping": "shopping", "shoppin": "shopping",
    "studdy": "study", "stuyd": "study", "studing": "studying",
    "brekfast": "breakfast", "sandwhich": "sandwich",
    "expresso": "espresso", "dinning": "dining",
    "coctail": "cocktail", "cocktial": "cocktail", "resto": "restaurant",
    "bookstor": "bookstore", "bookstre": "bookstore",
    # slang and abbreviations
    "bk": "brooklyn", "rn": "now", "hr": "hour", "hrs": "hour",
    "w": "with", "sq": "square", "thx": "thanks", "thnx": "thanks",
    "ty": "thanks", "tysm": "thanks", "pls": "please", "plz": "please",
    "nite": "night", "tonite": "tonight", "2nite": "tonight",
    "za": "pizza", "brewski": "beer", "brewskis": "beer", "bevs": "drink",
    "bevvies": "drink", "grub": "food", "caf": "cafe", "u": "you",
    "ur": "your", "wat": "what", "wut": "what", "wassup": "sup",
    "wazzup": "sup", "whatsup": "sup", "hw": "homework", "lib": "library",
    "ppl": "people", "min": "minute", "mins": "minute", "bday": "birthday",
    "b4": "before", "tho": "though", "bc": "because", "rly": "really",
    "hbd": "birthday",
}
# fmt: on

# fmt: off
# Scores inside a negation scope are dropped, not subtracted: "not a club"
# says nothing positive about drinks, it only removes the party signal.
NEGATORS: frozenset[str] = frozenset({
    "no", "not", "never", "without", "dont", "doesnt", "isnt", "arent", "wont",
    "wasnt", "nothing", "avoid", "hate", "nor", "neither",
})
# "no idea where to study" still wants to study.
NEGATION_CANCELLERS: frozenset[tuple[str, str]] = frozenset({
    ("no", "idea"), ("no", "clue"), ("no", "matter"), ("no", "problem"),
    ("no", "worry"), ("no", "rush"), ("not", "sure"), ("not", "only"),
})
# Function words do not use up the negation window, so that
# "don't want to go clubbing" still reaches "clubbing".
NEGATION_FILLERS: frozenset[str] = frozenset({
    "a", "an", "the", "to", "any", "some", "my", "our", "your", "really",
    "too", "very", "so", "that", "this", "want", "wanna", "go", "going", "be",
    "like", "of", "in", "at", "for", "somewhere", "anywhere", "place", "spot",
    "kind", "type", "sort", "more", "much", "even", "one", "do", "feel",
    "into", "need", "looking",
})
# A contrast word starts a new thought: "no clubs, just a quiet bar".
NEGATION_BREAKERS: frozenset[str] = frozenset({
    "but", "just", "instead", "rather", "though", "although", "prefer",
    "preferably", "only", "except",
})
# fmt: on
NEGATION_WINDOW = 3

# Below this the best signal is a tie-breaker-grade hint ("cheap", "talk"),
# which alone says too little to leave the generic answer.
MIN_SCORE = 1.0

# "a beer after class": what comes right after "after" is already done, so
# it should barely count toward what the student wants next.
AFTER_WORDS: frozenset[str] = frozenset({"after", "post"})
AFTER_WINDOW = 2
AFTER_FACTOR = 0.3

FUZZY_MIN_LEN = 5
# Real words one edit away from a lexicon word; fuzzy matching them would turn
# ordinary English into false hits ("quite" -> "quiet", "parts" -> "party").
# fmt: off
FUZZY_BLOCKLIST: frozenset[str] = frozenset({
    # Curated from an audit against a 100k-word English dictionary: only words
    # a student might plausibly type. Lexicon words need no entry (exact
    # matches never reach the fuzzy step).
    "banker", "banner", "banter", "bared", "beading", "belch", "bench",
    "benches", "bending", "bidding", "blaze", "blazed", "bleach", "boast",
    "boned", "booing", "boost", "bores", "bounce", "bowed", "bowing", "boxed",
    "boxing", "brake", "brakes", "branch", "branches", "breach", "bride",
    "bring", "broken", "broker", "browser", "budding", "bunch", "burner",
    "candies", "candy", "carries", "carry", "carving", "caving", "changing",
    "charge", "charged", "charges", "charming", "charter", "charting", "cheat",
    "cheats", "child", "chile", "chili", "chilies", "chilli", "chilly",
    "clams", "clans", "claps", "clash", "clasp", "classy", "coffer", "comely",
    "coming", "concept", "concern", "concerns", "conic", "convert", "coping",
    "cornea", "corned", "coroner", "cosmic", "crass", "craze", "curly",
    "curvy", "depot", "desert", "diver", "divers", "diving", "dregs", "dross",
    "dumping", "dunce", "dunking", "duress", "easing", "faction", "fanny",
    "feats", "finale", "fires", "flies", "friction", "fringe", "furry",
    "galley", "grand", "grands", "greed", "green", "greens", "greet", "grins",
    "hangar", "hanged", "harry", "hunger", "inland", "instal", "jacked",
    "lathe", "latter", "launch", "launches", "lunge", "lurch", "lynch",
    "mange", "mango", "mangos", "mania", "manna", "march", "martin", "match",
    "matches", "melting", "mercy", "meting", "minus", "moral", "morals",
    "navel", "outset", "outsider", "outsize", "outwit", "pager", "paler",
    "pamper", "panties", "pantry", "panty", "parity", "parry", "parting",
    "partly", "parts", "paste", "pasty", "patty", "payer", "peach", "pence",
    "petty", "piper", "plaint", "plait", "plane", "planet", "planets", "plank",
    "plans", "preset", "prevent", "protect", "protects", "quack", "quilt",
    "quirk", "quite", "racer", "raged", "rages", "ranger", "rangers", "rarer",
    "raven", "reaping", "rearing", "regale", "relating", "relay", "relays",
    "revile", "revive", "roger", "score", "scores", "scroll", "scupper",
    "shack", "shipping", "shore", "sighs", "slack", "slick", "slide", "slides",
    "slight", "slime", "smack", "snark", "sneak", "snore", "snuck", "sonny",
    "spacy", "speak", "speaker", "speakers", "speaks", "species", "spice",
    "spices", "spiky", "spiny", "splice", "spore", "sprite", "squab", "squat",
    "squats", "squaw", "squid", "stack", "stacks", "stand", "stands", "stare",
    "staring", "starling", "starring", "starting", "states", "stature",
    "status", "statute", "staving", "stead", "steal", "steals", "steam",
    "steams", "stoke", "stole", "stone", "stones", "stopping", "stored",
    "storey", "stories", "stork", "storm", "storms", "story", "stove",
    "streak", "streaks", "studs", "sturdy", "subset", "sundae", "sundry",
    "super", "supers", "supple", "swearer", "sweeter", "swelter", "swore",
    "tablet", "tanks", "tapes", "think", "thinks", "towed", "tower", "track",
    "tracks", "trick", "tricks", "trowel", "truce", "trunk", "trunks",
    "unbind", "unkind", "vantage", "wader", "wafer", "wager", "waiter",
    "waiting", "waking", "waster", "watery", "waver", "white", "whiting",
    "wonder", "wording", "wordings", "worming", "writhe", "writs", "wrote",
})
# fmt: on


def _within_one_edit(a: str, b: str) -> bool:
    """Optimal-string-alignment distance <= 1 (adjacent swaps count as one),
    so "musuem" -> "museum" and "libary" -> "library" both qualify."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
        )
    if la > lb:
        a, b = b, a
    # b is one longer than a: find the first mismatch and skip it in b.
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


_APOSTROPHE_RE = re.compile(r"(?<=[a-z0-9])['\u2019\u2018\u02bc`\u00b4](?=[a-z])")
# Word runs, or a run of punctuation that ends a clause (used as a boundary).
_TOKEN_RE = re.compile(r"[a-z0-9]+|[.,;:!?()\[\]\n]+")
_ELONGATED_RE = re.compile(r"(.)\1{2,}")
_TRAILING_REPEAT_RE = re.compile(r"(.)\1+$")
_BOUNDARY = "|"
# Hyphenated "to-go" is the take-away adjective ("a to-go salad"); folding it
# into one token keeps a bare "to go" phrase out of the lexicon, where it
# would swallow the "go" of "want to go out".
_TO_GO_RE = re.compile(r"\bto-go\b")


def _raw_tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHE_RE.sub("", text).replace("&", " and ")
    text = _TO_GO_RE.sub("togo", text)
    return [tok if tok[0].isalnum() else _BOUNDARY for tok in _TOKEN_RE.findall(text)]


def _singulars(tok: str) -> tuple[str, ...]:
    """Candidate singular forms, most likely first ("hoodies" may be
    "hoody" or "hoodie"; the caller keeps whichever is a lexicon word)."""
    if len(tok) > 4 and tok.endswith("ies"):
        return (tok[:-3] + "y", tok[:-1])
    if len(tok) > 4 and tok.endswith(("ches", "shes", "sses", "xes")):
        return (tok[:-2], tok[:-1])
    if len(tok) > 3 and tok.endswith("s") and not tok.endswith("ss"):
        return (tok[:-1],)
    return ()


def _stem_degree(tok: str) -> str:
    """Comparative/superlative to base form: "quickest" -> "quick",
    "fanciest" -> "fancy". Only used when the result is a lexicon word."""
    for suffix, repl in (("iest", "y"), ("ier", "y"), ("est", ""), ("er", "")):
        if tok.endswith(suffix) and len(tok) - len(suffix) >= 4:
            return tok[: -len(suffix)] + repl
    return tok


def _compile() -> tuple[
    dict[str, tuple[tuple[str, float], ...]],
    dict[str, tuple[tuple[tuple[str, ...], tuple[tuple[str, float], ...]], ...]],
    frozenset[str],
    dict[str, frozenset[str]],
]:
    words: dict[str, dict[str, float]] = {}
    phrases: dict[tuple[str, ...], dict[str, float]] = {}
    for vibe, entries in LEXICON.items():
        if vibe not in VIBES:
            raise ValueError(f"lexicon vibe {vibe!r} is not in VIBES")
        for key, weight in entries.items():
            toks = tuple(t for t in _raw_tokens(key) if t != _BOUNDARY)
            target = words.setdefault(toks[0], {}) if len(toks) == 1 else (phrases.setdefault(toks, {}))
            target[vibe] = target.get(vibe, 0.0) + float(weight)

    word_hits = {w: tuple(sorted(h.items())) for w, h in words.items()}
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[tuple[str, float], ...]]]] = {}
    for toks, hits in phrases.items():
        by_first.setdefault(toks[0], []).append((toks, tuple(sorted(hits.items()))))
    # Longest phrase first so "brooklyn bridge park" beats "brooklyn bridge".
    phrase_index = {
        first: tuple(sorted(items, key=lambda item: (-len(item[0]), item[0]))) for first, items in by_first.items()
    }
    vocab = frozenset(words) | frozenset(t for p in phrases for t in p)

    # Symmetric-delete index: a typo and its target share either the word
    # itself or a one-deletion variant; candidates are verified afterwards.
    fuzzy: dict[str, set[str]] = {}
    # Only single-word keys are fuzzy targets: phrase-internal words such as
    # "where" or "house" are ordinary English and would attract false hits.
    for word in words:
        if len(word) < FUZZY_MIN_LEN or not word.isalpha():
            continue
        for variant in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
            fuzzy.setdefault(variant, set()).add(word)
    fuzzy_index = {k: frozenset(v) for k, v in fuzzy.items()}
    return word_hits, phrase_index, vocab, fuzzy_index


_WORD_HITS, _PHRASES, _VOCAB, _FUZZY_INDEX = _compile()


def _fuzzy_match(tok: str) -> str | None:
    if len(tok) < FUZZY_MIN_LEN or tok in FUZZY_BLOCKLIST or not tok.isalpha():
        return None
    candidates: set[str] = set()
    for variant in {tok, *(tok[:i] + tok[i + 1 :] for i in range(len(tok)))}:
        candidates.update(_FUZZY_INDEX.get(variant, ()))
    # Typos rarely change the first letter; requiring it to match removes
    # most collisions with real words ("cable" -> "table", "bared" -> "bored").
    matches = sorted(c for c in candidates if c[0] == tok[0] and _within_one_edit(tok, c))
    # An ambiguous typo is better ignored than guessed.
    return matches[0] if len(matches) == 1 else None


@lru_cache(maxsize=8192)
def _canonical(tok: str) -> str:
    tok = _ELONGATED_RE.sub(r"\1\1", tok)
    if tok in TOKEN_FIXES:
        return TOKEN_FIXES[tok]
    if tok in _VOCAB:
        return tok
    singulars = _singulars(tok)
    for form in (*singulars, _stem_degree(tok)):
        if form in _VOCAB:
            return form
    # A blocked word stays blocked in the plural ("whites", "concepts").
    if tok in FUZZY_BLOCKLIST or not FUZZY_BLOCKLIST.isdisjoint(singulars):
        return tok
    # Chat elongation ("hiii", "heyy", "partyy") repeats the last letter.
    collapsed = _TRAILING_REPEAT_RE.sub(r"\1", tok)
    if collapsed != tok and collapsed in _VOCAB:
        return collapsed
    for form in (tok, *singulars):
        match = _fuzzy_match(form)
        if match is not None:
            return match
    return tok


def _tokens(text: str) -> list[str]:
    return [t if t == _BOUNDARY else _canonical(t) for t in _raw_tokens(text)]


def classify_vibe_scores(text: str) -> dict[str, float]:
    """Per-vibe scores behind :func:`classify_vibe` (all nine keys present)."""
    scores = dict.fromkeys(VIBES, 0.0)
    if not text or not text.strip():
        return scores
    toks = _tokens(text)
    n = len(toks)
    i = 0
    negated = 0  # content tokens left in the current negation scope
    damped = 0  # content tokens left in the current "after ..." scope
    while i < n:
        tok = toks[i]
        if tok == _BOUNDARY:
            negated = damped = 0
            i += 1
            continue

        length, hits = 1, None
        for phrase, phrase_hits in _PHRASES.get(tok, ()):
            if tuple(toks[i : i + len(phrase)]) == phrase:
                length, hits = len(phrase), phrase_hits
                break
        if hits is not None:
            # A phrase that contains its own negator ("no distractions") is
            # a positive signal, not the start of a negation scope.
            if not negated:
                factor = AFTER_FACTOR if damped else 1.0
                for vibe, weight in hits:
                    scores[vibe] += weight * factor
            content = sum(1 for t in toks[i : i + length] if t not in NEGATION_FILLERS)
            negated = max(0, negated - content)
            damped = max(0, damped - content)
            i += length
            continue

        if tok in NEGATION_BREAKERS:
            negated = damped = 0
        elif tok in NEGATORS:
            nxt = toks[i + 1] if i + 1 < n else ""
            if (tok, nxt) in NEGATION_CANCELLERS:
                i += 2
                continue
            negated = NEGATION_WINDOW
        elif tok in AFTER_WORDS:
            damped = AFTER_WINDOW
        else:
            word_hits = _WORD_HITS.get(tok)
            if word_hits and not negated:
                factor = AFTER_FACTOR if damped else 1.0
                for vibe, weight in word_hits:
                    scores[vibe] += weight * factor
            if tok not in NEGATION_FILLERS:
                negated = max(0, negated - 1)
                damped = max(0, damped - 1)
        i += 1
    return scores


def classify_vibe(text: str) -> str:
    """Best vibe for free text; "generic" when there is no clear winner."""
    scores = classify_vibe_scores(text)
    ranked = sorted((round(score, 6), vibe) for vibe, score in scores.items() if vibe != GENERIC)
    best_score, best_vibe = ranked[-1]
    if best_score < MIN_SCORE or ranked[-2][0] == best_score:
        return GENERIC
    if round(scores[GENERIC], 6) >= best_score:
        return GENERIC
    return best_vibe


# Client-sent vibe names beyond the canonical nine. "cafe" means somewhere to
# sit and work (the app's study spots are mostly cafes), while bare "coffee"
# is a grab-and-go order, hence the different targets.
# fmt: off
VIBE_ALIASES: dict[str, str] = {
    **{vibe: vibe for vibe in VIBES},
    # explore
    "exploring": "explore", "sightseeing": "explore", "sights": "explore",
    "things_to_do": "explore", "activities": "explore",
    "outdoors": "explore", "parks": "explore", "park": "explore",
    "museums": "explore", "museum": "explore", "attractions": "explore",
    "adventure": "explore", "walk": "explore", "views": "explore",
    # study
    "studying": "study", "library": "study", "libraries": "study",
    "work": "study", "focus": "study", "quiet": "study",
    "cowork": "study", "coworking": "study", "study_spot": "study",
    "study_spots": "study", "cafe": "study", "cafes": "study",
    # food_general
    "food": "food_general", "foodgeneral": "food_general",
    "restaurant": "food_general", "restaurants": "food_general",
    "dining": "food_general", "dinner": "food_general",
    "lunch": "food_general", "brunch": "food_general",
    "eat": "food_general", "meal": "food_general", "meals": "food_general",
    # party
    "nightlife": "party", "club": "party", "clubs": "party",
    "clubbing": "party", "dance": "party", "dancing": "party",
    "going_out": "party", "night_out": "party", "parties": "party",
    "live_music": "party",
    # chill_drinks
    "drinks": "chill_drinks", "drink": "chill_drinks",
    "chilldrinks": "chill_drinks", "chill_drink": "chill_drinks",
    "chill": "chill_drinks", "bar": "chill_drinks", "bars": "chill_drinks",
    "happy_hour": "chill_drinks", "cocktails": "chill_drinks",
    "wine": "chill_drinks", "beer": "chill_drinks",
    # shopping
    "shop": "shopping", "shops": "shopping", "store": "shopping",
    "stores": "shopping", "thrift": "shopping", "thrifting": "shopping",
    "retail": "shopping", "mall": "shopping",
    # fast_bite
    "fastbite": "fast_bite", "fast_bites": "fast_bite",
    "quick_bite": "fast_bite", "quick_bites": "fast_bite",
    "quickbite": "fast_bite", "fast_food": "fast_bite",
    "fastfood": "fast_bite", "quick": "fast_bite", "snack": "fast_bite",
    "snacks": "fast_bite", "coffee": "fast_bite", "grab_and_go": "fast_bite",
    "cheap_eats": "fast_bite", "takeout": "fast_bite",
    # bookstore
    "books": "bookstore", "book": "bookstore", "bookstores": "bookstore",
    "bookshop": "bookstore", "bookshops": "bookstore",
    "book_store": "bookstore", "book_stores": "bookstore",
    "reading": "bookstore",
    # generic
    "any": "generic", "anything": "generic", "all": "generic",
    "general": "generic", "default": "generic", "other": "generic",
}
# fmt: on

_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS_RE = re.compile(r"[^a-z0-9]+")


def normalize_vibe(value: str | None) -> str | None:
    """Canonical vibe for a client-sent name, or None if empty/unknown.

    Accepts any case, camelCase ("chillDrinks"), spaces, hyphens and the
    aliases in VIBE_ALIASES ("food", "nightlife", "books", ...).
    """
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKD", value.strip())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _CAMEL_RE.sub("_", text).casefold()
    key = _SEPARATORS_RE.sub("_", text.replace("&", "_and_")).strip("_")
    if not key:
        return None
    return VIBE_ALIASES.get(key)
