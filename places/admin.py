from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from opening_hours import State

from . import facts, hours
from .models import Place

DAYS = (("Mo", "Monday"), ("Tu", "Tuesday"), ("We", "Wednesday"), ("Th", "Thursday"), ("Fr", "Friday"), ("Sa", "Saturday"), ("Su", "Sunday"))
# A week with no public holiday, to read a stored expression back as one row per day.
REFERENCE_MONDAY = date(2027, 1, 4)
CLOSED = "closed"


def _choices(values: tuple[str, ...] | frozenset[str], label=lambda value: value.replace("_", " ")) -> list[tuple[str, str]]:
    return [(value, label(value)) for value in sorted(values)]


def week_rows(expression: str) -> dict[str, str]:
    """The expression as one row per day of a plain week: "07:00-23:00", "07:00-15:00,17:00-22:00" or
    "closed" (an opening past midnight shows on both days)."""
    parsed = hours.parse(expression)
    rows = {}
    for offset, (code, _label) in enumerate(DAYS):
        start = datetime.combine(REFERENCE_MONDAY + timedelta(days=offset), datetime.min.time(), hours.NEW_YORK)
        end = start + timedelta(days=1)
        spans = []
        for opens, closes, state, _comment in parsed.intervals(start, end):
            if state == State.OPEN:
                closes = end if closes is None or closes > end else closes
                spans.append(f"{opens.astimezone(hours.NEW_YORK):%H:%M}-{'24:00' if closes == end else f'{closes.astimezone(hours.NEW_YORK):%H:%M}'}")
        rows[code] = ",".join(spans) or CLOSED
    return rows


def week_expression(rows: dict[str, str]) -> str:
    """One row per day back to opening_hours syntax: "Mo 07:00-23:00; Tu off; ..."."""
    return "; ".join(f"{code} {'off' if rows[code] == CLOSED else rows[code]}" for code, _label in DAYS)


def _day_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=100, help_text=help_text)


class PlaceAdminForm(forms.ModelForm):
    """Kinds, tags and cuisines as choices, and the opening hours one row per day (stored as one
    OpenStreetMap opening_hours expression)."""

    primary_type = forms.ChoiceField(choices=[("", "—"), *_choices(facts.google_types())], required=False)
    types = forms.MultipleChoiceField(
        choices=_choices(facts.google_types()),
        required=False,
        widget=FilteredSelectMultiple("types", is_stacked=False),
        help_text="Google place types; the primary type is put first.",
    )
    cuisine = forms.MultipleChoiceField(choices=_choices(facts.CUISINES), required=False, widget=forms.CheckboxSelectMultiple)
    tags = forms.MultipleChoiceField(choices=_choices(facts.TAGS, facts.tag_label), required=False, widget=forms.CheckboxSelectMultiple)
    categories = forms.MultipleChoiceField(choices=_choices(facts.CATEGORIES), required=False, widget=forms.CheckboxSelectMultiple)
    vibes = forms.MultipleChoiceField(choices=_choices(facts.VIBES), required=False, widget=forms.CheckboxSelectMultiple)

    hours_Mo = _day_field("Monday", help_text='e.g. 07:00-23:00, 11:30-15:00,17:00-22:00, 18:00-02:00 or "closed"')
    hours_Tu = _day_field("Tuesday")
    hours_We = _day_field("Wednesday")
    hours_Th = _day_field("Thursday")
    hours_Fr = _day_field("Friday")
    hours_Sa = _day_field("Saturday")
    hours_Su = _day_field("Sunday")

    class Meta:
        model = Place
        fields = (  # every editable field but `hours`, which the day rows write
            "name", "source", "provider_id", "is_active", "address", "lat", "lng", "campus", "primary_type", "types",
            "cuisine", "categories", "vibes", "tags", "indoor_outdoor", "description", "hours_source", "hours_checked",
            "rating", "rating_count", "price_level", "opening_hours", "open_now", "photo_ref",
        )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.hours:
            try:
                rows = week_rows(self.instance.hours)
            except ValueError:
                rows = {}
            for code, value in rows.items():
                self.initial[f"hours_{code}"] = value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rows = {code: (data.get(f"hours_{code}") or "").strip().lower() for code, _label in DAYS}
        if any(rows.values()) and not all(rows.values()):
            raise forms.ValidationError('Give every day its hours ("closed" where it is closed), or leave them all empty (unknown).')
        if not any(rows.values()):
            data["hours"] = ""
        elif not self.has_changed() or not any(f"hours_{code}" in self.changed_data for code, _label in DAYS):
            data["hours"] = self.instance.hours  # unchanged: keep the stored expression as written
        else:
            expression = week_expression(rows)
            try:
                hours.parse(expression)
            except ValueError as exc:
                raise forms.ValidationError(f"Those hours are not readable: {exc}") from None
            data["hours"] = expression
        primary, types = data.get("primary_type") or "", list(data.get("types") or [])
        if primary:
            data["types"] = [primary, *(kind for kind in types if kind != primary)]
        return data

    def save(self, commit: bool = True) -> Place:
        place = super().save(commit=False)
        new_hours = self.cleaned_data["hours"]
        if new_hours != place.hours:
            place.hours = new_hours
            if new_hours:  # staff just checked them
                place.hours_source = place.hours_source or Place.HoursSource.STAFF
                place.hours_checked = timezone.localdate()
        if not place.hours:
            place.hours_source, place.hours_checked = "", None
        if commit:
            place.save()
        return place


class TagFilter(admin.SimpleListFilter):
    title = "tag"
    parameter_name = "tag"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(tag, facts.tag_label(tag)) for tag in facts.TAGS]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Place]) -> QuerySet[Place]:
        # The JSON list as text contains the quoted tag: one query that SQLite and Postgres both run.
        return queryset.filter(tags__icontains=f'"{self.value()}"') if self.value() in facts.TAGS else queryset


class HasHoursFilter(admin.SimpleListFilter):
    title = "opening hours"
    parameter_name = "has_hours"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Known"), ("no", "Unknown")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Place]) -> QuerySet[Place]:
        if self.value() == "yes":
            return queryset.exclude(hours="")
        if self.value() == "no":
            return queryset.filter(hours="")
        return queryset


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    form = PlaceAdminForm
    list_display = ("name", "source", "primary_type", "campus", "rating", "price_level", "has_hours", "is_active", "last_fetched")
    list_filter = (("primary_type", admin.AllValuesFieldListFilter), TagFilter, "campus", HasHoursFilter, "source", "is_active", "price_level")
    search_fields = ("name", "address", "provider_id")
    readonly_fields = ("hours", "created_at", "updated_at", "last_fetched")
    list_editable = ("is_active",)
    fieldsets = (
        (None, {"fields": ("name", "source", "provider_id", "is_active")}),
        ("Where", {"fields": ("address", "lat", "lng", "campus")}),
        ("What", {"fields": ("primary_type", "types", "cuisine", "categories", "vibes", "tags", "indoor_outdoor", "description")}),
        (
            "Opening hours",
            {
                "description": "One row per day, in New York time; leave every day empty when the hours are unknown.",
                "fields": (*(f"hours_{code}" for code, _label in DAYS), "hours", "hours_source", "hours_checked"),
            },
        ),
        ("Facts from Google", {"fields": ("rating", "rating_count", "price_level", "opening_hours", "open_now", "photo_ref")}),
        ("Dates", {"fields": ("last_fetched", "created_at", "updated_at")}),
    )

    @admin.display(boolean=True, description="hours")
    def has_hours(self, place: Place) -> bool:
        return bool(place.hours)
