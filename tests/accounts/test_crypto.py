"""Home addresses are encrypted at rest; keys rotate without losing an address."""

import io
import logging

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from accounts import crypto
from accounts.models import User
from tests.factories import UserFactory

ADDRESS = "6 MetroTech Center, Brooklyn, NY 11201"

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
def new_key() -> str:
    return Fernet.generate_key().decode()


def _raw_address(user: User) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT home_address FROM {User._meta.db_table} WHERE id = %s", [user.pk])  # noqa: S608
        return cursor.fetchone()[0]


def _user_with_address(address: str = ADDRESS) -> User:
    user = UserFactory()
    user.home_address = address
    user.save()
    return user


def _rotate() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("rotate_field_encryption", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_each_save_encrypts_afresh_and_reads_back_plain():
    user = _user_with_address()
    first = _raw_address(user)
    user.save()

    assert _raw_address(user) != first  # Fernet tokens are randomised
    assert ADDRESS not in first
    assert User.objects.get(pk=user.pk).home_address == ADDRESS


def test_an_empty_address_is_stored_empty():
    user = UserFactory()

    assert _raw_address(user) == ""
    assert User.objects.get(pk=user.pk).home_address == ""


def test_an_unreadable_address_reads_as_empty_and_is_logged(settings, new_key, caplog):
    user = _user_with_address()
    settings.FIELD_ENCRYPTION_KEYS = [new_key]

    assert User.objects.get(pk=user.pk).home_address == ""
    assert any(record.levelno == logging.WARNING and record.name == "accounts.crypto" for record in caplog.records)
    assert ADDRESS not in caplog.text


def test_rotation_re_encrypts_with_the_first_key(settings, old_key, new_key):
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    user = _user_with_address()
    empty = UserFactory()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    out, err = _rotate()

    assert "Re-encrypted 1 home address(es)." in out
    assert not err
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key can now be dropped
    assert User.objects.get(pk=user.pk).home_address == ADDRESS
    assert Fernet(new_key.encode()).decrypt(_raw_address(user).encode()).decode() == ADDRESS
    assert _raw_address(empty) == ""


def test_rotation_leaves_addresses_no_key_can_read_untouched(settings, old_key, new_key):
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    user = _user_with_address()
    stored = _raw_address(user)
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key dropped too early

    out, err = _rotate()

    assert "Re-encrypted 0 home address(es)." in out
    assert "1 home address(es) could not be decrypted" in err
    assert _raw_address(user) == stored
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]  # put back: nothing was lost
    assert User.objects.get(pk=user.pk).home_address == ADDRESS


def test_crypto_round_trip_helpers(settings, old_key, new_key):
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    token = crypto.encrypt(ADDRESS)
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    assert crypto.decrypt(token) == ADDRESS
    assert crypto.decrypt(crypto.rotate(token)) == ADDRESS
    assert crypto.encrypt("") == crypto.decrypt("") == crypto.rotate("") == ""
