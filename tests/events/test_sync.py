"""The sync job: the four sources faked at the HTTP boundary (tests/events/conftest.py), "now"
frozen at the start of the recorded payloads' week, the database made to match each source."""

import io
import re
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command

from events import geocoding
from events.models import Event
from events.services import event_source_sync, events_sync
from events.sources import SOURCES
from tests.events.conftest import EXPECTED_IDS, FAILURES, NY, WINDOW_DAYS, FakeSources
from tests.factories import EventFactory
from tests.fakes.dates import shift_recorded_dates

pytestmark = pytest.mark.django_db


def ids(source: str, **filters: object) -> set[str]:
    return set(Event.objects.filter(source=source, **filters).values_list("external_id", flat=True))


def reports_by_source(reports) -> dict:
    return {report.source: report for report in reports}


def sync(**kwargs):
    return reports_by_source(events_sync(days=WINDOW_DAYS, **kwargs))


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("sync_events", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def engage_item(fake, external_id: str) -> dict:
    return next(item for item in fake.engage["value"] if str(item.get("id")) == external_id)


def drop_engage_item(fake, external_id: str) -> None:
    fake.engage["value"] = [item for item in fake.engage["value"] if str(item.get("id")) != external_id]


# --- First sync, second sync -------------------------------------------------------------------------
def test_first_sync_creates_every_parsed_event_of_every_source(fake_sources, frozen_now):
    reports = sync()

    assert list(reports) == list(SOURCES)
    for source, expected in EXPECTED_IDS.items():
        report = reports[source]
        assert not report.failed, report
        assert (report.fetched, report.created, report.updated, report.removed) == (len(expected), len(expected), 0, 0)
        assert ids(source) == expected
    assert Event.objects.count() == sum(len(expected) for expected in EXPECTED_IDS.values())
    assert not Event.objects.filter(is_active=False).exists()


def test_the_recorded_pages_follow_the_pinned_now_so_they_never_go_stale(source_hosts, mocked, clock):
    """A year on, the fake sources serve the same week moved next to "now": the same events, on the
    same weekdays, a year later."""
    later = clock(datetime(2027, 11, 26, 0, 0, tzinfo=NY), tick=False)  # 52 weeks after the recording
    FakeSources(mocked).install()

    reports = sync()

    for source, expected in EXPECTED_IDS.items():
        moved = {shift_recorded_dates(external_id, weeks=52) for external_id in expected}
        assert not reports[source].failed, reports[source]
        assert ids(source) == moved, source
    starts = Event.objects.values_list("start", flat=True)
    assert min(starts) >= later - timedelta(hours=3) and max(starts) < later + timedelta(days=WINDOW_DAYS)


def test_first_sync_stores_the_parsed_fields_and_locates_known_venues(fake_sources, frozen_now):
    sync()

    karaoke = Event.objects.get(source="nyu_engage", external_id="11840211")
    assert karaoke.name == "Rock & Roll Karaoke Night"
    assert karaoke.start == datetime(2026, 11, 27, 18, tzinfo=NY)
    assert karaoke.end == datetime(2026, 11, 27, 20, tzinfo=NY)
    assert karaoke.organization == "NYU Music Club"
    assert karaoke.url == "https://engage.sync.test/event/11840211"
    assert (karaoke.lat, karaoke.lng) == geocoding.known_venue("Kimmel Center")  # from the venue table
    hack = Event.objects.get(source="nyu_engage", external_id="11840412")
    assert (hack.lat, hack.lng) == (40.6927, -73.9872)  # the source's own coordinates win
    mixer = Event.objects.get(source="nyu_engage", external_id="11840502")
    assert (mixer.lat, mixer.lng) == (None, None)  # unknown venue and no Google key
    market = Event.objects.get(source="brooklyn_bridge_park", external_id="52114")
    assert market.is_free is True and market.venue == "Brooklyn Bridge Park"


def test_second_identical_sync_changes_nothing(fake_sources, frozen_now):
    sync()
    before = {(e.source, e.external_id): (e.pk, e.name, e.start, e.is_active) for e in Event.objects.all()}

    fake_sources.install()
    reports = sync()

    for source, expected in EXPECTED_IDS.items():
        report = reports[source]
        assert (report.fetched, report.created, report.updated, report.removed) == (len(expected), 0, 0, 0), report
    after = {(e.source, e.external_id): (e.pk, e.name, e.start, e.is_active) for e in Event.objects.all()}
    assert after == before


def test_a_second_sync_refreshes_last_seen_of_unchanged_events(fake_sources, frozen_now, monkeypatch):
    sync()
    later = frozen_now + timedelta(hours=1)
    monkeypatch.setattr("events.services.timezone.now", lambda: later)

    fake_sources.install()
    reports = sync()

    assert all(report.updated == 0 for report in reports.values())
    assert set(Event.objects.values_list("last_seen", flat=True)) == {later}
    assert set(Event.objects.values_list("first_seen", flat=True)) == {frozen_now}


def test_a_changed_item_is_updated_in_place(fake_sources, frozen_now):
    sync()
    karaoke = Event.objects.get(source="nyu_engage", external_id="11840211")
    item = engage_item(fake_sources, "11840211")
    item["name"] = "Rock &amp; Roll Karaoke Night (moved)"
    item["startsOn"], item["endsOn"] = "2026-11-28T00:00:00+00:00", "2026-11-28T02:00:00+00:00"
    fake_sources.bbp[0]["meta"]["_EventCost"] = "$20"

    fake_sources.install()
    reports = sync()

    engage = reports["nyu_engage"]
    assert (engage.created, engage.updated, engage.removed) == (0, 1, 0)
    bbp = reports["brooklyn_bridge_park"]
    assert (bbp.created, bbp.updated, bbp.removed) == (0, 1, 0)
    assert (reports["downtown_brooklyn"].updated, reports["nyc_parks"].updated) == (0, 0)
    moved = Event.objects.get(pk=karaoke.pk)
    assert moved.name == "Rock & Roll Karaoke Night (moved)"
    assert moved.start == datetime(2026, 11, 27, 19, tzinfo=NY)
    assert Event.objects.get(source="brooklyn_bridge_park", external_id="52114").is_free is False
    assert Event.objects.filter(source="nyu_engage").count() == 3


def test_an_item_gone_from_the_window_is_deactivated_and_leaves_the_api(fake_sources, frozen_now, api):
    sync()
    hack = Event.objects.get(source="nyu_engage", external_id="11840412")
    listed = api.get("/api/v1/events/", {"source": "nyu_engage"}).json()["results"]
    assert f"event:{hack.pk}" in {card["place_id"] for card in listed}

    drop_engage_item(fake_sources, "11840412")
    fake_sources.install()
    reports = sync()

    assert (reports["nyu_engage"].created, reports["nyu_engage"].updated, reports["nyu_engage"].removed) == (0, 0, 1)
    assert all(reports[source].removed == 0 for source in ("brooklyn_bridge_park", "downtown_brooklyn", "nyc_parks"))
    hack.refresh_from_db()
    assert hack.is_active is False  # kept for history
    assert Event.objects.filter(source="nyu_engage").count() == 3
    cards = api.get("/api/v1/events/", {"source": "nyu_engage"}).json()["results"]
    assert f"event:{hack.pk}" not in {card["place_id"] for card in cards}
    assert len(cards) == 2
    assert api.get(f"/api/v1/events/{hack.pk}/").status_code == 404
    engage_names = {item["name"] for item in api.get("/api/nyu_engage_events").json()["engage_events"]}
    assert hack.name not in engage_names and "Rock & Roll Karaoke Night" in engage_names
    assert hack.name not in {item["event_name"] for item in api.get("/api/events").json()["nyu_permitted"]}


def test_a_source_listing_nothing_deactivates_its_whole_window(fake_sources, frozen_now):
    sync()
    fake_sources.engage["value"] = []
    fake_sources.engage["@odata.count"] = 0
    fake_sources.install()

    reports = sync()

    assert (reports["nyu_engage"].fetched, reports["nyu_engage"].removed) == (0, 3)
    assert ids("nyu_engage", is_active=True) == set()
    assert ids("brooklyn_bridge_park", is_active=True) == EXPECTED_IDS["brooklyn_bridge_park"]


def test_an_item_back_in_the_source_is_reactivated(fake_sources, frozen_now):
    sync()
    original = list(fake_sources.engage["value"])
    drop_engage_item(fake_sources, "11840412")
    fake_sources.install()
    sync()

    fake_sources.engage["value"] = original
    fake_sources.install()
    reports = sync()

    assert (reports["nyu_engage"].created, reports["nyu_engage"].updated) == (0, 1)
    assert Event.objects.get(source="nyu_engage", external_id="11840412").is_active is True


def test_events_outside_the_window_and_of_other_sources_are_not_removed(fake_sources, frozen_now, make_event):
    later = make_event(source="nyu_engage", external_id="far-future", start=frozen_now + timedelta(days=WINDOW_DAYS + 3))
    staff = make_event(source="staff", external_id="", start=frozen_now + timedelta(days=1))

    reports = sync()

    assert reports["nyu_engage"].removed == 0
    later.refresh_from_db()
    staff.refresh_from_db()
    assert later.is_active and staff.is_active


# --- Geocoding during the sync ------------------------------------------------------------------------
GEOCODE_URL = "https://maps.sync.test/maps/api/geocode/json"


@pytest.fixture
def google_geocoding(settings, fake_sources, monkeypatch):
    settings.GOOGLE_API_KEY = "test-geocoding-key"
    settings.GOOGLE_MAPS_BASE_URL = "https://maps.sync.test"

    def install(**answer: object) -> None:
        fake_sources.install()
        fake_sources.rsps.get(GEOCODE_URL, **answer)

    return install


def geocode_calls(fake_sources) -> list:
    return [call for call in fake_sources.rsps.calls if call.request.url.startswith(GEOCODE_URL)]


def test_sync_geocodes_unlocated_events_once(fake_sources, frozen_now, google_geocoding):
    found = {"status": "OK", "results": [{"geometry": {"location": {"lat": 40.7, "lng": -73.99}}}]}
    google_geocoding(json=found)

    sync()

    # Kaufman Management Center and two Central Park spots are not in the venue table; the Shop & Sip
    # names no location at all, so there is nothing to look up.
    assert len(geocode_calls(fake_sources)) == 3
    assert set(Event.objects.filter(lat__isnull=True).values_list("external_id", flat=True)) == {"10263"}
    assert Event.objects.get(source="nyu_engage", external_id="11840502").lat == 40.7
    google_geocoding(json=found)
    reports = sync()
    assert geocode_calls(fake_sources) == []  # served from the geocoding cache
    assert all(report.updated == 0 for report in reports.values())


def test_sync_lands_when_geocoding_fails(fake_sources, frozen_now, google_geocoding):
    google_geocoding(status=500, body="backend error")

    reports = sync()

    assert not any(report.failed for report in reports.values())
    assert Event.objects.count() == 14
    assert Event.objects.get(source="nyu_engage", external_id="11840502").lat is None


# --- One source failing ------------------------------------------------------------------------------
@pytest.mark.parametrize("how", FAILURES)
@pytest.mark.parametrize("failing", list(EXPECTED_IDS))
def test_one_failing_source_does_not_stop_the_other_three(fake_sources, frozen_now, failing, how):
    fake_sources.fail(failing, how)

    reports = sync()

    assert reports[failing].failed is True
    assert failing in reports[failing].error
    assert (reports[failing].created, reports[failing].updated, reports[failing].removed) == (0, 0, 0)
    assert ids(failing) == set()
    for source, expected in EXPECTED_IDS.items():
        if source != failing:
            assert not reports[source].failed, reports[source]
            assert ids(source) == expected


@pytest.mark.parametrize("how", FAILURES)
def test_a_failing_source_keeps_its_events_active(fake_sources, frozen_now, how):
    sync()
    fake_sources.fail("nyc_parks", how)

    report = event_source_sync(name="nyc_parks", days=WINDOW_DAYS)

    assert report.failed and report.removed == 0
    assert ids("nyc_parks", is_active=True) == EXPECTED_IDS["nyc_parks"]


def test_a_source_that_recovers_syncs_on_the_next_run(fake_sources, frozen_now):
    fake_sources.fail("downtown_brooklyn", "http_500")
    assert sync()["downtown_brooklyn"].failed

    fake_sources.heal("downtown_brooklyn")
    report = sync()["downtown_brooklyn"]

    assert not report.failed and report.created == 3
    assert ids("downtown_brooklyn") == EXPECTED_IDS["downtown_brooklyn"]


# --- The management command --------------------------------------------------------------------------
def test_command_prints_a_summary_line_per_source(fake_sources, frozen_now):
    output = run_command("--days", str(WINDOW_DAYS))

    assert f"Syncing 4 source(s), {WINDOW_DAYS} days ahead..." in output
    for source, expected in EXPECTED_IDS.items():
        line = rf"^\s*{source}: fetched {len(expected)}, created {len(expected)}, updated 0, removed 0$"
        assert re.search(line, output, re.MULTILINE), output
    assert "4 of 4 source(s) synced" in output
    assert Event.objects.count() == 14


def test_command_prints_a_failure_line_for_a_failed_source(fake_sources, frozen_now):
    fake_sources.fail("brooklyn_bridge_park", "http_500")

    output = run_command("--days", str(WINDOW_DAYS))

    assert re.search(r"^\s*brooklyn_bridge_park: failed \(.*HTTP 500.*\)$", output, re.MULTILINE), output
    assert re.search(r"^\s*nyu_engage: fetched 3, created 3, updated 0, removed 0$", output, re.MULTILINE), output
    assert "3 of 4 source(s) synced; failed: brooklyn_bridge_park" in output
    assert ids("brooklyn_bridge_park") == set()


def test_command_fails_naming_every_source_when_all_of_them_failed(fake_sources, frozen_now):
    """The scheduled job must alert when nothing could be fetched: a non-zero exit, not a warning."""
    for source in EXPECTED_IDS:
        fake_sources.fail(source, "http_500")
    out = io.StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("sync_events", "--days", str(WINDOW_DAYS), stdout=out, stderr=io.StringIO())

    message = str(failure.value)
    assert message.startswith("Every event source failed:")
    for source in EXPECTED_IDS:
        assert source in message
        assert re.search(rf"^\s*{source}: failed \(", out.getvalue(), re.MULTILINE), out.getvalue()
    assert Event.objects.count() == 0


def test_command_fails_when_the_one_source_asked_for_failed(fake_sources, frozen_now):
    fake_sources.fail("nyc_parks", "timeout")

    with pytest.raises(CommandError, match="Every event source failed: nyc_parks"):
        run_command("--source", "nyc_parks", "--days", str(WINDOW_DAYS))


def test_command_partial_failure_exits_zero_and_names_the_failed_sources(fake_sources, frozen_now):
    fake_sources.fail("nyu_engage", "garbage")
    fake_sources.fail("nyc_parks", "timeout")

    output = run_command("--days", str(WINDOW_DAYS))  # no CommandError

    assert "2 of 4 source(s) synced; failed: nyu_engage, nyc_parks" in output
    assert ids("brooklyn_bridge_park") == EXPECTED_IDS["brooklyn_bridge_park"]


def test_command_allow_failure_exits_zero_when_every_source_failed(fake_sources, frozen_now):
    """What the deploy's PRE_DEPLOY job runs: sources that are down never fail a deploy."""
    for source in EXPECTED_IDS:
        fake_sources.fail(source, "timeout")

    output = run_command("--days", str(WINDOW_DAYS), "--allow-failure")

    assert "Every event source failed: nyu_engage, brooklyn_bridge_park, downtown_brooklyn, nyc_parks" in output
    assert "--allow-failure" in output
    assert Event.objects.count() == 0


def test_command_reports_updates_and_removals(fake_sources, frozen_now):
    run_command("--days", str(WINDOW_DAYS))
    engage_item(fake_sources, "11840211")["description"] = "New description."
    drop_engage_item(fake_sources, "11840502")
    fake_sources.install()

    output = run_command("--days", str(WINDOW_DAYS), "--source", "nyu_engage")

    assert re.search(r"^\s*nyu_engage: fetched 2, created 0, updated 1, removed 1$", output, re.MULTILINE), output


def test_command_dry_run_writes_nothing(fake_sources, frozen_now):
    output = run_command("--dry-run")

    assert "(dry run)" in output
    assert re.search(r"^\s*nyu_engage: fetched 3, created 3, updated 0, removed 0$", output, re.MULTILINE), output
    assert Event.objects.count() == 0


def test_command_dry_run_does_not_update_or_deactivate(fake_sources, frozen_now):
    run_command("--days", str(WINDOW_DAYS))
    engage_item(fake_sources, "11840211")["name"] = "Renamed"
    drop_engage_item(fake_sources, "11840412")
    fake_sources.install()

    output = run_command("--dry-run", "--days", str(WINDOW_DAYS))

    assert re.search(r"^\s*nyu_engage: fetched 2, created 0, updated 1, removed 1$", output, re.MULTILINE), output
    assert Event.objects.get(source="nyu_engage", external_id="11840211").name == "Rock & Roll Karaoke Night"
    assert ids("nyu_engage", is_active=True) == EXPECTED_IDS["nyu_engage"]


def test_command_source_option_only_touches_that_source(fake_sources, frozen_now, make_event):
    unlisted = make_event(source="nyu_engage", external_id="not-in-any-feed", start=frozen_now + timedelta(days=2))

    output = run_command("--source", "brooklyn_bridge_park", "--days", str(WINDOW_DAYS))

    assert "Syncing 1 source(s)" in output
    assert ids("brooklyn_bridge_park") == EXPECTED_IDS["brooklyn_bridge_park"]
    assert set(Event.objects.values_list("source", flat=True)) == {"brooklyn_bridge_park", "nyu_engage"}
    unlisted.refresh_from_db()
    assert unlisted.is_active  # another source's window was not compared
    assert fake_sources.calls_to("brooklyn_bridge_park")
    for other in ("nyu_engage", "downtown_brooklyn", "nyc_parks"):
        assert fake_sources.calls_to(other) == []


def test_command_defaults_to_a_14_day_window(fake_sources, frozen_now):
    output = run_command()

    assert "14 days ahead" in output
    dtbk = parse_qs(urlsplit(fake_sources.calls_to("downtown_brooklyn")[0].request.url).query)
    assert (dtbk["start_date"], dtbk["end_date"]) == (["2026-11-27"], ["2026-12-11"])
    # The parks listing's 6 December event is inside a 14-day window.
    assert "2026/12/06/menorah-lighting" in ids("nyc_parks")


@pytest.mark.parametrize("days", ["0", "-1", "61"])
def test_command_refuses_days_out_of_range(fake_sources, days):
    with pytest.raises(CommandError, match="--days"):
        run_command("--days", days)
    assert len(fake_sources.rsps.calls) == 0
    assert Event.objects.count() == 0


def test_command_refuses_an_unknown_source(fake_sources):
    with pytest.raises(CommandError):
        run_command("--source", "eventbrite")
    assert len(fake_sources.rsps.calls) == 0


# --- Staff hiding, a feed cut short, geocoding order, implausible coordinates -------------------------------
def test_a_hidden_synced_event_stays_hidden_after_the_next_sync(fake_sources, frozen_now, api):
    sync()
    hack = Event.objects.get(source="nyu_engage", external_id="11840412")
    Event.objects.filter(pk=hack.pk).update(hidden=True)  # what staff do in the admin
    engage_item(fake_sources, "11840412")["name"] = "Hackathon (renamed)"

    fake_sources.install()
    reports = sync()

    assert reports["nyu_engage"].updated == 1
    hack.refresh_from_db()
    assert hack.hidden is True and hack.is_active is True  # the sync owns is_active, staff own hidden
    assert hack.name == "Hackathon (renamed)"
    cards = api.get("/api/v1/events/", {"source": "nyu_engage"}).json()["results"]
    assert f"event:{hack.pk}" not in {card["place_id"] for card in cards}
    assert api.get(f"/api/v1/events/{hack.pk}/").status_code == 404


def test_a_feed_cut_off_at_max_pages_only_deactivates_what_it_covered(fake_sources, frozen_now, monkeypatch):
    from events.sources import engage

    # One full page of five and 8 events in all: the feed is cut off after page 1, which reaches
    # events ending 3 December 01:30 UTC (11840502, the last one).
    monkeypatch.setattr(engage, "PAGE_SIZE", 5)
    monkeypatch.setattr(engage, "MAX_PAGES", 1)
    covered = EventFactory(
        source="nyu_engage", external_id="gone-early", name="Gone", start=datetime(2026, 11, 29, 10, tzinfo=NY),
        end=datetime(2026, 11, 29, 12, tzinfo=NY),
    )  # fmt: skip
    beyond = EventFactory(
        source="nyu_engage", external_id="later-page", name="On page 2", start=datetime(2026, 12, 3, 10, tzinfo=NY)
    )

    report = sync(sources=["nyu_engage"])["nyu_engage"]

    assert not report.failed and report.created == 3
    assert report.removed == 1
    covered.refresh_from_db()
    beyond.refresh_from_db()
    assert covered.is_active is False  # ends before the last event read: the feed would have listed it
    assert beyond.is_active is True  # past what the feed covered: not compared


@pytest.fixture
def geocode_spy(settings, monkeypatch) -> list[str]:
    """Google configured, and every geocode() call recorded (answering a point near campus)."""
    settings.GOOGLE_API_KEY = "test-geocoding-key"
    calls: list[str] = []

    def geocode(address: str):
        calls.append(address)
        return 40.7, -73.99

    monkeypatch.setattr(geocoding, "geocode", geocode)
    return calls


def test_a_dry_run_makes_no_geocoding_call(fake_sources, frozen_now, geocode_spy):
    output = run_command("--dry-run", "--days", str(WINDOW_DAYS))

    assert re.search(r"^\s*nyu_engage: fetched 3, created 3, updated 0, removed 0$", output, re.MULTILINE), output
    assert geocode_spy == []


def test_an_unchanged_address_is_not_geocoded_again(fake_sources, frozen_now, geocode_spy):
    sync()
    assert len(geocode_spy) == 3  # the three events no venue table entry or source coordinates locate
    geocode_spy.clear()

    fake_sources.install()
    reports = sync()

    assert geocode_spy == []  # their stored coordinates are reused, no call is even attempted
    assert all(report.updated == 0 for report in reports.values())
    assert set(Event.objects.filter(lat__isnull=True).values_list("external_id", flat=True)) == {"10263"}  # no location


def test_an_event_that_names_no_location_gets_no_coordinates(fake_sources, frozen_now, google_geocoding, api):
    """Fulton Mall Shop & Sip (10263) names no venue ("venue": []): it is not put at Downtown
    Brooklyn's centre, which Google gives for the neighbourhood's name and which is the Tandon campus."""
    downtown = {
        "status": "OK",
        "results": [
            {"types": ["neighborhood", "political"], "geometry": {"location": {"lat": 40.6957, "lng": -73.9847}, "location_type": "APPROXIMATE"}}
        ],
    }
    google_geocoding(json=downtown)

    sync(sources=["downtown_brooklyn"])

    shop = Event.objects.get(source="downtown_brooklyn", external_id="10263")
    assert (shop.venue, shop.address, shop.lat, shop.lng) == ("", "", None, None)
    asked = [parse_qs(urlsplit(call.request.url).query)["address"][0] for call in geocode_calls(fake_sources)]
    assert "Downtown Brooklyn" not in asked
    card = api.get(f"/api/v1/events/{shop.pk}/").json()
    assert (card["location"], card["walk_time"], card["distance"]) == (None, None, None)
    [item] = [item for item in api.get("/api/events").json()["nyu_permitted"] if item["event_name"] == shop.name]
    assert (item["latitude"], item["longitude"]) == (None, None)


def test_a_changed_address_is_geocoded_again(fake_sources, frozen_now, geocode_spy):
    sync()
    geocode_spy.clear()
    engage_item(fake_sources, "11840502")["location"] = "Some New Hall"

    fake_sources.install()
    sync(sources=["nyu_engage"])

    assert geocode_spy == ["Some New Hall"]


def test_source_coordinates_far_from_campus_are_dropped(fake_sources, frozen_now):
    karaoke = engage_item(fake_sources, "11840211")
    karaoke["latitude"], karaoke["longitude"] = 0, 0  # "null island", as some feeds send for unknown
    hack = engage_item(fake_sources, "11840412")
    hack["latitude"], hack["longitude"] = -73.9872, 40.6927  # swapped
    fake_sources.install()

    sync(sources=["nyu_engage"])

    karaoke_row = Event.objects.get(source="nyu_engage", external_id="11840211")
    assert (karaoke_row.lat, karaoke_row.lng) == geocoding.known_venue("Kimmel Center")  # the venue table instead
    hack_row = Event.objects.get(source="nyu_engage", external_id="11840412")
    assert (hack_row.lat, hack_row.lng) == geocoding.known_venue("370 Jay")
