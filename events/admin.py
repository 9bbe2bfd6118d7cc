from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from .models import Event, SourceSync
from .services import SOURCE_FIELDS, events_sync
from .sources import SOURCES


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("name", "source", "start", "venue", "is_free", "is_active", "hidden")
    list_filter = ("source", "is_active", "hidden", "is_free", "start")
    list_editable = ("hidden",)
    search_fields = ("name", "venue", "address", "organization")
    date_hierarchy = "start"
    readonly_fields = ("first_seen", "last_seen")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("name", "source", "external_id", "is_active", "hidden")}),
        ("When", {"fields": ("start", "end")}),
        ("Where", {"fields": ("venue", "address", "lat", "lng")}),
        ("About", {"fields": ("description", "organization", "url", "image_url", "is_free")}),
        ("Sync", {"fields": ("first_seen", "last_seen")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Event | None = None) -> tuple[str, ...]:
        # Every event added here is a staff event (the model's default source), so no sync removes it.
        fields = (*self.readonly_fields, "source", "external_id")
        if obj is not None and obj.source != Event.Source.STAFF:
            # A synced row's content is its source's: the next sync would overwrite an edit. Staff
            # hide such an event with `hidden`, which no sync touches.
            fields = (*fields, *SOURCE_FIELDS, "is_active")
        return fields

    def get_urls(self) -> list[URLPattern]:
        sync = self.admin_site.admin_view(require_POST(self.sync_view))
        return [path("sync/<str:source>/", sync, name="events_event_sync"), *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        labels = dict(Event.Source.choices)
        sources = [(name, labels.get(name, name)) for name in SOURCES] if self.has_change_permission(request) else []
        return super().changelist_view(request, {**(extra_context or {}), "sync_sources": sources})

    def sync_view(self, request: HttpRequest, source: str) -> HttpResponseRedirect:
        if not self.has_change_permission(request):
            raise PermissionDenied
        if source not in SOURCES:
            raise Http404("Unknown event source.")
        # Inside the request: any crash becomes a failed report, and no Google call per new
        # address (the scheduled sync locates those), so one source stays well inside the timeout.
        [report] = events_sync(sources=[source], geocode=False)
        if report.failed:
            self.message_user(request, f"{source}: sync failed ({report.error}).", messages.ERROR)
        else:
            self.message_user(
                request,
                f"{source}: fetched {report.fetched}, created {report.created}, updated {report.updated}, removed {report.removed}.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:events_event_changelist"))


@admin.register(SourceSync)
class SourceSyncAdmin(admin.ModelAdmin):
    """How each source's last sync went (written by the sync job and the buttons above): read-only."""

    list_display = ("source", "succeeded", "last_attempt", "last_success", "fetched", "last_error")
    list_filter = ("succeeded",)
    readonly_fields = ("source", "succeeded", "last_attempt", "last_success", "fetched", "last_error")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SourceSync | None = None) -> bool:
        return False
