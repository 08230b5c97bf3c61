"""The reports the backoffice shows, read from the warehouse only (never the shop's database).

Open the warehouse with ``open_reports_warehouse()`` (read-only; raises ``WarehouseNotReady``
when it was never loaded or is being refreshed: the API answers 503), then call the reports
with it. Each report takes an inclusive store-local date range and returns a ``Comparison``
(the range and the previous period of equal length); money is a "1234.50" string.

    with open_reports_warehouse() as wh:
        tiles = kpi_tiles(wh, start, end, currency=settings.SHOP_CURRENCY)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings

from analytics.reports_customers import SEGMENTS, cohort_retention, rfm_segments
from analytics.reports_inventory import abc_analysis, days_of_inventory, sell_through, stock_outs
from analytics.reports_sales import (
    Comparison,
    kpi_tiles,
    new_vs_returning,
    previous_period,
    sales_by,
    sales_over_time,
)
from analytics.warehouse import Warehouse, WarehouseNotReady, connect

__all__ = [
    "SEGMENTS", "Comparison", "WarehouseNotReady", "abc_analysis", "cohort_retention",
    "days_of_inventory", "kpi_tiles", "last_reconciliation", "new_vs_returning",
    "open_reports_warehouse", "previous_period", "rfm_segments", "run_history", "sales_by",
    "sales_over_time", "sell_through", "stock_outs",
]

REPORTS = (kpi_tiles, sales_over_time, sales_by, new_vs_returning, cohort_retention,
           rfm_segments, abc_analysis, days_of_inventory, sell_through, stock_outs)


@contextmanager
def open_reports_warehouse(url: str | None = None) -> Iterator[Warehouse]:
    """The warehouse, read-only (DuckDB: no lock held against the ETL's writer beyond the
    read). ``WarehouseNotReady`` until a first ETL run has committed."""
    wh = connect(url or settings.WAREHOUSE_URL, read_only=True)
    try:
        if "etl_runs" not in wh.table_names():
            raise WarehouseNotReady("the warehouse has never been loaded")
        yield wh
    finally:
        wh.close()


def run_history(wh: Warehouse, limit: int = 20) -> list[dict[str, Any]]:
    """The latest runs, newest first, JSON-friendly."""
    rows = wh.dicts("SELECT run_id, mode, status, started_at, finished_at, rows_loaded, "
                    "orders_watermark_at, orders_watermark_id, error FROM etl_runs "
                    "ORDER BY run_id DESC LIMIT :limit", {"limit": limit})
    for row in rows:
        row["rows_loaded"] = json.loads(row["rows_loaded"]) if row["rows_loaded"] else {}
        for name in ("started_at", "finished_at", "orders_watermark_at"):
            row[name] = row[name].isoformat() + "Z" if row[name] else None
    return rows


def last_reconciliation(wh: Warehouse) -> dict[str, Any] | None:
    """The reconciliation stored by the latest run that got as far as reconciling:
    ``{"run_id", "finished_at", "status": "ok" | "mismatch", "days_checked", "days",
    "orders"}``; None before any. A run reconciles the days it loaded, up to its watermark."""
    found = wh.rows("SELECT run_id, finished_at, reconciliation FROM etl_runs "
                    "WHERE reconciliation IS NOT NULL ORDER BY run_id DESC LIMIT 1")
    if not found:
        return None
    run_id, finished_at, stored = found[0]
    return {"run_id": int(run_id), "finished_at": finished_at.isoformat() + "Z",
            **json.loads(stored)}
