"""Local development: SQLite and local-memory cache unless DATABASE_URL / REDIS_URL are set."""

from .base import *  # noqa: F403
from .base import FIELD_ENCRYPTION_KEYS, JWT_SECRET, SECRET_KEY, SIMPLE_JWT

# Throw-away development keys; production.py refuses to start without real ones.
SECRET_KEY = SECRET_KEY or "dev-only-django-secret-key-not-for-production-use-0123456789"
JWT_SECRET = JWT_SECRET or "dev-only-jwt-secret-not-for-production-use-0123456789abcdef"
SIMPLE_JWT = {**SIMPLE_JWT, "SIGNING_KEY": JWT_SECRET}
FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or ["ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE="]
