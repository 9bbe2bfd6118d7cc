import json
from typing import Any

from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from events.models import Event
from places.models import Place

from .models import Conversation, Message


class ReadOnlyMixin:
    """Conversations are the users' words: staff may read them, never change them."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def _messages(conversation: Conversation) -> list[Message]:
    # Read once per page: the transcript and the raw section show the same rows.
    if not hasattr(conversation, "_admin_messages"):
        conversation._admin_messages = list(conversation.messages.all())
    return conversation._admin_messages


def _place_key(place_id: str) -> tuple[str, str]:
    """The (source, provider_id) of a place card's id (Place.card_id, the other way round)."""
    source, _, provider_id = place_id.partition(":")
    if provider_id and source in Place.Source.values and source != Place.Source.GOOGLE:
        return source, provider_id
    return Place.Source.GOOGLE, place_id


def _card_links(messages: list[Message]) -> dict[str, str]:
    """place_id -> the admin page of the row the card stands for, for the cards whose row exists."""
    cards = [card for message in messages for card in message.cards if isinstance(card, dict) and isinstance(card.get("place_id"), str)]
    links: dict[str, str] = {}
    event_ids = {card["place_id"]: card["place_id"].removeprefix("event:") for card in cards if card["place_id"].startswith("event:")}
    known_events = set(Event.objects.filter(pk__in=[pk for pk in event_ids.values() if pk.isdigit()]).values_list("pk", flat=True))
    for place_id, pk in event_ids.items():
        if pk.isdigit() and int(pk) in known_events:
            links[place_id] = reverse("admin:events_event_change", args=[int(pk)])
    keys = {_place_key(card["place_id"]): card["place_id"] for card in cards if card["place_id"] not in event_ids}
    if keys:
        wanted = Q()
        for source, provider_id in keys:
            wanted |= Q(source=source, provider_id=provider_id)
        for pk, source, provider_id in Place.objects.filter(wanted).values_list("pk", "source", "provider_id"):
            links[keys[(source, provider_id)]] = reverse("admin:places_place_change", args=[pk])
    return links


def _card_html(card: dict[str, Any], links: dict[str, str]) -> SafeString:
    name = str(card.get("name") or card.get("place_id") or "(no name)")
    kind = str(card.get("type") or "place")
    admin_link = links.get(card.get("place_id"))  # type: ignore[arg-type]
    if admin_link:
        return format_html('<li><a href="{}">{}</a> ({})</li>', admin_link, name, kind)
    maps_link = card.get("maps_link")
    if isinstance(maps_link, str) and maps_link.startswith(("https://", "http://")):
        return format_html('<li><a href="{}" rel="noopener noreferrer" target="_blank">{}</a> ({})</li>', maps_link, name, kind)
    return format_html("<li>{} ({})</li>", name, kind)


def _message_html(message: Message, *, student: str, links: dict[str, str]) -> SafeString:
    when = timezone.localtime(message.created_at)
    speaker = "Violet" if message.role == Message.Role.ASSISTANT else student
    about = " · ".join(f"{label}: {value}" for label, value in (("intent", message.intent), ("vibe", message.vibe)) if value)
    cards = [card for card in message.cards if isinstance(card, dict)]
    return format_html(
        '<li class="transcript-{}"><p class="said-by"><strong class="speaker">{}</strong> <time datetime="{}">{}</time>{}</p>'
        '<p class="text">{}</p>{}</li>',
        message.role,
        speaker,
        when.isoformat(),
        when.strftime("%Y-%m-%d %H:%M:%S"),
        format_html(' <span class="about">{}</span>', about) if about else "",
        message.text,
        format_html('<ul class="cards">{}</ul>', format_html_join("", "{}", ((_card_html(card, links),) for card in cards)))
        if cards
        else "",
    )


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "user", "created_at", "updated_at")
    list_select_related = ("user",)
    search_fields = ("title", "user__email")
    list_filter = ("created_at",)
    readonly_fields = ("user", "title", "created_at", "updated_at", "transcript", "raw_messages")
    fieldsets = (
        (None, {"fields": ("user", "title", "created_at", "updated_at")}),
        ("Transcript", {"fields": ("transcript",)}),
        ("Raw messages (JSON)", {"fields": ("raw_messages",), "classes": ("collapse",)}),
    )

    class Media:
        css = {"all": ("chat/admin/transcript.css",)}

    @admin.display(description="Transcript")
    def transcript(self, conversation: Conversation) -> SafeString:
        """Who said what, in order, with the time (New York) and the cards shown with each reply:
        each a link to its place's (or event's) admin page when the row exists, else to its map."""
        messages = _messages(conversation)
        if not messages:
            return format_html("<p>{}</p>", "No messages.")
        links = _card_links(messages)
        student = conversation.user.email
        return format_html(
            '<ol class="transcript">{}</ol>',
            format_html_join("", "{}", ((_message_html(message, student=student, links=links),) for message in messages)),
        )

    @admin.display(description="Messages as stored")
    def raw_messages(self, conversation: Conversation) -> SafeString:
        rows = [
            {"created_at": m.created_at.isoformat(), "role": m.role, "text": m.text, "intent": m.intent, "vibe": m.vibe, "cards": m.cards}
            for m in _messages(conversation)
        ]
        return format_html('<pre class="raw-messages">{}</pre>', json.dumps(rows, indent=2, ensure_ascii=False))
