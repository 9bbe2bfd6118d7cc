from django.core.management.base import BaseCommand

from accounts.models import User


class Command(BaseCommand):
    help = "Re-encrypts every stored home address with the first key of FIELD_ENCRYPTION_KEY."

    def handle(self, *args: object, **options: object) -> None:
        users = User.objects.exclude(home_address="").only("id", "home_address")
        count = 0
        for user in users.iterator():
            # Reading decrypts with any configured key; saving encrypts with the first one.
            user.save(update_fields=["home_address"])
            count += 1
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {count} home address(es)."))
