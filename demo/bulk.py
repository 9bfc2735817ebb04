"""Bulk loading for the demo world: COPY on Postgres, batched INSERTs elsewhere.

Generators hand over whole columns (numpy arrays or lists) keyed by the model's
column names, with explicit ids taken from `next_id`, so later stages can refer to
rows without reading them back. Columns a generator does not know about (fields
other apps add later) are filled from the model field's default, so the loader
keeps working while the models grow.
"""

import json
import logging
import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import numpy as np
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone
from tqdm import tqdm

logger = logging.getLogger("demo.seed")

CHUNK_ROWS = 50_000
DEFER_INDEXES_FROM = 200_000  # rows; below this, dropping and rebuilding indexes does not pay
_SEPARATOR = "\x1f"  # ASCII unit separator: never in generated text
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


@dataclass
class StageLog:
    """Rows and seconds per stage, for the summary the command prints."""

    progress: bool = True
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def record(self, stage: str, rows: int, seconds: float) -> None:
        self.rows[stage] = self.rows.get(stage, 0) + rows
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds
        logger.info("seed_demo: %s: %d rows in %.1f s", stage, rows, seconds)


class Timer:
    """`with Timer(log, "notes") as t: ...; t.rows += n` records one stage."""

    def __init__(self, log: StageLog, stage: str):
        self.log, self.stage, self.rows = log, stage, 0

    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.log.record(self.stage, self.rows, time.perf_counter() - self.started)


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def sync_sequence(model: type[models.Model]) -> None:
    """After explicit ids, move the Postgres sequence past them (SQLite's AUTOINCREMENT follows by itself)."""
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))",
            [table],
        )


def relax_foreign_key_checks() -> bool:
    """Skip per-row FK triggers inside the seeding transaction (Postgres superuser only).

    Every reference the generators write points at a row they wrote or read, so the
    checks are redundant, and on 10M likes they would queue 10M deferred trigger
    events. Without the privilege the load is just slower.
    """
    if connection.vendor != "postgresql":
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SAVEPOINT demo_relax")
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("RELEASE SAVEPOINT demo_relax")
    except Exception:  # not a superuser: keep the checks
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK TO SAVEPOINT demo_relax")
        return False
    return True


def insert(model: type[models.Model], columns: dict[str, Sequence], *, log: StageLog, desc: str) -> int:
    """Insert whole columns into `model`'s table; returns the number of rows."""
    names = list(columns)
    total = len(columns[names[0]]) if names else 0
    if total == 0:
        return 0
    defaults = _missing_column_defaults(model, names)
    names += list(defaults)
    table = model._meta.db_table
    with (
        _indexes_deferred(table, total),
        tqdm(total=total, desc=desc, unit="rows", disable=not log.progress, leave=False) as bar,
    ):
        for start in range(0, total, CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, total)
            chunk = [columns[name][start:stop] for name in columns]
            chunk += [[value] * (stop - start) for value in defaults.values()]
            if connection.vendor == "postgresql":
                _copy_chunk(table, names, chunk)
            else:
                _insert_chunk(table, names, chunk)
            bar.update(stop - start)
    return total


@contextmanager
def _indexes_deferred(table: str, rows: int):
    """For a big load on Postgres, drop the table's plain indexes and build them once afterwards.

    Sorting once is far cheaper than millions of random index insertions. Indexes
    that back a constraint (primary key, unique) stay. All of it happens inside the
    seeding transaction: if the load fails, the indexes come back with the rollback.
    """
    if connection.vendor != "postgresql" or rows < DEFER_INDEXES_FROM:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexname::regclass)",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)


def _missing_column_defaults(model, given: list[str]) -> dict[str, object]:
    """Column -> constant for every concrete field the caller left out."""
    filled = {}
    for fld in model._meta.concrete_fields:
        if fld.column in given or fld.primary_key:
            continue
        if getattr(fld, "auto_now", False) or getattr(fld, "auto_now_add", False):
            filled[fld.column] = timezone.now()
        elif fld.has_default():
            filled[fld.column] = fld.get_default()
        elif fld.null:
            filled[fld.column] = None
        elif fld.blank and isinstance(fld, models.CharField | models.TextField | models.FileField):
            filled[fld.column] = ""
        else:
            raise ValueError(f"seed_demo: no value for required column {model.__name__}.{fld.column}")
    return filled


# --- Postgres: COPY text format ----------------------------------------------------------------


def _copy_chunk(table: str, names: list[str], chunk: list) -> None:
    texts = [_copy_texts(values) for values in chunk]
    payload = "".join(f"{line}\n" for line in map("\t".join, zip(*texts, strict=True)))
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        copy.write(payload.encode())


def _copy_texts(values) -> list[str]:
    if isinstance(values, np.ndarray) and values.dtype.kind == "O":
        values = values.tolist()
    if isinstance(values, np.ndarray):
        kind = values.dtype.kind
        if kind == "b":
            return np.where(values, "t", "f").tolist()
        if kind == "M":
            text = np.datetime_as_string(values)
            if values.dtype != "datetime64[D]":
                text = np.char.add(text, "+00")
            return np.where(np.isnat(values), "\\N", text).tolist()
        if kind == "f":
            return np.where(np.isnan(values), "\\N", values.astype(str)).tolist()
        return _escape_all(values.astype(str).tolist())
    if all(type(value) is str for value in values):
        return _escape_all(values)
    return [_copy_scalar(value) for value in values]


def _escape_all(texts: list[str]) -> list[str]:
    """COPY-escape a whole column at once: one pass over one joined string, in C."""
    joined = _SEPARATOR.join(texts)
    if not any(ch in joined for ch in "\\\t\n\r"):
        return texts
    for raw, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        joined = joined.replace(raw, escaped)
    return joined.split(_SEPARATOR)


def _copy_scalar(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value)
    return str(value).translate(_COPY_ESCAPES)


# --- Elsewhere (SQLite): batched INSERTs -------------------------------------------------------


def _insert_chunk(table: str, names: list[str], chunk: list) -> None:
    rows = zip(*[_python_values(values) for values in chunk], strict=True)
    placeholders = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})", list(rows))


def _python_values(values) -> list:
    if isinstance(values, np.ndarray) and values.dtype.kind == "O":
        values = values.tolist()
    if isinstance(values, np.ndarray):
        kind = values.dtype.kind
        if kind == "M":
            text = np.char.replace(np.datetime_as_string(values), "T", " ")
            return np.where(np.isnat(values), None, text).tolist()
        if kind == "f":
            return [None if np.isnan(v) else v for v in values.tolist()]
        return values.tolist()
    return [_python_scalar(value) for value in values]


def _python_scalar(value):
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value
