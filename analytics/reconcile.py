"""Reconciliation: orders, units and net sales per store-local day, channel and currency, in
the transactional database and in the warehouse, to the cent.

Bounded by what the run loaded: orders changed in the source after the run's watermark (new
orders placed meanwhile, or changes the next run will load) are left out on both sides, so
they are not reported as differences.

The source is aggregated per UTC hour in SQL, then hours are mapped to local days (zone
offsets are whole hours, checked below), so only a few thousand rows leave the database."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection

from analytics import source as src
from analytics.merge_facts import order_net
from analytics.timekeys import key_date, local_date_keys, utc_range_of_local_day
from analytics.warehouse import Warehouse
from shop.orders.models import Order

Key = tuple[int, str, str]  # (date_key, channel, currency)
Figures = tuple[int, int, int]  # (orders, units, net cents)


@dataclass(frozen=True, slots=True)
class DayMismatch:
    date_key: int
    channel: str
    currency: str
    source: dict[str, int]  # orders, units, net_minor
    warehouse: dict[str, int]


@dataclass(frozen=True, slots=True)
class OrderMismatch:
    order_id: str
    date_key: int
    source: dict[str, int]
    warehouse: dict[str, int]


@dataclass(slots=True)
class Reconciliation:
    days: list[DayMismatch] = field(default_factory=list)
    orders: list[OrderMismatch] = field(default_factory=list)
    days_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.days

    def as_dict(self, max_orders: int = 200) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "mismatch", "days_checked": self.days_checked,
                "days": [asdict(d) for d in self.days],
                "orders": [asdict(o) for o in self.orders[:max_orders]]}


@dataclass(frozen=True, slots=True)
class Bound:
    """What one reconciliation covers: store-local days from ``since_day`` on (None: all),
    orders last changed at or before ``until`` (naive UTC)."""

    since_day: int | None
    until: datetime


@dataclass(slots=True)
class SourceSide:
    days: dict[Key, Figures]
    unloaded: list[str]  # orders changed after the bound: left out of the warehouse side too


def _source_div(numerator: str, denominator: str) -> str:
    # Integer division truncates on SQLite, PostgreSQL and SQL Server for integer operands.
    return f"(({numerator}) / ({denominator}))"


# Line sums per order; PostgreSQL sums integers into NUMERIC, so they are cast back for "/"
# to stay integer division.
_LINES = """(SELECT l.order_id, CAST(SUM(l.quantity) AS BIGINT) AS units,
    CAST(SUM(l.unit_price_minor * l.quantity) AS BIGINT) AS gross,
    CAST(SUM(l.discount_minor) AS BIGINT) AS ld, CAST(SUM(l.tax_minor) AS BIGINT) AS lt
  FROM {source} GROUP BY l.order_id)"""


def _lines_of(orders: str | None) -> str:
    """Line sums of the orders matching ``orders`` (a condition on ``o``), or of all. SQLite
    would rather walk every line in order_id order: NOT INDEXED makes it scan, CROSS JOIN
    makes it start from the (indexed) orders. The other vendors plan this well unaided."""
    sqlite = src.vendor() == "sqlite"
    if orders is None:
        return _LINES.format(source="order_lines l" + (" NOT INDEXED" if sqlite else ""))
    join = "CROSS JOIN" if sqlite else "JOIN"
    return _LINES.format(source=f"orders o {join} order_lines l ON l.order_id = o.id "
                                f"WHERE {orders}")


_NET = order_net(_source_div, "l.gross", "l.ld", "l.lt", "o.discount_minor", "o.tax_minor",
                 "o.shipping_minor")
_RETURNED = "o.status IN ('cancelled', 'refunded')"


def _source_sql(by: str, since: bool) -> list[str]:
    """Sales on the day placed, returns on the day cancelled or refunded, per UTC hour."""
    loaded = "o.updated_at <= :until"
    placed = f"o.placed_at >= :since AND {loaded}" if since else loaded
    returned = f"{_RETURNED} AND o.updated_at >= :since" if since else _RETURNED
    returned = f"{returned} AND {loaded}"
    sold_lines = _lines_of(placed if since else None)
    hour = src.utc_hour("o.placed_at")
    back_hour = src.utc_hour("COALESCE(e.created_at, o.updated_at)")
    return [
        f"SELECT {hour}, o.channel, o.currency, {by}, COUNT(*), SUM(COALESCE(l.units, 0)), "
        f"SUM(CASE WHEN l.order_id IS NULL THEN 0 ELSE {_NET} END) "
        f"FROM orders o LEFT JOIN {sold_lines} l ON l.order_id = o.id WHERE {placed} "
        f"GROUP BY {hour}, o.channel, o.currency, {by}",
        f"SELECT {back_hour}, o.channel, o.currency, {by}, 0, -SUM(l.units), -SUM({_NET}) "
        f"FROM orders o JOIN {_lines_of(returned)} l ON l.order_id = o.id LEFT JOIN ("
        f"SELECT order_id, status_to, MIN(created_at) AS created_at FROM order_events "
        f"WHERE status_to IN ('cancelled', 'refunded') AND order_id IN "
        f"(SELECT id FROM orders o WHERE {returned}) GROUP BY order_id, status_to) e "
        f"ON e.order_id = o.id AND e.status_to = o.status WHERE {returned} "
        f"GROUP BY {back_hour}, o.channel, o.currency, {by}",
    ]


def _check_whole_hour_zone(timezone: str) -> None:
    zone = ZoneInfo(timezone)
    for month in range(1, 13):
        offset = datetime(2024, month, 1, tzinfo=zone).utcoffset() or timedelta()
        if offset.total_seconds() % 3600:
            raise ValueError(f"store timezone {timezone} has a non-whole-hour UTC offset")


def _values(bound: Bound, timezone: str) -> dict[str, Any]:
    values = {"until": src.timestamp_param(bound.until)}
    if bound.since_day is not None:
        start = utc_range_of_local_day(key_date(bound.since_day), timezone)[0]
        values["since"] = src.timestamp_param(start)
    return values


def _hour_rows(timezone: str, by: str, bound: Bound) -> list[tuple[Any, ...]]:
    """(date_key, channel, currency, by, orders, units, net) from the source, for the days
    and orders of ``bound``."""
    _check_whole_hour_zone(timezone)
    values = _values(bound, timezone)
    rows = []
    with connection.cursor() as cursor:
        for sql in _source_sql(by, bound.since_day is not None):
            cursor.execute(*src.bind(sql, values))
            rows += [tuple(r) for r in cursor.fetchall()]
    if not rows:
        return []
    hours = pc.strptime(pa.array([r[0] for r in rows]), format="%Y-%m-%d %H", unit="us")
    keys = local_date_keys(hours, timezone).to_pylist()
    return [(k, *r[1:]) for k, r in zip(keys, rows, strict=True)
            if bound.since_day is None or k >= bound.since_day]


def source_side(timezone: str, bound: Bound) -> SourceSide:
    """The source's figures per day, and the orders it left out, in one snapshot."""
    with src.snapshot():
        totals: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
        for date_key, channel, currency, _, orders, units, net in _hour_rows(timezone, "1",
                                                                             bound):
            figures = totals[(date_key, channel, currency)]
            figures[0] += int(orders)
            figures[1] += int(units or 0)
            figures[2] += int(net or 0)
        unloaded = Order.objects.filter(updated_at__gt=bound.until.replace(tzinfo=UTC))
        ids = [str(i) for i in unloaded.order_by().values_list("id", flat=True)]
    return SourceSide({k: (v[0], v[1], v[2]) for k, v in totals.items() if any(v)}, ids)


