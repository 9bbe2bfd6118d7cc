"""Staff edit a place's kinds, tags and hours as real fields, and find places by kind, tag, campus
and whether their hours are known."""

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from places.admin import PlaceAdminForm, week_expression, week_rows
from places.models import Place
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/places/place/"
DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


@pytest.fixture
def staff(client, clock):
    clock("2026-12-09T14:00:00-05:00")
    call_command("load_place_catalog", verbosity=0)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def form_data(place: Place, **changes) -> dict:
    data = {key: value for key, value in model_to_dict(place).items() if value is not None and key != "id"}
    for name in ("types", "cuisine", "categories", "vibes", "tags", "opening_hours"):
        data[name] = list(data.get(name) or [])
    data["opening_hours"] = "[]"
    data.update({f"hours_{day}": "" for day in DAYS})
    data.update(changes)
    return data


def test_the_change_page_shows_choices_and_one_row_per_day(staff):
    place = Place.objects.get(provider_id="mh-think-coffee-mercer")

    page = staff.get(f"{CHANGELIST}{place.pk}/change/").content.decode()

    assert 'type="checkbox" name="tags" value="wifi"' in page and "checked" in page
    assert 'name="cuisine" value="coffee"' in page
    assert '<select name="types"' in page and '<option value="coffee_shop" selected>' in page
    for day in ("Monday", "Sunday"):
        assert f">{day}:</label>" in page


def test_hours_entered_per_day_are_stored_as_opening_hours_with_staff_as_source(staff):
    place = Place.objects.get(provider_id="mh-think-coffee-mercer")
    rows = {f"hours_{day}": "07:00-21:00" for day in DAYS[:5]} | {"hours_Sa": "08:00-20:00", "hours_Su": "closed"}

    response = staff.post(f"{CHANGELIST}{place.pk}/change/", form_data(place, **rows))

    assert response.status_code == 302, response.content.decode()[:2000]
    place.refresh_from_db()
    assert place.hours == "Mo 07:00-21:00; Tu 07:00-21:00; We 07:00-21:00; Th 07:00-21:00; Fr 07:00-21:00; Sa 08:00-20:00; Su off"
    assert (place.hours_source, place.hours_checked.isoformat()) == ("staff", "2026-12-09")


def test_a_week_read_back_from_the_expression_shows_each_day(staff):
    rows = week_rows("Mo-Th 07:00-23:00; Fr-Sa 07:00-02:00")  # Sunday: only what spills over from Saturday

    assert rows == {
        "Mo": "07:00-23:00", "Tu": "07:00-23:00", "We": "07:00-23:00", "Th": "07:00-23:00",
        "Fr": "07:00-24:00", "Sa": "00:00-02:00,07:00-24:00", "Su": "00:00-02:00",
    }  # fmt: skip
    assert week_rows(week_expression(rows)) == rows


def test_saving_without_touching_the_days_keeps_the_expression_as_written(staff):
    place = Place.objects.get(provider_id="mh-think-coffee-mercer")
    place.hours, place.hours_source = "Mo-Fr 07:00-21:00; PH off", "openstreetmap"
    place.save()
    form = PlaceAdminForm(instance=place)
    unchanged = form_data(place, **{f"hours_{day}": form.initial[f"hours_{day}"] for day in DAYS}, description="Edited")

    assert staff.post(f"{CHANGELIST}{place.pk}/change/", unchanged).status_code == 302
    place.refresh_from_db()
    assert (place.hours, place.hours_source, place.description) == ("Mo-Fr 07:00-21:00; PH off", "openstreetmap", "Edited")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"hours_Mo": "07:00-21:00"}, "Give every day its hours"),
        ({f"hours_{day}": "7am to 9pm" for day in DAYS}, "Those hours are not readable"),
    ],
)
def test_unreadable_or_partial_hours_are_refused_and_nothing_is_saved(staff, rows, message):
    place = Place.objects.get(provider_id="mh-think-coffee-mercer")

    response = staff.post(f"{CHANGELIST}{place.pk}/change/", form_data(place, **rows))

    assert response.status_code == 200 and message in response.content.decode()
    place.refresh_from_db()
    assert place.hours == ""


def test_an_unknown_tag_is_refused(staff):
    place = Place.objects.get(provider_id="mh-think-coffee-mercer")

    response = staff.post(f"{CHANGELIST}{place.pk}/change/", form_data(place, tags=["wifi", "cozy"]))

    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_the_primary_type_is_kept_first(staff):
    place = Place.objects.get(provider_id="mh-think-coffee-mercer")

    staff.post(f"{CHANGELIST}{place.pk}/change/", form_data(place, primary_type="cafe", types=["coffee_shop", "cafe"]))

    place.refresh_from_db()
    assert place.types == ["cafe", "coffee_shop"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"primary_type": "library"}, lambda p: p.primary_type == "library"),
        ({"tag": "halal"}, lambda p: "halal" in p.tags),
        ({"campus": "brooklyn", "tag": "wifi"}, lambda p: p.campus == "brooklyn" and "wifi" in p.tags),
        ({"has_hours": "yes"}, lambda p: bool(p.hours)),
        ({"has_hours": "no"}, lambda p: not p.hours),
    ],
)
def test_the_place_list_filters_by_kind_tag_campus_and_hours(staff, query, expected):
    Place.objects.filter(provider_id="mh-think-coffee-mercer").update(hours="Mo-Su 07:00-21:00", hours_source="staff")

    response = staff.get(CHANGELIST, {**query, "all": ""})

    shown = {place.pk for place in response.context["cl"].result_list}
    assert shown and shown == {place.pk for place in Place.objects.all() if expected(place)}
