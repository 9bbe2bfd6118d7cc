"""Settings shared by every environment. Everything that varies is read from the environment here."""

import math
import os
import re
import tomllib
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The service's version, pyproject.toml's: in the index (/) and the OpenAPI document.
VERSION = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]["version"]


def env(name: str, default: str = "") -> str:
    """The variable's value, stripped; `default` when it is unset or empty.

    Every settings read goes through here: an empty variable means "use the built-in default", as
    `.env.example` (every variable listed, empty) says, so that file exported as it is starts the
    service. The typed readers below raise ImproperlyConfigured naming the variable for a value that
    does not parse, at import: a typo stops the start instead of failing the first request that
    reads it, or reading as a default nobody chose.
    """
    return os.environ.get(name, "").strip() or default


def _invalid(name: str, what: str, value: str | None) -> ImproperlyConfigured:
    # `value` is None for variables that may hold a secret (keys, URLs with passwords): not repeated.
    shown = "" if value is None else f", not {value!r}"
    return ImproperlyConfigured(f"{name} must be {what}{shown}.")


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """true/false, 1/0, yes/no, on/off, in any case. Anything else ("flase") is an error rather than
    False: a misspelt `true` must not switch a thing off without a word."""
    value = env(name)
    if not value:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise _invalid(name, "true or false (or 1/0, yes/no, on/off)", value)


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = env(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        bounds = [f">= {minimum}"] * (minimum is not None) + [f"<= {maximum}"] * (maximum is not None)
        raise _invalid(name, " ".join(["a whole number", " and ".join(bounds)]).strip(), value)
    return number


def env_float(name: str, default: float, *, above: float | None = None) -> float:
    value = env(name)
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or (above is not None and number <= above):
        raise _invalid(name, "a number" + (f" > {above:g}" if above is not None else ""), value)
    return number


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_choice(name: str, default: str, choices: Iterable[str]) -> str:
    """One of `choices`, in any case; returned as it is spelt there."""
    value = env(name)
    if not value:
        return default
    by_lower = {choice.lower(): choice for choice in choices}
    if value.lower() not in by_lower:
        raise _invalid(name, "one of " + ", ".join(by_lower.values()), value)
    return by_lower[value.lower()]


def _scheme_only(value: str) -> str | None:
    """What an error may show of a value that can hold a password: its scheme, if it has one."""
    scheme, separator, _ = value.partition("://")
    return f"{scheme}://…" if separator and scheme.isidentifier() else None


def env_url(name: str, default: str = "", *, schemes: Collection[str] = ("http", "https"), secret: bool = False) -> str:
    """A URL with one of `schemes` and a host (a `unix` URL has a path instead). With `secret` (it
    may carry a password), an error names the variable and the scheme, never the value."""
    value = env(name)
    if not value:
        return default
    what = "a URL starting " + " or ".join(f"{scheme}://" for scheme in schemes)
    shown = _scheme_only(value) if secret else value
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        raise _invalid(name, what, shown) from None
    has_place = parts.path if parts.scheme == "unix" else parts.hostname
    if parts.scheme.lower() not in schemes or not has_place or "://" not in value:
        raise _invalid(name, what, shown)
    return value


# What django-ratelimit reads as a rate: a count, "/", an optional multiplier and s, m, h or d
# ("120/m", "5/10s"). Its parser reads the front of the text only, so "120/M" would be 120 a second.
_RATE = re.compile(r"\d+/(?:[1-9]\d*)?[smhd]")


def env_rate(name: str, default: str) -> str:
    value = env(name)
    if not value:
        return default
    if not _RATE.fullmatch(value):
        raise _invalid(name, 'a rate such as "120/m" (a count per s, m, h or d, or per "10m")', value)
    return value


def env_origins(name: str, default: str = "") -> list[str]:
    """Comma-separated origins as CORS compares them: scheme://host[:port], nothing after it."""
    origins = env_list(name, default)
    for origin in origins:
        parts = urlsplit(origin)
        if not (parts.scheme and parts.netloc) or parts.path or parts.query or parts.fragment:
            raise _invalid(name, 'comma-separated origins such as "https://app.example.com" (no path)', origin)
    return origins


def env_fernet_keys(name: str) -> list[str]:
    """Comma-separated Fernet keys (each 32 bytes, url-safe base64). Never repeated in an error."""
    keys = env_list(name)
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            raise _invalid(name, f"comma-separated Fernet keys (Fernet.generate_key()); key {position} is not one", None) from None
    return keys


def database_from_url(name: str, url: str, **options: Any) -> dict[str, Any]:
    """dj-database-url's parse of `url`, for the engines this service installs a driver for."""
    what = "a postgres:// or sqlite:// URL"
    try:
        database = dj_database_url.parse(url, **options)
    except ValueError:
        raise _invalid(name, what, _scheme_only(url)) from None
    if database.get("ENGINE") not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise _invalid(name, what, _scheme_only(url))
    return database


# Local and test settings fill these with throw-away values; production refuses to start without them.
SECRET_KEY = env("DJANGO_SECRET_KEY")
JWT_SECRET = env("JWT_SECRET")
# The Flask server's JWT_SECRET, when this service signs with a new one: its access tokens keep
# working until they expire and its refresh tokens are exchanged once (accounts/tokens.py).
LEGACY_JWT_SECRET = env("LEGACY_JWT_SECRET")
# Comma-separated Fernet keys: the first encrypts, all decrypt (rotation).
FIELD_ENCRYPTION_KEYS = env_fernet_keys("FIELD_ENCRYPTION_KEY")

DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
# The ports a Host header may name; any other is dropped before links are built from it
# (violetvibes.middleware.HostPortMiddleware). "*": any (development serves on its own port).
ALLOWED_HOST_PORTS = env_list("DJANGO_ALLOWED_HOST_PORTS", "*")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "violetvibes",
    "accounts",
    "places",
    "events",
    "recommendations",
    "chat",
    "ops",
]

