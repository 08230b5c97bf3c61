"""Reading the transactional database through Django, for any vendor Django supports.

The big tables (orders, their lines and events) are read with SQL built per
``connection.vendor`` and fetched from the cursor straight into Arrow, a batch at a time (no
model instances); the small ones (catalog, customers, warehouses, stock) through the ORM.

Vendor differences live here, each with a SQLite, a PostgreSQL and a SQL Server variant. The
SQL Server variants (mssql-django: ``UUIDField`` is ``char(32)``, ``DateTimeField`` is naive-UTC
``datetime2``, ``BooleanField`` is ``bit``) are written from the documentation and could not
be run here: no SQL Server is reachable from the test machines."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.db import connections, transaction

TS = pa.timestamp("us")
UTC_TS = pa.timestamp("us", tz="UTC")
BATCH_ROWS = 50_000
_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")

# A snapshot of the source for a whole extraction. SQLite needs nothing: a read transaction
# in WAL mode sees one snapshot from its first read. SQL Server needs ALLOW_SNAPSHOT_ISOLATION
# ON for the database (infra), and its SET TRANSACTION lasts for the session, hence the reset.
_ISOLATION = {
    "postgresql": ("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", None),
    "microsoft": ("SET TRANSACTION ISOLATION LEVEL SNAPSHOT",
                  "SET TRANSACTION ISOLATION LEVEL READ COMMITTED"),
}


def vendor(using: str = "default") -> str:
    return str(connections[using].vendor)


@contextmanager
def snapshot(using: str = "default") -> Iterator[None]:
    """Every read inside sees the source as of one instant (REPEATABLE READ on PostgreSQL,
    SNAPSHOT on SQL Server). Inside a caller's transaction the caller's isolation holds."""
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    begin, reset = _ISOLATION.get(connection.vendor, (None, None))
    try:
        with transaction.atomic(using=using):
            if begin:
                with connection.cursor() as cursor:
                    cursor.execute(begin)
            yield
    finally:
        if reset:
            with connection.cursor() as cursor:
                cursor.execute(reset)


# --- SQL per vendor -------------------------------------------------------------------------

def ts(column: str, using: str = "default") -> str:
    """A timestamp column as the fetch expects it. SQLite: the stored text (Django's
    converters would build a datetime per value; Arrow parses the text in bulk)."""
    return f"CAST({column} AS TEXT)" if vendor(using) == "sqlite" else column


def flag(column: str, using: str = "default") -> str:
    """A boolean column as the fetch expects it. SQLite: the stored integer (Django's
    converter would run per value)."""
    return f"CAST({column} AS INTEGER)" if vendor(using) == "sqlite" else column


def uuid_text(column: str, using: str = "default") -> str:
    """A UUID column as text: dashed on PostgreSQL, 32 hex digits on SQLite and SQL Server
    (``canonical_uuids`` adds the dashes)."""
    return f"CAST({column} AS TEXT)" if vendor(using) == "postgresql" else column


def utc_hour(column: str, using: str = "default") -> str:
    """'YYYY-MM-DD HH' of a UTC timestamp column."""
    kind = vendor(using)
    if kind == "sqlite":
        return f"substr({column}, 1, 13)"
    if kind == "microsoft":  # style 120 is 'yyyy-mm-dd hh:mi:ss'; CHAR(13) keeps the hour
        return f"CONVERT(CHAR(13), {column}, 120)"
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"


def timestamp_param(instant: datetime, using: str = "default") -> Any:
    """A naive-UTC instant as the vendor compares it with a DateTimeField column."""
    return connections[using].ops.adapt_datetimefield_value(instant.replace(tzinfo=UTC))


def bind(sql: str, values: dict[str, Any]) -> tuple[str, list[Any]]:
    """``:name`` parameters as Django's ``%s`` placeholders, values in order of appearance
    (positional: every backend supports them)."""
    names = _PARAM.findall(sql)
    return _PARAM.sub("%s", sql), [values[name] for name in names]


# --- fetching into Arrow --------------------------------------------------------------------

def _wire_type(kind: pa.DataType, using: str) -> pa.DataType:
    """The Arrow type of the values the driver returns for a column of type ``kind``."""
    name = vendor(using)
    if kind == TS:
        return {"sqlite": pa.string(), "microsoft": TS}.get(name, UTC_TS)
    if kind == pa.bool_() and name == "sqlite":
        return pa.int64()
    return kind


def _from_rows(chunks: Iterable[Sequence[Any]], wire: dict[str, pa.DataType]) -> pa.Table:
    """Each chunk of tuples converted in one call, as a struct array: no per-column lists."""
    struct = pa.struct(list(wire.items()))
    return pa.Table.from_batches(
        [pa.RecordBatch.from_struct_array(pa.array(list(chunk), struct)) for chunk in chunks],
        pa.schema(wire))


def _timestamps(values: pa.Array) -> pa.Array:
    """Naive-UTC timestamps from SQLite's text (parsed by Arrow in bulk) or from aware or
    naive-UTC datetimes."""
    try:
        return values.cast(TS)
    except pa.ArrowInvalid:  # text with an offset, written by another client
        parsed = [None if v is None else datetime.fromisoformat(v) for v in values.to_pylist()]
        return pa.array([None if v is None else v if v.tzinfo else v.replace(tzinfo=UTC)
                         for v in parsed], UTC_TS).cast(TS)


def typed(raw: pa.Table, schema: dict[str, pa.DataType]) -> pa.Table:
    return pa.table({name: _timestamps(raw[name].combine_chunks()) if kind == TS
                     else raw[name].cast(kind) for name, kind in schema.items()})


def fetch_table(sql: str, values: dict[str, Any], schema: dict[str, pa.DataType],
                using: str = "default") -> pa.Table:
    """The rows of ``sql`` straight from the cursor into Arrow, ``BATCH_ROWS`` at a time;
    timestamps are then cast column by column."""
    wire = {name: _wire_type(kind, using) for name, kind in schema.items()}
    statement, params = bind(sql, values)
    with connections[using].cursor() as cursor:
        cursor.execute(statement, params)
        raw = _from_rows(iter(lambda: cursor.fetchmany(BATCH_ROWS), []), wire)
    return typed(raw, schema)


def rows_table(rows: Sequence[Sequence[Any]], schema: dict[str, pa.DataType]) -> pa.Table:
    """A table from rows the ORM returned (aware datetimes, Python booleans)."""
    wire = {name: UTC_TS if kind == TS else kind for name, kind in schema.items()}
    return typed(_from_rows([rows], wire), schema)


def canonical_uuids(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Lower-case 8-4-4-4-12 UUID text, whichever way the vendor stores UUIDs."""
    values = pc.utf8_lower(values)
    cuts = ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32))
    dashed = pc.binary_join_element_wise(
        *(pc.utf8_slice_codeunits(values, a, b) for a, b in cuts), "-")
    return pc.if_else(pc.equal(pc.utf8_length(values), 32), dashed, values)
