"""Reports over the warehouse, as the dashboard asks for them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.azurite


def test_reports_before_any_etl_run_say_the_warehouse_is_not_ready(world):
    response = world.client.get("/api/reports/kpis", headers=world.auth("viewer"))

    assert response.status_code == 503
    assert "run `tienda etl run`" in response.json()["detail"]


def test_kpis_compare_the_range_with_the_previous_period_after_an_etl_run(world):
    world.order()
    world.warehouse_loaded()

    response = world.client.get("/api/reports/kpis?from=2026-11-01&to=2026-11-30",
                                headers=world.auth("viewer"))

    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"]) == ("2026-11-01", "2026-11-30")
    assert (body["previous_start"], body["previous_end"]) == ("2026-10-02", "2026-10-31")
    assert set(body["current"]) == {"net_sales", "orders", "units", "average_order_value"}


def test_a_range_that_ends_before_it_starts_is_a_422(world):
    world.warehouse_loaded()

    response = world.client.get("/api/reports/sales-over-time?from=2026-02-01&to=2026-01-01",
                                headers=world.auth("viewer"))

    assert response.status_code == 422
    assert response.json()["detail"] == "`to` must not be before `from`"


def test_reconciliation_reports_ok_and_the_latest_runs(world):
    world.order()
    world.warehouse_loaded()

    body = world.client.get("/api/reports/reconciliation", headers=world.auth("viewer")).json()

    assert body["status"] == "ok"
    assert body["days"] == []
    assert [run["status"] for run in body["runs"]] == ["succeeded"]