_NOT_UNLOADED = "order_id NOT IN (SELECT order_id FROM stg_unloaded)"
_WAREHOUSE_DAYS = f"""
SELECT date_key, channel, currency, SUM(orders), SUM(units), SUM(net) FROM (
  SELECT o.placed_date_key AS date_key, c.channel, o.currency, COUNT(*) AS orders,
    0 AS units, 0 AS net
  FROM fact_order o JOIN dim_channel c ON c.channel_key = o.channel_key
  WHERE o.{_NOT_UNLOADED}
  GROUP BY o.placed_date_key, c.channel, o.currency
  UNION ALL
  SELECT f.date_key, c.channel, f.currency, 0, SUM(f.quantity),
    CAST(SUM(f.net_amount) * 100 AS BIGINT)
  FROM fact_sales_line f JOIN dim_channel c ON c.channel_key = f.channel_key
  WHERE f.{_NOT_UNLOADED}
  GROUP BY f.date_key, c.channel, f.currency
  UNION ALL
  SELECT f.date_key, c.channel, f.currency, 0, SUM(f.quantity),
    CAST(SUM(f.net_amount) * 100 AS BIGINT)
  FROM fact_return_line f JOIN dim_channel c ON c.channel_key = f.channel_key
  WHERE f.{_NOT_UNLOADED}
  GROUP BY f.date_key, c.channel, f.currency) x
WHERE date_key >= :since GROUP BY date_key, channel, currency"""


