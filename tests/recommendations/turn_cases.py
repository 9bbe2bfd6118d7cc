"""Labelled chat messages for recommendations.turn.understand_turn (moved from tests/chat/intent_cases.py).

Each case is ``(message, remembered_names, intent, target_index, refinement)``.
``remembered_names`` are the cards shown in the previous turn, in order;
``target_index`` is 0-based into that tuple.

Labels say what the student wants, not what the classifier happens to do.
Conventions:

* "anything cheaper / closer / quieter / open now" with cards on screen is a
  ``follow_up`` carrying a refinement; without cards it is a ``new_request``
  (the student still wants places) and keeps the refinement.
* Comparatives and superlatives ("cheaper", "nearest", "better rated") and
  "open now" phrases always carry their refinement, even inside a question
  about one card ("is the first one open rn?").  A plain adjective about one
  place ("is Joe's Pizza cheap?") is a question about that place, not a
  refinement; "anything cheap?" with cards on screen is one.
* Naming two cards ("Devoción or Think Coffee?") is a follow-up with no single
  target.
* "More like the second one" is ``more_options`` that still points at a card.
"""

# Every intent and refinement the labels may use (the table must cover all six intents).
INTENTS = ("new_request", "more_options", "follow_up", "general_question", "small_talk", "clear")
REFINEMENTS = ("cheaper", "closer", "open_now", "quieter", "better_rated")

MIXED = ("Joe's Pizza", "Devoción", "Dibner Library", "Brooklyn Bridge Park", "Juniors Restaurant", "Sushi Katsuei")
FOOD = ("Joe's Pizza", "Juniors Restaurant", "Sushi Katsuei")
COFFEE = ("Devoción", "Think Coffee", "Blue Bottle Coffee")
STUDY = ("Dibner Library", "Bobst Library", "Brooklyn Public Library")
PARKS = ("Brooklyn Bridge Park", "Washington Square Park", "Fort Greene Park")
NIGHT = ("Blind Tiger", "Comedy Cellar", "Le Bain")
NONE = ()

Case = tuple[str, tuple[str, ...], str, int | None, str | None]

