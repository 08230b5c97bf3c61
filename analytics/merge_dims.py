"""Dimension merges from the staging tables: keyed on natural ids, so a batch merged twice
changes nothing. Type 2 dimensions close the current version and open a new one when a tracked
attribute changes; ids that facts reference before their dimension row arrives get an inferred
placeholder, filled in place (same key) when the real row comes."""

from __future__ import annotations

from dataclasses import dataclass

from analytics.timekeys import HIGH_TIME, LOW_TIME
from analytics.warehouse import Warehouse

_BOUNDS = {"low": LOW_TIME, "high": HIGH_TIME}


@dataclass(frozen=True, slots=True)
class Scd2:
    """How one type 2 dimension maps onto its staging table."""

    table: str
    key: str
    natural: str
    staging: str
    tracked: tuple[str, ...]  # dimension column = staging expression, type 2
    overwritten: tuple[str, ...]  # type 1, current version only


def product_scd(wh: Warehouse) -> tuple[Scd2, dict[str, str]]:
    columns = {
        "sku": "s.sku", "product_id": "s.product_id", "product_name": "s.product_name",
        "category_id": "s.category_id", "category_name": "s.category_name",
        "category_path": "s.category_path", "top_category_name": "s.top_category_name",
        "currency": "s.currency", "price": wh.money("s.price_minor"),
        "cost": wh.money("s.cost_minor"),
    }
    return Scd2("dim_product", "product_key", "variant_id", "stg_products",
                ("category_id", "price", "cost"),
                ("sku", "product_id", "product_name", "category_name", "category_path",
                 "top_category_name", "currency")), columns


def customer_scd() -> tuple[Scd2, dict[str, str]]:
    columns = {"locale": "s.locale", "marketing_consent": "s.marketing_consent",
               "registered_date_key": "s.registered_date_key"}
    return Scd2("dim_customer", "customer_key", "customer_id", "stg_customers",
                ("locale", "marketing_consent"), ("registered_date_key",)), columns


def _fill_inferred(wh: Warehouse, scd: Scd2, columns: dict[str, str]) -> None:
    sets = ", ".join(f"{c} = {e}" for c, e in columns.items())
    wh.execute(f"UPDATE {scd.table} SET {sets}, is_inferred = FALSE FROM {scd.staging} s "
               f"WHERE {scd.table}.{scd.natural} = s.{scd.natural} "
               f"AND {scd.table}.is_inferred")


def _overwrite_type1(wh: Warehouse, scd: Scd2, columns: dict[str, str]) -> None:
    sets = ", ".join(f"{c} = {columns[c]}" for c in scd.overwritten)
    differs = " OR ".join(f"{scd.table}.{c} IS DISTINCT FROM {columns[c]}"
                          for c in scd.overwritten)
    wh.execute(f"UPDATE {scd.table} SET {sets} FROM {scd.staging} s "
               f"WHERE {scd.table}.{scd.natural} = s.{scd.natural} "
               f"AND {scd.table}.is_current AND ({differs})")


def _open_versions(wh: Warehouse, scd: Scd2, columns: dict[str, str]) -> None:
    names = ", ".join(columns)
    values = ", ".join(columns.values())
    differs = " OR ".join(f"d.{c} IS DISTINCT FROM {columns[c]}" for c in scd.tracked)
    wh.execute(
        f"INSERT INTO {scd.table} ({scd.key}, {scd.natural}, {names}, valid_from, valid_to, "
        f"is_current, is_inferred) "
        f"SELECT (SELECT MAX({scd.key}) FROM {scd.table}) "
        f"+ ROW_NUMBER() OVER (ORDER BY s.{scd.natural}), s.{scd.natural}, {values}, "
        f"GREATEST(s.changed_at, d.valid_from), :high, TRUE, FALSE "
        f"FROM {scd.staging} s JOIN {scd.table} d ON d.{scd.natural} = s.{scd.natural} "
        f"AND d.is_current WHERE {differs}", _BOUNDS)


def _close_versions(wh: Warehouse, scd: Scd2, before: int) -> None:
    """Versions opened after key ``before`` supersede the previous current version."""
    wh.execute(
        f"UPDATE {scd.table} SET is_current = FALSE, valid_to = n.valid_from "
        f"FROM (SELECT {scd.natural}, valid_from FROM {scd.table} "
        f"WHERE {scd.key} > :before) n "
        f"WHERE {scd.table}.{scd.natural} = n.{scd.natural} AND {scd.table}.is_current "
        f"AND {scd.table}.{scd.key} <= :before", {"before": before})


def _add_new(wh: Warehouse, scd: Scd2, columns: dict[str, str]) -> None:
    names = ", ".join(columns)
    values = ", ".join(columns.values())
    wh.execute(
        f"INSERT INTO {scd.table} ({scd.key}, {scd.natural}, {names}, valid_from, valid_to, "
        f"is_current, is_inferred) "
        f"SELECT (SELECT MAX({scd.key}) FROM {scd.table}) "
        f"+ ROW_NUMBER() OVER (ORDER BY s.{scd.natural}), s.{scd.natural}, {values}, "
        f":low, :high, TRUE, FALSE FROM {scd.staging} s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {scd.table} d "
        f"WHERE d.{scd.natural} = s.{scd.natural})", _BOUNDS)


