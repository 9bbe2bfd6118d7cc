"""An empty list of events says why: nothing in the window (the sources answered), the sync has
never run, or every source failed its last sync. Read from the sync records the job keeps
(SourceSync), next to the list, in a field the apps ignore: `status` and `message` (the dashboard:
`events_status`, `events_message`)."""

from datetime import timedelta

import pytest

from events.models import SourceSync
from events.services import events_sync
from tests.contract import assert_contract
from tests.events.conftest import EXPECTED_IDS, WINDOW_DAYS
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

ENGAGE_PATH = "/api/nyu_engage_events"
PERMITTED_PATH = "/api/events"
LIST_PATH = "/api/v1/events/"
QUICK_PATH = "/api/quick_recs"
DASHBOARD_PATH = "/api/dashboard"
NOT_SYNCED = "Events haven't been loaded yet. Check back soon."
UNREACHABLE = "The event listings can't be reached right now. Check back later."


def fail_every_source(fake_sources) -> None:
    for source in EXPECTED_IDS:
        fake_sources.fail(source, "http_500")


def list_nothing(fake_sources) -> None:
    fake_sources.engage["value"], fake_sources.engage["@odata.count"] = [], 0
    fake_sources.bbp = []
    for page in fake_sources.dtbk_pages:
        page["events"] = []
    fake_sources.parks_html = '<html><body><div id="events_leftcol"></div></body></html>'
    fake_sources.install()


# --- The sync records -------------------------------------------------------------------------------------
def test_a_sync_records_each_sources_attempt_success_and_error(fake_sources, frozen_now):
    events_sync(days=WINDOW_DAYS)
    fake_sources.fail("nyc_parks", "http_500")

    events_sync(days=WINDOW_DAYS)

    records = {record.source: record for record in SourceSync.objects.all()}
    assert set(records) == set(EXPECTED_IDS)
    engage = records["nyu_engage"]
    assert (engage.last_attempt, engage.last_success, engage.last_error, engage.fetched) == (frozen_now, frozen_now, "", 3)
    assert engage.succeeded
    parks = records["nyc_parks"]
    assert parks.last_success == frozen_now  # from the first run
    assert "HTTP 500" in parks.last_error and not parks.succeeded


def test_a_dry_run_records_nothing(fake_sources, frozen_now):
    events_sync(days=WINDOW_DAYS, dry_run=True)

    assert not SourceSync.objects.exists()


# --- The endpoints --------------------------------------------------------------------------------------
def test_before_any_sync_every_events_endpoint_says_events_were_never_loaded(fake_sources, api, auth_api):
    engage = api.get(ENGAGE_PATH)
    permitted = api.get(PERMITTED_PATH)
    listed = api.get(LIST_PATH)
    quick = api.get(QUICK_PATH, {"category": "events"})
    dashboard = auth_api.get(DASHBOARD_PATH)

    assert engage.json() == {"engage_events": [], "status": "not_synced", "message": NOT_SYNCED}
    assert permitted.json() == {"nyu_permitted": [], "status": "not_synced", "message": NOT_SYNCED}
    assert listed.json() == {"count": 0, "next": None, "previous": None, "results": [], "status": "not_synced", "message": NOT_SYNCED}
    assert (quick.json()["places"], quick.json()["status"], quick.json()["message"]) == ([], "not_synced", NOT_SYNCED)
    body = dashboard.json()
    assert body["quick_recommendations"]["events"] == []
    assert (body["events_status"], body["events_message"]) == ("not_synced", NOT_SYNCED)
    for path, response in ((ENGAGE_PATH, engage), (PERMITTED_PATH, permitted), (QUICK_PATH, quick), (DASHBOARD_PATH, dashboard)):
        assert_contract("GET", path, response)


