import json
from argparse import ArgumentParser
from datetime import date, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from places.services import place_hours_import


def _extract_date(data: object) -> date | None:
    """The date an Overpass answer says its data is from (osm3s.timestamp_osm_base)."""
    stamp = data.get("osm3s", {}).get("timestamp_osm_base") if isinstance(data, dict) else None
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).date() if isinstance(stamp, str) else None
    except ValueError:
        return None


class Command(BaseCommand):
    help = (
        "Takes opening hours (and diet tags) for the catalog's places from an OpenStreetMap extract: an "
        "Overpass API JSON answer (`out center;`) or a GeoJSON file of points. A place takes the hours of the "
        "one element with its name within 80 m; what does not parse is reported, not stored."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="The extract (JSON).")
        parser.add_argument(
            "--checked",
            type=date.fromisoformat,
            help="The date the extract was taken (YYYY-MM-DD); read from an Overpass answer when not given.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args: object, path: Path, checked: date | None, dry_run: bool, **options: object) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path}: {exc}") from None
        checked = checked or _extract_date(data)
        if checked is None:
            raise CommandError("Say when the extract was taken with --checked YYYY-MM-DD (it has no osm3s timestamp).")
        result = place_hours_import(data=data, checked=checked, dry_run=dry_run)
        for line in result.updated:
            self.stdout.write(f"  {line}")
        for line in result.unreadable:
            self.stderr.write(self.style.WARNING(f"Unreadable hours, skipped: {line}"))
        verb = "would update" if dry_run else "updated"
        self.stdout.write(
            self.style.SUCCESS(
                f"OpenStreetMap hours of {checked}: {verb} {len(result.updated)}, unchanged {result.unchanged}, "
                f"kept newer {len(result.kept)}, unreadable {len(result.unreadable)}, no single match {result.unmatched_catalog}."
            )
        )
