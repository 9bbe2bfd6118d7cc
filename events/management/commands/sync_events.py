from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError

from events.services import SyncReport, events_sync
from events.sources import SOURCES


class Command(BaseCommand):
    help = (
        "Fetches events from every source (or one) into the database. Safe to run again. Exits non-zero "
        "when every source failed (unless --allow-failure); one source failing is reported, exit 0."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--source", choices=sorted(SOURCES), help="Only this source.")
        parser.add_argument("--days", type=int, default=14, help="How many days ahead to sync (1-60, default 14).")
        parser.add_argument("--dry-run", action="store_true", help="Fetch and compare, write nothing.")
        parser.add_argument(
            "--allow-failure",
            action="store_true",
            help="Exit 0 even when every source failed (the deploy's pre-deploy sync: sources being down must not stop a deploy).",
        )

    def handle(
        self, *args: object, source: str | None, days: int, dry_run: bool, allow_failure: bool, **options: object
    ) -> None:
        if not 1 <= days <= 60:
            raise CommandError("--days must be between 1 and 60.")
        names = [source] if source else list(SOURCES)
        self.stdout.write(f"Syncing {len(names)} source(s), {days} days ahead{' (dry run)' if dry_run else ''}...")
        reports = events_sync(sources=names, days=days, dry_run=dry_run, progress=self._progress)
        failed = [r.source for r in reports if r.failed]
        if failed and len(failed) == len(reports):
            # Nothing could be fetched: the scheduled job fails (and alerts); the deploy's run tolerates it.
            message = f"Every event source failed: {', '.join(failed)}"
            if not allow_failure:
                raise CommandError(message)
            self.stdout.write(self.style.ERROR(f"{message} (ignored: --allow-failure)"))
            return
        summary = f"{len(reports) - len(failed)} of {len(reports)} source(s) synced"
        if failed:
            self.stdout.write(self.style.WARNING(f"{summary}; failed: {', '.join(failed)}"))
        else:
            self.stdout.write(self.style.SUCCESS(summary))

    def _progress(self, report: SyncReport) -> None:
        if report.failed:
            self.stdout.write(self.style.ERROR(f"  {report.source}: failed ({report.error})"))
        else:
            self.stdout.write(
                f"  {report.source}: fetched {report.fetched}, created {report.created}, "
                f"updated {report.updated}, removed {report.removed}"
            )
