from tests.contract import assert_contract


def test_signup_login_me_round_trip(api, db):
    response = api.post("/api/auth/signup", {"email": "New@NYU.edu", "password": "purple-violets-42"}, format="json")
    assert response.status_code == 201, response.content
    assert_contract("POST", "/api/auth/signup", response)
    assert response.json()["user"]["email"] == "new@nyu.edu"
    login = api.post("/api/auth/login", {"email": "new@nyu.edu", "password": "purple-violets-42"}, format="json")
    assert login.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['token']}")
    me = api.get("/api/user/me")
    assert me.status_code == 200
    assert me.json()["recent_activity"] == []
