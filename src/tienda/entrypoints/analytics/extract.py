"""Extraction from the transactional database into Arrow tables, by watermark.

Orders and customers are read incrementally: every row with ``updated_at`` at or after the last
watermark minus an overlap window. ``updated_at >`` alone loses rows: SQLite stores seconds, so
later rows can share the watermark's timestamp, and PostgreSQL's ``now()`` is the start of the
writing transaction, so a row can commit after the watermark with an earlier timestamp. Reading
the overlap again is harmless because every merge is keyed on natural ids. The catalog, the
warehouses and the stock levels are small and read whole on every run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from sqlalchemy import Connection

from tienda.adapters.db import tables as t
from tienda.entrypoints.analytics.timekeys import local_date_keys

DEFAULT_OVERLAP = timedelta(minutes=10)
_TS = pa.timestamp("us")


@dataclass(frozen=True, slots=True)
class Watermark:
    """The greatest (updated_at, id) read so far; ``at`` is naive UTC."""

    at: datetime
    id: str


def _timestamps(values: Sequence[Any]) -> pa.Array:
    """Naive-UTC timestamps from datetimes (PostgreSQL) or SQLite's text."""
    if any(isinstance(v, str) for v in values):
        try:
            return pa.array(values, pa.string()).cast(_TS)
        except pa.ArrowInvalid:  # text with an offset, written by another client
            values = [None if v is None else datetime.fromisoformat(v) for v in values]
    return pa.array(values, pa.timestamp("us", tz="UTC")).cast(_TS)


def arrow_table(rows: Sequence[Sequence[Any]], schema: dict[str, pa.DataType]) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    return pa.table({name: _timestamps(values) if kind == _TS else pa.array(values, kind)
                     for (name, kind), values in zip(schema.items(), columns, strict=True)})


def window_start(watermark: Watermark | None, overlap: timedelta) -> datetime | None:
    return None if watermark is None else watermark.at - overlap


def _changed_orders(since: datetime | None) -> sa.Select[Any]:
    query = sa.select(t.orders.c.id)
    return query if since is None else query.where(t.orders.c.updated_at >= since)


def _raw_time(conn: Connection, column: Any, name: str) -> Any:
    """SQLite's timestamps as stored text, parsed by Arrow in bulk rather than row by row."""
    if conn.dialect.name == "sqlite":
        return sa.type_coerce(column, sa.String).label(name)
    return column.label(name)


MILESTONES = ("confirmed", "shipped", "delivered", "cancelled", "refunded")

_ORDER_SCHEMA = {
    "order_id": pa.string(), "order_number": pa.string(), "customer_id": pa.int64(),
    "status": pa.string(), "channel": pa.string(), "currency": pa.string(),
    "subtotal_minor": pa.int64(), "discount_minor": pa.int64(), "shipping_minor": pa.int64(),
    "tax_minor": pa.int64(), "total_minor": pa.int64(), "placed_at": _TS, "updated_at": _TS,
}
_MILESTONE_SCHEMA = {"order_id": pa.string(), **{f"{m}_at": _TS for m in MILESTONES}}
_LINE_SCHEMA = {
    "order_line_id": pa.int64(), "order_id": pa.string(), "variant_id": pa.int64(),
    "warehouse_id": pa.int64(), "quantity": pa.int64(), "unit_price_minor": pa.int64(),
    "unit_cost_minor": pa.int64(), "discount_minor": pa.int64(), "tax_minor": pa.int64(),
}


def _fetch(conn: Connection, query: sa.Select[Any]) -> list[tuple[Any, ...]]:
    """Rows as the driver returns them: for the bulk tables, SQLAlchemy's row objects cost
    more than the query (columns here are ints, text and raw timestamps only)."""
    result = conn.execute(query)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _of_changed_orders(query: sa.Select[Any], column: Any,
                       since: datetime | None) -> sa.Select[Any]:
    return query if since is None else query.where(column.in_(_changed_orders(since)))


def _milestones(conn: Connection, since: datetime | None) -> pa.Table:
    """First time each order reached each milestone status, one row per order."""
    e = t.order_events.c
    firsts = [_raw_time(conn, sa.func.min(sa.case((e.status_to == m, e.created_at))),
                        f"{m}_at") for m in MILESTONES]
    query = sa.select(e.order_id, *firsts).where(e.status_to.in_(MILESTONES))
    query = _of_changed_orders(query, e.order_id, since).group_by(e.order_id)
    return arrow_table(_fetch(conn, query), _MILESTONE_SCHEMA)


def _orders(conn: Connection, since: datetime | None) -> pa.Table:
    o = t.orders.c
    query = sa.select(
        o.id, o.number, o.customer_id, o.status, o.channel, o.currency, o.subtotal_minor,
        o.discount_minor, o.shipping_minor, o.tax_minor, o.total_minor,
        _raw_time(conn, o.placed_at, "placed_at"), _raw_time(conn, o.updated_at, "updated_at"))
    if since is not None:
        query = query.where(o.updated_at >= since)
    # Joined here rather than in SQL: SQLite joins a grouped subquery slowly.
    orders = arrow_table(_fetch(conn, query), _ORDER_SCHEMA)
    return orders.join(_milestones(conn, since), "order_id", join_type="left outer")


