"""Extraction from the transactional database into Arrow tables, by watermark.

Orders and customers are read incrementally: every row with ``updated_at`` at or after the last
watermark minus an overlap window. ``updated_at >`` alone loses rows: SQLite stores seconds, so
later rows can share the watermark's timestamp, and PostgreSQL's ``now()`` is the start of the
writing transaction, so a row can commit after the watermark with an earlier timestamp. Reading
the overlap again is harmless because every merge is keyed on natural ids. The catalog, the
warehouses and the stock levels are small and read whole on every run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
_UTC = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True, slots=True)
class Watermark:
    """The greatest (updated_at, id) read so far; ``at`` is naive UTC."""

    at: datetime
    id: str


def _timestamps(values: pa.Array) -> pa.Array:
    """Naive-UTC timestamps from SQLite's text (parsed by Arrow in bulk) or from PostgreSQL's
    aware datetimes."""
    if pa.types.is_timestamp(values.type):
        return values.cast(_TS)
    try:
        return values.cast(_TS)
    except pa.ArrowInvalid:  # text with an offset, written by another client
        parsed = [None if v is None else datetime.fromisoformat(v) for v in values.to_pylist()]
        return pa.array(parsed, _UTC).cast(_TS)


def arrow_table(rows: Sequence[Sequence[Any]], schema: dict[str, pa.DataType]) -> pa.Table:
    """A table from rows built in Python (the small tables); datetimes are UTC."""
    return _typed(_from_rows([rows], {name: _UTC if kind == _TS else kind
                                      for name, kind in schema.items()}), schema)


def _from_rows(chunks: Iterable[Sequence[Any]], wire: dict[str, pa.DataType]) -> pa.Table:
    """Each chunk of tuples converted in one call, as a struct array: no per-column lists."""
    struct = pa.struct(list(wire.items()))
    return pa.Table.from_batches(
        [pa.RecordBatch.from_struct_array(pa.array(list(chunk), struct)) for chunk in chunks],
        pa.schema(wire))


def _typed(raw: pa.Table, schema: dict[str, pa.DataType]) -> pa.Table:
    return pa.table({name: _timestamps(raw[name].combine_chunks()) if kind == _TS
                     else raw[name].cast(kind) for name, kind in schema.items()})


def _wire_type(dialect: str, kind: pa.DataType) -> pa.DataType:
    """The Arrow type of the values the driver returns for a column of type ``kind``."""
    if kind == _TS:
        return pa.string() if dialect == "sqlite" else _UTC
    if kind == pa.bool_() and dialect == "sqlite":
        return pa.int64()
    return kind


def fetch_table(conn: Connection, query: sa.Select[Any],
                schema: dict[str, pa.DataType]) -> pa.Table:
    """The rows of ``query`` straight from the DBAPI cursor into Arrow, a batch at a time
    (SQLAlchemy's row objects cost more than the query); timestamps and booleans are then
    cast column by column."""
    wire = {name: _wire_type(conn.dialect.name, kind) for name, kind in schema.items()}
    result = conn.execute(query)
    try:
        raw = _from_rows(iter(lambda: result.cursor.fetchmany(_BATCH_ROWS), []), wire)
    finally:
        result.close()
    return _typed(raw, schema)


def window_start(watermark: Watermark | None, overlap: timedelta) -> datetime | None:
    return None if watermark is None else watermark.at - overlap


def _changed_orders(since: datetime | None) -> sa.Select[Any]:
    query = sa.select(t.orders.c.id)
    return query if since is None else query.where(t.orders.c.updated_at >= since)


MILESTONES = ("confirmed", "shipped", "delivered", "cancelled", "refunded")

_ORDER_SCHEMA = {
    "order_id": pa.string(), "order_number": pa.string(), "customer_id": pa.int64(),
    "status": pa.string(), "channel": pa.string(), "currency": pa.string(),
    "subtotal_minor": pa.int64(), "discount_minor": pa.int64(), "shipping_minor": pa.int64(),
    "tax_minor": pa.int64(), "total_minor": pa.int64(), "placed_at": _TS, "updated_at": _TS,
}
_EVENT_SCHEMA = {"order_id": pa.string(), "status": pa.string(), "created_at": _TS}
_LINE_SCHEMA = {
    "order_line_id": pa.int64(), "order_id": pa.string(), "variant_id": pa.int64(),
    "warehouse_id": pa.int64(), "quantity": pa.int64(), "unit_price_minor": pa.int64(),
    "unit_cost_minor": pa.int64(), "discount_minor": pa.int64(), "tax_minor": pa.int64(),
}
_BATCH_ROWS = 50_000


def _of_changed_orders(query: sa.Select[Any], column: Any,
                       since: datetime | None) -> sa.Select[Any]:
    return query if since is None else query.where(column.in_(_changed_orders(since)))


def _milestone_events(conn: Connection, since: datetime | None) -> pa.Table:
    """Every event that moved an order to a milestone status; the first of each is picked in
    ``with_milestones`` (a GROUP BY in SQLite walks the order_id index row by row)."""
    e = t.order_events.c
    query = sa.select(e.order_id, e.status_to, e.created_at).where(
        e.status_to.in_(MILESTONES))
    return fetch_table(conn, _of_changed_orders(query, e.order_id, since), _EVENT_SCHEMA)


def _orders_query(since: datetime | None) -> sa.Select[Any]:
    o = t.orders.c
    query = sa.select(
        o.id, o.number, o.customer_id, o.status, o.channel, o.currency, o.subtotal_minor,
        o.discount_minor, o.shipping_minor, o.tax_minor, o.total_minor, o.placed_at,
        o.updated_at)
    return query if since is None else query.where(o.updated_at >= since)


_FIRSTS = ", ".join(f"MIN(CASE WHEN status = '{m}' THEN created_at END) AS {m}_at"
                    for m in MILESTONES)


def with_milestones(orders: pa.Table, events: pa.Table) -> pa.Table:
    """``orders`` with the first time each reached each milestone status: a GROUP BY and a
    join in an in-memory DuckDB over the Arrow tables (no Python per row)."""
    import duckdb

    with duckdb.connect() as db:
        db.register("orders", orders)
        db.register("events", events)
        return db.sql(
            f"SELECT o.*, {', '.join(f'm.{m}_at' for m in MILESTONES)} FROM orders o "
            f"LEFT JOIN (SELECT order_id, {_FIRSTS} FROM events GROUP BY order_id) m "
            f"ON m.order_id = o.order_id").to_arrow_table()


def extract_orders(conn: Connection, since: datetime | None,
                   timezone: str) -> tuple[pa.Table, pa.Table]:
    """Orders changed since ``since`` (all when None), with their milestone times and
    store-local date keys, and all their lines."""
    line = t.order_lines.c
    orders = fetch_table(conn, _orders_query(since), _ORDER_SCHEMA)
    orders = with_milestones(orders, _milestone_events(conn, since))
    lines = fetch_table(conn, _of_changed_orders(sa.select(
        line.id, line.order_id, line.variant_id, line.warehouse_id, line.quantity,
        line.unit_price_minor, line.unit_cost_minor, line.discount_minor, line.tax_minor,
    ), line.order_id, since), _LINE_SCHEMA)
    for name in ("placed", "updated", *MILESTONES):
        orders = orders.append_column(f"{name}_date_key",
                                      local_date_keys(orders[f"{name}_at"], timezone))
    return orders, lines


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
    query = sa.select(c.id, c.locale, c.marketing_consent, c.created_at, c.updated_at)
    if since is not None:
        query = query.where(c.updated_at >= since)
    table = fetch_table(conn, query, {
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
    return fetch_table(conn, sa.select(w.id, w.code, w.name, w.is_default), {
        "warehouse_id": pa.int64(), "code": pa.string(), "name": pa.string(),
        "is_default": pa.bool_()})


def extract_stock(conn: Connection) -> pa.Table:
    s = t.stock_levels.c
    return fetch_table(conn, sa.select(s.variant_id, s.warehouse_id, s.on_hand, s.reserved), {
        "variant_id": pa.int64(), "warehouse_id": pa.int64(), "on_hand": pa.int64(),
        "reserved": pa.int64()})


def customers_watermark(customers: pa.Table, previous: Watermark | None) -> Watermark | None:
    if customers.num_rows == 0:
        return previous
    at, customer_id = _greatest(customers, "changed_at", "customer_id")
    return Watermark(at, str(customer_id))
