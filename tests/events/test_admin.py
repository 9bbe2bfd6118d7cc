"""The events admin: a "Sync ... now" button per source, the sync view behind it, staff events."""

from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.urls import reverse

from events.models import Event, SourceSync
from events.sources import SOURCES
from tests.events.conftest import EXPECTED_IDS, NY
from tests.factories import EventFactory, UserFactory

# The clock stands at the recorded week before anyone signs in: a session made at the real time
# would have expired by then, or not have started.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

CHANGELIST = "/admin/events/event/"
LABELS = {
    "nyu_engage": "NYU Engage",
    "brooklyn_bridge_park": "Brooklyn Bridge Park",
    "downtown_brooklyn": "Downtown Brooklyn",
    "nyc_parks": "NYC Parks",
}


def sync_url(source: str) -> str:
    return reverse("admin:events_event_sync", args=[source])


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def shown_messages(response) -> list[tuple[int, str]]:
    return [(message.level, message.message) for message in response.context["messages"]]


def test_sync_url_is_under_the_event_admin():
    assert sync_url("nyu_engage") == "/admin/events/event/sync/nyu_engage/"


def test_changelist_has_a_sync_now_button_per_source(staff_client):
    response = staff_client.get(CHANGELIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert set(LABELS) == set(SOURCES)
    for source, label in LABELS.items():
        assert f"Sync {label} now" in html
        assert f'action="{sync_url(source)}"' in html
    assert html.count('method="post"') >= len(SOURCES)
    assert html.count("csrfmiddlewaretoken") >= len(SOURCES)


def test_the_sync_buttons_sit_in_the_object_tools_as_one_item_beside_add(staff_client):
    """The object tools float beside the page title (Django's change_list.html): five wide buttons
    there wrapped over the title. One "Sync now" item, styled like "Add event", opens the sources."""
    soup = BeautifulSoup(staff_client.get(CHANGELIST).content, "lxml")

    tools = soup.select_one("#content-main > ul.object-tools")
    items = tools.find_all("li", recursive=False)
    assert len(items) == 2
    sync, add = items
    assert add.select_one("a.addlink")["href"] == "/admin/events/event/add/"
    assert sync.select_one("details > summary").get_text(strip=True) == "Sync now"
    forms = sync.select("details form")
    assert [form["action"] for form in forms] == [sync_url(source) for source in SOURCES]
    assert all(form["method"] == "post" and form.select_one('input[name="csrfmiddlewaretoken"]') for form in forms)
    assert [form.button.get_text(strip=True) for form in forms] == [f"Sync {LABELS[source]} now" for source in SOURCES]
    assert not tools.select("[style]")  # styled by the admin's own variables, not inline
    assert soup.select_one("h1").get_text(strip=True) == "Select event to change"
    assert ".object-tools .sync-sources" in soup.select_one("head style").get_text()


def test_posting_sync_runs_the_source_and_redirects_with_a_success_message(staff_client, fake_sources, frozen_now):
    response = staff_client.post(sync_url("nyu_engage"))

    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    assert set(Event.objects.values_list("external_id", flat=True)) == EXPECTED_IDS["nyu_engage"]
    assert fake_sources.calls_to("nyu_engage")
    assert all(not fake_sources.calls_to(other) for other in ("brooklyn_bridge_park", "downtown_brooklyn", "nyc_parks"))
    page = staff_client.get(response["Location"])
    assert shown_messages(page) == [(messages.SUCCESS, "nyu_engage: fetched 3, created 3, updated 0, removed 0.")]


def test_posting_sync_again_reports_no_changes(staff_client, fake_sources, frozen_now):
    staff_client.post(sync_url("brooklyn_bridge_park"))
    fake_sources.install()

    response = staff_client.post(sync_url("brooklyn_bridge_park"), follow=True)

    assert response.status_code == 200
    assert shown_messages(response)[-1] == (messages.SUCCESS, "brooklyn_bridge_park: fetched 4, created 0, updated 0, removed 0.")
    assert Event.objects.count() == 4


@pytest.mark.parametrize("how", ["timeout", "http_500", "garbage"])
def test_a_failing_source_gives_an_error_message_not_a_500(staff_client, fake_sources, frozen_now, how):
    fake_sources.fail("downtown_brooklyn", how)

    response = staff_client.post(sync_url("downtown_brooklyn"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(CHANGELIST, 302)]
    [(level, text)] = shown_messages(response)
    assert level == messages.ERROR
    assert text.startswith("downtown_brooklyn: sync failed (") and "downtown_brooklyn" in text[len("downtown_brooklyn: ") :]
    assert Event.objects.count() == 0


def test_get_on_the_sync_url_is_405_and_syncs_nothing(staff_client, fake_sources):
    response = staff_client.get(sync_url("nyu_engage"))

    assert response.status_code == 405
    assert len(fake_sources.rsps.calls) == 0
    assert Event.objects.count() == 0


def test_an_unknown_source_is_404(staff_client, fake_sources):
    response = staff_client.post(sync_url("eventbrite"))

    assert response.status_code == 404
    assert len(fake_sources.rsps.calls) == 0


def test_signed_out_users_are_sent_to_the_login_page(client, fake_sources):
    response = client.post(sync_url("nyu_engage"))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert len(fake_sources.rsps.calls) == 0


def test_staff_who_may_only_view_events_get_no_buttons_and_cannot_sync(client, fake_sources):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_event", content_type__app_label="events"))
    client.force_login(viewer)

    changelist = client.get(CHANGELIST)
    response = client.post(sync_url("nyu_engage"))

    assert changelist.status_code == 200
    assert "Sync NYU Engage now" not in changelist.content.decode()
    assert BeautifulSoup(changelist.content, "lxml").select_one(".object-tools details") is None
    assert response.status_code == 403
    assert len(fake_sources.rsps.calls) == 0


def test_the_add_form_starts_as_a_staff_event(staff_client):
    response = staff_client.get("/admin/events/event/add/")

    assert response.status_code == 200
    # The source is not for staff to choose: what they add is always a staff event.
    assert 'name="source"' not in response.content.decode()


def test_a_staff_event_added_in_the_admin_gets_source_staff_and_an_external_id(staff_client):
    form = {
        "name": "Violet Ball Volunteers Meetup",
        "source": "nyu_engage",  # not a field of the form: ignored, what staff add is a staff event
        "external_id": "",
        "is_active": "on",
        "start_0": "2026-12-10",
        "start_1": "18:00:00",
        "end_0": "2026-12-10",
        "end_1": "20:00:00",
        "venue": "Kimmel Center",
        "address": "60 Washington Square S",
        "lat": "",
        "lng": "",
        "description": "Sign up for a shift.",
        "organization": "Student Activities",
        "url": "",
        "image_url": "",
        "is_free": "true",
    }

    response = staff_client.post("/admin/events/event/add/", form)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    event = Event.objects.get(name="Violet Ball Volunteers Meetup")
    assert event.source == Event.Source.STAFF
    assert event.external_id.startswith("staff-") and len(event.external_id) > len("staff-")
    assert event.start == datetime(2026, 12, 10, 18, tzinfo=NY)
    assert event.is_active and event.is_free is True


def test_two_staff_events_get_different_external_ids(staff_client):
    form = {"source": "staff", "external_id": "", "is_active": "on", "start_0": "2026-12-10", "start_1": "18:00:00", "is_free": "unknown"}

    for name in ("First", "Second"):
        assert staff_client.post("/admin/events/event/add/", {**form, "name": name}).status_code == 302

    first, second = Event.objects.filter(source="staff").order_by("name")
    assert first.external_id != second.external_id


# --- A sync that crashes, hiding events, synced rows read-only ----------------------------------------------
def test_a_crashing_source_gives_an_error_message_not_a_500(staff_client, fake_sources, frozen_now, monkeypatch):
    def crash(*, start, end):
        raise KeyError("startsOn")

    monkeypatch.setattr(SOURCES["nyu_engage"], "fetch", crash)

    response = staff_client.post(sync_url("nyu_engage"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(CHANGELIST, 302)]
    assert shown_messages(response) == [(messages.ERROR, "nyu_engage: sync failed (KeyError).")]
    assert Event.objects.count() == 0


def test_the_sync_button_does_not_call_the_geocoder(staff_client, fake_sources, frozen_now, settings, monkeypatch):
    """The button runs inside a request: no Google call per new address (the scheduled job locates them)."""
    from events import geocoding

    settings.GOOGLE_API_KEY = "test-geocoding-key"
    calls: list[str] = []
    monkeypatch.setattr(geocoding, "geocode", lambda address: calls.append(address) or (40.7, -73.99))

    response = staff_client.post(sync_url("nyu_engage"))

    assert response.status_code == 302
    assert calls == []
    assert Event.objects.get(external_id="11840211").lat is not None  # the venue table still applies
    assert Event.objects.get(external_id="11840502").lat is None


def _synced_event(**fields) -> Event:
    defaults = {"source": "nyu_engage", "external_id": "11840211", "name": "Karaoke", "start": datetime(2026, 12, 1, 18, tzinfo=NY)}
    return EventFactory(**{**defaults, **fields})


def test_a_synced_events_content_is_read_only_and_hidden_is_editable(staff_client):
    event = _synced_event()

    html = staff_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()

    for field in ("name", "description", "venue", "address", "lat", "lng", "url", "is_active", "start_0"):
        assert f'name="{field}"' not in html, field
    assert 'name="hidden"' in html


def test_a_staff_events_content_stays_editable(staff_client):
    event = EventFactory(staff=True, name="Staff pick", start=datetime(2026, 12, 1, 18, tzinfo=NY))

    html = staff_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()

    for field in ("name", "description", "venue", "address", "lat", "lng", "url", "is_active", "start_0", "hidden"):
        assert f'name="{field}"' in html, field


def test_staff_hide_a_synced_event_from_the_changelist(staff_client):
    event = _synced_event()
    form = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(event.pk),
        "form-0-hidden": "on",
        "_save": "Save",
    }

    response = staff_client.post(CHANGELIST, form)

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.hidden is True and event.name == "Karaoke" and event.is_active is True


def test_staff_see_how_each_sources_last_sync_went_read_only(staff_client, fake_sources, frozen_now):
    fake_sources.fail("nyc_parks", "http_500")
    staff_client.post(sync_url("nyu_engage"))
    staff_client.post(sync_url("nyc_parks"))

    page = staff_client.get("/admin/events/sourcesync/")

    assert page.status_code == 200
    rows = {row.select_one("th").get_text(strip=True): row for row in BeautifulSoup(page.content, "lxml").select("#result_list tbody tr")}
    assert set(rows) == {"NYU Engage", "NYC Parks"}
    assert "HTTP 500" in rows["NYC Parks"].get_text()
    assert staff_client.get("/admin/events/sourcesync/add/").status_code == 403
    record = SourceSync.objects.get(source="nyu_engage")
    assert 'name="last_error"' not in staff_client.get(f"/admin/events/sourcesync/{record.pk}/change/").content.decode()
