"""`manage.py etl_run [--full]`, run as the timer runs it: a process of its own on the run's
test database. One line per step, a row count per table, the exit status says the outcome."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from analytics.warehouse import connect
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db(transaction=True)


def etl_run(warehouse_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings.test",
           "TIENDA_TEST_CHILD": "1", "TIENDA_WAREHOUSE_URL": warehouse_url}
    return subprocess.run([sys.executable, "manage.py", "etl_run", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_run_prints_each_step_and_the_rows_of_each_table(shop, warehouse_url):
    shop.place_order([(1, 2), (2, 1)], customer_id=shop.customer(), at=datetime.now(UTC))

    done = etl_run(warehouse_url, "--full")

    lines = done.stdout.splitlines()
    assert (done.returncode, done.stderr) == (0, "")
    assert [line.split()[0] for line in lines[:4]] == ["extract", "stage", "merge", "reconcile"]
    assert all(" done in " in line for line in lines[:4])
    assert lines[4] == "ETL run 1 (full): succeeded"
    assert [line.split() for line in lines[5:13]] == [
        ["table", "rows"], ["customers", "1"], ["dates", "1"], ["order_lines", "2"],
        ["orders", "1"], ["products", "4"], ["stock", "8"], ["warehouses", "2"]]
    assert lines[13:] == ["reconciliation: the warehouse matches the shop's database"]


def test_a_reconciliation_difference_exits_1_with_one_line_naming_days_and_orders(
        shop, warehouse_url):
    corrupted = shop.place_order([(2, 2)], at=datetime(2024, 3, 4, 22, 30, tzinfo=UTC))
    kept = shop.place_order([(1, 1)], at=datetime(2024, 3, 4, 10, tzinfo=UTC))
    shop.change_status(kept, "confirmed", at=datetime(2024, 3, 6, 10, tzinfo=UTC))
    assert etl_run(warehouse_url).returncode == 0
    wh = connect(warehouse_url)
    wh.execute("UPDATE fact_sales_line SET net_amount = net_amount + 0.01 "
               "WHERE order_id = :o", {"o": corrupted})
    wh.close()
    shop.change_status(kept, "shipped", at=datetime(2024, 3, 7, 10, tzinfo=UTC))

    done = etl_run(warehouse_url)

    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"CommandError: reconciliation failed on 1 day(s): 20240304 (orders: {corrupted})"]
    assert "ETL run 2 (incremental): failed" in done.stdout


@pytest.mark.parametrize("url, message", [
    ("mysql://127.0.0.1/warehouse",
     "error: TIENDA_WAREHOUSE_URL: 'mysql://127.0.0.1/warehouse' does not match "
     "(duckdb:///|postgresql://).+"),
    ("postgresql://postgres@127.0.0.1:5432/tienda_no_such_warehouse",
     "CommandError: cannot connect to the PostgreSQL warehouse: connection failed: "),
])
def test_an_unusable_warehouse_url_exits_2_with_one_line(url, message):
    done = etl_run(url)

    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith(message)
