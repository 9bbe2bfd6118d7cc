"""Operations that span every app: moving data in (`import_legacy_users`, `migrate_sqlite_to_postgres`).

It may import any app; no app imports it (tests/test_layers.py). It has no models and no URLs.
"""
