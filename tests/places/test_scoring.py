"""Each ranking factor on its own, and the weights as a whole."""

import pytest

from places import scoring
from places.scoring import ActivitySummary, RankingContext, Scorable


def test_weights_sum_to_one():
    assert sum(scoring.WEIGHTS.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("minutes", "limit", "expected"),
    [(0, 20, 1.0), (10, 20, 0.75), (20, 20, 0.5), (30, 20, 0.25), (40, 20, 0.0), (90, 20, 0.0), (None, 20, 0.5)],
)
def test_distance_fit_is_half_at_the_users_limit_and_zero_at_twice_it(minutes, limit, expected):
    assert scoring.distance_fit(minutes, limit) == pytest.approx(expected)


def test_rating_fit_trusts_many_ratings_more_than_a_few():
    assert scoring.rating_fit(4.9, 2000) > scoring.rating_fit(4.9, 3)
    assert scoring.rating_fit(3.0, 2000) < scoring.rating_fit(3.0, 3)


def test_unknown_rating_is_the_prior():
    assert scoring.rating_fit(None, None) == scoring.rating_fit(0, 0) == pytest.approx((scoring.RATING_PRIOR - 1) / 4)


def test_open_now_fit_ranks_open_over_unknown_over_closed():
    assert scoring.open_now_fit(True) > scoring.open_now_fit(None) > scoring.open_now_fit(False)


def test_price_fit_penalises_places_over_budget_only():
    budget = {"min": 0, "max": 15}
    assert scoring.price_fit(1, budget) == 1.0
    assert scoring.price_fit(3, budget) < scoring.price_fit(2, budget) < 1.0
    assert scoring.price_fit(None, budget) == scoring.NEUTRAL
    assert scoring.price_fit(4, None) == scoring.NEUTRAL


def test_vibe_fit_uses_the_vibe_asked_for_then_the_users_preferences():
    assert scoring.vibe_fit(["study"], "study", {}) == 1.0
    assert scoring.vibe_fit(["party"], "study", {}) < 0.5
    assert scoring.vibe_fit(["party"], None, {"party": 1.0}) == 1.0
    assert scoring.vibe_fit(["party"], None, {}) == scoring.NEUTRAL


def test_setting_fit_favours_indoor_in_rain_and_late_at_night():
    assert scoring.setting_fit("outdoor", "either", bad_weather=True, late_night=False) < 0.2
    assert scoring.setting_fit("outdoor", "outdoor", bad_weather=False, late_night=True) < 0.2
    assert scoring.setting_fit("indoor", "either", bad_weather=True, late_night=False) > scoring.setting_fit(
        "outdoor", "either", bad_weather=True, late_night=False
    )
    assert scoring.setting_fit("outdoor", "outdoor", bad_weather=False, late_night=False) == 1.0


def test_diet_fit_uses_what_the_place_data_says():
    assert scoring.diet_fit(["vegan"], {}, ["vegan"]) == 1.0
    assert scoring.diet_fit([], {"vegetarian": False}, ["vegetarian"]) == 0.0
    assert 0 < scoring.diet_fit([], {}, ["halal"]) < 1
    assert scoring.diet_fit([], {}, []) == scoring.NEUTRAL


def test_activity_fit_raises_liked_places_and_vibes_and_sinks_dismissed_ones():
    activity = ActivitySummary(liked_ids=frozenset({"a"}), dismissed_ids=frozenset({"b"}), vibe_counts={"study": 3, "party": 1})
    assert scoring.activity_fit("a", [], activity) == 1.0
    assert scoring.activity_fit("b", ["study"], activity) == 0.0
    assert scoring.activity_fit("c", ["study"], activity) > scoring.activity_fit("d", ["party"], activity) > scoring.NEUTRAL


def test_score_prefers_a_near_well_rated_matching_place():
    context = RankingContext(vibe="study")
    near = Scorable("near", ("study",), (), "indoor", walk_minutes=4, rating=4.7, rating_count=800)
    far = Scorable("far", ("study",), (), "indoor", walk_minutes=35, rating=4.7, rating_count=800)
    off_vibe = Scorable("off", ("party",), (), "indoor", walk_minutes=4, rating=4.7, rating_count=800)
    assert scoring.score(near, context) > scoring.score(far, context)
    assert scoring.score(near, context) > scoring.score(off_vibe, context)
    assert 0 <= scoring.score(far, context) <= 1


def test_score_is_the_weighted_sum_of_the_factors_rounded():
    items = [
        Scorable("a", ("study",), ("quiet", "vegan"), "indoor", walk_minutes=4, rating=4.7, rating_count=800, open_now=True, price_level=2),
        Scorable("b", ("party",), ("late_night",), "outdoor", walk_minutes=None, diet={"halal": True}),
        Scorable("c", (), (), "both", walk_minutes=31, rating=3.1, rating_count=None, open_now=False, price_level=4),
    ]
    contexts = [
        RankingContext(),
        RankingContext(vibe="study", budget={"max": 20}, indoor_outdoor="indoor", dietary_restrictions=("vegan", "halal"), late_night=True),
        RankingContext(vibe_weights={"party": 0.7}, bad_weather=True, activity=ActivitySummary(vibe_counts={"study": 2, "party": 1})),
    ]
    for context in contexts:
        weights = scoring.NIGHT_WEIGHTS if context.late_night else scoring.WEIGHTS
        late = context.late_night
        for item in items:
            # each factor under its own name (the weights are looked up by it)
            assert scoring.factors(item, context) == {
                "distance": scoring.distance_fit(item.walk_minutes, context.distance_limit_minutes),
                "rating": scoring.rating_fit(item.rating, item.rating_count),
                "vibe": scoring.vibe_fit(item.vibes, context.vibe, context.vibe_weights),
                "open_now": scoring.open_now_fit(item.open_now, late_night=late, tags=item.tags),
                "price": scoring.price_fit(item.price_level, context.budget),
                "setting": scoring.setting_fit(item.setting, context.indoor_outdoor, bad_weather=context.bad_weather, late_night=late),
                "diet": scoring.diet_fit(item.tags, item.diet, context.dietary_restrictions),
                "activity": scoring.activity_fit(item.card_id, item.vibes, context.activity),
            }
            expected = round(sum(weights[name] * value for name, value in scoring.factors(item, context).items()), 4)
            assert scoring.score(item, context) == expected
