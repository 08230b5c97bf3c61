"""Extraction from the transactional database into Arrow tables, by watermark.

Orders and customers are read incrementally: every row with ``updated_at`` at or after the last
watermark minus an overlap window. ``updated_at >`` alone loses rows: SQLite stores the instant
of the write, so later rows can share the watermark's timestamp, and a row can commit after
the watermark with an earlier timestamp (a long transaction). Reading the overlap again is
harmless because every merge is keyed on natural ids. The catalog, the warehouses and the
stock levels are small and read whole on every run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from analytics import source as src
from analytics.timekeys import local_date_keys
from shop.catalog.models import Category, Variant
from shop.inventory.models import StockLevel, Warehouse

DEFAULT_OVERLAP = timedelta(minutes=10)
MILESTONES = ("confirmed", "shipped", "delivered", "cancelled", "refunded")
TS = src.TS


@dataclass(frozen=True, slots=True)
class Watermark:
    """The greatest (updated_at, id) read so far; ``at`` is naive UTC."""

    at: datetime
    id: str


def window_start(watermark: Watermark | None, overlap: timedelta) -> datetime | None:
    return None if watermark is None else watermark.at - overlap


_ORDER_SCHEMA = {
    "order_id": pa.string(), "order_number": pa.string(), "customer_id": pa.int64(),
    "status": pa.string(), "channel": pa.string(), "currency": pa.string(),
    "subtotal_minor": pa.int64(), "discount_minor": pa.int64(), "shipping_minor": pa.int64(),
    "tax_minor": pa.int64(), "total_minor": pa.int64(), "placed_at": TS, "updated_at": TS,
}
_EVENT_SCHEMA = {"order_id": pa.string(), "status": pa.string(), "created_at": TS}
_LINE_SCHEMA = {
    "order_line_id": pa.int64(), "order_id": pa.string(), "variant_id": pa.int64(),
    "warehouse_id": pa.int64(), "quantity": pa.int64(), "unit_price_minor": pa.int64(),
    "unit_cost_minor": pa.int64(), "discount_minor": pa.int64(), "tax_minor": pa.int64(),
}


def _changed(column: str, since: datetime | None) -> tuple[str, dict[str, Any]]:
    """A condition on ``column`` (an order id) for the orders changed since ``since``."""
    if since is None:
        return "1 = 1", {}
    return (f"{column} IN (SELECT o.id FROM orders o WHERE o.updated_at >= :since)",
            {"since": src.timestamp_param(since)})


def _orders(since: datetime | None) -> pa.Table:
    where, values = ("1 = 1", {}) if since is None else (
        "o.updated_at >= :since", {"since": src.timestamp_param(since)})
    sql = (f"SELECT {src.uuid_text('o.id')}, o.number, o.customer_id, o.status, o.channel, "
           f"o.currency, o.subtotal_minor, o.discount_minor, o.shipping_minor, o.tax_minor, "
           f"o.total_minor, {src.ts('o.placed_at')}, {src.ts('o.updated_at')} "
           f"FROM orders o WHERE {where}")
    return _with_uuids(src.fetch_table(sql, values, _ORDER_SCHEMA))


def _milestone_events(since: datetime | None) -> pa.Table:
    """Every event that moved an order to a milestone status; the first of each is picked in
    ``with_milestones`` (a GROUP BY in SQLite walks the order_id index row by row)."""
    where, values = _changed("e.order_id", since)
    statuses = ", ".join(f"'{m}'" for m in MILESTONES)
    sql = (f"SELECT {src.uuid_text('e.order_id')}, e.status_to, {src.ts('e.created_at')} "
           f"FROM order_events e WHERE e.status_to IN ({statuses}) AND {where}")
    return _with_uuids(src.fetch_table(sql, values, _EVENT_SCHEMA))


def _lines(since: datetime | None) -> pa.Table:
    where, values = _changed("l.order_id", since)
    sql = (f"SELECT l.id, {src.uuid_text('l.order_id')}, l.variant_id, l.warehouse_id, "
           f"l.quantity, l.unit_price_minor, l.unit_cost_minor, l.discount_minor, l.tax_minor "
           f"FROM order_lines l WHERE {where}")
    return _with_uuids(src.fetch_table(sql, values, _LINE_SCHEMA))


def _with_uuids(table: pa.Table) -> pa.Table:
    position = table.schema.get_field_index("order_id")
    return table.set_column(position, "order_id", src.canonical_uuids(table["order_id"]))


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


def extract_orders(since: datetime | None, timezone: str) -> tuple[pa.Table, pa.Table]:
    """Orders changed since ``since`` (all when None), with their milestone times and
    store-local date keys, and all their lines."""
    orders = with_milestones(_orders(since), _milestone_events(since))
    lines = _lines(since)
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


def customers_watermark(customers: pa.Table, previous: Watermark | None) -> Watermark | None:
    if customers.num_rows == 0:
        return previous
    at, customer_id = _greatest(customers, "changed_at", "customer_id")
    return Watermark(at, str(customer_id))


def extract_customers(since: datetime | None, timezone: str) -> pa.Table:
    where, values = ("1 = 1", {}) if since is None else (
        "c.updated_at >= :since", {"since": src.timestamp_param(since)})
    sql = (f"SELECT c.id, c.locale, {src.flag('c.marketing_consent')}, "
           f"{src.ts('c.created_at')}, {src.ts('c.updated_at')} FROM customers c "
           f"WHERE {where}")
    table = src.fetch_table(sql, values, {
        "customer_id": pa.int64(), "locale": pa.string(), "marketing_consent": pa.bool_(),
        "created_at": TS, "changed_at": TS})
    keys = local_date_keys(table["created_at"], timezone)
    return table.drop_columns(["created_at"]).append_column("registered_date_key", keys)


def _category_paths() -> dict[int, tuple[str, str, str, datetime]]:
    """id -> (name, "Top > ... > Leaf", top name, latest updated_at along the path)."""
    rows = {r[0]: r for r in Category.objects.order_by().values_list(
        "id", "parent_id", "name_en", "updated_at")}
    paths = {}
    for category_id, row in rows.items():
        chain, current, seen = [], row, set()
        while current is not None and current[0] not in seen:
            seen.add(current[0])
            chain.append(current)
            current = rows.get(current[1])
        chain.reverse()
        paths[category_id] = (row[2], " > ".join(x[2] for x in chain), chain[0][2],
                              max(x[3] for x in chain))
    return paths


def extract_products() -> pa.Table:
    paths = _category_paths()
    records = []
    for r in Variant.objects.order_by().values_list(
            "id", "sku", "product_id", "product__name_en", "product__category_id", "currency",
            "price_minor", "cost_minor", "updated_at", "product__updated_at"):
        name, path, top, category_changed = paths[r[4]]
        changed = max(r[8], r[9], category_changed)
        records.append((*r[:5], name, path, top, *r[5:8], changed))
    return src.rows_table(records, {
        "variant_id": pa.int64(), "sku": pa.string(), "product_id": pa.int64(),
        "product_name": pa.string(), "category_id": pa.int64(), "category_name": pa.string(),
        "category_path": pa.string(), "top_category_name": pa.string(),
        "currency": pa.string(), "price_minor": pa.int64(), "cost_minor": pa.int64(),
        "changed_at": TS})


def extract_warehouses() -> pa.Table:
    return src.rows_table(
        list(Warehouse.objects.order_by().values_list("id", "code", "name", "is_default")),
        {"warehouse_id": pa.int64(), "code": pa.string(), "name": pa.string(),
         "is_default": pa.bool_()})


def extract_stock() -> pa.Table:
    return src.rows_table(
        list(StockLevel.objects.order_by().values_list(
            "variant_id", "warehouse_id", "on_hand", "reserved")),
        {"variant_id": pa.int64(), "warehouse_id": pa.int64(), "on_hand": pa.int64(),
         "reserved": pa.int64()})
