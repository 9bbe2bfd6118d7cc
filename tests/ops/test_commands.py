"""The ops app holds the commands that move data in, under the names the docs and runbooks use."""

from django.core.management import get_commands


def test_the_data_moving_commands_belong_to_ops_under_their_old_names():
    commands = get_commands()

    assert commands["import_legacy_users"] == "ops"
    assert commands["migrate_sqlite_to_postgres"] == "ops"
    assert commands["rotate_field_encryption"] == "accounts"  # a key rotation is the accounts app's own
