from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from places.services import CATALOG_PATH, place_catalog_load


class Command(BaseCommand):
    help = (
        "Loads the built-in catalog of places near NYU's campuses. Safe to run again: existing rows are kept. "
        "Each entry is checked first (Google types, tags, cuisines, hours, coordinates inside a campus area); "
        "a bad one is named and not loaded, and the command then exits non-zero."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--path", type=Path, default=CATALOG_PATH, help="Catalog JSON file (default: the built-in one).")
        parser.add_argument("--refresh", action="store_true", help="Overwrite existing catalog rows with the file's values.")

    def handle(self, *args: object, path: Path, refresh: bool, **options: object) -> None:
        result = place_catalog_load(path=path, refresh=refresh)
        for entry, errors in result.rejected.items():
            self.stderr.write(self.style.ERROR(f"Not loaded: {entry}: {'; '.join(errors)}"))
        self.stdout.write(
            self.style.SUCCESS(f"Catalog: {result.created} created, {result.updated} updated, {result.unchanged} unchanged.")
        )
        if result.rejected:
            raise CommandError(f"{len(result.rejected)} catalog entries were not loaded (named above).")
