import uuid

from django.db import models


class Event(models.Model):
    """Something happening near campus, synced from a source or added by staff."""

    class Source(models.TextChoices):
        NYU_ENGAGE = "nyu_engage", "NYU Engage"
        BROOKLYN_BRIDGE_PARK = "brooklyn_bridge_park", "Brooklyn Bridge Park"
        DOWNTOWN_BROOKLYN = "downtown_brooklyn", "Downtown Brooklyn"
        NYC_PARKS = "nyc_parks", "NYC Parks"
        STAFF = "staff", "Staff"

    source = models.CharField(max_length=32, choices=Source.choices, default=Source.STAFF)
    external_id = models.CharField(max_length=255, blank=True, help_text="The source's id; filled in for staff events.")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True, default="")
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True, default="")
    address = models.CharField(max_length=500, blank=True, default="")
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    url = models.URLField(max_length=1000, blank=True, default="")
    image_url = models.URLField(max_length=1000, blank=True, default="")
    organization = models.CharField(max_length=300, blank=True, default="")
    is_free = models.BooleanField(null=True, blank=True)
    # False once the event disappeared from its source's window (kept for history, never served).
    is_active = models.BooleanField(default=True)
    # Staff's say, never touched by a sync: a hidden event is served nowhere, whatever its source lists.
    hidden = models.BooleanField(default=False, help_text="Hide from every list and the app; a sync never changes this.")
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="event_unique_per_source")]
        indexes = [models.Index(fields=["is_active", "start"], name="event_active_start")]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%Y-%m-%d})"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.external_id:
            # Staff events get a stable id of their own so (source, external_id) stays unique.
            self.external_id = f"staff-{uuid.uuid4().hex[:12]}"
        super().save(*args, **kwargs)


class SourceSync(models.Model):
    """How the syncs of one source went, kept by the sync job (a dry run keeps nothing): what tells
    "no events in the window" (the source answered) from "never synced" (no record) and "the
    source cannot be reached" (its last sync failed)."""

    source = models.CharField(max_length=32, choices=Event.Source.choices, unique=True)
    last_attempt = models.DateTimeField(help_text="When the last sync of this source started.")
    succeeded = models.BooleanField(default=False, help_text="Whether the last sync of this source succeeded.")
    last_success = models.DateTimeField(null=True, blank=True, help_text="When the last sync that succeeded started.")
    last_error = models.CharField(max_length=500, blank=True, default="", help_text="Why the last sync failed; empty when it succeeded.")
    fetched = models.PositiveIntegerField(default=0, help_text="How many events the last successful sync listed.")

    class Meta:
        ordering = ["source"]
        verbose_name = "source sync"

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {'ok' if self.succeeded else 'failed'} at {self.last_attempt:%Y-%m-%d %H:%M}"
