"""Test settings: the local defaults, fast hashing, and real Postgres/Redis when CI provides them."""

from .local import *  # noqa: F403
from .local import PASSWORD_HASHERS

# MD5 only to keep the suite fast; the real hashers stay listed so legacy bcrypt hashes verify.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Never leave a test waiting on a provider.
OUTBOUND_TIMEOUT = (0.5, 1)
OUTBOUND_RETRIES = 1
# The keyless weather source would be called by every test that shows the weather (dashboard, chat,
# lists): off here, switched on by the tests that fake it (tests/places/test_nws.py).
NWS_ENABLED = False
