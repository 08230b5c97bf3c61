"""The warehouse connection: DuckDB locally, PostgreSQL on Azure. Every SQL dialect difference
of the warehouse SQL lives here; the rest writes portable SQL with ``:name`` parameters and
the few helpers below. (The transactional database is read through Django: ``source.py``.)

Azure SQL as a *warehouse* is not supported (PARITY appendix A lists what it would need:
``UPDATE t ... FROM t JOIN``, ``#temp`` tables, bulk insert); the source may be any Django
database."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv

_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")
# Logical column types of the warehouse schema, per dialect.
_TYPES = {
    "duckdb": {"key": "BIGINT", "int": "BIGINT", "money": "DECIMAL(18,2)", "text": "VARCHAR",
               "ts": "TIMESTAMP", "bool": "BOOLEAN", "date": "DATE"},
    # Text compares byte by byte, as in DuckDB: the same MIN(name) and order on both, and
    # sorts by order id (the fact merges' window functions) skip the locale's collation.
    "postgresql": {"key": "BIGINT", "int": "BIGINT", "money": "NUMERIC(18,2)",
                   "text": 'TEXT COLLATE "C"',
                   "ts": "TIMESTAMP", "bool": "BOOLEAN", "date": "DATE"},
}


class Warehouse:
    """One open warehouse connection. Statements run inside the current transaction; call
    ``transaction()`` to group them."""

    def __init__(self, dialect: str, connection: Any) -> None:
        self.dialect = dialect
        self._conn = connection

    # --- SQL -------------------------------------------------------------------------------

    def type(self, logical: str) -> str:
        return _TYPES[self.dialect][logical]

    def int_div(self, numerator: str, denominator: str) -> str:
        """Integer division truncating toward zero (operands are non-negative here)."""
        if self.dialect == "duckdb":
            return f"(({numerator}) // ({denominator}))"
        return f"(({numerator}) / ({denominator}))"

    def money(self, minor_units: str) -> str:
        """A fixed-point amount from an integer number of cents, exactly."""
        return f"CAST(CAST({minor_units} AS {self.type('int')}) * 0.01 AS {self.type('money')})"

    def _bind(self, sql: str, params: Mapping[str, Any] | None) -> tuple[str, Any]:
        """``:name`` parameters in this dialect's style, with only the values used."""
        used = {name: (params or {})[name] for name in _PARAM.findall(sql)}
        if self.dialect == "duckdb":
            return _PARAM.sub(r"$\1", sql), used
        return _PARAM.sub(r"%(\1)s", sql.replace("%", "%%")), used or None

    def _cursor(self, sql: str, params: Mapping[str, Any] | None) -> Any:
        statement, values = self._bind(sql, params)
        if self.dialect == "duckdb":
            return self._conn.execute(statement, values)
        cursor = self._conn.cursor()
        cursor.execute(statement, values)
        return cursor

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        cursor = self._cursor(sql, params)
        if self.dialect == "postgresql":
            cursor.close()

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        cursor = self._cursor(sql, params)
        return [tuple(r) for r in cursor.fetchall()]

    def dicts(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        cursor = self._cursor(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        found = self.rows(sql, params)
        return found[0][0] if found else None

    def table_names(self) -> set[str]:
        schema = "main" if self.dialect == "duckdb" else "public"
        return {r[0] for r in self.rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = :s",
            {"s": schema})}

    def clear(self, table: str) -> None:
        self.execute(f"DELETE FROM {table}" if self.dialect == "duckdb" else f"TRUNCATE {table}")

    # --- bulk load -------------------------------------------------------------------------

    def load(self, table: str, data: pa.Table) -> int:
        """Append ``data`` to ``table`` (columns matched by name) in one bulk operation:
        DuckDB scans the Arrow table, PostgreSQL receives it through COPY."""
        if data.num_rows == 0:
            return 0
        columns = ", ".join(data.column_names)
        if self.dialect == "duckdb":
            self._conn.register("_arrow_batch", data)
            try:
                self._conn.execute(f"INSERT INTO {table} ({columns}) "
                                   f"SELECT {columns} FROM _arrow_batch")
            finally:
                self._conn.unregister("_arrow_batch")
            return int(data.num_rows)
        buffer = io.BytesIO()
        pa_csv.write_csv(data, buffer, pa_csv.WriteOptions(include_header=False))
        with self._conn.cursor() as cur, cur.copy(
                f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
            copy.write(buffer.getvalue())
        return int(data.num_rows)

    def analyze(self, tables: Sequence[str]) -> None:
        """Fresh planner statistics after a load. PostgreSQL plans the reports' joins from
        them (without, a freshly loaded table looks empty and gets nested loops); DuckDB
        keeps its own up to date."""
        if self.dialect == "postgresql":
            self.execute(f"ANALYZE {', '.join(tables)}")

    # --- transactions ----------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Warehouse]:
        if self.dialect == "duckdb":
            self._conn.execute("BEGIN TRANSACTION")
            try:
                yield self
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            return
        with self._conn.transaction():
            yield self

    def close(self) -> None:
        self._conn.close()


class WarehouseUrlError(Exception):
    """The warehouse URL is malformed or names a warehouse that cannot be opened."""


class WarehouseNotReady(Exception):
    """The warehouse was never loaded, or is being refreshed (DuckDB allows one writer and
    no readers meanwhile): the reports cannot be read now; try again shortly."""


def _duckdb_path(url: str) -> str:
    path = url.removeprefix("duckdb:///")
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    return path or ":memory:"


def connect(url: str, *, read_only: bool = False) -> Warehouse:
    """Open the warehouse at ``url`` (``duckdb:///path`` or ``postgresql://...``)."""
    if url.startswith("duckdb:///"):
        return _connect_duckdb(url, read_only)
    if url.startswith(("postgresql://", "postgresql+psycopg://")):
        return _connect_postgresql(url, read_only)
    raise WarehouseUrlError(f"the warehouse URL must start with duckdb:/// or postgresql:// "
                            f"(got {url.split(':', 1)[0]!r})")


def _connect_duckdb(url: str, read_only: bool) -> Warehouse:
    import duckdb

    path = _duckdb_path(url)
    if read_only and path != ":memory:" and not Path(path).exists():
        raise WarehouseNotReady("the warehouse has never been loaded")
    try:
        return Warehouse("duckdb", duckdb.connect(path, read_only=read_only))
    except duckdb.ConnectionException as exc:  # open read-write in this very process
        raise WarehouseNotReady("the warehouse is being refreshed") from exc
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():  # open read-write by another process (the ETL)
            raise WarehouseNotReady("the warehouse is being refreshed") from exc
        raise WarehouseUrlError(f"cannot open the DuckDB warehouse {path}: {exc}") from exc


ENTRA_SCOPE = "https://ossrdbms-aad.database.windows.net/.default"


def entra_password() -> dict[str, str]:
    """With TIENDA_WAREHOUSE_AUTH=entra (Azure): a fresh token of the app's managed identity as
    the password; PostgreSQL Flexible Server accepts it for the identity's role."""
    from django.conf import settings

    if settings.WAREHOUSE_AUTH != "entra":
        return {}
    from shop.settings.storage import managed_identity

    token = managed_identity(settings.DATABASE_CLIENT_ID).get_token(ENTRA_SCOPE)
    return {"password": token.token}


def _connect_postgresql(url: str, read_only: bool) -> Warehouse:
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)
    try:
        connection = psycopg.connect(conninfo, autocommit=True, connect_timeout=10,
                                     **entra_password())
    except (psycopg.OperationalError, psycopg.ProgrammingError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise WarehouseUrlError(f"cannot connect to the PostgreSQL warehouse: {first}") from exc
    # JIT compiling costs seconds on the ETL's wide statements and saves nothing on the
    # reports' small ones.
    connection.execute("SET jit = off")
    if read_only:
        connection.execute("SET default_transaction_read_only = on")
    else:  # the one ETL session: its window sorts stay in memory
        connection.execute("SET work_mem = '64MB'")
    return Warehouse("postgresql", connection)


@contextmanager
def open_warehouse(url: str, *, read_only: bool = False) -> Iterator[Warehouse]:
    """The warehouse at ``url``, closed on exit. Report callers pass ``read_only=True``."""
    warehouse = connect(url, read_only=read_only)
    try:
        yield warehouse
    finally:
        warehouse.close()


def values_list(items: Sequence[object]) -> str:
    """Literal SQL list of integers (ids are ints, never user text)."""
    return ", ".join(str(int(i)) for i in items) or "NULL"  # type: ignore[call-overload]
