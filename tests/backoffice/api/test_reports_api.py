"""Reports over the warehouse, as the dashboard asks for them (legacy test_reports_api)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import free_port

pytestmark = [pytest.mark.urls("shop.urls.backoffice")]


@pytest.mark.django_db
def test_reports_before_any_etl_run_say_the_warehouse_is_not_ready(world, warehouse):
    for path in ("/api/reports/kpis", "/api/reports/reconciliation"):
        response = world.client("viewer").get(path)

        assert response.status_code == 503
        assert "run `manage.py etl_run`" in response.json()["detail"]


@pytest.mark.django_db
def test_a_range_that_ends_before_it_starts_is_a_422(world):
    response = world.client("viewer").get(
        "/api/reports/sales-over-time?from=2026-02-01&to=2026-01-01")

    assert response.status_code == 422
    assert response.json()["detail"] == "`to` must not be before `from`"


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "detail"), [
    ("from=1999-12-01&to=2000-01-10", "reports cover dates from 2000 to 2100"),
    ("from=2020-01-01&to=2026-01-01", "a report covers at most 1098 days"),
])
def test_a_range_out_of_bounds_is_a_422(world, query, detail):
    response = world.client("viewer").get(f"/api/reports/kpis?{query}")

    assert (response.status_code, response.json()["detail"]) == (422, detail)


@pytest.mark.django_db
def test_an_unknown_grain_is_a_422_naming_the_parameter(world):
    response = world.client("viewer").get("/api/reports/sales-over-time?grain=year")

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "grain"


@pytest.mark.django_db(transaction=True)  # the ETL reads the source on a thread
@pytest.mark.azurite
def test_kpis_compare_the_range_with_the_previous_period_after_an_etl_run(
        world, azurite, transactional_db, warehouse):
    world.order()
    warehouse()

    response = world.client("viewer").get("/api/reports/kpis?from=2026-11-01&to=2026-11-30")

    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"]) == ("2026-11-01", "2026-11-30")
    assert (body["previous_start"], body["previous_end"]) == ("2026-10-02", "2026-10-31")
    assert set(body["current"]) == {"net_sales", "orders", "units", "average_order_value"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.azurite
def test_reconciliation_reports_the_stored_result_and_the_latest_runs(
        world, azurite, transactional_db, warehouse):
    world.order()
    warehouse()

    viewer = world.client("viewer")
    with CaptureQueriesContext(connection) as queries:
        body = viewer.get("/api/reports/reconciliation").json()

    # The stored result of the last ETL run: the shop's orders are not read again.
    assert [q["sql"] for q in queries.captured_queries
            if re.search(r"\borders\b", q["sql"])] == []
    assert body["status"] == "ok"
    assert body["days"] == []
    assert [run["status"] for run in body["runs"]] == ["succeeded"]


@pytest.mark.django_db
def test_an_unreachable_warehouse_is_a_503_not_a_server_error(world, settings):
    settings.WAREHOUSE_URL = f"postgresql://postgres@127.0.0.1:{free_port()}/warehouse"

    response = world.client("viewer").get("/api/reports/kpis")

    assert response.status_code == 503
    assert response.json()["detail"].startswith(
        "the warehouse cannot be opened: cannot connect to the PostgreSQL warehouse")
