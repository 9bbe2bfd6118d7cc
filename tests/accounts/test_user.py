"""The signed-in user's own data: /me, preferences, settings, profile, activity, notification token."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts import crypto
from accounts.models import Activity, User
from accounts.serializers import ACTIVITY_MAX_BYTES
from tests.contract import assert_contract, assert_error
from tests.factories import ActivityFactory, UserFactory

ME = "/api/user/me"
PREFERENCES = "/api/user/preferences"
SETTINGS = "/api/user/settings"
PROFILE = "/api/user/profile"
ACTIVITY = "/api/user/activity"
NOTIFICATION_TOKEN = "/api/user/notification_token"

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


# --- /me --------------------------------------------------------------------------------------------
def test_me_returns_the_user_and_no_activity_yet(auth_api, user):
    response = auth_api.get(ME)

    assert response.status_code == 200
    assert_contract("GET", ME, response)
    assert response.json() == {
        "id": user.pk,
        "email": user.email,
        "first_name": "Violet",
        "home_address": "",
        "preferences": {"vibes": {}, "distance_limit_minutes": 20, "indoor_outdoor": "either"},
        "settings": {"notifications_enabled": True, "calendar_integration_enabled": False},
        "recent_activity": [],
    }


def test_me_shows_only_the_users_own_activity(auth_api, user):
    ActivityFactory(user=user, name="Mine")
    ActivityFactory(name="Someone else's")

    names = [item["name"] for item in auth_api.get(ME).json()["recent_activity"]]

    assert names == ["Mine"]


@pytest.mark.parametrize("method", ["get", "delete"])
def test_me_requires_authentication(api, db, method):
    response = getattr(api, method)(ME, {"password": "x"} if method == "delete" else None, format="json")

    assert_error(response, 401, "not_authenticated")


# --- DELETE /me ---------------------------------------------------------------------------------------
def test_delete_me_with_a_wrong_password_is_400_and_deletes_nothing(auth_api, user):
    ActivityFactory(user=user)

    response = auth_api.delete(ME, {"password": "not-my-password"}, format="json")

    body = assert_error(response, 400, "validation_error")
    assert list(body["fields"]) == ["password"]
    assert User.objects.filter(pk=user.pk).exists()
    assert Activity.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("payload", [{}, {"password": None}, {"password": 12345678}])
def test_delete_me_without_a_usable_password_is_400(auth_api, user, payload):
    assert_error(auth_api.delete(ME, payload, format="json"), 400, "validation_error")
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_me_removes_the_account_and_its_activity(auth_api, user, password):
    other = UserFactory()
    ActivityFactory.create_batch(3, user=user)
    ActivityFactory(user=other)

    response = auth_api.delete(ME, {"password": password}, format="json")

    assert response.status_code == 204
    assert_contract("DELETE", ME, response)
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Activity.objects.filter(user_id=user.pk).exists()
    assert Activity.objects.filter(user=other).count() == 1
    # The old token now points at nobody.
    assert_error(auth_api.get(ME), 401, "token_invalid")


# --- Preferences ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "value", "stored"),
    [
        ("preferred_vibes", ["study", "food"], ["study", "food"]),
        ("preferred_vibes", ["study", "free_events", "food", "nightlife", "explore"], ["study", "free_events", "food", "nightlife", "explore"]),
        ("preferred_vibes", ["study", "study"], ["study"]),
        ("preferred_vibes", [], []),
        ("budget", {"min": 0, "max": 50}, {"min": 0, "max": 50}),
        ("budget", {"min": 20, "max": 20}, {"min": 20, "max": 20}),
        ("budget", {"min": 15}, {"min": 15}),
        ("dietary_restrictions", ["vegetarian", "vegan", "halal", "kosher"], ["vegetarian", "vegan", "halal", "kosher"]),
        ("dietary_restrictions", ["gluten-free", "dairy-free", "pork-free", "seafood-allergy"], ["gluten-free", "dairy-free", "pork-free", "seafood-allergy"]),
        ("max_walk_minutes_default", 5, 5),
        ("max_walk_minutes_default", 60, 60),
        ("interests", "jazz, ramen and quiet libraries", "jazz, ramen and quiet libraries"),
        ("interests", "x" * 500, "x" * 500),
        ("interests", "", ""),
        ("vibes", {"study": 0.8, "explore": 1, "food_general": 0}, {"study": 0.8, "explore": 1.0, "food_general": 0.0}),
        ("vibes", {}, {}),
        ("distance_limit_minutes", 5, 5),
        ("distance_limit_minutes", 60, 60),
        ("indoor_outdoor", "indoor", "indoor"),
        ("indoor_outdoor", "outdoor", "outdoor"),
        ("indoor_outdoor", "either", "either"),
        ("commute_preference", "walking", "walking"),
        ("commute_preference", "transit", "transit"),
        ("commute_preference", "both", "both"),
    ],
)
def test_preferences_accept_each_valid_value(auth_api, user, key, value, stored):
    response = auth_api.post(PREFERENCES, {key: value}, format="json")

    assert response.status_code == 200, response.content
    assert_contract("POST", PREFERENCES, response)
    assert response.json()[key] == stored
    assert _fresh(user).preferences[key] == stored
    got = auth_api.get(PREFERENCES)
    assert_contract("GET", PREFERENCES, got)
    assert got.json() == response.json()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("preferred_vibes", "study"),
        ("preferred_vibes", [1]),
        ("preferred_vibes", [True]),
        ("preferred_vibes", {"study": True}),
        ("preferred_vibes", ["study", None]),
        ("budget", {"min": "10"}),
        ("budget", {"min": 4.5}),
        ("budget", {"max": True}),
        ("budget", {"min": 20, "max": 10}),
        ("budget", "cheap"),
        ("budget", [0, 50]),
        ("budget", {"min": None}),
        ("dietary_restrictions", "vegan"),
        ("max_walk_minutes_default", "20"),
        ("max_walk_minutes_default", 4.5),
        ("max_walk_minutes_default", 20.0),
        ("max_walk_minutes_default", True),
        ("interests", 5),
        ("interests", ["jazz"]),
        ("vibes", {"study": 1.5}),
        ("vibes", {"study": -0.1}),
        ("vibes", {"study": "0.5"}),
        ("vibes", {"study": True}),
        ("vibes", {"clubbing": 0.5}),
        ("vibes", ["study"]),
        ("vibes", "study"),
        ("distance_limit_minutes", 4),
        ("distance_limit_minutes", 61),
        ("distance_limit_minutes", "20"),
        ("distance_limit_minutes", 4.5),
        ("distance_limit_minutes", True),
        ("indoor_outdoor", "inside"),
        ("indoor_outdoor", ""),
        ("indoor_outdoor", True),
        ("commute_preference", "car"),
        ("commute_preference", 1),
    ],
)
def test_preferences_reject_each_invalid_value_and_change_nothing(auth_api, user, key, value):
    before = _fresh(user).preferences

    # A valid key alongside must not be saved either.
    companion = {"commute_preference": "walking"} if key != "commute_preference" else {"interests": "jazz"}
    response = auth_api.post(PREFERENCES, {**companion, key: value}, format="json")

    body = assert_error(response, 400, "validation_error")
    assert_contract("POST", PREFERENCES, response)
    assert any(name == key or name.startswith(f"{key}.") for name in body["fields"]), body["fields"]
    assert _fresh(user).preferences == before


def test_preferences_update_is_partial(auth_api, user):
    auth_api.post(PREFERENCES, {"preferred_vibes": ["study"], "interests": "jazz"}, format="json")

    response = auth_api.post(PREFERENCES, {"commute_preference": "transit"}, format="json")

    assert response.json() == {
        "vibes": {},
        "distance_limit_minutes": 20,
        "indoor_outdoor": "either",
        "preferred_vibes": ["study"],
        "interests": "jazz",
        "commute_preference": "transit",
    }


@pytest.mark.parametrize("key", ["budget", "preferred_vibes", "interests", "distance_limit_minutes", "vibes", "indoor_outdoor"])
def test_preferences_null_clears_a_key(auth_api, user, key):
    auth_api.post(PREFERENCES, {"budget": {"min": 5, "max": 30}, "preferred_vibes": ["food"], "interests": "jazz"}, format="json")

    response = auth_api.post(PREFERENCES, {key: None}, format="json")

    assert response.status_code == 200, response.content
    assert key not in response.json()
    assert key not in _fresh(user).preferences
    assert len(response.json()) == 5  # the other five keys are untouched


def test_preferences_unknown_keys_are_ignored(auth_api, user):
    response = auth_api.post(PREFERENCES, {"favourite_colour": "violet", "interests": "jazz"}, format="json")

    assert response.status_code == 200
    assert "favourite_colour" not in response.json()
    assert "favourite_colour" not in _fresh(user).preferences
    assert _fresh(user).preferences["interests"] == "jazz"


def test_preferences_budget_replaces_the_stored_one(auth_api, user):
    auth_api.post(PREFERENCES, {"budget": {"min": 10, "max": 50}}, format="json")

    response = auth_api.post(PREFERENCES, {"budget": {"max": 30}}, format="json")

    assert response.status_code == 200
    assert response.json()["budget"] == {"max": 30}
    assert _fresh(user).preferences["budget"] == {"max": 30}


@pytest.mark.parametrize("change", [{"max": 5}, {"min": 60}])
def test_preferences_budget_is_checked_against_itself_not_the_stored_one(auth_api, user, change):
    auth_api.post(PREFERENCES, {"budget": {"min": 10, "max": 50}}, format="json")

    response = auth_api.post(PREFERENCES, {"budget": change}, format="json")

    assert response.status_code == 200, response.content
    assert _fresh(user).preferences["budget"] == change
    assert "adjusted" not in response.json()


def test_preferences_empty_budget_clears_it(auth_api, user):
    auth_api.post(PREFERENCES, {"budget": {"min": 10, "max": 50}}, format="json")

    response = auth_api.post(PREFERENCES, {"budget": {}}, format="json")

    assert response.status_code == 200
    assert "budget" not in response.json()
    assert "budget" not in _fresh(user).preferences


# What the iOS survey sends: every preference in one request, whose error it ignores (issue 14).
IOS_SURVEY = {
    "preferred_vibes": ["study", "food"],
    "budget": {"min": 51},  # "High": no upper bound
    "dietary_restrictions": ["vegetarian"],
    "max_walk_minutes_default": 15,
    "interests": "jazz and ramen",
}


def test_preferences_ios_high_budget_replaces_a_stored_budget_and_every_field_is_saved(auth_api, user):
    auth_api.post(PREFERENCES, {"budget": {"min": 1, "max": 20}}, format="json")

    response = auth_api.post(PREFERENCES, IOS_SURVEY, format="json")

    assert response.status_code == 200, response.content
    assert_contract("POST", PREFERENCES, response)
    stored = _fresh(user).preferences
    assert {key: stored[key] for key in IOS_SURVEY} == IOS_SURVEY
    assert response.json() == stored
    assert auth_api.get(PREFERENCES).json() == stored


@pytest.mark.parametrize(
    ("key", "value", "stored", "adjusted"),
    [
        ("preferred_vibes", ["study", "clubbing", "food"], ["study", "food"], "clubbing"),
        ("preferred_vibes", ["clubbing"], [], "clubbing"),
        ("preferred_vibes", ["study"] * 6 + ["party"], ["study"], "party"),
        ("dietary_restrictions", ["vegan", "paleo"], ["vegan"], "paleo"),
        ("max_walk_minutes_default", 90, 60, "60"),
        ("max_walk_minutes_default", 61, 60, "60"),
        ("max_walk_minutes_default", 4, 5, "5"),
        ("max_walk_minutes_default", 0, 5, "5"),
        ("max_walk_minutes_default", -10, 5, "5"),
        pytest.param("interests", "x" * 501, "x" * 500, "500", id="interests-501-characters"),
    ],
)
def test_preferences_out_of_range_values_are_adjusted_reported_and_the_rest_is_saved(auth_api, user, key, value, stored, adjusted):
    body = {**IOS_SURVEY, key: value}

    response = auth_api.post(PREFERENCES, body, format="json")

    assert response.status_code == 200, response.content
    assert_contract("POST", PREFERENCES, response)
    answer = response.json()
    assert answer[key] == stored
    assert list(answer["adjusted"]) == [key]
    assert all(isinstance(message, str) for message in answer["adjusted"][key])
    assert adjusted in " ".join(answer["adjusted"][key])
    preferences = _fresh(user).preferences
    assert preferences == {name: item for name, item in answer.items() if name != "adjusted"}
    assert {name: preferences[name] for name in IOS_SURVEY} == {**IOS_SURVEY, key: stored}
    assert "adjusted" not in auth_api.get(PREFERENCES).json()


@pytest.mark.parametrize(
    ("budget", "stored", "fields"),
    [
        ({"min": -1}, {"min": 0}, ["budget.min"]),
        ({"min": -5, "max": 20}, {"min": 0, "max": 20}, ["budget.min"]),
        ({"max": 200000}, {"max": 100000}, ["budget.max"]),
    ],
)
def test_preferences_budget_bounds_out_of_range_are_clamped_and_reported(auth_api, user, budget, stored, fields):
    response = auth_api.post(PREFERENCES, {**IOS_SURVEY, "budget": budget}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["budget"] == stored
    assert list(response.json()["adjusted"]) == fields
    assert _fresh(user).preferences["interests"] == IOS_SURVEY["interests"]


def test_preferences_budget_max_below_its_min_is_still_rejected(auth_api, user):
    """A contradiction, not a range: nothing says which bound was meant (the iOS tiers never send one)."""
    before = _fresh(user).preferences

    response = auth_api.post(PREFERENCES, {**IOS_SURVEY, "budget": {"min": 50, "max": 20}}, format="json")

    body = assert_error(response, 400, "validation_error")
    assert "budget.max" in body["fields"]
    assert _fresh(user).preferences == before


def test_preferences_require_authentication(api, db):
    assert_error(api.get(PREFERENCES), 401, "not_authenticated")
    assert_error(api.post(PREFERENCES, {"interests": "x"}, format="json"), 401, "not_authenticated")


# --- Settings ---------------------------------------------------------------------------------------
def test_settings_default_for_a_new_user(auth_api):
    response = auth_api.get(SETTINGS)

    assert response.status_code == 200
    assert_contract("GET", SETTINGS, response)
    assert response.json() == {"notifications_enabled": True, "calendar_integration_enabled": False}


def test_settings_update_merges_booleans_and_ignores_unknown_keys(auth_api, user):
    response = auth_api.post(
        SETTINGS,
        {
            "notifications_enabled": False,
            "google_calendar_enabled": True,
            "use_preferences_for_personalization": True,
            "dark_mode": True,
        },
        format="json",
    )

    assert response.status_code == 200
    assert_contract("POST", SETTINGS, response)
    expected = {
        "notifications_enabled": False,
        "calendar_integration_enabled": False,
        "google_calendar_enabled": True,
        "use_preferences_for_personalization": True,
    }
    assert response.json() == expected
    assert _fresh(user).settings == expected
    assert auth_api.post(SETTINGS, {"calendar_integration_enabled": True}, format="json").json() == {
        **expected,
        "calendar_integration_enabled": True,
    }


@pytest.mark.parametrize("value", [1, 0, "true", "false", None, "yes", [True], {"on": True}])
@pytest.mark.parametrize("key", ["notifications_enabled", "calendar_integration_enabled", "google_calendar_enabled", "use_preferences_for_personalization"])
def test_settings_accept_only_true_or_false(auth_api, user, key, value):
    before = _fresh(user).settings

    response = auth_api.post(SETTINGS, {key: value}, format="json")

    body = assert_error(response, 400, "validation_error")
    assert list(body["fields"]) == [key]
    assert _fresh(user).settings == before


# --- Profile ----------------------------------------------------------------------------------------
def test_profile_get(auth_api):
    response = auth_api.get(PROFILE)

    assert response.status_code == 200
    assert_contract("GET", PROFILE, response)
    assert response.json() == {"first_name": "Violet", "home_address": ""}


def test_profile_set_both_fields(auth_api, user):
    response = auth_api.post(PROFILE, {"first_name": " Ana ", "home_address": "6 MetroTech Center, Brooklyn"}, format="json")

    assert response.status_code == 200
    assert_contract("POST", PROFILE, response)
    assert response.json() == {"first_name": "Ana", "home_address": "6 MetroTech Center, Brooklyn"}
    assert auth_api.get(ME).json()["home_address"] == "6 MetroTech Center, Brooklyn"
    assert _fresh(user).first_name == "Ana"


def test_profile_update_is_partial(auth_api, user):
    auth_api.post(PROFILE, {"home_address": "6 MetroTech Center"}, format="json")

    response = auth_api.post(PROFILE, {"first_name": "Ana"}, format="json")

    assert response.json() == {"first_name": "Ana", "home_address": "6 MetroTech Center"}


@pytest.mark.parametrize("empty", [None, ""])
def test_profile_null_or_empty_clears(auth_api, user, empty):
    auth_api.post(PROFILE, {"home_address": "6 MetroTech Center"}, format="json")

    response = auth_api.post(PROFILE, {"first_name": empty, "home_address": empty}, format="json")

    assert response.status_code == 200
    assert_contract("POST", PROFILE, response)
    assert response.json() == {"first_name": None, "home_address": ""}
    assert (_fresh(user).first_name, _fresh(user).home_address) == ("", "")
    assert auth_api.get(ME).json()["first_name"] is None


def test_profile_home_address_is_encrypted_at_rest(auth_api, user):
    address = "6 MetroTech Center, Brooklyn, NY 11201"
    auth_api.post(PROFILE, {"home_address": address}, format="json")

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT home_address FROM {User._meta.db_table} WHERE id = %s", [user.pk])  # noqa: S608
        (raw,) = cursor.fetchone()

    assert raw and raw != address
    assert "MetroTech" not in raw
    assert crypto.decrypt(raw) == address
    assert _fresh(user).home_address == address


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"first_name": "x" * 101}, "first_name"),
        ({"home_address": "x" * 501}, "home_address"),
        ({"first_name": 5}, "first_name"),
        ({"home_address": ["6 MetroTech"]}, "home_address"),
        ({"home_address": True}, "home_address"),
    ],
)
def test_profile_rejects_invalid_values(auth_api, user, payload, field):
    response = auth_api.post(PROFILE, {**payload, "first_name": payload.get("first_name", "Changed")}, format="json")

    body = assert_error(response, 400, "validation_error")
    assert_contract("POST", PROFILE, response)
    assert field in body["fields"]
    assert _fresh(user).first_name == "Violet"


# --- Activity ---------------------------------------------------------------------------------------
def test_activity_is_recorded_with_extra_keys_and_shown_in_me(auth_api, user):
    before = timezone.now()
    payload = {
        "type": "clicked_recommendation",
        "place_id": "catalog:devocion",
        "name": "Devoción",
        "vibe": "study",
        "score": 0.92,
        "source": "dashboard",
        "rank": 3,
        "tags": ["coffee", "wifi"],
    }

    response = auth_api.post(ACTIVITY, payload, format="json")

    assert response.status_code == 200, response.content
    assert_contract("POST", ACTIVITY, response)
    assert response.json() == {"status": "ok"}
    me = auth_api.get(ME)
    assert_contract("GET", ME, me)
    (item,) = me.json()["recent_activity"]
    timestamp = item.pop("timestamp")
    assert item == payload
    assert before - timedelta(seconds=1) <= datetime.fromisoformat(timestamp) <= timezone.now()
    stored = Activity.objects.get(user=user)
    assert stored.extra == {"source": "dashboard", "rank": 3, "tags": ["coffee", "wifi"]}


def test_activity_with_only_a_type_is_enough(auth_api, user):
    assert auth_api.post(ACTIVITY, {"type": "opened_app"}, format="json").status_code == 200

    (item,) = auth_api.get(ME).json()["recent_activity"]
    assert item["type"] == "opened_app"
    assert item["place_id"] == item["name"] == item["vibe"] == ""
    assert item["score"] is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "type"),
        ({"type": ""}, "type"),
        ({"type": None}, "type"),
        ({"type": 5}, "type"),
        ({"type": "x" * 65}, "type"),
        ({"type": "clicked", "score": "high"}, "score"),
        ({"type": "clicked", "score": True}, "score"),
        ({"type": "clicked", "place_id": 7}, "place_id"),
        ({"type": "clicked", "name": "x" * 256}, "name"),
    ],
)
def test_activity_invalid_input_is_400_and_writes_nothing(auth_api, user, payload, field):
    response = auth_api.post(ACTIVITY, payload, format="json")

    body = assert_error(response, 400, "validation_error")
    assert_contract("POST", ACTIVITY, response)
    assert field in body["fields"]
    assert not Activity.objects.exists()


def test_activity_over_10_kib_is_400_and_writes_nothing(auth_api, user):
    response = auth_api.post(ACTIVITY, {"type": "clicked", "note": "x" * ACTIVITY_MAX_BYTES}, format="json")

    assert_error(response, 400, "validation_error")
    assert not Activity.objects.exists()


def test_activity_just_under_10_kib_is_accepted(auth_api, user):
    response = auth_api.post(ACTIVITY, {"type": "clicked", "note": "x" * (ACTIVITY_MAX_BYTES - 100)}, format="json")

    assert response.status_code == 200, response.content
    assert Activity.objects.count() == 1


def test_activity_keeps_only_the_last_100_oldest_first(auth_api, user):
    start = timezone.now() - timedelta(days=1)
    Activity.objects.bulk_create(
        [Activity(user=user, type="viewed", name=f"old-{i}", created_at=start + timedelta(minutes=i)) for i in range(100)]
    )
    ActivityFactory(name="someone else's")

    response = auth_api.post(ACTIVITY, {"type": "saved", "name": "newest"}, format="json")

    assert response.status_code == 200
    assert Activity.objects.filter(user=user).count() == 100
    assert not Activity.objects.filter(user=user, name="old-0").exists()
    assert Activity.objects.filter(name="someone else's").exists()
    recent = auth_api.get(ME).json()["recent_activity"]
    assert [item["name"] for item in recent] == [f"old-{i}" for i in range(1, 100)] + ["newest"]
    timestamps = [datetime.fromisoformat(item["timestamp"]) for item in recent]
    assert timestamps == sorted(timestamps)


def test_activity_requires_authentication(api, db):
    assert_error(api.post(ACTIVITY, {"type": "clicked"}, format="json"), 401, "not_authenticated")
    assert not Activity.objects.exists()


# --- Notification token -----------------------------------------------------------------------------
def test_notification_token_is_stored(auth_api, user):
    response = auth_api.post(NOTIFICATION_TOKEN, {"token": "ExponentPushToken[abc123]"}, format="json")

    assert response.status_code == 200
    assert_contract("POST", NOTIFICATION_TOKEN, response)
    assert response.json() == {"status": "ok"}
    assert _fresh(user).notification_token == "ExponentPushToken[abc123]"


def test_notification_token_of_255_characters_is_accepted(auth_api, user):
    assert auth_api.post(NOTIFICATION_TOKEN, {"token": "t" * 255}, format="json").status_code == 200
    assert _fresh(user).notification_token == "t" * 255


@pytest.mark.parametrize("payload", [{}, {"token": "t" * 256}, {"token": None}, {"token": 12345}, {"token": ""}])
def test_notification_token_invalid_input_is_400(auth_api, user, payload):
    response = auth_api.post(NOTIFICATION_TOKEN, payload, format="json")

    body = assert_error(response, 400, "validation_error")
    assert_contract("POST", NOTIFICATION_TOKEN, response)
    assert "token" in body["fields"]
    assert _fresh(user).notification_token == ""


def test_notification_token_requires_authentication(api, db):
    assert_error(api.post(NOTIFICATION_TOKEN, {"token": "abc"}, format="json"), 401, "not_authenticated")


def test_deleting_an_account_forgets_its_cached_activity_once_not_per_row(monkeypatch, password):
    from django.core.cache import cache

    from accounts import selectors, services, signals

    user = UserFactory(password=password)
    for n in range(5):
        ActivityFactory(user=user, name=f"place-{n}")
    assert len(selectors.activity_recent(user=user)) == 5  # now cached
    key = selectors.recent_activity_key(user.pk)
    deleted: list[str] = []

    class Spy:
        def delete(self, name: str, *args: object, **kwargs: object) -> object:
            deleted.append(name)
            return cache.delete(name, *args, **kwargs)

    monkeypatch.setattr(signals, "cache", Spy())

    services.user_delete(user=user, password=password)

    assert deleted == [key]
    assert cache.get(key) is None
    assert not Activity.objects.exists()
