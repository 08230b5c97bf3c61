"""A real `manage.py runworker` SIGKILLed while it applies an import, or while it checks one
in the dry run, then another worker: every good row is applied exactly once, and the dry
run's findings are recorded once."""

from __future__ import annotations

import signal

import pytest

from shop.inventory.jobs import inventory_job_apply_request, inventory_job_create
from shop.inventory.models import InventoryJobChunk, InventoryJobError, StockMovement
from tests.backoffice.builders import a_staff_member
from tests.builders import ledger_matches_levels
from tests.conftest import poll
from tests.shop.inventory_jobs.builders import csv_of, job, levels, many_variants
from tests.workers.helpers import start_worker, stopping

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.azurite,
              pytest.mark.usefixtures("empty_queues")]

# Small chunks, so the apply takes long enough (one queue message per chunk) to be cut.
WORKER = {"TIENDA_INVENTORY_JOB_CHUNK_ROWS": "10", "TIENDA_WORKER_VISIBILITY_TIMEOUT": "3"}


def test_a_worker_killed_mid_apply_leaves_every_good_row_applied_once():
    skus = many_variants(600, stock={"MAD": 10, "BCN": 10})
    rows = [(sku, "MAD", 3 + n % 7, "", "") for n, sku in enumerate(skus)]
    rows += [(sku, "BCN", 2, "add", "") for sku in skus]
    rows += [("NOPE", "MAD", 1, "", "")]
    expected = {**levels(), **{(sku, code): (q if mode != "add" else 10 + q, 0)
                               for sku, code, q, mode, _ in rows[:-1]}}
    manager = a_staff_member("manager")
    created = inventory_job_create(data=csv_of(rows), file_name="stock.csv", actor=manager)

    with stopping(start_worker(**WORKER)) as worker:
        poll(lambda: job(created.pk).status == "done", 120, "the dry run")
        inventory_job_apply_request(job_id=created.pk, actor=manager)
        poll(lambda: job(created.pk).cursor >= 2, 120, "the first chunks applied")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    interrupted = job(created.pk)
    with stopping(start_worker(**WORKER)) as worker:
        poll(lambda: job(created.pk).status == "done", 240, "the apply to finish")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0

    done = job(created.pk)
    assert interrupted.cursor < interrupted.chunks_total == 120
    assert (done.phase, done.cursor, done.rows_ok, done.rows_error) == ("apply", 120, 1200, 1)
    assert levels() == expected
    changed = sum(1 for key, value in expected.items() if value != (10, 0))
    assert done.rows_changed == changed == StockMovement.objects.filter(
        reason=f"import #{created.pk}").count()
    assert ledger_matches_levels()


def test_a_worker_killed_mid_dry_run_leaves_its_findings_recorded_once():
    skus = many_variants(20_000, stock={"MAD": 10, "BCN": 10})
    rows = [(sku, code, 3 + n % 7, "", "")
            for n, sku in enumerate(skus) for code in ("MAD", "BCN")]
    rows[100:100] = [(f"NOPE-{n}", "MAD", 1, "", "") for n in range(20)]
    manager = a_staff_member("manager")
    created = inventory_job_create(data=csv_of(rows), file_name="stock.csv", actor=manager)

    with stopping(start_worker(**WORKER)) as worker:
        poll(lambda: job(created.pk).status == "running", 120, "the dry run to start")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    interrupted = job(created.pk)
    with stopping(start_worker(**WORKER)) as worker:
        poll(lambda: job(created.pk).status == "done", 240, "the dry run to finish")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0

    done = job(created.pk)
    errors = list(InventoryJobError.objects.filter(job=created.pk).order_by("line")
                  .values_list("line", "message"))
    assert (interrupted.status, interrupted.dry_run_attempt) == ("running", 1)
    assert (done.phase, done.dry_run_attempt, done.rows_ok, done.rows_error,
            done.chunks_total) == ("dry_run", 2, 40_000, 20, 4_000)
    assert errors == [(102 + n, f"unknown SKU 'NOPE-{n}'") for n in range(20)]
    assert InventoryJobChunk.objects.filter(job=created.pk).count() == 4_000
