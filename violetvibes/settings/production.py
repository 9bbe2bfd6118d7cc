"""Production (App Platform): refuses to start without its secrets or with weak ones, secure defaults, JSON logs."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, env, env_bool, env_int, env_list, env_origins
from .local import DEV_JWT_SECRET, DEV_SECRET_KEY

_REQUIRED = {
    "DJANGO_SECRET_KEY": "",
    "JWT_SECRET": "",
    "DATABASE_URL": "",
    "DJANGO_ALLOWED_HOSTS": "",
    "FIELD_ENCRYPTION_KEY": "",
    # Without it every process keeps its own memory (LocMemCache): a follow-up that reaches another
    # worker or instance finds no conversation, and each process counts its own rate limits.
    "REDIS_URL": (
        ": conversation memory and rate limits live in the cache, which every worker and instance "
        "must share (local memory is per process)"
    ),
}
for _name, _why in _REQUIRED.items():
    if not env(_name):
        raise ImproperlyConfigured(f"{_name} must be set for violetvibes.settings.production{_why}.")

# HS256 keys and Django's signing key: anyone who guesses one signs tokens (or session ids) as this
# service. Refused: short ones, ones of a few characters repeated, and the published defaults (this
# project's development keys, the Flask server's development secret and its other defaults).
SECRET_MIN_CHARS = 32
_PUBLISHED_SECRETS = {
    value.lower()
    for value in (DEV_SECRET_KEY, DEV_JWT_SECRET, "dev-secret-change-me", "change-me-in-production", "NEVER-USE-THIS-DEFAULT")
}


def _secret_weakness(name: str, value: str) -> str | None:
    if value.lower() in _PUBLISHED_SECRETS:
        return "is a published default"
    if name == "DJANGO_SECRET_KEY" and value.startswith("django-insecure-"):
        return "is a development key made by startproject"
    if len(value) < SECRET_MIN_CHARS:
        return f"is shorter than {SECRET_MIN_CHARS} characters"
    if len(set(value)) < 5:
        return "has fewer than 5 different characters"
    return None


for _name in ("DJANGO_SECRET_KEY", "JWT_SECRET", "LEGACY_JWT_SECRET"):
    _weakness = env(_name) and _secret_weakness(_name, env(_name))
    if _weakness:
        _advice = 'use a random one: python -c "import secrets; print(secrets.token_urlsafe(48))"'
        if _name == "LEGACY_JWT_SECRET":
            # It is the old server's, not ours to choose: a weak one lets anyone forge the old tokens.
            _advice = (
                "leave it unset (the old server's tokens then stop working; import_legacy_users takes "
                "the old secret with --legacy-jwt-secret)"
            )
        raise ImproperlyConfigured(f"{_name} {_weakness}: {_advice}.")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = SECURE_SSL_REDIRECT
CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
# /health is probed over plain HTTP by the platform.
SECURE_REDIRECT_EXEMPT = [r"^health$"]
# Only the origins the deployment names; no development defaults. (Native apps send no Origin.)
CORS_ALLOWED_ORIGINS = env_origins("ALLOWED_ORIGINS")
# The platform serves on the scheme's own port: a port in Host is the client's, not ours.
ALLOWED_HOST_PORTS = env_list("DJANGO_ALLOWED_HOST_PORTS")
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in env("DJANGO_ALLOWED_HOSTS").split(",") if host.strip()]

LOGGING = {**LOGGING, "handlers": {**LOGGING["handlers"]}}
LOGGING["handlers"]["console"] = {**LOGGING["handlers"]["console"], "formatter": "json"}
