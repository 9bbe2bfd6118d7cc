"""Copies every table of this project from a SQLite database of this project to PostgreSQL, and proves it.

Used by `manage.py migrate_sqlite_to_postgres`; knows nothing about the apps (every installed app's
concrete models are copied, framework ones included).

- Values are copied as stored: only Django's own conversions apply (SQLite text to datetimes,
  0/1 to booleans, JSON text to JSON...), never a custom field's, so encrypted columns keep their
  ciphertext byte for byte and no key is needed.
- Everything happens in one transaction on the target: a failure anywhere leaves it as it was. The
  verification runs inside that transaction too, and a difference rolls the copy back.
- Tables `migrate` fills by itself (content types, permissions) are replaced by the source's rows so
  every id that refers to them stays right; that is safe only because a target holding any other
  row is refused unless `merge` (then every row is upserted by primary key, these included).
- Checksums hash each row's canonical form (a JSON list of its values: datetimes in UTC, numbers by
  value, JSON with sorted keys), so SQLite and PostgreSQL give the same result for the same data.
  A table's checksum is the sum of its rows' SHA-256 digests modulo 2**256: independent of row
  order, because the two databases sort text differently.
"""

import hashlib
import json
import math
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend

# Filled by `migrate` (post_migrate), so present in every freshly migrated target.
MIGRATE_FILLED = ("contenttypes.contenttype", "auth.permission")
CHECKSUM_MODULUS = 2**256


class CopyError(Exception):
    """The copy cannot or must not run (bad source, target not PostgreSQL or not empty, ...)."""


@dataclass
class TableResult:
    label: str
    table: str
    source_rows: int = 0
    target_rows: int = 0
    source_checksum: str = ""
    target_checksum: str = ""
    # Merge only: rows of the target the source does not have (kept, not compared).
    target_only_rows: int = 0

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_checksum == self.target_checksum


@dataclass
class CopyReport:
    dry_run: bool = False
    tables: list[TableResult] = field(default_factory=list)
    # False when the copy was rolled back (dry run, or the verification found a difference).
    committed: bool = False

    @property
    def ok(self) -> bool:
        return all(table.ok for table in self.tables)


# --- Which tables, in which order ---------------------------------------------------------------------
def copy_models(alias: str = "default") -> list[type[models.Model]]:
    """Every concrete, managed model of every installed app (M2M tables too), parents before children."""
    found: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or not router.allow_migrate_model(alias, model):
            continue
        found.setdefault(meta.db_table, model)
    pending = sorted(found.values(), key=lambda model: model._meta.label_lower)
    ordered: list[type[models.Model]] = []
    while pending:
        placed = {model._meta.label_lower for model in ordered}
        ready = [model for model in pending if _parents(model, pending) <= placed]
        # A cycle (none today) cannot be ordered; PostgreSQL checks the deferred FKs at the end anyway.
        batch = ready or pending[:1]
        ordered.extend(batch)
        pending = [model for model in pending if model not in batch]
    return ordered


def _parents(model: type[models.Model], candidates: list[type[models.Model]]) -> set[str]:
    labels = {candidate._meta.label_lower for candidate in candidates}
    parents = {f.related_model._meta.label_lower for f in model._meta.concrete_fields if f.is_relation}
    # A model referring to itself (a tree) is no reason to wait.
    return (parents & labels) - {model._meta.label_lower}


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


# --- Values: read as stored, written as stored ----------------------------------------------------
def _is_django(function: Callable) -> bool:
    return getattr(function, "__func__", function).__module__.startswith("django.")


def _readers(model: type[models.Model], connection: BaseDatabaseWrapper) -> list[list[tuple[Callable, Any]]]:
    """Per column, the converters Django's own code applies to a raw value (a custom field's are skipped)."""
    readers = []
    for f in _columns(model):
        col = f.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        readers.append([(converter, col) for converter in converters if _is_django(converter)])
    return readers


def _read(row: tuple, readers: list[list[tuple[Callable, Any]]], connection: BaseDatabaseWrapper) -> list[Any]:
    values = []
    for value, converters in zip(row, readers, strict=True):
        if value is not None:
            for converter, col in converters:
                value = converter(value, col, connection)
        values.append(value)
    return values


