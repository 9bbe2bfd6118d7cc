from django.db import connection

from accounts.models import User


def test_saving_a_user_keeps_an_address_no_key_can_read(user, settings):
    user.home_address = "6 MetroTech Center"
    user.save()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET home_address = %s WHERE id = %s", ["not-a-fernet-token", user.pk])
    reloaded = User.objects.get(pk=user.pk)
    assert reloaded.home_address == ""
    reloaded.first_name = "Changed"
    reloaded.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT home_address FROM accounts_user WHERE id = %s", [user.pk])
        assert cursor.fetchone()[0] == "not-a-fernet-token"


def test_login_matches_the_email_whatever_its_case(api, user, password):
    User.objects.filter(pk=user.pk).update(email=user.email.upper())
    response = api.post("/api/auth/login", {"email": user.email.lower(), "password": password}, format="json")
    assert response.status_code == 200


def test_me_shows_new_activity_at_once_although_the_list_is_cached(auth_api):
    assert auth_api.get("/api/user/me").json()["recent_activity"] == []
    auth_api.post("/api/user/activity", {"type": "clicked_recommendation", "name": "Devoción"}, format="json")
    assert [a["name"] for a in auth_api.get("/api/user/me").json()["recent_activity"]] == ["Devoción"]


def test_reactivating_a_user_in_the_admin_does_not_bring_old_tokens_back(rf, user):
    from types import SimpleNamespace

    from django.contrib.admin.sites import site
    from rest_framework.test import APIClient

    from accounts.tokens import token_pair_for

    old_token = token_pair_for(user)["token"]
    user_admin = site._registry[User]
    for active in (False, True):
        user.is_active = active
        user_admin.save_model(rf.post("/admin/"), user, SimpleNamespace(changed_data=["is_active"]), change=True)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {old_token}")
    assert User.objects.get(pk=user.pk).is_active
    assert api.get("/api/user/me").status_code == 401
