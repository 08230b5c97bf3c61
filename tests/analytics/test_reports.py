"""Reports over a small known history, on DuckDB and PostgreSQL warehouses."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime

import pytest

from analytics import reports
from analytics.etl import run_etl
from analytics.reports import WarehouseNotReady, open_reports_warehouse
from analytics.warehouse import connect
from shop.inventory.models import StockLevel
from shop.orders.rules import line_tax
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db(transaction=True)

START, END = date(2024, 3, 11), date(2024, 3, 17)  # Monday to Sunday


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=UTC)


def _net(gross: int) -> str:
    """Net of VAT (21%, prices include it), no shipping or discount, as a string."""
    minor = gross - line_tax(gross, 2100)
    return f"{minor / 100:.2f}"


def _cents(*amounts: str) -> str:
    return f"{sum(round(float(a) * 100) for a in amounts) / 100:.2f}"


@pytest.fixture
def wh(shop, warehouse_url):
    a, b = shop.customer(), shop.customer()
    shop.place_order([(2, 1)], customer_id=a, at=_at(5), shipping=0)  # previous period
    shop.place_order([(1, 2)], customer_id=a, at=_at(12), shipping=0)
    shop.place_order([(3, 1)], customer_id=b, at=_at(13), shipping=0)
    guest = shop.place_order([(4, 1)], at=_at(14), shipping=0)
    shop.change_status(guest, "cancelled", at=_at(15))
    StockLevel.objects.filter(variant_id=4, warehouse_id=2).update(on_hand=0, reserved=0)
    run = run_etl(now=datetime(2024, 3, 17, 12), warehouse_url=warehouse_url)
    assert run.status == "succeeded"
    with open_reports_warehouse(warehouse_url) as warehouse:
        yield warehouse


def test_kpi_tiles_compare_with_the_previous_week(wh):
    tiles = reports.kpi_tiles(wh, START, END)

    assert (tiles.start, tiles.end, tiles.previous_start, tiles.previous_end) == (
        "2024-03-11", "2024-03-17", "2024-03-04", "2024-03-10")
    assert tiles.current == {"net_sales": _cents(_net(2500), _net(1750)), "orders": 2,
                             "units": 3, "average_order_value": "21.25"}
    assert tiles.previous == {"net_sales": _net(1500), "orders": 1, "units": 1,
                              "average_order_value": "15.00"}


def test_sales_over_time_shows_the_cancellation_on_its_own_day(wh):
    days = reports.sales_over_time(wh, START, END, grain="day").current
    weeks = reports.sales_over_time(wh, START, END, grain="week").current

    assert [(d["period"], d["gross"], d["returns"], d["net"]) for d in days] == [
        ("2024-03-12", "25.00", "0.00", _net(2500)),
        ("2024-03-13", "17.50", "0.00", _net(1750)),
        ("2024-03-14", "20.00", "0.00", _net(2000)),
        ("2024-03-15", "0.00", _net(2000), f"-{_net(2000)}")]
    assert [(w["period"], w["gross"], w["net"]) for w in weeks] == [
        ("2024-03-11", "62.50", _cents(_net(2500), _net(1750)))]


def test_sales_by_category_have_margin_after_returns(wh):
    rows = reports.sales_by(wh, START, END, level="category").current

    net = _cents(_net(2500), _net(1750))
    assert [(r["name"], r["units"], r["net_sales"], r["cost"], r["margin"]) for r in rows] == [
        ("Clothes", 3, net, "17.00", _cents(net, "-17.00")),
        ("Clothes > T-shirts", 0, "0.00", "0.00", "0.00")]


def test_new_and_returning_customers_use_the_whole_history(wh):
    split = reports.new_vs_returning(wh, START, END).current

    assert split == {
        "new": {"customers": 1, "orders": 1, "net_sales": _net(1750)},
        "returning": {"customers": 1, "orders": 1, "net_sales": _net(2500)},
        "guest": {"customers": 0, "orders": 0, "net_sales": "0.00"}}


def test_cohorts_and_rfm_segments(wh):
    cohorts = reports.cohort_retention(wh, date(2024, 3, 1), date(2024, 3, 31))
    rfm = reports.rfm_segments(wh, START, END).current

    assert cohorts.current == [{"cohort": "2024-03", "customers": 2, "retention": [1.0]}]
    assert cohorts.previous == []
    assert [s["segment"] for s in rfm] == list(reports.SEGMENTS)
    assert [(s["segment"], s["customers"], s["net_sales"], s["average_scores"])
            for s in rfm if s["customers"]] == [
        ("hibernating", 2, _cents(_net(2500), _net(1750)),
         {"recency": 1.5, "frequency": 1.5, "monetary": 1.5})]


def test_abc_days_of_inventory_sell_through_and_stock_outs(wh):
    abc = reports.abc_analysis(wh, START, END).current
    cover = reports.days_of_inventory(wh, START, END).current
    through = reports.sell_through(wh, START, END).current
    outs = reports.stock_outs(wh, START, END).current

    assert [(p["product_id"], p["class"]) for p in abc["products"]] == [(2, "A")]
    assert abc["summary"]["A"]["share"] == 1.0
    assert [(c["sku"], c["available"], c["units_sold"], c["days_remaining"])
            for c in cover] == [("SKU-1", 18, 2, 63.0), ("SKU-3", 60, 1, 420.0)]
    assert (through["units_sold"], through["on_hand"], through["sell_through"]) == (
        3, 160, 0.0184)
    assert outs == {"stock_out_days": 1, "skus_affected": 1,
                    "out_of_stock": [{"sku": "SKU-4", "warehouse": "BCN", "available": 0}]}


def test_a_range_that_ends_before_it_starts_is_refused(wh):
    with pytest.raises(ValueError, match="the range ends before it starts"):
        reports.kpi_tiles(wh, END, START)


def test_the_runs_and_their_stored_reconciliation_are_listed(wh):
    runs = reports.run_history(wh)
    stored = reports.last_reconciliation(wh)

    assert [(r["run_id"], r["mode"], r["status"], r["rows_loaded"]["orders"]) for r in runs] \
        == [(1, "incremental", "succeeded", 4)]
    assert {k: stored[k] for k in ("run_id", "status", "days", "orders", "days_checked")} == {
        "run_id": 1, "status": "ok", "days": [], "orders": [], "days_checked": 5}


def test_a_warehouse_never_loaded_is_not_ready(warehouse_url):
    with pytest.raises(WarehouseNotReady, match="never been loaded"), \
            open_reports_warehouse(warehouse_url):
        pass


def test_a_duckdb_warehouse_being_refreshed_is_not_ready(tmp_path):
    url = f"duckdb:///{tmp_path / 'wh.duckdb'}"
    writer = connect(url)  # as the ETL holds it, in another process

    try:
        probe = subprocess.run(
            [sys.executable, "-c",
             "from analytics.warehouse import connect, WarehouseNotReady\n"
             f"try:\n    connect({url!r}, read_only=True)\n"
             "except WarehouseNotReady as exc:\n    print(exc)\n"],
            capture_output=True, text=True, timeout=60, check=True, cwd=ROOT)
    finally:
        writer.close()

    assert probe.stdout.strip() == "the warehouse is being refreshed"
