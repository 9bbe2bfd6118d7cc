"""GET /api/calendar/notifications/check: the iOS app's 15-minute poll for free-time suggestions.

The calendar lives on the phone and is never sent here, so the service knows no free time: it
answers an empty list (which the app reads as "nothing to suggest") instead of the old 404, and
never makes a free block up.
"""

import pytest

from accounts.tokens import token_pair_for
from recommendations.serializers import CalendarNotificationsSerializer
from tests.clock import WEEKDAY_AFTERNOON
from tests.contract import RULES, assert_contract, assert_error, violations

CHECK = "/api/calendar/notifications/check"

pytestmark = pytest.mark.django_db


def test_calendar_check_answers_200_with_no_notifications(user, make_client, clock):
    clock(WEEKDAY_AFTERNOON)  # before the token is made: it is issued at "now"

    response = make_client(token_pair_for(user)["token"]).get(CHECK)

    assert response.status_code == 200
    assert_contract("GET", CHECK, response)
    assert response.json() == {"notifications": []}


def test_calendar_check_invents_no_free_time_for_a_user_who_turned_the_calendar_on(user, make_client, clock):
    clock(WEEKDAY_AFTERNOON)  # before the token is made: it is issued at "now"
    user.settings = {**user.settings, "calendar_integration_enabled": True, "google_calendar_enabled": True}
    user.save(update_fields=["settings"])

    response = make_client(token_pair_for(user)["token"]).get(CHECK)

    assert response.status_code == 200
    assert response.json() == {"notifications": []}


def test_calendar_check_requires_authentication(api):
    assert_error(api.get(CHECK), 401, "not_authenticated")
    assert_error(api.get(CHECK, HTTP_AUTHORIZATION="Bearer not-a-token"), 401)


def test_calendar_check_documented_shape_is_what_the_app_decodes():
    """A notification, when there is one, serialises to exactly what the iOS app decodes."""
    notification = {
        "free_time": {"start": "2026-11-25T14:00:00-05:00", "end": "2026-11-25T15:30:00-05:00", "duration_minutes": 90},
        "events": [
            {
                "title": "Jazz on the lawn",
                "start": "2026-11-25T14:30:00-05:00",
                "description": "Free, on the MetroTech Commons lawn.",
                "location": "MetroTech Commons",
                "type": "event",
            }
        ],
    }

    body = CalendarNotificationsSerializer({"notifications": [notification]}).data

    assert violations(RULES[("GET", CHECK)], body) == []
    assert body == {"notifications": [notification]}


def test_calendar_check_contract_rejects_what_the_app_cannot_decode():
    rules = RULES[("GET", CHECK)]
    assert ".notifications: required array, missing" in violations(rules, {})
    missing_events = {"notifications": [{"free_time": {"start": "s", "end": "e", "duration_minutes": 30}}]}
    assert ".notifications[0].events: required array, missing" in violations(rules, missing_events)
    text_duration = {"notifications": [{"free_time": {"start": "s", "end": "e", "duration_minutes": "30"}, "events": []}]}
    assert len(violations(rules, text_duration)) == 1