def _django_method(f: models.Field, name: str) -> Callable:
    """The field's method as Django's own class implements it, bypassing a custom subclass's override."""
    for klass in type(f).__mro__:
        if name in vars(klass) and klass.__module__.startswith("django."):
            return vars(klass)[name].__get__(f)
    raise AttributeError(name)  # pragma: no cover - every Field has one


def _writers(model: type[models.Model], connection: BaseDatabaseWrapper) -> list[Callable[[Any], Any]]:
    """Per column, value -> query parameter. prepared=True: the value already is what the column holds
    (no custom get_prep_value, e.g. no encryption); only the backend's adaptation (JSON, dates) remains."""

    def writer(f: models.Field) -> Callable[[Any], Any]:
        prep = _django_method(f, "get_db_prep_value")
        # None is SQL NULL, except in a NOT NULL JSON column, where it was the JSON null.
        keep_none = f.null or not isinstance(f, models.JSONField)
        return lambda value: None if value is None and keep_none else prep(value, connection, prepared=True)

    return [writer(f) for f in _columns(model)]


# --- Checksums ---------------------------------------------------------------------------------------
def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        # By value: SQLite may hand back 4 where PostgreSQL's jsonb hands back 4.0, or the reverse.
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, Decimal):
        return _canonical(float(value)) if value == value.to_integral_value() else str(value.normalize())
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    return str(value)


