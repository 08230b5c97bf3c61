"""After any sequence of new orders, status changes, cancellations and refunds, each followed
by an incremental run, the warehouse equals a full rebuild row for row; every run reconciles;
a repeated run changes nothing. Source: the test database (SQLite or PostgreSQL); warehouses:
DuckDB and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import reports
from analytics.etl import run_etl
from tests.analytics.builders import Shop, clear_source
from tests.analytics.conftest import WarehouseReader

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2024, 3, 20, 12, 0)
_NEXT = {"pending": "confirmed", "confirmed": "shipped", "shipped": "delivered"}

new_order = st.tuples(
    st.just("order"),
    st.sampled_from(["guest", "new", "existing"]),
    st.lists(st.tuples(st.integers(1, 4), st.integers(1, 3)), min_size=1, max_size=3),
    st.sampled_from([0, 1, 60, 6 * 3600, 22 * 3600 + 1800]),  # same second ... late evening
    st.integers(0, 300),  # discount in cents
)
status_change = st.tuples(st.sampled_from(["advance", "cancel", "refund", "late"]),
                          st.integers(0, 50))
steps = st.lists(st.lists(st.one_of(new_order, status_change), min_size=1, max_size=6),
                 min_size=1, max_size=4)


def _customer(shop: Shop, choice: str) -> int | None:
    if choice == "guest" or (choice == "existing" and not shop.customers):
        return None
    return shop.customer() if choice == "new" else shop.customers[-1]


def _apply(shop: Shop, action: tuple) -> None:
    if action[0] == "order":
        _, who, lines, gap, discount = action
        shop.place_order(lines, customer_id=_customer(shop, who), at=shop.tick(gap),
                         discount=discount)
        return
    if not shop.orders:
        return
    kind, index = action
    order = shop.orders[index % len(shop.orders)]
    status = shop.status(order)
    if kind == "advance" and status in _NEXT:
        shop.change_status(order, _NEXT[status])
    elif kind == "cancel" and status in ("pending", "confirmed"):
        shop.change_status(order, "cancelled")
    elif kind == "refund" and status in ("shipped", "delivered"):
        shop.change_status(order, "refunded")
    elif kind == "late":
        # Committed now, stamped earlier (a long transaction stamps its start).
        shop.place_order([(1, 1)], at=shop.now - timedelta(minutes=5))


def _reports(url: str) -> list:
    with reports.open_reports_warehouse(url) as wh:
        return [dataclasses.asdict(report(wh, date(2024, 3, 1), date(2024, 3, 31)))
                for report in reports.REPORTS]


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=steps)
def test_incremental_runs_equal_a_full_rebuild_row_for_row(new_warehouse, history):
    clear_source()
    shop = Shop().catalog()
    incremental, rebuilt = WarehouseReader(new_warehouse()), WarehouseReader(new_warehouse())

    statuses = []
    for step in history:
        for action in step:
            _apply(shop, action)
        statuses.append(run_etl(now=NOW, warehouse_url=incremental.url).status)
    full = run_etl(full=True, now=NOW, warehouse_url=rebuilt.url)
    incremental_rows = incremental.snapshot()
    incremental_reports = _reports(incremental.url)
    again = run_etl(now=NOW, warehouse_url=incremental.url)

    assert statuses == ["succeeded"] * len(history)
    assert full.status == again.status == "succeeded"
    assert incremental_rows == rebuilt.snapshot()
    assert incremental_reports == _reports(rebuilt.url)
    assert incremental.snapshot() == incremental_rows
    assert len(incremental_rows["fact_order"]) == len(shop.orders)

