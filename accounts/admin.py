from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from violetvibes.ratelimit import Locked

from . import services
from .crypto import Unreadable
from .errors import InvalidCredentials
from .models import Activity, User
from .usercache import user_cache_forget


class AdminLoginForm(AdminAuthenticationForm):
    """The admin sign-in goes through services.user_authenticate: its wrong passwords count with
    the API login's (per email and address, per address, per email), and a locked email or
    address is refused before the password is checked (`retry_after`: see `admin_login`)."""

    retry_after: int | None = None

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            try:
                self.user_cache = services.user_authenticate(request=self.request, email=email, password=password)
            except Locked as exc:
                self.retry_after = int(exc.wait)
                minutes = -(-self.retry_after // 60)
                raise ValidationError(
                    f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes > 1 else ''}.", code="locked"
                ) from exc
            except InvalidCredentials as exc:
                raise self.get_invalid_login_error() from exc
            # A right password without staff rights is no guess: the form says "not a staff account".
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


admin.site.login_form = AdminLoginForm


def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """/admin/login/ (routed before admin.site.urls): the admin's own login view, answering 429 with
    Retry-After while the sign-in is locked, so proxies and monitoring see it for what it is."""
    response = admin.site.login(request, extra_context)
    form = (getattr(response, "context_data", None) or {}).get("form")
    if getattr(form, "retry_after", None):
        response.status_code = 429
        response["Retry-After"] = str(form.retry_after)
    return response


class UserCreateForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    can_delete = False
    fields = ("created_at", "type", "place_id", "name", "vibe", "score", "extra")
    readonly_fields = fields
    ordering = ("-created_at",)
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    # No home address here: it is personal data and stays out of list views.
    list_display = ("email", "first_name", "is_active", "is_staff", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "date_joined")
    search_fields = ("email", "first_name")
    ordering = ("-date_joined",)
    readonly_fields = ("date_joined", "last_login", "token_version", "legacy_id")
    inlines = [ActivityInline]
    actions = ["deactivate_users", "revoke_all_tokens"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("first_name", "home_address", "preferences", "settings", "notification_token")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates and tokens", {"fields": ("last_login", "date_joined", "token_version", "legacy_id")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "first_name", "password1", "password2")}),)

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        # An address no configured key opens shows as "" and would be posted back as "", erasing
        # the stored token on save: it stays out of the form until its key is configured again.
        if obj is not None and isinstance(obj.home_address, Unreadable):
            fields += ("home_address",)
        return fields

    def save_model(self, request: HttpRequest, obj: User, form: object, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Switching "active" either way ends every session: a reactivated account must not get its
        # old tokens back.
        if change and "is_active" in getattr(form, "changed_data", ()):
            services.user_tokens_revoke_all(user=obj)

    @admin.action(description="Deactivate selected users (and sign them out)")
    def deactivate_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.user_tokens_revoke_all(user=user)
        ids = list(queryset.values_list("pk", flat=True))
        count = queryset.update(is_active=False)
        for user_id in ids:  # an update sends no post_save
            user_cache_forget(user_id)
        self.message_user(request, f"Deactivated {count} user(s).", messages.SUCCESS)

    @admin.action(description="Revoke all tokens of selected users")
    def revoke_all_tokens(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.user_tokens_revoke_all(user=user)
        self.message_user(request, f"Revoked every token of {queryset.count()} user(s).", messages.SUCCESS)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "type", "name", "vibe")
    list_filter = ("type", "created_at")
    search_fields = ("user__email", "name", "place_id")
    raw_id_fields = ("user",)
    readonly_fields = ("user", "type", "place_id", "name", "vibe", "score", "extra", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
