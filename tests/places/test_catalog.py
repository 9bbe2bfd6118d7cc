"""The built-in catalog: every entry checked before it is loaded, kinds that answer what students
ask for, and no facts that are not known (ratings, hours)."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from places import facts
from places.models import Place
from places.services import CATALOG_PATH

ENTRIES = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
BY_KEY = {entry["key"]: entry for entry in ENTRIES}


def test_every_built_in_entry_passes_the_checks():
    problems = {entry["key"]: facts.catalog_entry_errors(entry) for entry in ENTRIES}
    assert {key: errors for key, errors in problems.items() if errors} == {}
    assert len(BY_KEY) == len(ENTRIES)  # keys are unique


def test_the_catalog_claims_no_rating_and_no_hours_without_a_source():
    assert not any("rating" in entry or "rating_count" in entry for entry in ENTRIES)
    for entry in ENTRIES:
        if entry.get("hours"):
            assert entry["hours_source"] and entry["hours_checked"], entry["key"]


def test_restaurants_say_what_they_serve():
    eateries = [e for e in ENTRIES if any(t.endswith("_restaurant") for t in e["types"]) and "bar" not in e["types"]]
    with_cuisine = [e for e in eateries if e["cuisine"]]
    assert len(with_cuisine) >= 0.9 * len(eateries)
    assert BY_KEY["mh-ippudo-ny"]["cuisine"] == ["ramen", "japanese"]
    assert "halal" in BY_KEY["bk-yemen-cafe"]["tags"]


@pytest.mark.parametrize(
    ("key", "not_in_categories", "not_in_vibes"),
    [
        ("bk-tandon-makerspace", {"cozy_cafes"}, {"study"}),  # a fabrication lab with training requirements
        ("mh-porto-rico-importing", {"cozy_cafes", "quick_bites"}, {"study", "fast_bite"}),  # a coffee-bean shop
        ("bk-gage-and-tollner", set(), {"chill_drinks"}),  # a $$$ chop house, not a chill beer
        ("bk-sunken-harbor-club", set(), {"party"}),  # a small tiki bar, not dancing
        ("bk-trader-joes-court-st", {"quick_bites", "explore"}, {"fast_bite"}),
        ("bk-sahadis", {"quick_bites"}, {"fast_bite"}),
        ("bk-macys-downtown-brooklyn", {"explore"}, {"explore"}),
    ],
)
def test_places_that_misled_are_only_the_kind_they_are(key, not_in_categories, not_in_vibes):
    entry = BY_KEY[key]
    assert not set(entry["categories"]) & not_in_categories
    assert not set(entry["vibes"]) & not_in_vibes
    assert entry["primary_type"] == entry["types"][0]


def test_porto_rico_and_gage_and_tollner_have_their_real_kinds():
    assert BY_KEY["mh-porto-rico-importing"]["primary_type"] == "food_store"
    assert BY_KEY["bk-gage-and-tollner"]["primary_type"] == "steak_house"
    assert BY_KEY["bk-gage-and-tollner"]["price_level"] == 3


BAD = {
    "unknown-type": {"types": ["restaurant", "coffee_stand"]},
    "primary-not-first": {"primary_type": "cafe", "types": ["restaurant", "cafe"]},
    "unknown-tag": {"tags": ["wifi", "cozy"]},
    "unknown-cuisine": {"cuisine": ["martian"]},
    "bad-hours": {"hours": "Mo-Fr 9-5", "hours_source": "venue", "hours_checked": "2026-12-01"},
    "hours-without-source": {"hours": "Mo-Fr 09:00-17:00"},
    "far-away": {"lat": 40.7580, "lng": -73.9855},  # Times Square: not near either campus
    "made-up-rating": {"rating": 4.7},
}


def _catalog_with_bad_entries(tmp_path: Path) -> Path:
    good = BY_KEY["bk-juniors-restaurant"]
    entries = [good] + [{**good, "key": f"bad-{name}", "name": f"Bad {name}", **change} for name, change in BAD.items()]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def test_the_loader_names_each_bad_entry_and_loads_only_the_good_ones(db, tmp_path):
    err = io.StringIO()

    with pytest.raises(CommandError, match=f"{len(BAD)} catalog entries were not loaded"):
        call_command("load_place_catalog", "--path", str(_catalog_with_bad_entries(tmp_path)), stdout=io.StringIO(), stderr=err)

    assert list(Place.objects.values_list("provider_id", flat=True)) == ["bk-juniors-restaurant"]
    report = err.getvalue()
    for name, reason in [
        ("unknown-type", "unknown Google place types: coffee_stand"),
        ("primary-not-first", "primary_type must be the first of types"),
        ("unknown-tag", "unknown tags: cozy"),
        ("unknown-cuisine", "unknown cuisines: martian"),
        ("bad-hours", "hours do not parse"),
        ("hours-without-source", "hours need hours_source and hours_checked"),
        ("far-away", "km from the brooklyn campus"),
        ("made-up-rating", "rating comes only from a provider"),
    ]:
        assert f"Not loaded: bad-{name} (Bad {name}): " in report and reason in report, name


def test_catalog_hours_load_with_their_source_and_check_date(db, tmp_path):
    entry = {**BY_KEY["bk-juniors-restaurant"], "hours": "Mo-Su 07:00-23:00", "hours_source": "venue", "hours_checked": "2026-11-30"}
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps([entry]), encoding="utf-8")

    call_command("load_place_catalog", "--path", str(path), stdout=io.StringIO())

    place = Place.objects.get()
    assert (place.hours, place.hours_source, place.hours_checked.isoformat()) == ("Mo-Su 07:00-23:00", "venue", "2026-11-30")
    assert place.rating is None


def test_descriptions_claim_no_hours_or_prices_the_facts_do_not_show():
    """"open late" or "cheaper" in a description would be said as fact in every answer about it."""
    import re

    claims = re.compile(r"\bopen (late|until|till|24)|24/7|24 hours|\bcheaper\b|\bbest[- ]rated\b", re.IGNORECASE)
    assert [entry["key"] for entry in ENTRIES if claims.search(entry["description"])] == []