def row_digest(values: list[Any]) -> int:
    text = json.dumps(_canonical(values), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")


def _checksum_hex(total: int) -> str:
    return f"{total % CHECKSUM_MODULUS:064x}"


def _rows(connection: BaseDatabaseWrapper, model: type[models.Model], batch_size: int) -> Iterator[list[tuple]]:
    """The table's raw rows in batches, by primary key (a server-side cursor on PostgreSQL)."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in _columns(model))
    sql = f"SELECT {columns} FROM {qn(model._meta.db_table)} ORDER BY {qn(model._meta.pk.column)}"  # noqa: S608 - quoted names
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(batch_size):
            yield batch


def table_stats(
    connection: BaseDatabaseWrapper, model: type[models.Model], *, batch_size: int = 2000, only_pks: set | None = None
) -> tuple[int, str, int]:
    """(rows, checksum, rows left out) of a table; with `only_pks`, rows with other keys are left out."""
    readers = _readers(model, connection)
    pk_index = _columns(model).index(model._meta.pk)
    count = skipped = total = 0
    for batch in _rows(connection, model, batch_size):
        for raw in batch:
            values = _read(raw, readers, connection)
            if only_pks is not None and values[pk_index] not in only_pks:
                skipped += 1
                continue
            count += 1
            total += row_digest(values)
    return count, _checksum_hex(total), skipped


# --- The copy ----------------------------------------------------------------------------------------
@contextmanager
def sqlite_database(path: str | Path, *, alias: str = "dbcopy_source", readonly: bool = True) -> Iterator[str]:
    """A SQLite file as a database alias for as long as the block runs (read-only by default).

    The connection is handed to `connections` without being added to its settings: the ORM and
    transaction.atomic() find it by alias, while nothing that walks the configured databases (request
    cleanup, test isolation) mistakes it for one of the project's.
    """
    file = Path(path).resolve()
    entry = {"ENGINE": "django.db.backends.sqlite3", "NAME": f"{file.as_uri()}?mode=ro" if readonly else str(file)}
    # configure_settings() fills in Django's defaults (it insists on seeing a "default" alias).
    settings_dict = connections.configure_settings({"default": {}, alias: entry})[alias]
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    connections[alias] = wrapper
    try:
        yield alias
    finally:
        wrapper.close()
        del connections[alias]


def _insert(connection: BaseDatabaseWrapper, model: type[models.Model], rows: list[list[Any]], *, merge: bool) -> None:
    """One multi-row INSERT (an upsert by primary key when merging)."""
    qn = connection.ops.quote_name
    names = [qn(f.column) for f in _columns(model)]
    row_sql = "(" + ", ".join(["%s"] * len(names)) + ")"
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(names)}) VALUES {', '.join([row_sql] * len(rows))}"  # noqa: S608
    if merge:
        pk = qn(model._meta.pk.column)
        updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in names if name != pk)
        sql += f" ON CONFLICT ({pk}) DO " + (f"UPDATE SET {updates}" if updates else "NOTHING")
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def _applied(connection: BaseDatabaseWrapper) -> set[tuple[str, str]]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return set()
    return set(recorder.applied_migrations())


def _preflight(source: BaseDatabaseWrapper, target: BaseDatabaseWrapper, copied: list[type[models.Model]], *, merge: bool) -> None:
    if target.vendor != "postgresql":
        raise CopyError(f"The target database must be PostgreSQL (set DATABASE_URL); it is {target.vendor}.")
    source_applied, target_applied = _applied(source), _applied(target)
    if not source_applied:
        raise CopyError("The source has no django_migrations table: it is not a database of this project.")
    if source_applied != target_applied:
        only_source = sorted(f"{app}.{name}" for app, name in source_applied - target_applied)
        only_target = sorted(f"{app}.{name}" for app, name in target_applied - source_applied)
        raise CopyError(
            "Source and target are not at the same migrations; run `manage.py migrate` on both first. "
            f"Only in the source: {', '.join(only_source[:5]) or 'none'}; only in the target: {', '.join(only_target[:5]) or 'none'}."
        )
    if merge:
        return
    holding = []
    with target.cursor() as cursor:
        for model in copied:
            if model._meta.label_lower in MIGRATE_FILLED:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {target.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            count = cursor.fetchone()[0]
            if count:
                holding.append(f"{model._meta.db_table} ({count})")
    if holding:
        raise CopyError(
            f"The target already holds rows: {', '.join(holding)}. Nothing was written. Copy into a freshly "
            "migrated database, or pass --merge to upsert the source's rows by primary key."
        )


def copy_database(
    *,
    source_alias: str,
    target_alias: str = "default",
    batch_size: int = 1000,
    merge: bool = False,
    dry_run: bool = False,
    progress: Callable[[str, int, int, bool], None] = lambda table, batches, rows, finished: None,
) -> CopyReport:
    """Copies every table from source to target in one transaction, verifies, and commits only if equal.

    progress(table, batches so far, rows so far, finished) is called after each batch and each table.
    """
    source, target = connections[source_alias], connections[target_alias]
    copied = copy_models(target_alias)
    _preflight(source, target, copied, merge=merge)
    report = CopyReport(dry_run=dry_run)
    source_pks: dict[str, set] = {}
    # The source is read in one transaction as well: one consistent snapshot of all its tables.
    with transaction.atomic(using=source_alias), transaction.atomic(using=target_alias):
        if not merge:
            filled = [model for model in copied if model._meta.label_lower in MIGRATE_FILLED]
            with target.cursor() as cursor:
                # Children first; nothing else in the target refers to them (it holds no other row, checked above).
                for model in reversed(filled):
                    cursor.execute(f"DELETE FROM {target.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        for model in copied:
            result = TableResult(label=model._meta.label, table=model._meta.db_table)
            readers, writers = _readers(model, source), _writers(model, target)
            pk_index = _columns(model).index(model._meta.pk)
            pks: set = set()
            total = 0
            for number, batch in enumerate(_rows(source, model, batch_size), start=1):
                values = [_read(raw, readers, source) for raw in batch]
                total += sum(row_digest(row) for row in values)
                if merge:  # the verification then compares only the target rows the source has
                    pks.update(row[pk_index] for row in values)
                _insert(target, model, [[write(value) for write, value in zip(writers, row, strict=True)] for row in values], merge=merge)
                result.source_rows += len(values)
                progress(result.table, number, result.source_rows, False)
            result.source_checksum = _checksum_hex(total)
            source_pks[result.table] = pks
            report.tables.append(result)
            progress(result.table, 0, result.source_rows, True)
        # PostgreSQL checks Django's foreign keys at commit; check them now, inside the transaction.
        target.check_constraints()
        for result, model in zip(report.tables, copied, strict=True):
            only = source_pks[result.table] if merge else None
            result.target_rows, result.target_checksum, result.target_only_rows = table_stats(
                target, model, batch_size=batch_size, only_pks=only
            )
        if dry_run or not report.ok:
            transaction.set_rollback(True, using=target_alias)
        else:
            # setval() is not transactional: it runs last, once nothing can roll the copy back.
            with target.cursor() as cursor:
                for sql in target.ops.sequence_reset_sql(no_style(), copied):
                    cursor.execute(sql)
            report.committed = True
    if report.committed and "contenttypes" in {model._meta.app_label for model in copied}:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()  # its cached ids were the target's old ones
    return report
