"""Extraction from the transactional database into Arrow: the values are exact whatever the
driver returns (SQLite's text timestamps, PostgreSQL's aware datetimes, SQLite's integer
booleans), and batches of rows add up to the whole."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from analytics_shop import Shop

from tienda.adapters.db import migrate
from tienda.adapters.db import tables as t
from tienda.adapters.db.engine import build_engine
from tienda.config import load_settings
from tienda.entrypoints.analytics import extract as ex
from tienda.entrypoints.analytics.schema import ensure_schema
from tienda.entrypoints.analytics.warehouse import connect

ZONE = "Europe/Madrid"


@pytest.fixture
def shop(database_url):
    engine = build_engine(load_settings(environment="test", database_url=database_url))
    yield Shop(engine).catalog()
    engine.dispose()


def _orders(shop, since=None):
    with shop.engine.connect() as conn:
        orders, lines = ex.extract_orders(conn, since, ZONE)
    return orders.sort_by("placed_at").to_pylist(), lines.sort_by("order_line_id").to_pylist()


def test_orders_carry_the_first_time_they_reached_each_milestone(shop):
    placed = datetime(2024, 3, 4, 22, 30, 15, 123456, tzinfo=UTC)  # 23:30 in Madrid
    kept = shop.place_order([(1, 2), (3, 1)], at=placed)
    shop.change_status(kept, "confirmed", at=datetime(2024, 3, 5, 9, tzinfo=UTC))
    shop.change_status(kept, "confirmed", at=datetime(2024, 3, 6, 9, tzinfo=UTC))
    shop.change_status(kept, "cancelled", at=datetime(2024, 3, 7, 23, 30, tzinfo=UTC))
    untouched = shop.place_order([(2, 1)], at=datetime(2024, 3, 8, 10, tzinfo=UTC))

    orders, lines = _orders(shop)

    assert [(o["order_id"], o["status"], o["placed_at"], o["placed_date_key"],
             o["confirmed_at"], o["confirmed_date_key"], o["cancelled_date_key"],
             o["shipped_at"]) for o in orders] == [
        (kept, "cancelled", datetime(2024, 3, 4, 22, 30, 15, 123456), 20240304,
         datetime(2024, 3, 5, 9), 20240305, 20240308, None),
        (untouched, "pending", datetime(2024, 3, 8, 10), 20240308, None, None, None, None)]
    assert [(line["order_id"], line["variant_id"], line["quantity"]) for line in lines] == [
        (kept, 1, 2), (kept, 3, 1), (untouched, 2, 1)]


def test_an_incremental_extraction_reads_the_changed_orders_with_all_their_lines(shop):
    old = shop.place_order([(1, 1), (2, 1)], at=datetime(2024, 3, 4, 10, tzinfo=UTC))
    shop.place_order([(3, 1)], at=datetime(2024, 3, 5, 10, tzinfo=UTC))
    shop.change_status(old, "confirmed", at=datetime(2024, 3, 9, 10, tzinfo=UTC))

    orders, lines = _orders(shop, since=datetime(2024, 3, 9))

    assert [(o["order_id"], o["confirmed_date_key"]) for o in orders] == [(old, 20240309)]
    assert [(line["order_id"], line["variant_id"]) for line in lines] == [(old, 1), (old, 2)]


def test_rows_are_read_in_batches_that_add_up_to_the_whole(shop, monkeypatch):
    placed = [shop.place_order([(1, 1)]) for _ in range(5)]
    monkeypatch.setattr(ex, "_BATCH_ROWS", 2)

    orders, _ = _orders(shop)

    assert [o["order_id"] for o in orders] == placed


def test_customers_keep_their_booleans_and_registration_day(shop):
    with shop.engine.begin() as conn:
        conn.execute(t.customers.insert(), [
            {"id": 1, "email": "a@example.com", "locale": "en", "marketing_consent": True,
             "created_at": datetime(2024, 3, 4, 23, 30, tzinfo=UTC),
             "updated_at": datetime(2024, 3, 5, tzinfo=UTC)},
            {"id": 2, "email": "b@example.com", "locale": "es", "marketing_consent": False,
             "created_at": datetime(2024, 3, 4, tzinfo=UTC),
             "updated_at": datetime(2024, 3, 5, tzinfo=UTC)}])

    with shop.engine.connect() as conn:
        customers = ex.extract_customers(conn, None, ZONE).sort_by("customer_id").to_pylist()
        warehouses = ex.extract_warehouses(conn).sort_by("warehouse_id").to_pylist()

    assert customers == [
        {"customer_id": 1, "locale": "en", "marketing_consent": True,
         "changed_at": datetime(2024, 3, 5), "registered_date_key": 20240305},
        {"customer_id": 2, "locale": "es", "marketing_consent": False,
         "changed_at": datetime(2024, 3, 5), "registered_date_key": 20240304}]
    assert [(w["code"], w["is_default"]) for w in warehouses] == [("MAD", True), ("BCN", False)]


def test_sqlite_text_with_an_utc_offset_is_read_as_utc(tmp_path):
    # Written by another client than SQLAlchemy, which stores naive UTC text.
    engine = build_engine(load_settings(database_url=f"sqlite:///{tmp_path / 'shop.db'}"))
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO customers (id, email, locale, created_at, updated_at) VALUES "
            "(1, 'a@example.com', 'es', '2024-03-04 23:30:00+01:00', '2024-03-05 10:00:00')")
        customers = ex.extract_customers(conn, None, ZONE).to_pylist()
    engine.dispose()

    assert [(c["changed_at"], c["registered_date_key"]) for c in customers] == [
        (datetime(2024, 3, 5, 10), 20240304)]


def test_staging_tables_are_temporary_and_old_persistent_ones_are_dropped(tmp_path):
    url = f"duckdb:///{tmp_path / 'wh.duckdb'}"
    wh = connect(url)
    wh.execute("CREATE TABLE stg_orders (order_id VARCHAR)")  # as versions before kept it

    ensure_schema(wh)
    staged = wh.scalar("SELECT COUNT(*) FROM stg_order_lines")
    wh.close()
    reopened = connect(url)
    names = reopened.table_names()
    reopened.close()

    assert staged == 0
    assert not {n for n in names if n.startswith("stg_")}
    assert {"fact_sales_line", "dim_date"} <= names

