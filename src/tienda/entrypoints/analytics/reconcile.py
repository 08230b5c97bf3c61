"""Reconciliation: orders, units and net sales per store-local day, channel and currency, in
the transactional database and in the warehouse, to the cent.

The source is aggregated per UTC hour in SQL, then hours are mapped to local days (zone
offsets are whole hours, checked below), so only a few thousand rows leave the database."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from sqlalchemy import Connection

from tienda.entrypoints.analytics.merge_facts import order_net
from tienda.entrypoints.analytics.timekeys import key_date, local_date_keys, utc_range_of_local_day
from tienda.entrypoints.analytics.warehouse import Warehouse

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


def _source_div(numerator: str, denominator: str) -> str:
    # Integer division truncates on both SQLite and PostgreSQL for integer operands.
    return f"(({numerator}) / ({denominator}))"


def _hour(conn: Connection, column: str) -> str:
    if conn.dialect.name == "sqlite":
        return f"substr({column}, 1, 13)"
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"


# Line sums per order; PostgreSQL sums integers into NUMERIC, so they are cast back for "/"
# to stay integer division.
_LINES = """(SELECT l.order_id, CAST(SUM(l.quantity) AS BIGINT) AS units,
    CAST(SUM(l.unit_price_minor * l.quantity) AS BIGINT) AS gross,
    CAST(SUM(l.discount_minor) AS BIGINT) AS ld, CAST(SUM(l.tax_minor) AS BIGINT) AS lt
  FROM {source} GROUP BY l.order_id)"""


def _lines_of(conn: Connection, orders: str | None) -> str:
    """Line sums of the orders matching ``orders`` (a condition on ``o``), or of all. SQLite
    would rather walk every line in order_id order; CROSS JOIN makes it start from the
    (indexed) orders."""
    if orders is None:  # all lines: a plain scan beats SQLite's walk of the order_id index
        scan = " NOT INDEXED" if conn.dialect.name == "sqlite" else ""
        return _LINES.format(source=f"order_lines l{scan}")
    join = "CROSS JOIN" if conn.dialect.name == "sqlite" else "JOIN"
    return _LINES.format(source=f"orders o {join} order_lines l ON l.order_id = o.id "
                                f"WHERE {orders}")
_NET = order_net(_source_div, "l.gross", "l.ld", "l.lt", "o.discount_minor", "o.tax_minor",
                 "o.shipping_minor")
_RETURNED = "o.status IN ('cancelled', 'refunded')"


def _source_sql(conn: Connection, by: str, since: bool) -> list[str]:
    """Sales on the day placed, returns on the day cancelled or refunded, per UTC hour."""
    placed = "o.placed_at >= :since" if since else "1 = 1"
    returned = f"{_RETURNED} AND o.updated_at >= :since" if since else _RETURNED
    sold_lines = _lines_of(conn, placed if since else None)
    back_lines = _lines_of(conn, returned)
    hour = _hour(conn, "o.placed_at")
    back_hour = _hour(conn, "COALESCE(e.created_at, o.updated_at)")
    return [
        f"SELECT {hour}, o.channel, o.currency, {by}, COUNT(*), SUM(COALESCE(l.units, 0)), "
        f"SUM(CASE WHEN l.order_id IS NULL THEN 0 ELSE {_NET} END) "
        f"FROM orders o LEFT JOIN {sold_lines} l ON l.order_id = o.id WHERE {placed} "
        f"GROUP BY {hour}, o.channel, o.currency, {by}",
        f"SELECT {back_hour}, o.channel, o.currency, {by}, 0, -SUM(l.units), -SUM({_NET}) "
        f"FROM orders o JOIN {back_lines} l ON l.order_id = o.id LEFT JOIN ("
        f"SELECT order_id, status_to, MIN(created_at) AS created_at FROM order_events "
        f"WHERE status_to IN ('cancelled', 'refunded') AND order_id IN "
        f"(SELECT id FROM orders o WHERE {returned}) GROUP BY order_id, status_to) e "
        f"ON e.order_id = o.id AND e.status_to = o.status WHERE {returned} "
        f"GROUP BY {back_hour}, o.channel, o.currency, {by}",
    ]


def _since_param(conn: Connection, since_day: int | None, timezone: str) -> dict[str, Any]:
    if since_day is None:
        return {}
    start = utc_range_of_local_day(key_date(since_day), timezone)[0]
    if conn.dialect.name == "sqlite":
        return {"since": start.strftime("%Y-%m-%d %H:%M:%S")}
    return {"since": start.replace(tzinfo=UTC)}


def _check_whole_hour_zone(timezone: str) -> None:
    zone = ZoneInfo(timezone)
    for month in range(1, 13):
        offset = datetime(2024, month, 1, tzinfo=zone).utcoffset() or timedelta()
        if offset.total_seconds() % 3600:
            raise ValueError(f"store timezone {timezone} has a non-whole-hour UTC offset")


def _hour_rows(conn: Connection, timezone: str, by: str,
               since_day: int | None) -> list[tuple[Any, ...]]:
    """(date_key, channel, currency, by, orders, units, net) from the source, for days from
    ``since_day`` on (all when None)."""
    _check_whole_hour_zone(timezone)
    bound = _since_param(conn, since_day, timezone)
    rows = [tuple(r) for sql in _source_sql(conn, by, since_day is not None)
            for r in conn.execute(sa.text(sql), bound).all()]
    if not rows:
        return []
    hours = pc.strptime(pa.array([r[0] for r in rows]), format="%Y-%m-%d %H", unit="us")
    keys = local_date_keys(hours, timezone).to_pylist()
    return [(k, *r[1:]) for k, r in zip(keys, rows, strict=True)
            if since_day is None or k >= since_day]


def source_days(conn: Connection, timezone: str,
                since_day: int | None = None) -> dict[Key, Figures]:
    totals: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    for date_key, channel, currency, _, orders, units, net in _hour_rows(conn, timezone, "1",
                                                                         since_day):
        figures = totals[(date_key, channel, currency)]
        figures[0] += int(orders)
        figures[1] += int(units or 0)
        figures[2] += int(net or 0)
    return {k: (v[0], v[1], v[2]) for k, v in totals.items() if any(v)}


_WAREHOUSE_DAYS = """
SELECT date_key, channel, currency, SUM(orders), SUM(units), SUM(net) FROM (
  SELECT o.placed_date_key AS date_key, c.channel, o.currency, COUNT(*) AS orders,
    0 AS units, 0 AS net
  FROM fact_order o JOIN dim_channel c ON c.channel_key = o.channel_key
  GROUP BY o.placed_date_key, c.channel, o.currency
  UNION ALL
  SELECT f.date_key, c.channel, f.currency, 0, SUM(f.quantity),
    CAST(SUM(f.net_amount) * 100 AS BIGINT)
  FROM fact_sales_line f JOIN dim_channel c ON c.channel_key = f.channel_key
  GROUP BY f.date_key, c.channel, f.currency
  UNION ALL
  SELECT f.date_key, c.channel, f.currency, 0, SUM(f.quantity),
    CAST(SUM(f.net_amount) * 100 AS BIGINT)
  FROM fact_return_line f JOIN dim_channel c ON c.channel_key = f.channel_key
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


def _source_orders(conn: Connection, timezone: str, days: set[int]) -> dict[tuple[str, int],
                                                                             Figures]:
    totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for date_key, _, _, order_id, orders, units, net in _hour_rows(conn, timezone, "o.id",
                                                                   min(days)):
        if date_key in days:
            figures = totals[(order_id, date_key)]
            figures[0] += int(orders)
            figures[1] += int(units or 0)
            figures[2] += int(net or 0)
    return {k: (v[0], v[1], v[2]) for k, v in totals.items()}


_WAREHOUSE_ORDERS = """
SELECT order_id, date_key, SUM(orders), SUM(units), SUM(net) FROM (
  SELECT order_id, placed_date_key AS date_key, 1 AS orders, 0 AS units, 0 AS net
  FROM fact_order
  UNION ALL SELECT order_id, date_key, 0, quantity, CAST(net_amount * 100 AS BIGINT)
  FROM fact_sales_line
  UNION ALL SELECT order_id, date_key, 0, quantity, CAST(net_amount * 100 AS BIGINT)
  FROM fact_return_line) x
WHERE date_key IN ({days}) GROUP BY order_id, date_key"""


def compare_orders(conn: Connection, wh: Warehouse, timezone: str,
                   days: set[int]) -> list[OrderMismatch]:
    """The orders whose contribution to one of ``days`` differs between the two sides."""
    if not days:
        return []
    source = _source_orders(conn, timezone, days)
    sql = _WAREHOUSE_ORDERS.format(days=", ".join(str(d) for d in sorted(days)))
    warehouse = {(o, int(d)): (int(a), int(b), int(c)) for o, d, a, b, c in wh.rows(sql)}
    zero = (0, 0, 0)
    return [OrderMismatch(key[0], key[1], _as_dict(source.get(key, zero)),
                          _as_dict(warehouse.get(key, zero)))
            for key in sorted(source.keys() | warehouse.keys(), key=lambda k: (k[1], k[0]))
            if source.get(key, zero) != warehouse.get(key, zero)]


def reconcile(conn: Connection, wh: Warehouse, timezone: str, since_day: int | None = None,
              source: dict[Key, Figures] | None = None) -> Reconciliation:
    """Compare the days from ``since_day`` (store-local yyyymmdd) on, or all days. ``source``
    is the source side when it was computed already (``source_days``, the same days)."""
    if source is None:
        source = source_days(conn, timezone, since_day)
    days = compare_days(source, warehouse_days(wh, since_day))
    result = Reconciliation(days=days, days_checked=len({k[0] for k in source}))
    if days:
        result.orders = compare_orders(conn, wh, timezone, {d.date_key for d in days})
    return result
