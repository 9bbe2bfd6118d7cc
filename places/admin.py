from django.contrib import admin

from .models import Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("name", "source", "primary_type", "campus", "rating", "price_level", "is_active", "last_fetched")
    list_filter = ("source", "campus", "is_active", "indoor_outdoor", "price_level")
    search_fields = ("name", "address", "provider_id")
    readonly_fields = ("created_at", "updated_at", "last_fetched")
    list_editable = ("is_active",)
    fieldsets = (
        (None, {"fields": ("name", "source", "provider_id", "is_active")}),
        ("Where", {"fields": ("address", "lat", "lng", "campus")}),
        ("What", {"fields": ("primary_type", "types", "categories", "vibes", "tags", "indoor_outdoor", "description")}),
        ("Facts", {"fields": ("rating", "rating_count", "price_level", "opening_hours", "open_now", "photo_ref")}),
        ("Dates", {"fields": ("last_fetched", "created_at", "updated_at")}),
    )
