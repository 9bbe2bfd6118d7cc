"""OWASP API5, broken function-level authorization: the admin and its "sync now" action are for
staff only, and nothing over HTTP deletes in bulk or migrates data (the Flask server's purge and
migration endpoints are gone)."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from events.models import Event
from events.sources import SOURCES
from tests.contract import assert_error
from tests.factories import UserFactory
from tests.security.conftest import client, fresh_token

pytestmark = pytest.mark.django_db


def _session(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.mark.parametrize("path", ["/admin/", "/admin/accounts/user/", "/admin/chat/conversation/", "/admin/events/event/", "/admin/places/place/"])
def test_the_admin_redirects_a_signed_in_non_staff_user_to_its_login(user, path):
    response = _session(user).get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_admin_does_not_accept_an_api_bearer_token(user):
    response = Client(HTTP_AUTHORIZATION=f"Bearer {fresh_token(user)}").get("/admin/accounts/user/")

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_staff_without_superuser_or_permissions_is_refused_the_user_list(db):
    staff = UserFactory(is_staff=True)

    assert _session(staff).get("/admin/accounts/user/").status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "user"])
def test_sync_now_redirects_non_staff_to_login_and_syncs_nothing(fake_http, settings, user, who):
    settings.ENGAGE_BASE_URL = fake_http.url
    browser = Client() if who == "anonymous" else _session(user)
    url = reverse("admin:events_event_sync", args=[next(iter(SOURCES))])

    response = browser.post(url)

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert fake_http.calls() == []
    assert not Event.objects.exists()


def test_sync_now_is_403_for_staff_without_the_change_permission(fake_http, settings):
    settings.ENGAGE_BASE_URL = fake_http.url
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_event"))

    response = _session(viewer).post(reverse("admin:events_event_sync", args=[next(iter(SOURCES))]))

    assert response.status_code == 403
    assert fake_http.calls() == []


OLD_FLASK_PATHS = [
    "/api/purge/all",
    "/api/purge/users",
    "/api/purge/status",
    "/api/migrate/user-profile-fields",
    "/api/migrate/user-profile-fields/status",
    "/api/purge/all/",
    "/api/migrate/user-profile-fields/",
]


def test_the_old_purge_and_migration_endpoints_do_not_exist(user):
    for api in (client(), client(fresh_token(user))):
        for path in OLD_FLASK_PATHS:
            for method in ("get", "post"):
                response = getattr(api, method)(path, {"confirm": True}, format="json")
                assert response.status_code == 404, (method, path)
                assert_error(response, 404, "not_found")


def _routes(patterns: list, prefix: str = "") -> list[str]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append(prefix + str(pattern.pattern))
    return found


def test_no_route_outside_the_admin_purges_migrates_imports_or_syncs():
    routes = [route for route in _routes(get_resolver().url_patterns) if not route.startswith("admin/")]

    assert routes, "the resolver walk found nothing"
    for word in ("purge", "migrat", "import", "sync", "flush", "bulk", "truncate"):
        assert not [route for route in routes if word in route.lower()], word


@pytest.mark.parametrize("path", ["/api/v1/places/", "/api/v1/events/", "/api/v1/chat/conversations/"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_collections_cannot_be_written_or_deleted_in_bulk(user, path, method):
    response = getattr(client(fresh_token(user)), method)(path, {"ids": [1, 2, 3]}, format="json")

    assert_error(response, 405, "method_not_allowed")


def test_the_only_delete_is_of_the_callers_own_account_with_its_password(user, password):
    other = UserFactory()
    api = client(fresh_token(user))

    assert api.delete("/api/user/me", {"password": "not-it-1234"}, format="json").status_code == 400
    assert api.delete("/api/user/me", {"password": password, "email": other.email, "id": other.pk}, format="json").status_code == 204

    assert not type(user).objects.filter(pk=user.pk).exists()
    assert type(user).objects.filter(pk=other.pk).exists()
