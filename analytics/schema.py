"""The star schema of the warehouse, its staging tables and the run history. Grain and keys of
every table are documented in docs/analytics.md. Surrogate key 0 is the "unknown" member of
every dimension; money columns are DECIMAL(18,2) (``money``), staging keeps integer cents."""

from __future__ import annotations

from analytics.timekeys import HIGH_TIME, LOW_TIME
from analytics.warehouse import Warehouse

_SCD2 = [("valid_from", "ts"), ("valid_to", "ts"), ("is_current", "bool"),
         ("is_inferred", "bool")]
_SALE_KEYS = [
    ("order_line_id", "key"), ("order_id", "text"), ("date_key", "key"),
    ("product_key", "key"), ("variant_id", "key"), ("customer_key", "key"),
    ("customer_id", "key"), ("warehouse_key", "key"), ("channel_key", "key"),
    ("currency", "text"),
]
_SALE_MEASURES = [
    ("quantity", "int"), ("gross_amount", "money"), ("discount_amount", "money"),
    ("net_amount", "money"), ("tax_amount", "money"), ("shipping_amount", "money"),
    ("cost_amount", "money"),
]

DIMENSIONS: dict[str, list[tuple[str, str]]] = {
    "dim_date": [
        ("date_key", "key"), ("full_date", "date"), ("year", "int"), ("quarter", "int"),
        ("month", "int"), ("month_name", "text"), ("iso_year", "int"), ("iso_week", "int"),
        ("day_of_week", "int"), ("is_weekend", "bool"), ("week_start_key", "key"),
        ("month_start_key", "key"),
    ],
    "dim_product": [
        ("product_key", "key"), ("variant_id", "key"), ("sku", "text"), ("product_id", "key"),
        ("product_name", "text"), ("category_id", "key"), ("category_name", "text"),
        ("category_path", "text"), ("top_category_name", "text"), ("currency", "text"),
        ("price", "money"), ("cost", "money"), *_SCD2,
    ],
    "dim_customer": [
        ("customer_key", "key"), ("customer_id", "key"), ("locale", "text"),
        ("marketing_consent", "bool"), ("registered_date_key", "key"), *_SCD2,
    ],
    "dim_warehouse": [
        ("warehouse_key", "key"), ("warehouse_id", "key"), ("code", "text"), ("name", "text"),
        ("is_default", "bool"), ("is_inferred", "bool"),
    ],
    "dim_channel": [("channel_key", "key"), ("channel", "text")],
}

FACTS: dict[str, list[tuple[str, str]]] = {
    "fact_sales_line": [*_SALE_KEYS, ("placed_at", "ts"), *_SALE_MEASURES],
    "fact_return_line": [
        *_SALE_KEYS, ("return_type", "text"), ("returned_at", "ts"), ("sale_date_key", "key"),
        *_SALE_MEASURES,
    ],
    "fact_order": [
        ("order_id", "text"), ("order_number", "text"), ("customer_key", "key"),
        ("customer_id", "key"), ("channel_key", "key"), ("currency", "text"),
        ("status", "text"), ("placed_at", "ts"), ("placed_date_key", "key"),
        ("confirmed_date_key", "key"), ("shipped_date_key", "key"),
        ("delivered_date_key", "key"), ("cancelled_date_key", "key"),
        ("refunded_date_key", "key"), ("line_count", "int"), ("units", "int"),
        ("subtotal_amount", "money"), ("discount_amount", "money"),
        ("shipping_amount", "money"), ("tax_amount", "money"), ("total_amount", "money"),
        ("net_amount", "money"), ("is_first_order", "bool"), ("updated_at", "ts"),
    ],
    "fact_inventory_daily": [
        ("date_key", "key"), ("product_key", "key"), ("variant_id", "key"),
        ("warehouse_key", "key"), ("on_hand", "int"), ("reserved", "int"),
        ("available", "int"), ("snapshot_at", "ts"),
    ],
}

STAGING: dict[str, list[tuple[str, str]]] = {
    "stg_orders": [
        ("order_id", "text"), ("order_number", "text"), ("customer_id", "key"),
        ("status", "text"), ("channel", "text"), ("currency", "text"),
        ("subtotal_minor", "int"), ("discount_minor", "int"), ("shipping_minor", "int"),
        ("tax_minor", "int"), ("total_minor", "int"), ("placed_at", "ts"),
        ("placed_date_key", "key"), ("updated_at", "ts"), ("updated_date_key", "key"),
        *((f"{m}_{c}", kind) for m in ("confirmed", "shipped", "delivered", "cancelled",
                                       "refunded") for c, kind in (("at", "ts"),
                                                                   ("date_key", "key"))),
    ],
    "stg_order_lines": [
        ("order_line_id", "key"), ("order_id", "text"), ("variant_id", "key"),
        ("warehouse_id", "key"), ("quantity", "int"),
        ("unit_price_minor", "int"), ("unit_cost_minor", "int"), ("discount_minor", "int"),
        ("tax_minor", "int"),
    ],
    "stg_products": [
        ("variant_id", "key"), ("sku", "text"), ("product_id", "key"), ("product_name", "text"),
        ("category_id", "key"), ("category_name", "text"), ("category_path", "text"),
        ("top_category_name", "text"), ("currency", "text"), ("price_minor", "int"),
        ("cost_minor", "int"), ("changed_at", "ts"),
    ],
    "stg_customers": [
        ("customer_id", "key"), ("locale", "text"), ("marketing_consent", "bool"),
        ("registered_date_key", "key"), ("changed_at", "ts"),
    ],
    "stg_warehouses": [("warehouse_id", "key"), ("code", "text"), ("name", "text"),
                       ("is_default", "bool")],
    "stg_stock": [("variant_id", "key"), ("warehouse_id", "key"), ("on_hand", "int"),
                  ("reserved", "int")],
    "stg_dates": DIMENSIONS["dim_date"],
    # Orders changed in the source after the run's watermark: reconciliation leaves them out.
    "stg_unloaded": [("order_id", "text")],
}

