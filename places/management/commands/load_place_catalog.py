from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand

from places.services import CATALOG_PATH, place_catalog_load


class Command(BaseCommand):
    help = "Loads the built-in catalog of places near NYU's campuses. Safe to run again: existing rows are kept."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--path", type=Path, default=CATALOG_PATH, help="Catalog JSON file (default: the built-in one).")
        parser.add_argument("--refresh", action="store_true", help="Overwrite existing catalog rows with the file's values.")

    def handle(self, *args: object, path: Path, refresh: bool, **options: object) -> None:
        result = place_catalog_load(path=path, refresh=refresh)
        self.stdout.write(
            self.style.SUCCESS(f"Catalog: {result.created} created, {result.updated} updated, {result.unchanged} unchanged.")
        )
