from django.db import models
from django.utils.functional import cached_property


class Place(models.Model):
    """A place we can recommend: from the built-in catalog, from Google (upserted, so the table
    is also a cache staff can see) or added by staff."""

    class Source(models.TextChoices):
        CATALOG = "catalog", "Built-in catalog"
        GOOGLE = "google_places", "Google Places"
        STAFF = "staff", "Staff"

    class HoursSource(models.TextChoices):
        GOOGLE = "google_places", "Google Places (current hours)"
        OPENSTREETMAP = "openstreetmap", "OpenStreetMap"
        VENUE = "venue", "The venue's own website or sign"
        STAFF = "staff", "Staff"

    class Setting(models.TextChoices):
        INDOOR = "indoor"
        OUTDOOR = "outdoor"
        BOTH = "both"

    source = models.CharField(max_length=32, choices=Source.choices, default=Source.STAFF)
    provider_id = models.CharField(max_length=255, help_text="Google place id, or the catalog key.")
    name = models.CharField(max_length=255)
    address = models.CharField(max_length=500, blank=True, default="")
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    campus = models.CharField(max_length=32, blank=True, default="")
    primary_type = models.CharField(max_length=64, blank=True, default="")
    types = models.JSONField(default=list, blank=True)
    categories = models.JSONField(default=list, blank=True, help_text="quick_bites, cozy_cafes, explore")
    vibes = models.JSONField(default=list, blank=True, help_text="The vibes this place suits.")
    cuisine = models.JSONField(default=list, blank=True, help_text="What a restaurant serves: sushi, korean, pizza, ...")
    tags = models.JSONField(default=list, blank=True, help_text="Diet (halal, vegan, ...) and needs (wifi, quiet, late_night, ...)")
    indoor_outdoor = models.CharField(max_length=8, choices=Setting.choices, default=Setting.INDOOR)
    rating = models.FloatField(null=True, blank=True)
    rating_count = models.PositiveIntegerField(null=True, blank=True)
    price_level = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0 free … 4 very expensive")
    hours = models.CharField(
        max_length=500, blank=True, default="", help_text="OpenStreetMap opening_hours, e.g. Mo-Fr 07:00-22:00; Sa-Su 09:00-22:00. Empty: unknown."
    )
    hours_source = models.CharField(max_length=32, choices=HoursSource.choices, blank=True, default="")
    hours_checked = models.DateField(null=True, blank=True, help_text="When the hours were last checked against their source.")
    opening_hours = models.JSONField(default=list, blank=True, help_text="Google's weekday descriptions, as it gave them.")
    open_now = models.BooleanField(null=True, blank=True, help_text="Google's openNow, as of last_fetched.")
    photo_ref = models.CharField(max_length=500, blank=True, default="", help_text="Provider photo name; never a URL")
    description = models.TextField(blank=True, default="")
    is_active = models.BooleanField(default=True)
    last_fetched = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "provider_id"], name="place_unique_per_source")]
        indexes = [models.Index(fields=["lat", "lng"], name="place_lat_lng")]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def card_id(self) -> str:
        """The card's place_id: unique across every source and every card type. Remembered on the
        instance (a chat turn reads it a few hundred times, of rows held for many turns): the source
        and provider id are what the place is, never changed on a row."""
        return self.provider_id if self.source == self.Source.GOOGLE else f"{self.source}:{self.provider_id}"
