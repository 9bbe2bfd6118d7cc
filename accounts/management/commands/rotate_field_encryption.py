from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand
from django.db.models import TextField, Value
from django.db.models.functions import Cast

from accounts.crypto import rotate
from accounts.models import User


class Command(BaseCommand):
    help = "Re-encrypts every stored home address with the first key of FIELD_ENCRYPTION_KEY."

    def handle(self, *args: object, **options: object) -> None:
        # The stored tokens themselves (a plain TextField cast skips the field's decryption): reading
        # through the model would turn a token no configured key opens into "" and saving would erase it.
        rows = User.objects.exclude(home_address="").annotate(token=Cast("home_address", TextField()))
        count = unreadable = 0
        for pk, token in rows.values_list("pk", "token").iterator():
            try:
                rotated = rotate(token)
            except InvalidToken:
                unreadable += 1
                continue
            # A Value with a plain TextField is written as is (the model field would encrypt it again).
            User.objects.filter(pk=pk).update(home_address=Value(rotated, output_field=TextField()))
            count += 1
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {count} home address(es)."))
        if unreadable:
            self.stderr.write(
                f"{unreadable} home address(es) could not be decrypted with any configured key and were left unchanged."
            )
