"""Local development: SQLite and local-memory cache unless DATABASE_URL / REDIS_URL are set."""

from .base import *  # noqa: F403
from .base import FIELD_ENCRYPTION_KEYS, JWT_SECRET, SECRET_KEY, SIMPLE_JWT

# Throw-away development keys; production.py refuses to start without real ones, and with these.
DEV_SECRET_KEY = "dev-only-django-secret-key-not-for-production-use-0123456789"
DEV_JWT_SECRET = "dev-only-jwt-secret-not-for-production-use-0123456789abcdef"
SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY
JWT_SECRET = JWT_SECRET or DEV_JWT_SECRET
SIMPLE_JWT = {**SIMPLE_JWT, "SIGNING_KEY": JWT_SECRET}
FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or ["ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE="]