MIDDLEWARE = [
    "violetvibes.middleware.RequestIdMiddleware",
    "violetvibes.middleware.HostPortMiddleware",
    "violetvibes.middleware.AllowedHostMiddleware",
    "violetvibes.middleware.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The admin's messages in its session: the default (a signed cookie, else the session) builds a
# cookie signer for every request, the API's included (docs/BENCHMARKS.md, /me).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

ROOT_URLCONF = "violetvibes.urls"
WSGI_APPLICATION = "violetvibes.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: SQLite unless DATABASE_URL says otherwise -------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": database_from_url(
            "DATABASE_URL", DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 600, minimum=0), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH") or str(BASE_DIR / "db.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction takes SQLite's write lock when it begins, so a read-merge-write (preferences,
    # settings) waits for the one before it: deferred, concurrent ones failed "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: one shared cache for memory, rate limits and provider responses --------------------
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss", "unix"), secret=True)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "violetvibes.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vv",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                # After a failure, Redis is not tried again for this long (per process).
                "RETRY_AFTER_SECONDS": env_int("REDIS_RETRY_AFTER_SECONDS", 5, minimum=0),
            },
        }
    }
    # django-redis's default, said: it looks the setting up at the end of every request, and a
    # setting that is not there is looked up again each time (docs/BENCHMARKS.md, /me).
    DJANGO_REDIS_CLOSE_CONNECTION = False
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "violetvibes",
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }

# --- Auth ----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idPasswordHasher",
    # Accounts created before Argon2 (PBKDF2) keep logging in and are re-hashed on the next login.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # Hashes imported from the Flask server ($2b$12$...) are stored as bcrypt$<hash>; Django
    # verifies them with this hasher and upgrades them to the first one on the next login.
    "django.contrib.auth.hashers.BCryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# The 1 MiB body cap of the Flask server; larger bodies get 413 JSON.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
REQUEST_BODY_MAX_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE

# --- REST framework ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["violetvibes.parsers.JSONObjectParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "violetvibes.negotiation.RememberedContentNegotiation",
    "DEFAULT_THROTTLE_CLASSES": ["violetvibes.ratelimit.RateLimitThrottle"],
    "DEFAULT_SCHEMA_CLASS": "violetvibes.openapi.ApiSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "violetvibes.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Client-sent X-Forwarded-For is ignored unless the deployment says how many proxies it trusts.
    "NUM_PROXIES": env_int("TRUSTED_PROXY_COUNT", 0, minimum=0),
}

