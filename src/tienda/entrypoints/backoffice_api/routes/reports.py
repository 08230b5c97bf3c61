"""Reports over the warehouse (never the shop's database), each for a date range and the
previous period of equal length, and the ETL runs with their reconciliation."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from tienda.entrypoints.analytics import reports, reports_customers, reports_inventory
from tienda.entrypoints.analytics.etl import check, run_history
from tienda.entrypoints.analytics.warehouse import Warehouse, open_warehouse
from tienda.entrypoints.backoffice_api.auth import requires
from tienda.service_layer.backoffice.auth import StaffIdentity

router = APIRouter(tags=["reports"])
MAX_RANGE_DAYS = 3 * 366
Staff = Annotated[StaffIdentity, requires("reports:read")]


def date_range(request: Request,
               start: Annotated[date | None, Query(alias="from")] = None,
               end: Annotated[date | None, Query(alias="to")] = None) -> tuple[date, date]:
    """Defaults to the last 30 days up to today in the store's time zone."""
    zone = ZoneInfo(request.app.state.tienda.settings.store_timezone)
    end = end or datetime.now(zone).date()
    start = start or end - timedelta(days=29)
    if end < start:
        raise HTTPException(422, "`to` must not be before `from`")
    if start.year < 2000 or end.year > 2100:
        raise HTTPException(422, "reports cover dates from 2000 to 2100")
    if (end - start).days > MAX_RANGE_DAYS:
        raise HTTPException(422, f"a report covers at most {MAX_RANGE_DAYS} days")
    return start, end


Range = Annotated[tuple[date, date], Depends(date_range)]


@contextmanager
def _warehouse(request: Request) -> Iterator[Warehouse]:
    with _warehouse_errors(), open_warehouse(request.app.state.tienda.settings,
                                             read_only=True) as warehouse:
        yield warehouse


@contextmanager
def _warehouse_errors() -> Iterator[None]:
    try:
        yield
    except HTTPException:
        raise
    except Exception as exc:
        if "etl_runs" in str(exc) or "does not exist" in str(exc) or "lock" in str(exc).lower():
            raise HTTPException(503, "the warehouse is not ready (being refreshed, or never "
                                     "loaded: run `tienda etl run`); try again shortly") from exc
        raise


def _report(request: Request, report: Callable[..., Any], span: tuple[date, date],
            **options: Any) -> dict[str, Any]:
    if "currency" in inspect.signature(report).parameters:
        options["currency"] = request.app.state.tienda.settings.currency
    with _warehouse(request) as warehouse:
        try:
            return asdict(report(warehouse, *span, **options))
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc


@router.get("/api/reports/kpis")
def kpis(request: Request, span: Range, _staff: Staff) -> dict[str, Any]:
    return _report(request, reports.kpi_tiles, span)


@router.get("/api/reports/sales-over-time")
def sales_over_time(request: Request, span: Range, _staff: Staff,
                    grain: Literal["day", "week", "month"] = "day") -> dict[str, Any]:
    return _report(request, reports.sales_over_time, span, grain=grain)


@router.get("/api/reports/sales-by")
def sales_by(request: Request, span: Range, _staff: Staff,
             level: Literal["product", "variant", "category"] = "product") -> dict[str, Any]:
    return _report(request, reports.sales_by, span, level=level)


@router.get("/api/reports/new-vs-returning")
def new_vs_returning(request: Request, span: Range, _staff: Staff) -> dict[str, Any]:
    return _report(request, reports.new_vs_returning, span)


@router.get("/api/reports/cohorts")
def cohorts(request: Request, span: Range, _staff: Staff) -> dict[str, Any]:
    return _report(request, reports_customers.cohort_retention, span)


@router.get("/api/reports/rfm")
def rfm(request: Request, span: Range, _staff: Staff) -> dict[str, Any]:
    return _report(request, reports_customers.rfm_segments, span)


@router.get("/api/reports/abc")
def abc(request: Request, span: Range, _staff: Staff) -> dict[str, Any]:
    return _report(request, reports_inventory.abc_analysis, span)


@router.get("/api/reports/days-of-inventory")
def days_of_inventory(request: Request, span: Range, _staff: Staff) -> dict[str, Any]:
    return _report(request, reports_inventory.days_of_inventory, span)


@router.get("/api/reports/sell-through")
def sell_through(request: Request, span: Range, _staff: Staff) -> dict[str, Any]:
    return _report(request, reports_inventory.sell_through, span)


@router.get("/api/reports/stock-outs")
def stock_outs(request: Request, span: Range, _staff: Staff) -> dict[str, Any]:
    return _report(request, reports_inventory.stock_outs, span)


@router.get("/api/reports/reconciliation")
def reconciliation(request: Request, _staff: Staff) -> dict[str, Any]:
    """The latest ETL runs, and where the warehouse differs from the shop's database now."""
    settings = request.app.state.tienda.settings
    with _warehouse(request) as warehouse:
        result = check(settings, warehouse)
    with _warehouse_errors():
        runs = run_history(settings, limit=10, read_only=True)
    return {"status": "ok" if result.ok else "mismatch", "runs": runs,
            "days": [asdict(d) for d in result.days],
            "orders": [asdict(o) for o in result.orders[:200]],
            "days_checked": result.days_checked}
