from django.contrib import admin
from django.http import HttpRequest

from .models import Conversation, Message


class ReadOnlyMixin:
    """Conversations are the users' words: staff may read them, never change them."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MessageInline(ReadOnlyMixin, admin.TabularInline):
    model = Message
    extra = 0
    can_delete = False
    fields = ("created_at", "role", "text", "intent", "vibe", "cards")
    readonly_fields = fields


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "user", "created_at", "updated_at")
    search_fields = ("title", "user__email")
    list_filter = ("created_at",)
    readonly_fields = ("user", "title", "created_at", "updated_at")
    inlines = [MessageInline]