# --- Rate limits (django-ratelimit counters on the shared cache) ---------------------------------
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_USE_CACHE = "default"
# A counter that breaks (cache hiccup mid-count) must not refuse the request.
RATELIMIT_FAIL_OPEN = True
RATELIMIT_DEFAULT = env_rate("RATELIMIT_DEFAULT", "120/m")
RATELIMITS = {
    "signup": "5/m",
    # Attempts per address, a ceiling on hashing work; wrong passwords are FAILURE_LIMITS below.
    "login": "30/m",
    "refresh": "10/m",
    # Per user: checks of the current password (change it, delete the account). With the login
    # limits alone, a stolen access token could guess the password at the default 120/m and
    # then take the account over for good.
    "password": "5/m",
    "chat": "10/m",
    "quick_recs": "30/m",
    "top_recommendations": "20/m",
    "dashboard": "10/m",
    "directions": "30/m",
    "weather": "30/m",
    "events": "20/m",
    # The photo proxy, per address: every photo it has not cached is a paid call to Google.
    "photos": "60/m",
}
# Failures, not requests (violetvibes.ratelimit.failures_counted): `failures` failures, counted for
# `window` seconds from the first one, lock the key for `lock` seconds; after each lock one more
# try, and each further failure doubles the lock, up to `max_lock`. Wrong passwords count the same at
# /api/auth/login and /admin/login/.
FAILURE_LIMITS = {
    # One account from one address: guessing its password; the owner elsewhere is not affected.
    "login_email_ip": {"failures": 5, "lock": 60, "max_lock": 3600, "window": 24 * 3600},
    # One address, any accounts (trying passwords over many emails); campus networks share an
    # address, so it is higher and its count restarts every hour.
    "login_ip": {"failures": 20, "lock": 60, "max_lock": 3600, "window": 3600},
    # One account from anywhere (many addresses): far higher, since it locks out the owner too,
    # except from an address the account signed in from (LOGIN_KNOWN_ADDRESS_SECONDS).
    "login_email": {"failures": 100, "lock": 900, "max_lock": 3600, "window": 24 * 3600},
    # Signups for an email that has an account (409), per address: finding out who has one.
    "signup_taken_ip": {"failures": 5, "lock": 600, "max_lock": 24 * 3600, "window": 24 * 3600},
}
# After a sign-in from an address, that account from that address is limited by login_email_ip
# only: neither an attack on the account from elsewhere nor one on the address locks its owner out.
LOGIN_KNOWN_ADDRESS_SECONDS = 30 * 24 * 3600

# --- JWT (simplejwt) -----------------------------------------------------------------------------
from datetime import timedelta  # noqa: E402

SIMPLE_JWT = {
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SECRET,
    "ACCESS_TOKEN_LIFETIME": timedelta(days=7),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=30),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "AUTH_HEADER_TYPES": ("Bearer",),
    # The Flask server's claim names, so its tokens and ours read the same way.
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "sub",
    "TOKEN_TYPE_CLAIM": "type",
}

# --- CORS ----------------------------------------------------------------------------------------
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOWED_ORIGINS = env_origins(
    "ALLOWED_ORIGINS",
    "http://localhost:3000,http://127.0.0.1:3000,http://localhost:8081,http://127.0.0.1:8081",
)
CORS_ALLOW_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    "x-request-id",
    "x-session-id",
    "x-clear-session",
)
CORS_EXPOSE_HEADERS = ("x-request-id", "retry-after")

# --- OpenAPI -------------------------------------------------------------------------------------
SPECTACULAR_SETTINGS = {
    "TITLE": "VioletVibes API",
    "DESCRIPTION": (
        "Places, events and the Violet concierge for NYU students.\n\n"
        "Every error is JSON `{error, code, request_id, fields?}` (the `Error` schema). An optional query "
        "parameter sent empty (`?days=`) is the same as leaving it out; a required one sent empty is a 400. "
        "Coordinates come in pairs: send both or neither (one without the other is a 400)."
    ),
    "VERSION": VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"EventListStatusEnum": "events.selectors.LIST_STATUSES"},
}

