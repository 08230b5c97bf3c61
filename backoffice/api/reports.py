"""Reports over the warehouse (never the shop's database), each for a date range compared with
the previous period of equal length, and the last ETL runs with their stored reconciliation
(never recomputed per request: that reads the whole history). 503 while the warehouse is not
loaded or is being refreshed."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from backoffice.api.base import StaffApi, query
from backoffice.api.serializers import Problem
from shop.core.errors import ShopError

MAX_RANGE_DAYS = 3 * 366
NOT_READY = ("the warehouse is not ready (being refreshed, or never loaded: run "
             "`manage.py etl_run`); try again shortly")
# URL name → (function in analytics.reports, extra query parameters)
REPORTS: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    "kpis": ("kpi_tiles", {}),
    "sales-over-time": ("sales_over_time", {"grain": ("day", "week", "month")}),
    "sales-by": ("sales_by", {"level": ("product", "variant", "category")}),
    "new-vs-returning": ("new_vs_returning", {}),
    "cohorts": ("cohort_retention", {}),
    "rfm": ("rfm_segments", {}),
    "abc": ("abc_analysis", {}),
    "days-of-inventory": ("days_of_inventory", {}),
    "sell-through": ("sell_through", {}),
    "stock-outs": ("stock_outs", {}),
}


class WarehouseUnavailable(Exception):
    def __init__(self, detail: str = NOT_READY) -> None:
        super().__init__(detail)
        self.detail = detail


def _range_query(name: str, choices: dict[str, tuple[str, ...]]) -> type[serializers.Serializer]:
    fields: dict[str, serializers.Field] = {
        "from": serializers.DateField(required=False),
        "to": serializers.DateField(required=False)}
    for option, values in choices.items():
        fields[option] = serializers.ChoiceField(choices=values, default=values[0])
    return type(f"{name.title().replace('-', '')}Query", (serializers.Serializer,), fields)


def date_range(start: date | None, end: date | None) -> tuple[date, date]:
    """Defaults to the last 30 days up to today in the store's time zone."""
    end = end or datetime.now(ZoneInfo(settings.STORE_TIMEZONE)).date()
    start = start or end - timedelta(days=29)
    if end < start:
        raise ShopError("`to` must not be before `from`")
    if start.year < 2000 or end.year > 2100:
        raise ShopError("reports cover dates from 2000 to 2100")
    if (end - start).days > MAX_RANGE_DAYS:
        raise ShopError(f"a report covers at most {MAX_RANGE_DAYS} days")
    return start, end


@contextmanager
def _warehouse() -> Iterator[Any]:
    """The warehouse, read-only; WarehouseUnavailable (503) while it is not loaded."""
    from analytics.reports import WarehouseNotReady, open_reports_warehouse
    from analytics.warehouse import WarehouseUrlError

    try:
        with open_reports_warehouse() as wh:
            yield wh
    except WarehouseNotReady as exc:
        raise WarehouseUnavailable from exc
    except WarehouseUrlError as exc:  # e.g. the PostgreSQL warehouse is unreachable
        raise WarehouseUnavailable(f"the warehouse cannot be opened: {exc}") from exc


def _call(function: Callable[..., Any], *span: date, **options: Any) -> Any:
    """Runs a report over the warehouse, passing the shop's currency when it takes one."""
    if "currency" in inspect.signature(function).parameters:
        options["currency"] = settings.SHOP_CURRENCY
    with _warehouse() as wh:
        try:
            result = function(wh, *span, **options)
        except ValueError as exc:
            raise ShopError(str(exc)) from exc
    return dataclasses.asdict(result) if dataclasses.is_dataclass(result) else result


class ReportApi(StaffApi):
    """One report; subclasses (below) name it."""

    permissions = {"GET": "reports:read"}
    tag = "reports"
    report = ""
    query_class: type[serializers.Serializer] = serializers.Serializer

    def get(self, request: Request) -> Response:
        params = query(self.query_class, request)
        span = date_range(params.pop("from", None), params.pop("to", None))
        from analytics import reports

        try:
            return Response(_call(getattr(reports, REPORTS[self.report][0]), *span, **params))
        except WarehouseUnavailable as exc:
            return Response({"detail": exc.detail}, status=status.HTTP_503_SERVICE_UNAVAILABLE)


def _report_view(name: str) -> type[ReportApi]:
    query_class = _range_query(name, REPORTS[name][1])

    # A function of its own per report: extend_schema annotates the function object.
    def get(self: ReportApi, request: Request) -> Response:
        return ReportApi.get(self, request)

    operation_id = "report_" + name.replace("-", "_")
    documented = extend_schema(parameters=[query_class], operation_id=operation_id,
                               responses={200: OpenApiTypes.OBJECT, 422: Problem,
                                          503: Problem})(get)
    return type(f"Report{query_class.__name__.removesuffix('Query')}Api", (ReportApi,),
                {"report": name, "query_class": query_class, "get": documented})


REPORT_VIEWS = {name: _report_view(name) for name in REPORTS}


class ReconciliationApi(StaffApi):
    """The latest ETL runs and the reconciliation the last run stored."""

    permissions = {"GET": "reports:read"}
    tag = "reports"

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 503: Problem})
    def get(self, request: Request) -> Response:
        from analytics.reports import last_reconciliation, run_history

        try:
            with _warehouse() as wh:
                stored, runs = last_reconciliation(wh) or {}, run_history(wh, limit=10)
        except WarehouseUnavailable as exc:
            return Response({"detail": exc.detail}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response({"status": stored.get("status", "unknown"), "runs": runs,
                         "days": stored.get("days", []), "orders": stored.get("orders", []),
                         "days_checked": stored.get("days_checked", 0)})
