"""``run_etl``: extract from the transactional database, stage, merge, reconcile, record.

Staging and merges happen in one warehouse transaction, so a crash leaves the warehouse as it
was and the retry re-reads from the previous watermark; merges are keyed on natural ids, so
reading rows twice changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

from tienda.adapters.db.engine import build_engine
from tienda.config import Settings
from tienda.entrypoints.analytics import extract as ex
from tienda.entrypoints.analytics.merge_dims import merge_dimensions
from tienda.entrypoints.analytics.merge_facts import (
    clear_facts,
    merge_order_facts,
    rekey_facts,
    snapshot_inventory,
)
from tienda.entrypoints.analytics.reconcile import (
    Figures,
    Key,
    Reconciliation,
    reconcile,
    source_days,
)
from tienda.entrypoints.analytics.schema import column_names, ensure_schema
from tienda.entrypoints.analytics.timekeys import calendar_rows, key_date, local_date_key
from tienda.entrypoints.analytics.warehouse import Warehouse, connect

Advance = Callable[[int], None]


class Reporter(Protocol):
    def step(self, name: str, total: int) -> Advance: ...


class _Silent:
    def step(self, name: str, total: int) -> Advance:
        return lambda n: None


@dataclass(slots=True)
class EtlRun:
    run_id: int
    mode: str
    started_at: datetime
    status: str = "running"
    finished_at: datetime | None = None
    rows: dict[str, int] = field(default_factory=dict)
    orders_watermark: ex.Watermark | None = None
    customers_watermark: ex.Watermark | None = None
    error: str | None = None
    reconciliation: Reconciliation | None = None


@dataclass(slots=True)
class _Batch:
    tables: dict[str, pa.Table]
    orders_watermark: ex.Watermark | None
    customers_watermark: ex.Watermark | None


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _start(wh: Warehouse, mode: str, now: datetime) -> EtlRun:
    run_id = int(wh.scalar("SELECT COALESCE(MAX(run_id), 0) + 1 FROM etl_runs"))
    wh.execute("INSERT INTO etl_runs (run_id, mode, status, started_at) "
               "VALUES (:id, :mode, 'running', :at)", {"id": run_id, "mode": mode, "at": now})
    return EtlRun(run_id, mode, now)


def last_watermarks(wh: Warehouse) -> tuple[ex.Watermark | None, ex.Watermark | None]:
    """The watermarks of the latest run whose load committed."""
    found = wh.rows("SELECT orders_watermark_at, orders_watermark_id, customers_watermark_at, "
                    "customers_watermark_id FROM etl_runs WHERE finished_at IS NOT NULL "
                    "AND rows_loaded IS NOT NULL ORDER BY run_id DESC LIMIT 1")
    if not found:
        return None, None
    o_at, o_id, c_at, c_id = found[0]
    return (ex.Watermark(o_at, o_id) if o_at else None,
            ex.Watermark(c_at, str(c_id)) if c_at else None)


def _extract(settings: Settings, previous: tuple[ex.Watermark | None, ex.Watermark | None],
             overlap: timedelta, advance: Advance) -> _Batch:
    zone = settings.store_timezone
    engine = build_engine(settings, read_only=True)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ") \
                if conn.dialect.name == "postgresql" else conn
            since_orders, since_customers = (ex.window_start(w, overlap) for w in previous)
            orders, lines = ex.extract_orders(conn, since_orders, zone)
            advance(1)
            customers = ex.extract_customers(conn, since_customers, zone)
            products, warehouses = ex.extract_products(conn), ex.extract_warehouses(conn)
            stock = ex.extract_stock(conn)
            advance(1)
    finally:
        engine.dispose()
    tables = {"stg_orders": orders, "stg_order_lines": lines,
              "stg_customers": customers, "stg_products": products,
              "stg_warehouses": warehouses, "stg_stock": stock}
    return _Batch(tables, ex.next_watermark(orders, previous[0]),
                  ex.customers_watermark(customers, previous[1]))


def _order_days(batch: _Batch) -> list[int]:
    """The earliest and latest day each staged order counts on (placed, milestones)."""
    keys = []
    orders = batch.tables["stg_orders"]
    for column in orders.column_names:
        if column.endswith("_date_key"):
            low, high = pc.min_max(orders[column]).values()
            keys += [k.as_py() for k in (low, high) if k.is_valid]
    return keys


def _calendar(batch: _Batch, today_key: int) -> pa.Table:
    keys = [today_key, *_order_days(batch)]
    return calendar_rows(key_date(min(keys)), key_date(max(keys)))


def _stage(wh: Warehouse, batch: _Batch, advance: Advance) -> dict[str, int]:
    rows = {}
    for table, data in batch.tables.items():
        wh.clear(table)
        rows[table.removeprefix("stg_")] = wh.load(table, data.select(column_names(table)))
        advance(1)
    return rows


def _merge(wh: Warehouse, full: bool, today_key: int, now: datetime, advance: Advance) -> None:
    if full:
        clear_facts(wh)
    product_before, customer_before = merge_dimensions(wh)
    advance(1)
    merge_order_facts(wh)
    rekey_facts(wh, product_before, customer_before)
    advance(1)
    snapshot_inventory(wh, today_key, now)
    advance(1)


def _record(wh: Warehouse, run: EtlRun) -> None:
    o, c = run.orders_watermark, run.customers_watermark
    wh.execute(
        "UPDATE etl_runs SET status = :status, finished_at = :finished, rows_loaded = :rows, "
        "orders_watermark_at = :o_at, orders_watermark_id = :o_id, "
        "customers_watermark_at = :c_at, customers_watermark_id = :c_id, error = :error "
        "WHERE run_id = :id",
        {"status": run.status, "finished": run.finished_at,
         "rows": json.dumps(run.rows) if run.rows else None,
         "o_at": o.at if o else None, "o_id": o.id if o else None,
         "c_at": c.at if c else None, "c_id": int(c.id) if c else None,
         "error": run.error, "id": run.run_id})


def _source_days(settings: Settings, since_day: int | None) -> dict[Key, Figures]:
    """The source side of the reconciliation, on a connection of its own: it runs in a thread
    while this one loads (the database does the work, outside the GIL)."""
    if since_day == 0:
        return {}
    engine = build_engine(settings, read_only=True)
    try:
        with engine.connect() as conn:
            return source_days(conn, settings.store_timezone, since_day)
    finally:
        engine.dispose()


_Loaded = tuple[int | None, Future[dict[Key, Figures]]]


def _load(settings: Settings, wh: Warehouse, run: EtlRun, full: bool, reporter: Reporter,
          overlap: timedelta, pool: ThreadPoolExecutor) -> _Loaded:
    """Load one batch. Returns the first day it touched (0 when it touched none, None on a
    full run) and the source side of its reconciliation, computed meanwhile: from the start
    on a full run, from the end of the extraction (when the days are known) otherwise."""
    source = pool.submit(_source_days, settings, None) if full else None
    previous = (None, None) if full else last_watermarks(wh)
    batch = _extract(settings, previous, overlap, reporter.step("extract", 2))
    since_day = None if full else min(_order_days(batch), default=0)
    source = source or pool.submit(_source_days, settings, since_day)
    today_key = local_date_key(run.started_at, ZoneInfo(settings.store_timezone))
    batch.tables["stg_dates"] = _calendar(batch, today_key)
    with wh.transaction():
        rows = _stage(wh, batch, reporter.step("stage", len(batch.tables)))
        _merge(wh, full, today_key, run.started_at, reporter.step("merge", 3))
    run.rows = rows
    run.orders_watermark = batch.orders_watermark
    run.customers_watermark = batch.customers_watermark
    return since_day, source


def check(settings: Settings, wh: Warehouse, since_day: int | None = None,
          source: dict[Key, Figures] | None = None) -> Reconciliation:
    """Reconcile the warehouse of ``settings`` with its transactional database now, for the
    store-local days from ``since_day`` (yyyymmdd) on, or every day."""
    if since_day == 0:
        return Reconciliation()
    engine = build_engine(settings, read_only=True)
    try:
        with engine.connect() as conn:
            return reconcile(conn, wh, settings.store_timezone, since_day, source)
    finally:
        engine.dispose()


def run_etl(settings: Settings, *, full: bool = False, reporter: Reporter | None = None,
            overlap: timedelta = ex.DEFAULT_OVERLAP, now: datetime | None = None) -> EtlRun:
    """One ETL run; ``full`` re-reads everything and rebuilds the order facts. The run is
    recorded in ``etl_runs``; a reconciliation mismatch marks it failed (data stays loaded,
    the mismatching days and orders are on ``run.reconciliation``). Other errors are recorded
    and re-raised."""
    reporter = reporter or _Silent()
    wh = connect(settings.warehouse_url)
    try:
        ensure_schema(wh)
        run = _start(wh, "full" if full else "incremental", now or _utcnow())
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reconcile") as pool:
            _run(settings, wh, run, full, reporter, overlap, pool)
        return run
    finally:
        wh.close()


def _run(settings: Settings, wh: Warehouse, run: EtlRun, full: bool, reporter: Reporter,
         overlap: timedelta, pool: ThreadPoolExecutor) -> None:
    try:
        since_day, source = _load(settings, wh, run, full, reporter, overlap, pool)
        advance = reporter.step("reconcile", 1)
        run.reconciliation = check(settings, wh, since_day, source.result())
        advance(1)
        run.status = "succeeded" if run.reconciliation.ok else "failed"
        if not run.reconciliation.ok:
            run.error = f"reconciliation: {len(run.reconciliation.days)} day(s) differ"
    except Exception as exc:
        run.status, run.error = "failed", f"{type(exc).__name__}: {exc}"
        raise
    finally:
        run.finished_at = _utcnow()
        _record(wh, run)


def run_history(settings: Settings, limit: int = 20, *, read_only: bool = False
                ) -> list[dict[str, Any]]:
    """The latest runs, newest first, JSON-friendly. Readers (the backoffice) pass
    ``read_only``: they never create or change the schema under a running ETL."""
    wh = connect(settings.warehouse_url, read_only=read_only)
    try:
        if not read_only:
            ensure_schema(wh)
        rows = wh.dicts("SELECT run_id, mode, status, started_at, finished_at, rows_loaded, "
                        "orders_watermark_at, orders_watermark_id, error FROM etl_runs "
                        "ORDER BY run_id DESC LIMIT :limit", {"limit": limit})
    finally:
        wh.close()
    for row in rows:
        row["rows_loaded"] = json.loads(row["rows_loaded"]) if row["rows_loaded"] else {}
        for name in ("started_at", "finished_at", "orders_watermark_at"):
            row[name] = row[name].isoformat() + "Z" if row[name] else None
    return rows

