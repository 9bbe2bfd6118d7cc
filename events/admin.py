from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from .models import Event
from .services import event_source_sync
from .sources import SOURCES


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("name", "source", "start", "venue", "is_free", "is_active")
    list_filter = ("source", "is_active", "is_free", "start")
    search_fields = ("name", "venue", "address", "organization")
    date_hierarchy = "start"
    readonly_fields = ("first_seen", "last_seen")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("name", "source", "external_id", "is_active")}),
        ("When", {"fields": ("start", "end")}),
        ("Where", {"fields": ("venue", "address", "lat", "lng")}),
        ("About", {"fields": ("description", "organization", "url", "image_url", "is_free")}),
        ("Sync", {"fields": ("first_seen", "last_seen")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Event | None = None) -> tuple[str, ...]:
        # Synced rows belong to their source; staff events stay "staff" so no sync removes them.
        return (*self.readonly_fields, "source", "external_id")

    def save_model(self, request: HttpRequest, obj: Event, form: object, change: bool) -> None:
        if not change:
            obj.source = Event.Source.STAFF
        super().save_model(request, obj, form, change)

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
        report = event_source_sync(name=source)
        if report.failed:
            self.message_user(request, f"{source}: sync failed ({report.error}).", messages.ERROR)
        else:
            self.message_user(
                request,
                f"{source}: fetched {report.fetched}, created {report.created}, updated {report.updated}, removed {report.removed}.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:events_event_changelist"))
