"""Sales reports over the warehouse only. Every report takes an inclusive store-local date
range and returns it together with the previous period of equal length (``Comparison``).

Values are JSON-friendly: money is a decimal string with two places ("1234.50") in the
report's currency (one currency per call; summing across currencies means nothing), counts are
ints, ratios are floats rounded to 4 places. Net sales exclude VAT and are after discounts and
returns (docs/analytics.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from analytics.timekeys import date_key
from analytics.warehouse import Warehouse

Grain = Literal["day", "week", "month"]
Level = Literal["product", "variant", "category"]


@dataclass(frozen=True, slots=True)
class Comparison:
    start: str
    end: str
    previous_start: str
    previous_end: str
    current: Any
    previous: Any


def previous_period(start: date, end: date) -> tuple[date, date]:
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def compare(report: Callable[..., Any], wh: Warehouse, start: date, end: date,
            **options: Any) -> Comparison:
    if end < start:
        raise ValueError("the range ends before it starts")
    before_start, before_end = previous_period(start, end)
    return Comparison(start.isoformat(), end.isoformat(), before_start.isoformat(),
                      before_end.isoformat(), report(wh, start, end, **options),
                      report(wh, before_start, before_end, **options))


def money(value: Decimal | int | None) -> str:
    return f"{Decimal(value or 0):.2f}"


def ratio(numerator: Any, denominator: Any) -> float | None:
    return round(float(numerator) / float(denominator), 4) if denominator else None


def params(start: date, end: date, currency: str, **extra: Any) -> dict[str, Any]:
    return {"start": date_key(start), "end": date_key(end), "currency": currency, **extra}


# Sales and returns as one stream of lines, each on the day it counts.
LINES = """(
  SELECT date_key, product_key, customer_id, quantity, gross_amount, discount_amount,
    net_amount, tax_amount, shipping_amount, cost_amount, 0 AS returned
  FROM fact_sales_line WHERE date_key BETWEEN :start AND :end AND currency = :currency
  UNION ALL
  SELECT date_key, product_key, customer_id, quantity, gross_amount, discount_amount,
    net_amount, tax_amount, shipping_amount, cost_amount, 1 AS returned
  FROM fact_return_line WHERE date_key BETWEEN :start AND :end AND currency = :currency)"""


def _kpis(wh: Warehouse, start: date, end: date, *, currency: str) -> dict[str, Any]:
    p = params(start, end, currency)
    net, units = wh.rows(f"SELECT SUM(net_amount), SUM(quantity) FROM {LINES} x", p)[0]
    orders, totals = wh.rows(
        "SELECT COUNT(*), SUM(total_amount) FROM fact_order WHERE placed_date_key "
        "BETWEEN :start AND :end AND currency = :currency AND status <> 'cancelled'", p)[0]
    aov = Decimal(totals) / orders if orders else Decimal(0)
    return {"net_sales": money(net), "orders": int(orders), "units": int(units or 0),
            "average_order_value": money(aov.quantize(Decimal("0.01")))}


def kpi_tiles(wh: Warehouse, start: date, end: date, *, currency: str = "EUR") -> Comparison:
    """Net sales and units (sales minus returns on their days); orders placed (not cancelled)
    and their average value (``fact_order.total_amount``, VAT and shipping included)."""
    return compare(_kpis, wh, start, end, currency=currency)


_BUCKET = {"day": "d.date_key", "week": "d.week_start_key", "month": "d.month_start_key"}


def _over_time(wh: Warehouse, start: date, end: date, *, currency: str,
               grain: Grain) -> list[dict[str, Any]]:
    bucket = _BUCKET[grain]
    rows = wh.rows(
        f"SELECT {bucket} AS bucket, "
        "SUM(CASE WHEN returned = 0 THEN gross_amount ELSE 0 END), "
        "SUM(CASE WHEN returned = 0 THEN discount_amount ELSE 0 END), "
        "-SUM(CASE WHEN returned = 1 THEN net_amount ELSE 0 END), SUM(net_amount), "
        "SUM(shipping_amount), SUM(tax_amount) "
        f"FROM {LINES} x JOIN dim_date d ON d.date_key = x.date_key "
        f"GROUP BY {bucket} ORDER BY {bucket}", params(start, end, currency))
    names = ("gross", "discounts", "returns", "net", "shipping", "tax")
    return [{"period": _iso(r[0]), **{n: money(v) for n, v in zip(names, r[1:], strict=True)}}
            for r in rows]


def _iso(key: int) -> str:
    return f"{key // 10000:04d}-{key // 100 % 100:02d}-{key % 100:02d}"


def sales_over_time(wh: Warehouse, start: date, end: date, *, grain: Grain = "day",
                    currency: str = "EUR") -> Comparison:
    """Per day, week (starting Monday) or month: gross and discounts of sales, returns (net
    returned, positive), net (after returns), shipping and tax (both after returns)."""
    if grain not in _BUCKET:
        raise ValueError(f"unknown grain {grain!r}")
    return compare(_over_time, wh, start, end, currency=currency, grain=grain)


_LEVEL = {
    "variant": ("p.variant_id", "MIN(p.sku)"),
    "product": ("p.product_id", "MIN(p.product_name)"),
    "category": ("p.category_id", "MIN(p.category_path)"),
}


def _by_level(wh: Warehouse, start: date, end: date, *, currency: str, level: Level,
              limit: int) -> list[dict[str, Any]]:
    key, name = _LEVEL[level]
    rows = wh.rows(
        f"SELECT {key}, {name}, SUM(x.quantity), SUM(x.net_amount), SUM(x.cost_amount) "
        f"FROM {LINES} x JOIN dim_product p ON p.product_key = x.product_key "
        f"GROUP BY {key} ORDER BY SUM(x.net_amount) DESC, {key} LIMIT :limit",
        params(start, end, currency, limit=limit))
    return [{"id": int(k), "name": n, "units": int(u), "net_sales": money(net),
             "cost": money(cost), "margin": money(net - cost),
             "margin_rate": ratio(net - cost, net)}
            for k, n, u, net, cost in rows]


def sales_by(wh: Warehouse, start: date, end: date, *, level: Level = "product",
             currency: str = "EUR", limit: int = 50) -> Comparison:
    """Units, net sales, cost and margin (net - cost, both excluding VAT) per variant,
    product or category, as classified at the time of sale; best sellers first."""
    if level not in _LEVEL:
        raise ValueError(f"unknown level {level!r}")
    return compare(_by_level, wh, start, end, currency=currency, level=level, limit=limit)


def _new_returning(wh: Warehouse, start: date, end: date, *,
                   currency: str) -> dict[str, dict[str, Any]]:
    rows = wh.rows(
        "SELECT CASE WHEN o.customer_id IS NULL THEN 'guest' "
        "WHEN f.first_key >= :start THEN 'new' ELSE 'returning' END AS kind, "
        "COUNT(DISTINCT o.customer_id), COUNT(*), SUM(o.net_amount) FROM fact_order o "
        "LEFT JOIN (SELECT customer_id, placed_date_key AS first_key FROM fact_order "
        "WHERE is_first_order) f ON f.customer_id = o.customer_id "
        "WHERE o.placed_date_key BETWEEN :start AND :end AND o.currency = :currency "
        "AND o.status <> 'cancelled' GROUP BY 1", params(start, end, currency))
    found = {kind: {"customers": int(c), "orders": int(o), "net_sales": money(n)}
             for kind, c, o, n in rows}
    empty = {"customers": 0, "orders": 0, "net_sales": money(0)}
    return {kind: found.get(kind, empty) for kind in ("new", "returning", "guest")}


def new_vs_returning(wh: Warehouse, start: date, end: date, *,
                     currency: str = "EUR") -> Comparison:
    """Orders placed in the range (not cancelled) by customers whose first order ever (on the
    whole history) falls in the range ("new"), before it ("returning"), or by guests.
    ``net_sales`` is the order's net at sale time (returns not deducted)."""
    return compare(_new_returning, wh, start, end, currency=currency)
