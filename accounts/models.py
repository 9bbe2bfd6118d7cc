from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.encoding import punycode

from .crypto import EncryptedTextField


def default_preferences() -> dict:
    return {"vibes": {}, "distance_limit_minutes": 20, "indoor_outdoor": "either"}


def default_settings() -> dict:
    return {"notifications_enabled": True, "calendar_integration_enabled": False}


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """The one spelling of an email stored, and looked up at login (unique case-insensitively).

        Lower-cased, and an internationalized domain in its ASCII form (IDNA, as Django's email
        validator reads it): "exämple.com" and "xn--exmple-cua.com" are one domain, so one account.
        A domain IDNA cannot encode is left as it came (login must not fail; signup refused it).
        """
        email = (email or "").strip().lower()
        local, at, domain = email.rpartition("@")
        if not at or domain.isascii():
            return email
        try:
            return f"{local}@{punycode(domain)}"
        except UnicodeError:
            return email

    def get_by_natural_key(self, username: str | None) -> "User":
        # Login matches the email whatever its case (rows imported from elsewhere may differ), by
        # LOWER(email): the expression of the unique constraint, so at most one row can match.
        # (email__iexact compares UPPER() values, and PostgreSQL's UPPER folds other letters together:
        # "x@gma\u0131l.com" (dotless i) is another account, yet UPPER()s to "X@GMAIL.COM", and a
        # second match made get() fail, locking the owner of x@gmail.com out.)
        return self.alias(email_lower=Lower("email")).get(email_lower=self.normalize_email(username))

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=100, blank=True, default="")
    home_address = EncryptedTextField(blank=True, default="")
    preferences = models.JSONField(default=default_preferences, blank=True)
    settings = models.JSONField(default=default_settings, blank=True)
    notification_token = models.CharField(max_length=255, blank=True, default="")
    # Bumped to revoke every token issued before (logout everywhere, password change); tokens
    # carry it in their "ver" claim, so checking it costs nothing beyond loading the user.
    token_version = models.PositiveIntegerField(default=0)
    # The user's id on the old Flask server (import_legacy_users): its access tokens name users by
    # that id, so they keep working after the switch until they expire.
    legacy_id = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)


# Activities kept per user, as on the old server: recording one drops the oldest beyond this.
ACTIVITY_KEEP = 100


class Activity(models.Model):
    """Something a user did with a recommendation (clicked, saved, dismissed...), for ranking."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activities")
    type = models.CharField(max_length=64)
    place_id = models.CharField(max_length=255, blank=True, default="")
    name = models.CharField(max_length=255, blank=True, default="")
    vibe = models.CharField(max_length=64, blank=True, default="")
    score = models.FloatField(null=True, blank=True)
    # Every other key the app sent, kept as it came.
    extra = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="activity_user_recent")]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return f"{self.type} {self.name or self.place_id}".strip()


class RevokedTokenFamily(models.Model):
    """Every token of one login refused: its access and refresh tokens, whatever rotation issued them.

    A login starts a family; each refresh token rotated from it, and each access token issued with
    them, carries its id (the "fam" claim, accounts/tokens.py). A spent refresh token presented
    again means two holders share the family (a copy was stolen, or the thief spent it first), and
    the server cannot tell which is the owner: the family ends (tokens_refresh). Logging out ends the
    family of the tokens used. Kept until every token of the family has expired (`expires_at`); the
    row may be deleted then (revoking another family does).
    """

    family = models.CharField(max_length=64, primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    revoked_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} {self.revoked_at:%Y-%m-%d %H:%M}"


class LegacyTokenExchange(models.Model):
    """A refresh token of the old Flask server, spent: each one is exchanged for a pair of ours once.

    Keyed by a digest of the token's claims (not of its text, which has other encodings that verify
    the same). Rows are useless once `expires_at` has passed and may then be deleted.
    """

    key = models.CharField(max_length=64, primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    # The family of the pair it was exchanged for: presenting the old token again ends that family.
    family = models.CharField(max_length=64, blank=True, default="")
    exchanged_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} {self.exchanged_at:%Y-%m-%d %H:%M}"