RUNS: dict[str, list[tuple[str, str]]] = {
    "etl_runs": [
        ("run_id", "key"), ("mode", "text"), ("status", "text"), ("started_at", "ts"),
        ("finished_at", "ts"), ("rows_loaded", "text"), ("orders_watermark_at", "ts"),
        ("orders_watermark_id", "text"), ("customers_watermark_at", "ts"),
        ("customers_watermark_id", "key"), ("error", "text"), ("reconciliation", "text"),
    ],
}

ALL_TABLES = {**DIMENSIONS, **FACTS, **STAGING, **RUNS}

# Natural keys the merges delete by; PostgreSQL indexes them (DuckDB's zone maps suffice).
_INDEXES = {
    "fact_sales_line": [("order_id",), ("date_key",), ("customer_id",)],
    "fact_return_line": [("order_id",), ("date_key",)],
    "fact_order": [("order_id",), ("placed_date_key",), ("customer_id",)],
    "fact_inventory_daily": [("date_key",)],
    "dim_product": [("variant_id",)],
    "dim_customer": [("customer_id",)],
}

UNKNOWN_MEMBERS = [
    "INSERT INTO dim_date (date_key, full_date, year, quarter, month, month_name, iso_year, "
    "iso_week, day_of_week, is_weekend, week_start_key, month_start_key) VALUES "
    "(0, NULL, 0, 0, 0, 'Unknown', 0, 0, 0, FALSE, 0, 0)",
    "INSERT INTO dim_product (product_key, variant_id, sku, product_id, product_name, "
    "category_id, category_name, category_path, top_category_name, currency, price, cost, "
    "valid_from, valid_to, is_current, is_inferred) VALUES (0, 0, 'UNKNOWN', 0, 'Unknown', 0, "
    "'Unknown', 'Unknown', 'Unknown', '', 0, 0, :low, :high, TRUE, FALSE)",
    "INSERT INTO dim_customer (customer_key, customer_id, locale, marketing_consent, "
    "registered_date_key, valid_from, valid_to, is_current, is_inferred) VALUES "
    "(0, 0, '', FALSE, 0, :low, :high, TRUE, FALSE)",
    "INSERT INTO dim_warehouse (warehouse_key, warehouse_id, code, name, is_default, "
    "is_inferred) VALUES (0, 0, 'UNKNOWN', 'Unknown', FALSE, FALSE)",
    "INSERT INTO dim_channel (channel_key, channel) VALUES (0, 'unknown')",
]


def _create_table(wh: Warehouse, name: str, columns: list[tuple[str, str]],
                  temporary: bool = False) -> None:
    body = ", ".join(f"{column} {wh.type(kind)}" for column, kind in columns)
    kind = "TEMPORARY TABLE" if temporary else "TABLE"
    wh.execute(f"CREATE {kind} IF NOT EXISTS {name} ({body})")


def ensure_schema(wh: Warehouse) -> None:
    """Create whatever is missing, with the unknown members; safe to call on every run.
    Staging tables are temporary tables of this connection: scratch space that is never
    written to the warehouse file (or PostgreSQL's WAL), in today's shape."""
    existing = wh.table_names()
    with wh.transaction():
        for name, columns in ALL_TABLES.items():
            if name in STAGING and name in existing:  # kept by versions before temporary
                wh.execute(f"DROP TABLE {name}")
            if name in STAGING or name not in existing:
                _create_table(wh, name, columns, temporary=name in STAGING)
        # Warehouses loaded before runs stored their reconciliation (the legacy ETL).
        wh.execute("ALTER TABLE etl_runs ADD COLUMN IF NOT EXISTS reconciliation "
                   f"{wh.type('text')}")
        if wh.dialect == "postgresql":
            for table, indexes in _INDEXES.items():
                for indexed in indexes:
                    wh.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_{'_'.join(indexed)} "
                               f"ON {table} ({', '.join(indexed)})")
        if "dim_date" not in existing:
            for statement in UNKNOWN_MEMBERS:
                wh.execute(statement, {"low": LOW_TIME, "high": HIGH_TIME})


def column_names(table: str) -> list[str]:
    return [column for column, _ in ALL_TABLES[table]]
