"""Production (App Platform): refuses to start without its secrets, secure defaults, JSON logs."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, env, env_bool, env_int, env_origins

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
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in env("DJANGO_ALLOWED_HOSTS").split(",") if host.strip()]

LOGGING = {**LOGGING, "handlers": {**LOGGING["handlers"]}}
LOGGING["handlers"]["console"] = {**LOGGING["handlers"]["console"], "formatter": "json"}
