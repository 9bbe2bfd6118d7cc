"""The Django admin for users and their activity."""

import pytest
from django.contrib.auth.hashers import get_hasher
from django.test import Client

from accounts.models import Activity, User
from accounts.tokens import token_pair_for
from tests.factories import ActivityFactory, UserFactory

CHANGELIST = "/admin/accounts/user/"
ADD = "/admin/accounts/user/add/"
# What the browser posts back for the (empty) activity inline the add page renders.
INLINE_MANAGEMENT = {"activities-TOTAL_FORMS": "0", "activities-INITIAL_FORMS": "0"}

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> User:
    return UserFactory(email="admin@nyu.edu", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(staff: User) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def _token_works(make_client, token: str) -> bool:
    return make_client(token).get("/api/user/me").status_code == 200


def test_changelist_loads_for_staff(admin_client):
    UserFactory(email="listed@nyu.edu")

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assert b"listed@nyu.edu" in response.content


def test_changelist_never_shows_the_home_address(admin_client):
    user = UserFactory(email="private@nyu.edu")
    user.home_address = "6 MetroTech Center, Brooklyn"
    user.save()

    response = admin_client.get(CHANGELIST)

    assert b"private@nyu.edu" in response.content
    assert b"MetroTech" not in response.content
    # Nor is it searchable (the search box only echoes the query back).
    assert b"private@nyu.edu" not in admin_client.get(CHANGELIST, {"q": "MetroTech"}).content


def test_changelist_search_by_email(admin_client):
    UserFactory(email="findme@nyu.edu")
    UserFactory(email="someone-else@nyu.edu")

    response = admin_client.get(CHANGELIST, {"q": "findme"})

    assert response.status_code == 200
    assert b"findme@nyu.edu" in response.content
    assert b"someone-else@nyu.edu" not in response.content


def test_change_page_loads(admin_client):
    user = UserFactory()
    ActivityFactory(user=user, name="Devocion")

    response = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")

    assert response.status_code == 200
    assert user.email.encode() in response.content


def test_add_form_creates_a_user_with_a_hashed_password(admin_client, make_client):
    response = admin_client.post(
        ADD,
        {
            "email": "New.Person@NYU.edu",
            "first_name": "Ana",
            "password1": "lilac-orchids-77",
            "password2": "lilac-orchids-77",
            **INLINE_MANAGEMENT,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new.person@nyu.edu")
    assert user.first_name == "Ana"
    assert user.password != "lilac-orchids-77"
    assert user.password.startswith(f"{get_hasher('default').algorithm}$")
    assert user.check_password("lilac-orchids-77")
    login = make_client().post("/api/auth/login", {"email": "new.person@nyu.edu", "password": "lilac-orchids-77"}, format="json")
    assert login.status_code == 200


def test_add_form_refuses_a_taken_email_whatever_the_case(admin_client):
    UserFactory(email="taken@nyu.edu")

    response = admin_client.post(
        ADD, {"email": "TAKEN@nyu.edu", "password1": "lilac-orchids-77", "password2": "lilac-orchids-77", **INLINE_MANAGEMENT}
    )

    assert response.status_code == 200  # the form again, with the error
    assert b"already exists" in response.content
    assert User.objects.filter(email__iexact="taken@nyu.edu").count() == 1


def test_add_form_refuses_mismatched_or_weak_passwords(admin_client):
    for first, second in (("lilac-orchids-77", "lilac-orchids-78"), ("123", "123")):
        response = admin_client.post(ADD, {"email": "weak@nyu.edu", "password1": first, "password2": second, **INLINE_MANAGEMENT})
        assert response.status_code == 200
    assert not User.objects.filter(email="weak@nyu.edu").exists()


def test_deactivate_action_deactivates_and_signs_out(admin_client, make_client):
    targets = [UserFactory(), UserFactory()]
    bystander = UserFactory()
    target_tokens = [token_pair_for(user) for user in targets]
    bystander_tokens = token_pair_for(bystander)

    response = admin_client.post(CHANGELIST, {"action": "deactivate_users", "_selected_action": [u.pk for u in targets]})

    assert response.status_code == 302
    for user, tokens in zip(targets, target_tokens, strict=True):
        assert not User.objects.get(pk=user.pk).is_active
        assert not _token_works(make_client, tokens["token"])
        assert make_client().post("/api/auth/refresh", {"refresh_token": tokens["refresh_token"]}, format="json").status_code == 401
    assert User.objects.get(pk=bystander.pk).is_active
    assert _token_works(make_client, bystander_tokens["token"])


def test_revoke_all_tokens_action_signs_out_but_keeps_the_account(admin_client, make_client):
    target = UserFactory()
    tokens = token_pair_for(target)

    response = admin_client.post(CHANGELIST, {"action": "revoke_all_tokens", "_selected_action": [target.pk]})

    assert response.status_code == 302
    fresh = User.objects.get(pk=target.pk)
    assert fresh.is_active
    assert fresh.token_version == target.token_version + 1
    assert not _token_works(make_client, tokens["token"])
    assert make_client().post("/api/auth/refresh", {"refresh_token": tokens["refresh_token"]}, format="json").status_code == 401
    assert _token_works(make_client, token_pair_for(fresh)["token"])


def test_an_actions_message_is_shown_on_the_next_page(admin_client):
    target = UserFactory()

    admin_client.post(CHANGELIST, {"action": "revoke_all_tokens", "_selected_action": [target.pk]})

    assert "Revoked every token of 1 user(s)." in admin_client.get(CHANGELIST).content.decode()


def test_activity_changelist_loads_and_searches_by_user_email(admin_client):
    ActivityFactory(user=UserFactory(email="active@nyu.edu"), name="Devocion")
    ActivityFactory(user=UserFactory(email="quiet@nyu.edu"), name="Elsewhere")

    response = admin_client.get("/admin/accounts/activity/", {"q": "active@"})

    assert response.status_code == 200
    assert b"active@nyu.edu" in response.content
    assert b"quiet@nyu.edu" not in response.content
    assert Activity.objects.count() == 2


def test_admin_is_refused_to_non_staff_users(user):
    client = Client()
    client.force_login(user)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def _change_form_data(user: User, **changes: str) -> dict[str, str]:
    """What the browser posts back from the change page unchanged, plus `changes`."""
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "home_address": "",  # what the page shows for an address it cannot read
        "preferences": '{"vibes": {}}',
        "settings": '{"notifications_enabled": true}',
        "notification_token": user.notification_token,
        "is_active": "on",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "12:00:00",
        "activities-TOTAL_FORMS": "0",
        "activities-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_saving_a_user_keeps_a_home_address_no_key_can_read(admin_client, settings):
    from cryptography.fernet import Fernet
    from django.db import connection

    user = UserFactory(first_name="Ana")
    user.home_address = "6 MetroTech Center, Brooklyn"
    user.save()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT home_address FROM {User._meta.db_table} WHERE id = %s", [user.pk])  # noqa: S608
        stored = cursor.fetchone()[0]
    old_keys = settings.FIELD_ENCRYPTION_KEYS
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the address's key dropped too early

    page = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert page.status_code == 200
    assert b'name="home_address"' not in page.content  # shown read-only, not as an (empty) input

    response = admin_client.post(f"/admin/accounts/user/{user.pk}/change/", _change_form_data(user, first_name="Bea"))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(pk=user.pk).first_name == "Bea"
    settings.FIELD_ENCRYPTION_KEYS = [*settings.FIELD_ENCRYPTION_KEYS, *old_keys]  # the key put back: nothing was lost
    assert User.objects.get(pk=user.pk).home_address == "6 MetroTech Center, Brooklyn"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT home_address FROM {User._meta.db_table} WHERE id = %s", [user.pk])  # noqa: S608
        assert cursor.fetchone()[0] == stored


def test_saving_a_user_still_edits_a_readable_home_address(admin_client):
    user = UserFactory(first_name="Ana")
    user.home_address = "6 MetroTech Center, Brooklyn"
    user.save()

    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/change/", _change_form_data(user, home_address="370 Jay Street, Brooklyn")
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(pk=user.pk).home_address == "370 Jay Street, Brooklyn"
