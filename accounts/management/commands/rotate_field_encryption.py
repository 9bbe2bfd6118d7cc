from django.core.management.base import BaseCommand

from accounts.crypto import Unreadable
from accounts.models import User


class Command(BaseCommand):
    help = "Re-encrypts every stored home address with the first key of FIELD_ENCRYPTION_KEY."

    def handle(self, *args: object, **options: object) -> None:
        count = unreadable = 0
        for user in User.objects.exclude(home_address="").only("pk", "home_address").iterator():
            # An address no configured key opens reads as Unreadable; saving would write its token back
            # unchanged (crypto.EncryptedTextField), so it is only counted.
            if isinstance(user.home_address, Unreadable):
                unreadable += 1
                continue
            user.save(update_fields=["home_address"])  # encrypted afresh, with the first key
            count += 1
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {count} home address(es)."))
        if unreadable:
            self.stderr.write(
                f"{unreadable} home address(es) could not be decrypted with any configured key and were left unchanged."
            )
