"""Extraction from the transactional database into Arrow, through Django: the values are exact
whatever the backend returns (SQLite's text timestamps and 32-digit UUIDs, PostgreSQL's aware
datetimes and UUIDs), and batches of rows add up to the whole."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from analytics import extract as ex
from analytics import source as src
from shop.customers.models import Customer
from shop.orders.models import Order
from tests.analytics.builders import stamp

pytestmark = pytest.mark.django_db(transaction=True)

ZONE = "Europe/Madrid"


def _orders(since=None):
    orders, lines = ex.extract_orders(since, ZONE)
    return orders.sort_by("placed_at").to_pylist(), lines.sort_by("order_line_id").to_pylist()


def test_orders_carry_the_first_time_they_reached_each_milestone(shop):
    placed = datetime(2024, 3, 4, 22, 30, 15, 123456, tzinfo=UTC)  # 23:30 in Madrid
    kept = shop.place_order([(1, 2), (3, 1)], at=placed)
    shop.change_status(kept, "confirmed", at=datetime(2024, 3, 5, 9, tzinfo=UTC))
    shop.change_status(kept, "confirmed", at=datetime(2024, 3, 6, 9, tzinfo=UTC))
    shop.change_status(kept, "cancelled", at=datetime(2024, 3, 7, 23, 30, tzinfo=UTC))
    untouched = shop.place_order([(2, 1)], at=datetime(2024, 3, 8, 10, tzinfo=UTC))

    orders, lines = _orders()

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

    orders, lines = _orders(since=datetime(2024, 3, 9))

    assert [(o["order_id"], o["confirmed_date_key"]) for o in orders] == [(old, 20240309)]
    assert [(line["order_id"], line["variant_id"]) for line in lines] == [(old, 1), (old, 2)]


def test_rows_are_read_in_batches_that_add_up_to_the_whole(shop, monkeypatch):
    placed = [shop.place_order([(1, 1)]) for _ in range(5)]
    monkeypatch.setattr(src, "BATCH_ROWS", 2)

    orders, _ = _orders()

    assert [o["order_id"] for o in orders] == placed


def test_customers_keep_their_booleans_and_registration_day(shop):
    Customer.objects.create(id=1, email="a@example.com", locale="en", marketing_consent=True)
    Customer.objects.create(id=2, email="b@example.com", locale="es", marketing_consent=False)
    stamp(Customer, 1, created_at=datetime(2024, 3, 4, 23, 30, tzinfo=UTC),
          updated_at=datetime(2024, 3, 5, tzinfo=UTC))
    stamp(Customer, 2, created_at=datetime(2024, 3, 4, tzinfo=UTC),
          updated_at=datetime(2024, 3, 5, tzinfo=UTC))

    customers = ex.extract_customers(None, ZONE).sort_by("customer_id").to_pylist()
    warehouses = ex.extract_warehouses().sort_by("warehouse_id").to_pylist()

    assert customers == [
        {"customer_id": 1, "locale": "en", "marketing_consent": True,
         "changed_at": datetime(2024, 3, 5), "registered_date_key": 20240305},
        {"customer_id": 2, "locale": "es", "marketing_consent": False,
         "changed_at": datetime(2024, 3, 5), "registered_date_key": 20240304}]
    assert [(w["code"], w["is_default"]) for w in warehouses] == [("MAD", True), ("BCN", False)]


def test_timestamps_written_with_an_utc_offset_are_read_as_utc(shop):
    # Written by another client than Django, which stores naive UTC text on SQLite.
    order = shop.place_order([(1, 1)])
    Customer.objects.create(id=1, email="a@example.com", locale="es")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE customers SET created_at = %s, updated_at = %s WHERE id = 1",
                       ["2024-03-04 23:30:00+01:00", "2024-03-05 10:00:00"])
        cursor.execute("UPDATE orders SET placed_at = %s", ["2024-03-04 23:30:00+01:00"])

    customers = ex.extract_customers(None, ZONE).to_pylist()
    orders, _ = _orders()

    assert [(c["changed_at"], c["registered_date_key"]) for c in customers] == [
        (datetime(2024, 3, 5, 10), 20240304)]
    assert [(o["order_id"], o["placed_at"], o["placed_date_key"]) for o in orders] == [
        (order, datetime(2024, 3, 4, 22, 30), 20240304)]
    assert Order.objects.count() == 1
