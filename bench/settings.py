"""Production settings plus one bench-only URL (the DRF floor view). Used only by bench/stack."""

from violetvibes.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
