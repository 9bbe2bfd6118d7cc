"""accounts 0005: emails stored with an internationalized domain as typed take the IDNA spelling."""

import importlib

import pytest
from django.apps import apps as django_apps

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_migration_gives_stored_internationalized_domains_the_spelling_login_looks_up(capsys):
    """Rows from before (the domain stored as typed) take the IDNA spelling, unless another account
    already has it: the same mailbox twice, left as it is and named."""
    migration = importlib.import_module("accounts.migrations.0005_email_domain_idna")
    alone, twice, ascii_twin, plain = UserFactory(), UserFactory(), UserFactory(), UserFactory(email="plain@nyu.edu")
    User.objects.filter(pk=alone.pk).update(email="Zoe@Exämple.com")
    User.objects.filter(pk=twice.pk).update(email="kim@exämple.com")
    User.objects.filter(pk=ascii_twin.pk).update(email="kim@xn--exmple-cua.com")

    migration.forwards(django_apps, None)

    emails = dict(User.objects.values_list("pk", "email"))
    assert emails[alone.pk] == "zoe@xn--exmple-cua.com"
    assert (emails[twice.pk], emails[ascii_twin.pk]) == ("kim@exämple.com", "kim@xn--exmple-cua.com")
    assert emails[plain.pk] == "plain@nyu.edu"
    assert f"accounts.User {twice.pk} ('kim@exämple.com') left as it is: account {ascii_twin.pk}" in capsys.readouterr().out
