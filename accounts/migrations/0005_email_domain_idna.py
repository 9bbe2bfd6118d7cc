"""Emails with an internationalized domain stored as it was typed ("exämple.com") take the spelling
login now looks up: the domain in ASCII (IDNA, "xn--exmple-cua.com"), as UserManager.normalize_email
writes it. A row whose new spelling another account already has is left as it is and named: the
same mailbox signed up twice, which only the people behind it can settle (README, Security)."""

from django.db import migrations
from django.db.models.functions import Lower


def _ascii_domain(email: str) -> str | None:
    """The email with its domain in IDNA, or None when there is nothing to change (or it cannot be)."""
    local, at, domain = email.strip().lower().rpartition("@")
    if not at or domain.isascii():
        return None
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return None


def forwards(apps, schema_editor) -> None:
    User = apps.get_model("accounts", "User")
    for pk, email in User.objects.order_by("pk").values_list("pk", "email").iterator():
        ascii_email = _ascii_domain(email)
        if ascii_email is None:
            continue
        other = User.objects.alias(email_lower=Lower("email")).filter(email_lower=ascii_email).exclude(pk=pk).first()
        if other is not None:
            print(f"\n  accounts.User {pk} ({email!r}) left as it is: account {other.pk} is {other.email!r}")
            continue
        User.objects.filter(pk=pk).update(email=ascii_email)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_token_families"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