# --- Providers (each skipped when its key is empty) ------------------------------------------------
GOOGLE_API_KEY = env("GOOGLE_API_KEY")
GOOGLE_PLACES_BASE_URL = env_url("GOOGLE_PLACES_BASE_URL", "https://places.googleapis.com")
GOOGLE_ROUTES_BASE_URL = env_url("GOOGLE_ROUTES_BASE_URL", "https://routes.googleapis.com")
GOOGLE_MAPS_BASE_URL = env_url("GOOGLE_MAPS_BASE_URL", "https://maps.googleapis.com")
OPENWEATHER_KEY = env("OPENWEATHER_KEY")
OPENWEATHER_BASE_URL = env_url("OPENWEATHER_BASE_URL", "https://api.openweathermap.org")
# The National Weather Service answers the weather when OPENWEATHER_KEY is empty: no key, US points
# only. It asks every caller to name itself with a way to reach it in the User-Agent.
NWS_ENABLED = env_bool("NWS_ENABLED", True)
NWS_BASE_URL = env_url("NWS_BASE_URL", "https://api.weather.gov")
NWS_USER_AGENT = env("NWS_USER_AGENT") or "VioletVibes/1.0 (https://github.com/violetvibes/backend)"
GEMINI_API_KEY = env("GEMINI_API_KEY")
GEMINI_BASE_URL = env_url("GEMINI_BASE_URL")
GEMINI_MODEL = env("GEMINI_MODEL", "gemini-2.5-flash")
GEMINI_TIMEOUT_SECONDS = env_float("GEMINI_TIMEOUT_SECONDS", 8.0, above=0)
ENGAGE_BASE_URL = env_url("ENGAGE_BASE_URL", "https://engage.nyu.edu")
BROOKLYN_BRIDGE_PARK_BASE_URL = env_url("BROOKLYN_BRIDGE_PARK_BASE_URL", "https://www.brooklynbridgepark.org")
DOWNTOWN_BROOKLYN_BASE_URL = env_url("DOWNTOWN_BROOKLYN_BASE_URL", "https://www.downtownbrooklyn.com")
NYC_PARKS_BASE_URL = env_url("NYC_PARKS_BASE_URL", "https://www.nycgovparks.org")

# Outbound HTTP: (connect, read) seconds and retries for network errors, 429 and 5xx only.
# requests refuses a timeout of 0.
OUTBOUND_TIMEOUT = (env_int("OUTBOUND_CONNECT_TIMEOUT", 3, minimum=1), env_int("OUTBOUND_READ_TIMEOUT", 6, minimum=1))
OUTBOUND_RETRIES = env_int("OUTBOUND_RETRIES", 2, minimum=0)

# Default origin when a caller sends no location: NYU Tandon, 2 MetroTech Center.
DEFAULT_ORIGIN = (40.693393, -73.98555)

# --- Logging -------------------------------------------------------------------------------------
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
LOG_FORMAT = env_choice("LOG_FORMAT", "text", ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "violetvibes.logging.RequestIdFilter"},
        # Provider keys out of every line and traceback (OpenWeather's travels in the URL).
        "redact_secrets": {"()": "violetvibes.providers.session.RedactSecretsFilter"},
        # google-genai reads GOOGLE_API_KEY and GEMINI_API_KEY whenever a client is made, even one
        # given its key, and says "Using GOOGLE_API_KEY" when both are set, as in production (the
        # Places key). Not true here: chat/llm/gemini.py always passes GEMINI_API_KEY, which the SDK
        # prefers (tests/chat/test_gemini.py checks the key it sends).
        "genai_env_key_notice": {
            "()": "violetvibes.logging.DropMessage",
            "prefix": "Both GOOGLE_API_KEY and GEMINI_API_KEY are set",
        },
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "violetvibes.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact_secrets"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Our request logger writes the one access line per request; Django's would repeat it.
        "django.request": {"level": "CRITICAL"},
        "django.server": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
        # It logs the URL of a connection it retries: redacted for any handler, not only ours.
        "urllib3.connectionpool": {"filters": ["redact_secrets"]},
        # Its warning on serving an expired answer carries the URL and a traceback; request_json
        # writes its own line (violetvibes/providers/http.py).
        "requests_cache": {"level": "ERROR"},
        "httpx": {"level": "WARNING"},
        "google_genai._api_client": {"filters": ["genai_env_key_notice"]},
    },
}
