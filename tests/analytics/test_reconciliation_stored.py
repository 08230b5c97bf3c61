"""Each run reconciles only what it loaded (up to its watermark) and stores the result in
``etl_runs``: the dashboard reads it there instead of recomputing the whole history."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analytics import etl
from analytics.etl import run_etl
from analytics.reports import last_reconciliation, open_reports_warehouse
from analytics.warehouse import connect

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2024, 3, 20, 12, 0)


def _stored(url):
    with open_reports_warehouse(url) as wh:
        return last_reconciliation(wh)


def test_orders_placed_or_changed_after_the_extraction_are_not_mismatches(
        shop, warehouse_url, monkeypatch):
    shop.place_order([(3, 1)])
    loaded = shop.place_order([(1, 1)])
    extract = etl._extract
    late = []

    def extract_then_sell(*args):
        batch = extract(*args)
        # Committed after the run read the source, before it reconciles, on the same day.
        late.append(shop.place_order([(2, 2)]))
        shop.change_status(loaded, "cancelled")
        return batch

    monkeypatch.setattr(etl, "_extract", extract_then_sell)
    run = run_etl(now=NOW, warehouse_url=warehouse_url)
    monkeypatch.undo()
    following = run_etl(now=NOW, warehouse_url=warehouse_url)

    assert (run.status, run.rows["orders"], run.reconciliation.days_checked) == (
        "succeeded", 2, 1)
    assert (following.status, following.rows["orders"]) == ("succeeded", 3)
    assert len(late) == 1


def test_the_dashboard_reads_the_latest_stored_result_not_the_source_now(
        shop, warehouse_url):
    corrupted = shop.place_order([(2, 2)], at=datetime(2024, 3, 4, 10, tzinfo=UTC))
    first = run_etl(now=NOW, warehouse_url=warehouse_url)
    wh = connect(warehouse_url)
    wh.execute("UPDATE fact_sales_line SET quantity = 3 WHERE order_id = :o", {"o": corrupted})
    wh.close()
    shop.change_status(corrupted, "confirmed", at=datetime(2024, 3, 5, 10, tzinfo=UTC))
    failed = run_etl(now=NOW, warehouse_url=warehouse_url)  # reloads the order: repaired
    stored_after_failure = _stored(warehouse_url)
    shop.place_order([(1, 1)])  # not loaded yet: the stored result does not change

    stored_later = _stored(warehouse_url)

    assert (first.status, failed.status) == ("succeeded", "succeeded")
    assert stored_after_failure == stored_later
    assert {k: stored_later[k] for k in ("run_id", "status", "days", "orders")} == {
        "run_id": 2, "status": "ok", "days": [], "orders": []}


def test_a_mismatch_is_stored_with_its_days_and_orders(shop, warehouse_url):
    corrupted = shop.place_order([(2, 2)], at=datetime(2024, 3, 4, 22, 30, tzinfo=UTC))
    kept = shop.place_order([(1, 1)], at=datetime(2024, 3, 4, 10, tzinfo=UTC))
    shop.change_status(kept, "confirmed", at=datetime(2024, 3, 6, 10, tzinfo=UTC))
    run_etl(now=NOW, warehouse_url=warehouse_url)
    wh = connect(warehouse_url)
    wh.execute("UPDATE fact_sales_line SET net_amount = net_amount + 0.01 "
               "WHERE order_id = :o", {"o": corrupted})
    wh.close()
    shop.change_status(kept, "shipped", at=datetime(2024, 3, 7, 10, tzinfo=UTC))

    run = run_etl(now=NOW, warehouse_url=warehouse_url)
    stored = _stored(warehouse_url)

    assert run.status == "failed"
    assert (stored["run_id"], stored["status"], stored["days_checked"]) == (2, "mismatch", 1)
    assert [(d["date_key"], d["channel"], d["currency"], d["warehouse"]["net_minor"]
             - d["source"]["net_minor"]) for d in stored["days"]] == [
        (20240304, "web", "EUR", 1)]
    assert [(o["order_id"], o["date_key"]) for o in stored["orders"]] == [
        (corrupted, 20240304)]
