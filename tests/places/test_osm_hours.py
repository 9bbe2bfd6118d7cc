"""Opening hours for the catalog from an OpenStreetMap extract (manage.py import_osm_hours)."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from places.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    call_command("load_place_catalog", verbosity=0)
    return {place.provider_id: place for place in Place.objects.all()}


def node(place: Place, name: str, hours: str, north_m: float = 10, **tags: str) -> dict:
    """An Overpass node `north_m` metres north of the catalog's point for `place`."""
    return {"type": "node", "id": abs(hash(name)) % 10**9, "lat": place.lat + north_m / 111_000, "lon": place.lng,
            "tags": {"name": name, "opening_hours": hours, **tags}}  # fmt: skip


def extract(tmp_path, *elements: dict, stamp: str | None = "2026-11-30T12:00:00Z"):
    data = {"version": 0.6, "elements": list(elements)}
    if stamp:
        data["osm3s"] = {"timestamp_osm_base": stamp}
    path = tmp_path / "extract.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run(path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_osm_hours", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_matching_places_take_the_extracts_hours_with_its_date(catalog, tmp_path):
    think, yemen = catalog["mh-think-coffee-mercer"], catalog["bk-yemen-cafe"]
    path = extract(
        tmp_path,
        node(think, "Think Coffee", "Mo-Fr 07:00-21:00; Sa,Su 08:00-21:00"),
        node(yemen, "Yemen Cafe", "Mo-Su 08:00-23:00", **{"diet:halal": "only", "diet:vegan": "no"}),
        node(think, "Some Other Shop", "Mo-Su 10:00-18:00", north_m=5),
    )

    out, _ = run(path)

    think.refresh_from_db()
    yemen.refresh_from_db()
    assert (think.hours, think.hours_source, think.hours_checked) == ("Mo-Fr 07:00-21:00; Sa,Su 08:00-21:00", "openstreetmap", date(2026, 11, 30))
    assert yemen.hours == "Mo-Su 08:00-23:00" and "halal" in yemen.tags and "vegan" not in yemen.tags
    assert "updated 2," in out
    assert Place.objects.exclude(hours="").count() == 2  # nobody else took the other shop's hours


def test_a_far_point_an_ambiguous_name_or_unreadable_hours_leave_the_hours_unknown(catalog, tmp_path):
    reggio, joes, mamouns = catalog["mh-caffe-reggio"], catalog["mh-joes-pizza-carmine"], catalog["mh-mamouns-falafel"]
    path = extract(
        tmp_path,
        node(reggio, "Caffe Reggio", "Mo-Su 08:00-03:00", north_m=400),
        node(joes, "Joe's Pizza", "Mo-Su 10:00-04:00", north_m=5),
        node(joes, "Joe's Pizza", "Mo-Su 11:00-02:00", north_m=30),
        node(mamouns, "Mamoun's Falafel", "9am till late"),
    )

    _, err = run(path)

    assert not Place.objects.exclude(hours="").exists()
    assert "Unreadable hours, skipped: Mamoun's Falafel: 9am till late" in err


def test_hours_checked_more_recently_are_kept(catalog, tmp_path):
    think = catalog["mh-think-coffee-mercer"]
    think.hours, think.hours_source, think.hours_checked = "Mo-Su 07:00-22:00", "staff", date(2026, 12, 5)
    think.save()

    out, _ = run(extract(tmp_path, node(think, "Think Coffee", "Mo-Su 07:00-20:00")))

    think.refresh_from_db()
    assert (think.hours, think.hours_source) == ("Mo-Su 07:00-22:00", "staff") and "kept newer 1" in out


def test_a_dry_run_writes_nothing_and_a_second_run_changes_nothing(catalog, tmp_path):
    path = extract(tmp_path, node(catalog["mh-think-coffee-mercer"], "Think Coffee", "Mo-Su 07:00-20:00"))

    assert "would update 1" in run(path, "--dry-run")[0]
    assert not Place.objects.exclude(hours="").exists()
    run(path)
    assert "updated 0, unchanged 1" in run(path)[0]


def test_geojson_works_and_the_date_must_be_known(catalog, tmp_path):
    think = catalog["mh-think-coffee-mercer"]
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [think.lng, think.lat]},
               "properties": {"name": "Think Coffee", "opening_hours": "Mo-Su 07:00-20:00"}}  # fmt: skip
    path = tmp_path / "extract.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")

    with pytest.raises(CommandError, match="--checked"):
        run(path)
    run(path, "--checked", "2026-12-01")

    think.refresh_from_db()
    assert think.hours_checked == date(2026, 12, 1)


def test_a_file_that_is_not_json_is_a_clear_error(tmp_path):
    path = tmp_path / "extract.json"
    path.write_text("<osm>", encoding="utf-8")

    with pytest.raises(CommandError, match=r"extract\.json"):
        run(path)
