"""`/` answers a small JSON index of the service instead of a bare 404."""

import tomllib

import pytest
from django.conf import settings

from tests.contract import assert_error

pytestmark = pytest.mark.django_db


def test_the_root_names_the_service_its_version_and_where_its_documentation_is(api):
    response = api.get("/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "name": "VioletVibes API",
        "version": settings.VERSION,
        "links": {"docs": "/api/docs/", "schema": "/api/schema/", "health": "/health"},
    }


def test_the_version_is_pyprojects_everywhere(api):
    with (settings.BASE_DIR / "pyproject.toml").open("rb") as file:
        version = tomllib.load(file)["project"]["version"]

    assert version == settings.VERSION
    assert api.get("/api/schema/", {"format": "json"}).json()["info"]["version"] == version


def test_every_link_of_the_index_answers(api):
    for link in api.get("/").json()["links"].values():
        assert api.get(link).status_code == 200, link


def test_the_index_answers_get_only(api):
    assert_error(api.post("/", {}, format="json"), 405, "method_not_allowed")