def test_when_every_source_failed_the_lists_say_the_sources_cannot_be_reached(fake_sources, frozen_now, api):
    fail_every_source(fake_sources)
    events_sync(days=WINDOW_DAYS)

    assert api.get(PERMITTED_PATH).json() == {"nyu_permitted": [], "status": "sources_unreachable", "message": UNREACHABLE}
    assert api.get(LIST_PATH).json()["status"] == "sources_unreachable"
    assert api.get(QUICK_PATH, {"category": "events"}).json()["status"] == "sources_unreachable"


def test_sources_that_answered_with_nothing_give_no_events_in_the_window(fake_sources, frozen_now, api):
    list_nothing(fake_sources)
    events_sync(days=WINDOW_DAYS)

    assert api.get(PERMITTED_PATH, {"days": 3}).json() == {
        "nyu_permitted": [], "status": "no_events", "message": "No events in the next 3 days."
    }  # fmt: skip
    assert api.get(ENGAGE_PATH, {"days": 1}).json() == {
        "engage_events": [], "status": "no_events", "message": "No NYU Engage events in the next day."
    }  # fmt: skip
    listed = api.get(LIST_PATH).json()
    assert (listed["status"], listed["message"]) == ("no_events", "No upcoming events.")
    assert api.get(LIST_PATH, {"q": "karaoke"}).json()["message"] == "No upcoming events match."


def test_a_listed_event_gives_status_ok_and_no_message(fake_sources, frozen_now, api, auth_api):
    events_sync(days=WINDOW_DAYS)

    permitted = api.get(PERMITTED_PATH).json()
    listed = api.get(LIST_PATH).json()
    quick = api.get(QUICK_PATH, {"category": "events"}).json()
    dashboard = auth_api.get(DASHBOARD_PATH).json()

    assert permitted["nyu_permitted"] and (permitted["status"], permitted["message"]) == ("ok", None)
    assert listed["results"] and (listed["status"], listed["message"]) == ("ok", None)
    assert quick["places"] and (quick["status"], quick["message"]) == ("ok", None)
    assert dashboard["quick_recommendations"]["events"] and (dashboard["events_status"], dashboard["events_message"]) == ("ok", None)


def test_the_engage_list_speaks_for_the_engage_source_alone(fake_sources, frozen_now, api):
    """NYU Engage down while the other sources answer: its list cannot claim there is nothing on."""
    fake_sources.fail("nyu_engage", "timeout")
    events_sync(days=WINDOW_DAYS)

    assert api.get(ENGAGE_PATH).json()["status"] == "sources_unreachable"
    assert api.get(LIST_PATH, {"source": "nyu_engage"}).json()["status"] == "sources_unreachable"
    assert api.get(PERMITTED_PATH).json()["status"] == "ok"  # the other sources' events are listed
    assert api.get(LIST_PATH, {"source": "staff"}).json()["status"] == "no_events"  # staff events need no sync


def test_a_source_that_failed_once_after_answering_is_unreachable_until_it_answers_again(fake_sources, frozen_now, api):
    list_nothing(fake_sources)
    events_sync(days=WINDOW_DAYS)
    fail_every_source(fake_sources)
    events_sync(days=WINDOW_DAYS)

    assert api.get(PERMITTED_PATH).json()["status"] == "sources_unreachable"

    for source in EXPECTED_IDS:
        fake_sources.heal(source)
    list_nothing(fake_sources)
    events_sync(days=WINDOW_DAYS)

    assert api.get(PERMITTED_PATH).json()["status"] == "no_events"


def test_a_staff_event_is_listed_before_any_sync(fake_sources, frozen_now, api):
    EventFactory(staff=True, name="Violet Ball", start=frozen_now + timedelta(days=1))

    body = api.get(PERMITTED_PATH).json()

    assert [item["event_name"] for item in body["nyu_permitted"]] == ["Violet Ball"]
    assert (body["status"], body["message"]) == ("ok", None)


def test_other_quick_recs_categories_carry_no_events_status(fake_sources, api):
    body = api.get(QUICK_PATH, {"category": "quick_bites"}).json()

    assert "status" not in body and "message" not in body