CASES: list[Case] = [
    # --- new_request, nothing on screen ------------------------------------
    ("where can I get sushi", NONE, "new_request", None, None),
    ("need a quiet spot to study", NONE, "new_request", None, None),
    ("what's fun tonight", NONE, "new_request", None, None),
    ("any good bars around here?", NONE, "new_request", None, None),
    ("hey! where can I get ramen?", NONE, "new_request", None, None),
    ("hi violet, need coffee before my 9am", NONE, "new_request", None, None),
    ("im so hungry 😩", NONE, "new_request", None, None),
    ("something to eat near campus", NONE, "new_request", None, None),
    ("things to do this weekend", NONE, "new_request", None, None),
    ("somewhere chill to hang", NONE, "new_request", None, None),
    ("hipster coffee shop w good wifi?", NONE, "new_request", None, None),
    ("shiitake ramen spots", NONE, "new_request", None, None),
    ("sushi 🍣", NONE, "new_request", None, None),
    ("🍕?", NONE, "new_request", None, None),
    ("wher can i get cheap eats lol", NONE, "new_request", None, None),
    ("reccomend a resturant for my bday dinner", NONE, "new_request", None, None),
    ("yo whats good around here", NONE, "new_request", None, None),
    ("im bored", NONE, "new_request", None, None),
    ("late night food near tandon", NONE, "new_request", None, None),
    ("good morning! any brunch spots in the village?", NONE, "new_request", None, None),
    ("thx! also where should we go for drinks after", NONE, "new_request", None, None),
    ("study spots for finals week", NONE, "new_request", None, None),
    ("looking for a date night spot in the village", NONE, "new_request", None, None),
    ("what's up tonight?", NONE, "new_request", None, None),
    ("heyyy violet!! tryna find a rooftop bar 🍸", NONE, "new_request", None, None),
    ("what's open now near me", NONE, "new_request", None, "open_now"),
    ("nearest pharmacy pls", NONE, "new_request", None, "closer"),
    # Cards-only intents with nothing remembered: the student still wants places.
    ("more options", NONE, "new_request", None, None),
    ("show me others", NONE, "new_request", None, None),
    ("anything cheaper?", NONE, "new_request", None, "cheaper"),
    ("is it open late?", NONE, "new_request", None, None),
    # --- new_request while cards are on screen -----------------------------
    ("where should we go for dinner", MIXED, "new_request", None, None),
    ("ok now find me a bar for tonight", MIXED, "new_request", None, None),
    ("what about tacos?", COFFEE, "new_request", None, None),
    ("need a quiet spot to study", FOOD, "new_request", None, None),
    ("any good bars around here?", COFFEE, "new_request", None, None),
    ("first time in nyc, where should i eat?", MIXED, "new_request", None, None),
    ("scratch that, find me tacos", FOOD, "new_request", None, None),
    # --- more_options ------------------------------------------------------
    ("more options", MIXED, "more_options", None, None),
    ("show me others", MIXED, "more_options", None, None),
    ("anything else?", MIXED, "more_options", None, None),
    ("what else is there", MIXED, "more_options", None, None),
    ("different ones please", MIXED, "more_options", None, None),
    ("another place", MIXED, "more_options", None, None),
    ("moreee", COFFEE, "more_options", None, None),
    ("nah not feeling these, something else?", COFFEE, "more_options", None, None),
    ("thanks! anything else nearby?", FOOD, "more_options", None, None),
    ("any others like brooklyn bridge park?", PARKS, "more_options", 0, None),
    ("more like the second one", FOOD, "more_options", 1, None),
    ("mroe optins pls", MIXED, "more_options", None, None),
    ("lol what else u got", NIGHT, "more_options", None, None),
    # --- follow_up: ordinals ----------------------------------------------
    ("is the first one open late?", MIXED, "follow_up", 0, None),
    ("what's the address of the second one", MIXED, "follow_up", 1, None),
    ("#2 hours?", MIXED, "follow_up", 1, None),
    ("number three pls, how late is it open", MIXED, "follow_up", 2, None),
    ("the last one — do they take reservations?", MIXED, "follow_up", 5, None),
    ("2nd one looks good, how do I get there", MIXED, "follow_up", 1, None),
    ("the first", MIXED, "follow_up", 0, None),
    ("what about the last one?", MIXED, "follow_up", 5, None),
    ("price range for #1?", FOOD, "follow_up", 0, None),
    ("how late is the fifth one open", MIXED, "follow_up", 4, None),
    ("can I bring my dog to the 3rd one", PARKS, "follow_up", 2, None),
    # Pointing past the end of the list is still a follow-up, just untargeted.
    ("is the seventh one open", MIXED, "follow_up", None, None),
    # --- follow_up: names --------------------------------------------------
    ("is Joe's Pizza cheap?", MIXED, "follow_up", 0, None),
    ("tell me more about Joe's", MIXED, "follow_up", 0, None),
    ("is joe's open?", MIXED, "follow_up", 0, None),
    ("is devocion good for studying", MIXED, "follow_up", 1, None),
    ("dibner hours?", MIXED, "follow_up", 2, None),
    ("how do I get to brooklyn bridge park from tandon", MIXED, "follow_up", 3, None),
    ("is junior's cheesecake worth the hype", MIXED, "follow_up", 4, None),
    ("katsuie looks amazing, is it pricey?", MIXED, "follow_up", 5, None),
    ("think coffee hours?", COFFEE, "follow_up", 1, None),
    ("is the pizza place cash only?", FOOD, "follow_up", 0, None),
    ("is the sushi place expensive", FOOD, "follow_up", 2, None),
    ("is washington square park safe at night", PARKS, "follow_up", 1, None),
    ("whats the vibe at juniors", FOOD, "follow_up", 1, None),
    ("fort greene park — is it close to the subway?", PARKS, "follow_up", 2, None),
    ("is comedy cellar 18+?", NIGHT, "follow_up", 1, None),
    ("blue bottle or devocion for a first date?", COFFEE, "follow_up", None, None),
    ("Devoción vs Think Coffee for studying?", COFFEE, "follow_up", None, None),
    # --- follow_up: pronouns and the list as a whole ----------------------
    ("how far is it?", MIXED, "follow_up", None, None),
    ("this place looks cool, is it open late?", MIXED, "follow_up", None, None),
    ("are they open on sundays?", MIXED, "follow_up", None, None),
    ("which one has wifi", STUDY, "follow_up", None, None),
    ("do they have vegan options", FOOD, "follow_up", None, None),
    ("is the library open 24/7?", STUDY, "follow_up", None, None),
    ("any of them open past midnight?", NIGHT, "follow_up", None, None),
    ("is it worth it?", MIXED, "follow_up", None, None),
    ("they look good but are they open late", FOOD, "follow_up", None, None),
    ("do u need a reservation there", NIGHT, "follow_up", None, None),
    # --- follow_up: refinements -------------------------------------------
    ("anything cheaper?", MIXED, "follow_up", None, "cheaper"),
    ("anything closer?", MIXED, "follow_up", None, "closer"),
    ("anything quieter?", MIXED, "follow_up", None, "quieter"),
    ("anything open now?", MIXED, "follow_up", None, "open_now"),
    ("something cheaper?", FOOD, "follow_up", None, "cheaper"),
    ("which one is closest to campus?", MIXED, "follow_up", None, "closer"),
    ("is Devoción quieter than think coffee?", COFFEE, "follow_up", None, "quieter"),
    ("i think the first one looks best, is it open rn?", COFFEE, "follow_up", 0, "open_now"),
    ("anything less expensive than joe's?", FOOD, "follow_up", 0, "cheaper"),
    ("which has better reviews, the 1st or the 2nd?", FOOD, "follow_up", None, "better_rated"),
    ("ok but is it open now", MIXED, "follow_up", None, "open_now"),
    ("that's too far, anything nearer?", MIXED, "follow_up", None, "closer"),
    ("too loud for me 😅 somewhere calmer?", NIGHT, "follow_up", None, "quieter"),
    ("anything cheap?", FOOD, "follow_up", None, "cheaper"),
    ("any higher rated ones?", COFFEE, "follow_up", None, "better_rated"),
    ("chepaer options?", FOOD, "follow_up", None, "cheaper"),
    ("ehh thats a lot, budget version?", FOOD, "follow_up", None, "cheaper"),
    ("even less $$?", FOOD, "follow_up", None, "cheaper"),
    ("anything less $ than that", FOOD, "follow_up", None, "cheaper"),
    ("smth not $$$$", FOOD, "follow_up", None, "cheaper"),
    ("still kinda pricey, got something for like 6 dollars?", FOOD, "follow_up", None, "cheaper"),
    ("hmm one thats easier on the wallet", FOOD, "follow_up", None, "cheaper"),
    ("ok but on a student budget, lower prices?", FOOD, "follow_up", None, "cheaper"),
    ("drinks there r like $18, anywhere less spendy", NIGHT, "follow_up", None, "cheaper"),
    # a lower price of something there: "lower drink prices", "a lower door charge", "smaller cover"
    ("hmm somewhere w lower drink prices", NIGHT, "follow_up", None, "cheaper"),
    ("any w a lower door charge", NIGHT, "follow_up", None, "cheaper"),
    ("one with a smaller cover?", NIGHT, "follow_up", None, "cheaper"),
    # Spanish diminutives of near: "cerquita" is "cerca"
    ("¿y cuál me queda más cerquita?", FOOD, "follow_up", None, "closer"),
    ("algo más cerquitas?", FOOD, "follow_up", None, "closer"),
    ("any burger spot a shorter walk from here", FOOD, "follow_up", None, "closer"),
    # --- general_question --------------------------------------------------
    ("what's the weather like", NONE, "general_question", None, None),
    ("what can you do?", NONE, "general_question", None, None),
    ("when does the semester end", NONE, "general_question", None, None),
    ("how do I get to campus from Manhattan", NONE, "general_question", None, None),
    ("is it going to rain tonight?", MIXED, "general_question", None, None),
    ("who made you", NONE, "general_question", None, None),
    ("are you a bot lol", NONE, "general_question", None, None),
    ("when is spring break", NONE, "general_question", None, None),
    ("what time is it", MIXED, "general_question", None, None),
    ("how does the subway work here?", NONE, "general_question", None, None),
    ("who's the president of nyu?", NONE, "general_question", None, None),
    ("what's a good gpa for law school", NONE, "general_question", None, None),
    ("hey violet what can you do", FOOD, "general_question", None, None),
    # --- small_talk --------------------------------------------------------
    ("hi", NONE, "small_talk", None, None),
    ("hey violet", NONE, "small_talk", None, None),
    ("thanks!", MIXED, "small_talk", None, None),
    ("lol ok", MIXED, "small_talk", None, None),
    ("good morning", NONE, "small_talk", None, None),
    ("you're the best", MIXED, "small_talk", None, None),
    ("heyyy 👋", NONE, "small_talk", None, None),
    ("ty sm 🙏", FOOD, "small_talk", None, None),
    ("how r u", NONE, "small_talk", None, None),
    ("perfect, thank you!", MIXED, "small_talk", None, None),
    ("ok cool", COFFEE, "small_talk", None, None),
    ("bye violet, ttyl", NONE, "small_talk", None, None),
    ("hola!!", NONE, "small_talk", None, None),
    ("ur the best fr", NONE, "small_talk", None, None),
    # --- clear -------------------------------------------------------------
    ("start over", NONE, "clear", None, None),
    ("reset", MIXED, "clear", None, None),
    ("clear the chat", MIXED, "clear", None, None),
    ("forget everything", FOOD, "clear", None, None),
    ("new conversation", NONE, "clear", None, None),
    ("ok let's start fresh", MIXED, "clear", None, None),
    ("🔄 reset pls", COFFEE, "clear", None, None),
    ("can we start over?", PARKS, "clear", None, None),
]