def extract_orders(conn: Connection, since: datetime | None,
                   timezone: str) -> tuple[pa.Table, pa.Table]:
    """Orders changed since ``since`` (all when None), with their milestone times and
    store-local date keys, and all their lines."""
    line = t.order_lines.c
    orders = _orders(conn, since)
    lines = _fetch(conn, _of_changed_orders(sa.select(
        line.id, line.order_id, line.variant_id, line.warehouse_id, line.quantity,
        line.unit_price_minor, line.unit_cost_minor, line.discount_minor, line.tax_minor,
    ), line.order_id, since))
    for name in ("placed", "updated", *MILESTONES):
        orders = orders.append_column(f"{name}_date_key",
                                      local_date_keys(orders[f"{name}_at"], timezone))
    return orders, arrow_table(lines, _LINE_SCHEMA)


def _greatest(table: pa.Table, at: str, key: str) -> tuple[datetime, Any]:
    latest = pc.max(table[at])
    ids = table.filter(pc.equal(table[at], latest))[key]
    return latest.as_py(), pc.max(ids).as_py()


def next_watermark(orders: pa.Table, previous: Watermark | None) -> Watermark | None:
    if orders.num_rows == 0:
        return previous
    at, order_id = _greatest(orders, "updated_at", "order_id")
    return Watermark(at, order_id)


def extract_customers(conn: Connection, since: datetime | None,
                      timezone: str) -> pa.Table:
    c = t.customers.c
    query = sa.select(c.id, c.locale, c.marketing_consent,
                      _raw_time(conn, c.created_at, "created_at"),
                      _raw_time(conn, c.updated_at, "updated_at"))
    if since is not None:
        query = query.where(c.updated_at >= since)
    table = arrow_table(conn.execute(query).all(), {
        "customer_id": pa.int64(), "locale": pa.string(), "marketing_consent": pa.bool_(),
        "created_at": _TS, "changed_at": _TS})
    keys = local_date_keys(table["created_at"], timezone)
    return table.drop_columns(["created_at"]).append_column("registered_date_key", keys)


def _category_paths(conn: Connection) -> dict[int, tuple[str, str, str, datetime]]:
    """id -> (name, "Top > ... > Leaf", top name, latest updated_at along the path)."""
    c = t.categories.c
    rows = {r.id: r for r in conn.execute(
        sa.select(c.id, c.parent_id, c.name_en, c.updated_at)).all()}
    paths = {}
    for category_id, row in rows.items():
        chain, current, seen = [], row, set()
        while current is not None and current.id not in seen:
            seen.add(current.id)
            chain.append(current)
            current = rows.get(current.parent_id)  # type: ignore[assignment]
        chain.reverse()
        paths[category_id] = (row.name_en, " > ".join(x.name_en for x in chain),
                              chain[0].name_en, max(x.updated_at for x in chain))
    return paths


def extract_products(conn: Connection) -> pa.Table:
    v, p = t.variants.c, t.products.c
    paths = _category_paths(conn)
    rows = conn.execute(sa.select(
        v.id, v.sku, p.id, p.name_en, p.category_id, v.currency, v.price_minor, v.cost_minor,
        v.updated_at, p.updated_at).join_from(t.variants, t.products)).all()
    records = []
    for r in rows:
        name, path, top, category_changed = paths[r[4]]
        changed = max(r[8], r[9], category_changed)
        records.append((*r[:5], name, path, top, *r[5:8], changed))
    return arrow_table(records, {
        "variant_id": pa.int64(), "sku": pa.string(), "product_id": pa.int64(),
        "product_name": pa.string(), "category_id": pa.int64(), "category_name": pa.string(),
        "category_path": pa.string(), "top_category_name": pa.string(),
        "currency": pa.string(), "price_minor": pa.int64(), "cost_minor": pa.int64(),
        "changed_at": _TS})


def extract_warehouses(conn: Connection) -> pa.Table:
    w = t.warehouses.c
    return arrow_table(conn.execute(sa.select(w.id, w.code, w.name, w.is_default)).all(), {
        "warehouse_id": pa.int64(), "code": pa.string(), "name": pa.string(),
        "is_default": pa.bool_()})


def extract_stock(conn: Connection) -> pa.Table:
    s = t.stock_levels.c
    rows = conn.execute(sa.select(s.variant_id, s.warehouse_id, s.on_hand, s.reserved)).all()
    return arrow_table(rows, {"variant_id": pa.int64(), "warehouse_id": pa.int64(),
                              "on_hand": pa.int64(), "reserved": pa.int64()})


def customers_watermark(customers: pa.Table, previous: Watermark | None) -> Watermark | None:
    if customers.num_rows == 0:
        return previous
    at, customer_id = _greatest(customers, "changed_at", "customer_id")
    return Watermark(at, str(customer_id))