def merge_scd2(wh: Warehouse, scd: Scd2, columns: dict[str, str]) -> int:
    """Merge one type 2 dimension; returns the greatest key before the merge, so callers can
    re-key facts of the versions opened now."""
    before = int(wh.scalar(f"SELECT MAX({scd.key}) FROM {scd.table}"))
    _fill_inferred(wh, scd, columns)
    _overwrite_type1(wh, scd, columns)
    _open_versions(wh, scd, columns)
    _close_versions(wh, scd, before)
    _add_new(wh, scd, columns)
    return before


def add_placeholders(wh: Warehouse, scd: Scd2, defaults: dict[str, str],
                     referenced: str) -> None:
    """Inferred members for ids in ``referenced`` (a query of one ``id`` column) that the
    dimension does not know yet."""
    names = ", ".join(defaults)
    values = ", ".join(defaults.values())
    wh.execute(
        f"INSERT INTO {scd.table} ({scd.key}, {scd.natural}, {names}, valid_from, valid_to, "
        f"is_current, is_inferred) "
        f"SELECT (SELECT MAX({scd.key}) FROM {scd.table}) + ROW_NUMBER() OVER (ORDER BY r.id), "
        f"r.id, {values}, :low, :high, TRUE, TRUE "
        f"FROM (SELECT DISTINCT id FROM ({referenced}) q WHERE id IS NOT NULL) r "
        f"WHERE NOT EXISTS (SELECT 1 FROM {scd.table} d WHERE d.{scd.natural} = r.id)",
        _BOUNDS)


PRODUCT_PLACEHOLDER = {
    "sku": "'UNKNOWN'", "product_id": "0", "product_name": "'Unknown'", "category_id": "0",
    "category_name": "'Unknown'", "category_path": "'Unknown'",
    "top_category_name": "'Unknown'", "currency": "''", "price": "0", "cost": "0",
}
CUSTOMER_PLACEHOLDER = {"locale": "''", "marketing_consent": "FALSE",
                        "registered_date_key": "0"}


def merge_products(wh: Warehouse) -> int:
    scd, columns = product_scd(wh)
    before = merge_scd2(wh, scd, columns)
    add_placeholders(wh, scd, PRODUCT_PLACEHOLDER,
                     "SELECT variant_id AS id FROM stg_order_lines "
                     "UNION SELECT variant_id AS id FROM stg_stock")
    return before


def merge_customers(wh: Warehouse) -> int:
    scd, columns = customer_scd()
    before = merge_scd2(wh, scd, columns)
    add_placeholders(wh, scd, CUSTOMER_PLACEHOLDER,
                     "SELECT customer_id AS id FROM stg_orders")
    return before


def merge_dates(wh: Warehouse) -> None:
    wh.execute("INSERT INTO dim_date SELECT * FROM stg_dates s WHERE NOT EXISTS "
               "(SELECT 1 FROM dim_date d WHERE d.date_key = s.date_key)")


def merge_channels(wh: Warehouse) -> None:
    wh.execute(
        "INSERT INTO dim_channel (channel_key, channel) "
        "SELECT (SELECT MAX(channel_key) FROM dim_channel) "
        "+ ROW_NUMBER() OVER (ORDER BY n.channel), n.channel "
        "FROM (SELECT DISTINCT channel FROM stg_orders s WHERE NOT EXISTS "
        "(SELECT 1 FROM dim_channel d WHERE d.channel = s.channel)) n")


def merge_warehouses(wh: Warehouse) -> None:
    wh.execute(
        "UPDATE dim_warehouse SET code = s.code, name = s.name, is_default = s.is_default, "
        "is_inferred = FALSE FROM stg_warehouses s "
        "WHERE dim_warehouse.warehouse_id = s.warehouse_id AND (dim_warehouse.is_inferred "
        "OR dim_warehouse.code <> s.code OR dim_warehouse.name <> s.name "
        "OR dim_warehouse.is_default <> s.is_default)")
    wh.execute(
        "INSERT INTO dim_warehouse (warehouse_key, warehouse_id, code, name, is_default, "
        "is_inferred) "
        "SELECT (SELECT MAX(warehouse_key) FROM dim_warehouse) "
        "+ ROW_NUMBER() OVER (ORDER BY r.id), r.id, COALESCE(s.code, 'UNKNOWN'), "
        "COALESCE(s.name, 'Unknown'), COALESCE(s.is_default, FALSE), s.warehouse_id IS NULL "
        "FROM (SELECT warehouse_id AS id FROM stg_warehouses "
        "UNION SELECT warehouse_id FROM stg_order_lines "
        "UNION SELECT warehouse_id FROM stg_stock) r "
        "LEFT JOIN stg_warehouses s ON s.warehouse_id = r.id "
        "WHERE r.id IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM dim_warehouse d WHERE d.warehouse_id = r.id)")


def merge_dimensions(wh: Warehouse) -> tuple[int, int]:
    """All dimensions; returns the greatest product and customer keys before the merge."""
    merge_dates(wh)
    merge_channels(wh)
    merge_warehouses(wh)
    return merge_products(wh), merge_customers(wh)
