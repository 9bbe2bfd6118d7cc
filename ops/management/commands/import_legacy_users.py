from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.tokens import legacy_signing_key
from ops.legacy_users import LegacySourceError, legacy_rows_read, legacy_users_import


class Command(BaseCommand):
    help = (
        "Creates or updates accounts from the old Flask server's users table (a SQLite file or a "
        "postgres:// URL, only read). Idempotent by email; ends with a report of what was imported, "
        "updated, skipped and not carried over."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, help="The old database: a SQLite file or a postgres:// URL.")
        parser.add_argument("--dry-run", action="store_true", help="Do everything, report, then roll it all back.")
        parser.add_argument(
            "--legacy-jwt-secret",
            default="",
            help="The old server's JWT_SECRET, which keyed its address encryption. Default: the one the "
            "old tokens are checked with (LEGACY_JWT_SECRET, else JWT_SECRET: the cut-over keeps it unchanged).",
        )

    def handle(self, *args: object, **options: object) -> None:
        secret = options["legacy_jwt_secret"] or legacy_signing_key()
        if not secret:
            raise CommandError("The old JWT_SECRET is needed: --legacy-jwt-secret or LEGACY_JWT_SECRET.")
        try:
            rows = legacy_rows_read(source=str(options["source"]))
        except LegacySourceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Read {len(rows)} user(s) from the old database.")

        def progress(done: int, total: int) -> None:
            if done % 100 == 0 or done == total:
                self.stdout.write(f"  {done}/{total}")

        report = legacy_users_import(rows=rows, jwt_secret=secret, dry_run=bool(options["dry_run"]), progress=progress)

        for who, reason in report.skipped:
            self.stdout.write(self.style.WARNING(f"Skipped {who}: {reason}"))
        for who, note in report.notes:
            self.stdout.write(f"Not carried over, {who}: {note}")
        summary = (
            f"Imported {len(report.imported)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
            f"skipped {len(report.skipped)} of {len(rows)}; {len(report.notes)} value(s) not carried over (listed above)."
        )
        if report.dry_run:
            self.stdout.write(self.style.SUCCESS(f"Dry run, nothing was written. {summary}"))
        else:
            self.stdout.write(self.style.SUCCESS(summary))
