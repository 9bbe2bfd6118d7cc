from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.dbcopy import CopyError, copy_database, sqlite_database

SQLITE_HEADER = b"SQLite format 3\x00"


class Command(BaseCommand):
    help = (
        "Copies every table from a SQLite database of this project (only read) into the configured "
        "PostgreSQL database (DATABASE_URL, already migrated), in one transaction, then verifies row "
        "counts and checksums of every table; exits non-zero, with nothing written, if anything differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, help="The SQLite file, e.g. db.sqlite3.")
        parser.add_argument("--dry-run", action="store_true", help="Copy and verify, then roll everything back.")
        parser.add_argument("--batch-size", type=int, default=1000, help="Rows per INSERT (default 1000).")
        parser.add_argument(
            "--merge",
            action="store_true",
            help="Allow a target that already holds rows: the source's rows are upserted by primary key.",
        )

    def _progress(self, table: str, batches: int, rows: int, finished: bool) -> None:
        if finished:
            self.stdout.write(f"{table}: {rows} row(s) copied")
        elif self.verbosity >= 2 or batches % 10 == 0:
            self.stdout.write(f"  {table}: {rows} row(s) so far")

    def handle(self, *args: object, **options: object) -> None:
        self.verbosity = int(options["verbosity"])
        path = Path(str(options["source"]))
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        with path.open("rb") as file:
            if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise CommandError(f"{path} is not a SQLite database.")
        batch_size = int(options["batch_size"])
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")

        with sqlite_database(path) as source_alias:
            try:
                report = copy_database(
                    source_alias=source_alias,
                    batch_size=batch_size,
                    merge=bool(options["merge"]),
                    dry_run=bool(options["dry_run"]),
                    progress=self._progress,
                )
            except CopyError as exc:
                raise CommandError(str(exc)) from exc
            except Exception as exc:
                # The transaction was rolled back: say so, and keep the cause for the operator.
                raise CommandError(f"The copy failed and was rolled back, nothing was written: {exc!r}") from exc

        self.stdout.write("")
        self.stdout.write(f"{'table':<44} {'source':>8} {'target':>8}  {'checksum (source / target)'}")
        for table in report.tables:
            mark = "ok" if table.ok else "DIFFERENT"
            extra = f"  (+{table.target_only_rows} target-only row(s) kept)" if table.target_only_rows else ""
            self.stdout.write(
                f"{table.table:<44} {table.source_rows:>8} {table.target_rows:>8}  "
                f"{table.source_checksum[:12]} / {table.target_checksum[:12]}  {mark}{extra}"
            )
        rows = sum(table.source_rows for table in report.tables)
        if not report.ok:
            different = ", ".join(table.table for table in report.tables if not table.ok)
            raise CommandError(f"Verification failed for {different}; the copy was rolled back, nothing was written.")
        if report.dry_run:
            self.stdout.write(self.style.SUCCESS(f"Dry run: {rows} row(s) in {len(report.tables)} table(s) would be copied and verify; nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Copied and verified {rows} row(s) in {len(report.tables)} table(s); sequences reset."))
