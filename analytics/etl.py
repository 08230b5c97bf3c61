"""``run_etl``: extract from the transactional database, stage, merge, reconcile, record.

Staging and merges happen in one warehouse transaction, so a crash leaves the warehouse as it
was and the retry re-reads from the previous watermark; merges are keyed on natural ids, so
reading rows twice changes nothing. Each run stores its reconciliation in ``etl_runs``: the
dashboard reads it there instead of recomputing the whole history."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.db import connections

from analytics import extract as ex
from analytics import source as src
from analytics.merge_dims import merge_dimensions
from analytics.merge_facts import clear_facts, merge_order_facts, rekey_facts, snapshot_inventory
from analytics.reconcile import Bound, Reconciliation, SourceSide, reconcile, source_side
from analytics.schema import DIMENSIONS, FACTS, column_names, ensure_schema
from analytics.timekeys import calendar_rows, key_date, local_date_key
from analytics.warehouse import Warehouse, connect

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


Watermarks = tuple[ex.Watermark | None, ex.Watermark | None]


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _start(wh: Warehouse, mode: str, now: datetime) -> EtlRun:
    run_id = int(wh.scalar("SELECT COALESCE(MAX(run_id), 0) + 1 FROM etl_runs"))
    wh.execute("INSERT INTO etl_runs (run_id, mode, status, started_at) "
               "VALUES (:id, :mode, 'running', :at)", {"id": run_id, "mode": mode, "at": now})
    return EtlRun(run_id, mode, now)


def last_watermarks(wh: Warehouse) -> Watermarks:
    """The watermarks of the latest run whose load committed."""
    found = wh.rows("SELECT orders_watermark_at, orders_watermark_id, customers_watermark_at, "
                    "customers_watermark_id FROM etl_runs WHERE finished_at IS NOT NULL "
                    "AND rows_loaded IS NOT NULL ORDER BY run_id DESC LIMIT 1")
    if not found:
        return None, None
    o_at, o_id, c_at, c_id = found[0]
    return (ex.Watermark(o_at, o_id) if o_at else None,
            ex.Watermark(c_at, str(c_id)) if c_at else None)


def _extract(previous: Watermarks, overlap: timedelta, advance: Advance) -> _Batch:
    zone = settings.STORE_TIMEZONE
    since_orders, since_customers = (ex.window_start(w, overlap) for w in previous)
    with src.snapshot():
        orders, lines = ex.extract_orders(since_orders, zone)
        advance(1)
        customers = ex.extract_customers(since_customers, zone)
        products, warehouses = ex.extract_products(), ex.extract_warehouses()
        stock = ex.extract_stock()
        advance(1)
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
    wh.analyze(list(batch.tables))  # temporary tables: autovacuum never analyzes them
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
    result = run.reconciliation
    wh.execute(
        "UPDATE etl_runs SET status = :status, finished_at = :finished, rows_loaded = :rows, "
        "orders_watermark_at = :o_at, orders_watermark_id = :o_id, "
        "customers_watermark_at = :c_at, customers_watermark_id = :c_id, error = :error, "
        "reconciliation = :reconciliation WHERE run_id = :id",
        {"status": run.status, "finished": run.finished_at,
         "rows": json.dumps(run.rows) if run.rows else None,
         "o_at": o.at if o else None, "o_id": o.id if o else None,
         "c_at": c.at if c else None, "c_id": int(c.id) if c else None,
         "error": run.error, "id": run.run_id,
         "reconciliation": json.dumps(result.as_dict()) if result is not None else None})


def _in_thread(timezone: str, bound: Bound) -> SourceSide:
    """The source side of the reconciliation, on this thread's own connection: it runs while
    the main thread loads the warehouse (the database does the work, outside the GIL)."""
    try:
        return source_side(timezone, bound)
    finally:
        connections.close_all()  # this thread's connections only


def _bound(batch: _Batch, full: bool) -> Bound | None:
    """What this run's reconciliation covers; None when the run loaded no order."""
    watermark = batch.orders_watermark
    days = _order_days(batch)
    if watermark is None or not days:
        return None
    return Bound(None if full else min(days), watermark.at)


def _load(wh: Warehouse, run: EtlRun, full: bool, reporter: Reporter, overlap: timedelta,
          pool: ThreadPoolExecutor) -> tuple[Bound | None, Future[SourceSide] | None]:
    """Load one batch; returns what its reconciliation covers and the source side of it,
    computed meanwhile on another connection."""
    previous = (None, None) if full else last_watermarks(wh)
    batch = _extract(previous, overlap, reporter.step("extract", 2))
    bound = _bound(batch, full)
    source = pool.submit(_in_thread, settings.STORE_TIMEZONE, bound) if bound else None
    today_key = local_date_key(run.started_at, ZoneInfo(settings.STORE_TIMEZONE))
    batch.tables["stg_dates"] = _calendar(batch, today_key)
    with wh.transaction():
        rows = _stage(wh, batch, reporter.step("stage", len(batch.tables)))
        _merge(wh, full, today_key, run.started_at, reporter.step("merge", 3))
    if full:  # autovacuum keeps them current after the smaller incremental changes
        wh.analyze([*DIMENSIONS, *FACTS])
    run.rows = rows
    run.orders_watermark = batch.orders_watermark
    run.customers_watermark = batch.customers_watermark
    return bound, source


def run_etl(*, full: bool = False, reporter: Reporter | None = None,
            overlap: timedelta = ex.DEFAULT_OVERLAP, now: datetime | None = None,
            warehouse_url: str | None = None) -> EtlRun:
    """One ETL run into ``settings.WAREHOUSE_URL``; ``full`` re-reads everything and rebuilds
    the order facts. The run is recorded in ``etl_runs`` with its reconciliation; a mismatch
    marks it failed (data stays loaded, the mismatching days and orders are on
    ``run.reconciliation``). Other errors are recorded and re-raised."""
    wh = connect(warehouse_url or settings.WAREHOUSE_URL)
    try:
        ensure_schema(wh)
        run = _start(wh, "full" if full else "incremental", now or _utcnow())
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reconcile") as pool:
            _run(wh, run, full, reporter or _Silent(), overlap, pool)
        return run
    finally:
        wh.close()


def _run(wh: Warehouse, run: EtlRun, full: bool, reporter: Reporter, overlap: timedelta,
         pool: ThreadPoolExecutor) -> None:
    try:
        bound, source = _load(wh, run, full, reporter, overlap, pool)
        advance = reporter.step("reconcile", 1)
        run.reconciliation = (reconcile(wh, settings.STORE_TIMEZONE, bound, source.result())
                              if bound and source else Reconciliation())
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
