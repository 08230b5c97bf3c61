"""The ETL from the test database (SQLite or PostgreSQL) into DuckDB and PostgreSQL warehouses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from analytics import etl
from analytics.etl import run_etl
from analytics.reports import run_history
from analytics.warehouse import connect
from shop.catalog.models import Variant
from shop.customers.models import Customer

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2024, 3, 20, 12, 0)


def _history(url):
    wh = connect(url, read_only=True)
    try:
        return run_history(wh)
    finally:
        wh.close()


def test_a_run_loads_every_line_with_amounts_that_add_up_to_the_order_total(
        shop, warehouse):
    customer = shop.customer()
    shop.place_order([(1, 2), (2, 1)], customer_id=customer, discount=100)

    run = run_etl(now=NOW, warehouse_url=warehouse.url)

    assert (run.status, run.rows["orders"], run.rows["order_lines"]) == ("succeeded", 1, 2)
    assert warehouse.rows(
        "SELECT gross_amount, discount_amount, net_amount, tax_amount, "
        "shipping_amount, cost_amount FROM fact_sales_line ORDER BY order_line_id") == [
        (Decimal("25.00"), Decimal("0.62"), Decimal("20.15"), Decimal("4.76"),
         Decimal("2.56"), Decimal("10.00")),
        (Decimal("15.00"), Decimal("0.38"), Decimal("12.08"), Decimal("2.87"),
         Decimal("1.53"), Decimal("6.00"))]
    assert warehouse.rows("SELECT total_amount, net_amount, units, is_first_order "
                          "FROM fact_order") == [(Decimal("43.95"), Decimal("32.23"), 3, True)]


def test_an_order_placed_at_2330_store_time_lands_on_that_day(shop, warehouse):
    summer = datetime(2024, 7, 14, 21, 30, tzinfo=UTC)  # 23:30 in Madrid (UTC+2)
    winter = datetime(2024, 1, 14, 22, 30, tzinfo=UTC)  # 23:30 in Madrid (UTC+1)
    after_midnight = datetime(2024, 1, 14, 23, 0, tzinfo=UTC)  # 00:00 on the 15th
    for at in (summer, winter, after_midnight):
        shop.place_order([(1, 1)], at=at)

    run_etl(now=NOW, warehouse_url=warehouse.url)

    assert warehouse.rows("SELECT placed_date_key FROM fact_order "
                          "ORDER BY placed_date_key") == [(20240114,), (20240115,), (20240714,)]


def test_rows_sharing_the_watermark_timestamp_are_not_lost(shop, warehouse):
    same_second = shop.tick()
    shop.place_order([(1, 1)], at=same_second)
    run_etl(now=NOW, warehouse_url=warehouse.url)

    shop.place_order([(2, 1)], at=same_second)
    run = run_etl(now=NOW, warehouse_url=warehouse.url)

    assert run.status == "succeeded"
    assert warehouse.rows("SELECT COUNT(*) FROM fact_order") == [(2,)]


def test_a_row_committed_after_the_run_with_an_earlier_timestamp_is_not_lost(
        shop, warehouse):
    # A long transaction stamps its rows when it starts: this order commits after the run
    # although its updated_at is earlier than the watermark.
    started = shop.tick()
    shop.place_order([(1, 1)], at=shop.tick(30))
    run_etl(now=NOW, warehouse_url=warehouse.url)

    shop.place_order([(2, 1)], at=started)
    run_etl(now=NOW, warehouse_url=warehouse.url)

    assert warehouse.rows("SELECT COUNT(*) FROM fact_order") == [(2,)]


def test_re_running_a_batch_changes_nothing(shop, warehouse):
    customer = shop.customer()
    first = shop.place_order([(1, 2), (3, 1)], customer_id=customer)
    shop.place_order([(2, 1)], customer_id=customer)
    shop.change_status(first, "cancelled")
    run_etl(now=NOW, warehouse_url=warehouse.url)
    before = warehouse.snapshot()

    again = run_etl(now=NOW, warehouse_url=warehouse.url)
    everything_again = run_etl(now=NOW, overlap=timedelta(days=3650),
                               warehouse_url=warehouse.url)

    assert (again.status, everything_again.status) == ("succeeded", "succeeded")
    assert everything_again.rows["orders"] == 2
    assert warehouse.snapshot() == before


def test_a_crash_mid_batch_leaves_the_warehouse_unchanged_and_the_retry_completes(
        shop, warehouse, monkeypatch):
    shop.place_order([(1, 1)])
    run_etl(now=NOW, warehouse_url=warehouse.url)
    before = warehouse.snapshot()
    shop.place_order([(2, 3)])

    def crash(*args):
        raise RuntimeError("power cut")

    monkeypatch.setattr(etl, "rekey_facts", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        run_etl(now=NOW, warehouse_url=warehouse.url)
    after_crash = warehouse.snapshot()
    monkeypatch.undo()
    retry = run_etl(now=NOW, warehouse_url=warehouse.url)

    assert after_crash == before
    assert retry.status == "succeeded"
    assert warehouse.rows("SELECT SUM(quantity) FROM fact_sales_line") == [(4,)]
    assert [(r["status"], r["error"]) for r in _history(warehouse.url)] == [
        ("succeeded", None), ("failed", "RuntimeError: power cut"), ("succeeded", None)]


def test_a_cancelled_order_nets_to_zero_across_its_two_dates(shop, warehouse):
    order = shop.place_order([(1, 2), (2, 1)], at=datetime(2024, 3, 4, 10, tzinfo=UTC))
    shop.change_status(order, "cancelled", at=datetime(2024, 3, 6, 10, tzinfo=UTC))

    run_etl(now=NOW, warehouse_url=warehouse.url)

    by_day = warehouse.rows(
        "SELECT date_key, SUM(quantity), SUM(net_amount) FROM (SELECT date_key, "
        "quantity, net_amount FROM fact_sales_line UNION ALL SELECT date_key, "
        "quantity, net_amount FROM fact_return_line) x GROUP BY date_key ORDER BY date_key")
    assert by_day == [(20240304, 3, Decimal("33.06")), (20240306, -3, Decimal("-33.06"))]
    assert warehouse.rows("SELECT placed_date_key, cancelled_date_key FROM fact_order") == [
        (20240304, 20240306)]


def test_a_late_arriving_customer_gets_a_placeholder_filled_in_place(shop, warehouse):
    shop.customer()
    run_etl(now=NOW, warehouse_url=warehouse.url)
    # Imported with an old timestamp: behind the watermark, so not read by the next run.
    shop.customer("en", customer_id=7, at=shop.now - timedelta(days=2))
    order = shop.place_order([(1, 1)], customer_id=7)
    run_etl(now=NOW, warehouse_url=warehouse.url)
    placeholder = warehouse.rows("SELECT customer_key, locale, is_inferred "
                                 "FROM dim_customer WHERE customer_id = 7")

    Customer.objects.filter(pk=7).update(updated_at=shop.tick())
    run = run_etl(now=NOW, warehouse_url=warehouse.url)

    key = placeholder[0][0]
    assert placeholder == [(key, "", True)]
    assert run.status == "succeeded"
    assert warehouse.rows("SELECT customer_key, locale, is_inferred "
                          "FROM dim_customer WHERE customer_id = 7") == [(key, "en", False)]
    assert warehouse.rows("SELECT customer_key FROM fact_order WHERE order_id = :o",
                          {"o": order}) == [(key,)]


def test_a_price_change_opens_a_new_product_version_and_old_sales_keep_theirs(
        shop, warehouse):
    before = shop.place_order([(1, 1)])
    run_etl(now=NOW, warehouse_url=warehouse.url)
    Variant.objects.filter(pk=1).update(price_minor=9900, updated_at=shop.tick())
    after = shop.place_order([(1, 1)])

    run_etl(now=NOW, warehouse_url=warehouse.url)

    versions = warehouse.rows("SELECT product_key, price, is_current FROM dim_product "
                              "WHERE variant_id = 1 ORDER BY product_key")
    assert [v[1:] for v in versions] == [(Decimal("12.50"), False), (Decimal("99.00"), True)]
    keys = dict(warehouse.rows("SELECT order_id, product_key FROM fact_sales_line"))
    assert (keys[before], keys[after]) == (versions[0][0], versions[1][0])


def test_a_corrupted_warehouse_row_fails_the_run_and_names_the_day_and_order(
        shop, warehouse):
    # 23:30 in Madrid on the 4th; the later orders keep it out of the next run's window.
    corrupted = shop.place_order([(2, 2)], at=datetime(2024, 3, 4, 22, 30, tzinfo=UTC))
    kept = shop.place_order([(1, 1)], at=datetime(2024, 3, 4, 10, tzinfo=UTC))
    shop.change_status(kept, "confirmed", at=datetime(2024, 3, 6, 10, tzinfo=UTC))
    run_etl(now=NOW, warehouse_url=warehouse.url)
    wh = connect(warehouse.url)
    wh.execute("UPDATE fact_sales_line SET net_amount = net_amount + 0.01 "
               "WHERE order_id = :o", {"o": corrupted})
    wh.close()

    # The next run re-reads `kept` only, but reconciles every day it touches: the 4th.
    shop.change_status(kept, "shipped", at=datetime(2024, 3, 7, 10, tzinfo=UTC))
    run = run_etl(now=NOW, warehouse_url=warehouse.url)

    assert (run.status, run.error) == ("failed", "reconciliation: 1 day(s) differ")
    day = run.reconciliation.days[0]
    assert (day.date_key, day.channel, day.currency) == (20240304, "web", "EUR")
    assert day.warehouse["net_minor"] - day.source["net_minor"] == 1
    assert [(o.order_id, o.date_key) for o in run.reconciliation.orders] == [
        (corrupted, 20240304)]
    assert kept not in {o.order_id for o in run.reconciliation.orders}
    assert _history(warehouse.url)[0]["status"] == "failed"