def warehouse_days(wh: Warehouse, since_day: int | None = None) -> dict[Key, Figures]:
    rows = wh.rows(_WAREHOUSE_DAYS, {"since": since_day or 0})
    return {(int(d), ch, cur): (int(o), int(u), int(n))
            for d, ch, cur, o, u, n in rows if (o, u, n) != (0, 0, 0)}


def _as_dict(figures: Figures) -> dict[str, int]:
    return dict(zip(("orders", "units", "net_minor"), figures, strict=True))


def compare_days(source: dict[Key, Figures], warehouse: dict[Key, Figures]) -> list[DayMismatch]:
    zero = (0, 0, 0)
    return [DayMismatch(key[0], key[1], key[2], _as_dict(source.get(key, zero)),
                        _as_dict(warehouse.get(key, zero)))
            for key in sorted(source.keys() | warehouse.keys())
            if source.get(key, zero) != warehouse.get(key, zero)]


def _source_orders(timezone: str, days: set[int],
                   until: datetime) -> dict[tuple[str, int], Figures]:
    totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    by = src.uuid_text("o.id")
    for date_key, _, _, order_id, orders, units, net in _hour_rows(
            timezone, by, Bound(min(days), until)):
        if date_key in days:
            figures = totals[(_canonical(order_id), date_key)]
            figures[0] += int(orders)
            figures[1] += int(units or 0)
            figures[2] += int(net or 0)
    return {k: (v[0], v[1], v[2]) for k, v in totals.items()}


def _canonical(order_id: Any) -> str:
    return str(src.canonical_uuids(pa.array([str(order_id)]))[0])


_WAREHOUSE_ORDERS = f"""
SELECT order_id, date_key, SUM(orders), SUM(units), SUM(net) FROM (
  SELECT order_id, placed_date_key AS date_key, 1 AS orders, 0 AS units, 0 AS net
  FROM fact_order
  UNION ALL SELECT order_id, date_key, 0, quantity, CAST(net_amount * 100 AS BIGINT)
  FROM fact_sales_line
  UNION ALL SELECT order_id, date_key, 0, quantity, CAST(net_amount * 100 AS BIGINT)
  FROM fact_return_line) x
WHERE date_key IN ({{days}}) AND {_NOT_UNLOADED} GROUP BY order_id, date_key"""


def compare_orders(wh: Warehouse, timezone: str, days: set[int],
                   until: datetime) -> list[OrderMismatch]:
    """The orders whose contribution to one of ``days`` differs between the two sides."""
    if not days:
        return []
    with src.snapshot():
        source = _source_orders(timezone, days, until)
    sql = _WAREHOUSE_ORDERS.format(days=", ".join(str(int(d)) for d in sorted(days)))
    warehouse = {(o, int(d)): (int(a), int(b), int(c)) for o, d, a, b, c in wh.rows(sql)}
    zero = (0, 0, 0)
    return [OrderMismatch(key[0], key[1], _as_dict(source.get(key, zero)),
                          _as_dict(warehouse.get(key, zero)))
            for key in sorted(source.keys() | warehouse.keys(), key=lambda k: (k[1], k[0]))
            if source.get(key, zero) != warehouse.get(key, zero)]


def reconcile(wh: Warehouse, timezone: str, bound: Bound,
              source: SourceSide | None = None) -> Reconciliation:
    """Compare the days and orders of ``bound``. ``source`` is the source side when it was
    computed already (``source_side``, the same bound)."""
    source = source or source_side(timezone, bound)
    wh.clear("stg_unloaded")
    wh.load("stg_unloaded", pa.table({"order_id": pa.array(source.unloaded, pa.string())}))
    days = compare_days(source.days, warehouse_days(wh, bound.since_day))
    result = Reconciliation(days=days, days_checked=len({k[0] for k in source.days}))
    if days:
        result.orders = compare_orders(wh, timezone, {d.date_key for d in days}, bound.until)
    return result
