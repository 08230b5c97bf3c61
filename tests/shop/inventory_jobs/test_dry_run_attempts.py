"""The dry run commits as it goes (short transactions, so SQLite's writer lock is never held
for a whole run): a delivery after one that died mid-way, or one running beside another,
still records the findings exactly once, and the apply then changes every good row once."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from shop.inventory import job_runs
from shop.inventory.jobs import inventory_job_apply_request, inventory_job_create
from shop.inventory.models import InventoryJobChunk, InventoryJobError, StockMovement
from tests.backoffice.builders import a_staff_member
from tests.builders import ledger_matches_levels
from tests.shop.inventory_jobs.builders import Queue, csv_of, job, levels, many_variants

pytestmark = [pytest.mark.django_db, pytest.mark.azurite, pytest.mark.usefixtures("azurite")]

GOOD, BAD = 30, 5


@pytest.fixture
def small_writes(settings, monkeypatch):  # type: ignore[no-untyped-def]
    """Chunks of 4 rows and dry-run transactions of 2 rows: many commits per dry run."""
    settings.INVENTORY_JOB_CHUNK_ROWS = 4
    monkeypatch.setattr(job_runs, "DRY_RUN_WRITE_ROWS", 2)


def _import() -> tuple[int, dict[tuple[str, str], tuple[int, int]]]:
    """A queued import of GOOD rows and BAD unknown SKUs; its id and the levels applying it
    must leave."""
    skus = many_variants(GOOD, prefix="DRY", stock={"MAD": 10})
    rows = [(sku, "MAD", 20 + n, "", "") for n, sku in enumerate(skus)]
    rows[3:3] = [(f"NOPE-{n}", "MAD", 1, "", "") for n in range(BAD)]
    created = inventory_job_create(data=csv_of(rows), file_name="stock.csv",
                                   actor=a_staff_member("manager"))
    return created.pk, {(sku, "MAD"): (20 + n, 0) for n, sku in enumerate(skus)}


def _findings(job_id: int) -> tuple[list[tuple[int, str]], list[int]]:
    errors = list(InventoryJobError.objects.filter(job_id=job_id).order_by("line")
                  .values_list("line", "message"))
    chunks = list(InventoryJobChunk.objects.filter(job_id=job_id).order_by("index")
                  .values_list("index", flat=True))
    return errors, chunks


EXPECTED_ERRORS = [(5 + n, f"unknown SKU 'NOPE-{n}'") for n in range(BAD)]


def _applied_once(job_id: int, expected: dict[tuple[str, str], tuple[int, int]]) -> None:
    inventory_job_apply_request(job_id=job_id, actor=a_staff_member("manager"))
    Queue().run_all()
    done = job(job_id)
    assert (done.phase, done.status, done.rows_ok, done.rows_error) == ("apply", "done", GOOD,
                                                                        BAD)
    assert levels() == expected
    assert StockMovement.objects.filter(reason=f"import #{job_id}").count() == GOOD
    assert ledger_matches_levels()


def test_a_dry_run_that_died_midway_records_its_findings_once_when_delivered_again(
        small_writes, monkeypatch):
    job_id, expected = _import()
    queue = Queue()
    [message] = queue.pending()
    real_bulk_create, calls = InventoryJobChunk.objects.bulk_create, []

    def dies_at_the_third_chunk_write(objs, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(objs))
        if len(calls) == 3:
            raise OperationalError("database is locked")
        return real_bulk_create(objs, **kwargs)

    monkeypatch.setattr(InventoryJobChunk.objects, "bulk_create", dies_at_the_third_chunk_write)
    with pytest.raises(OperationalError):
        queue.deliver(message)
    died = job(job_id)
    partial = _findings(job_id)
    monkeypatch.setattr(InventoryJobChunk.objects, "bulk_create", real_bulk_create)

    again = queue.deliver(message)

    done = job(job_id)
    assert (died.status, died.dry_run_attempt, partial) == ("running", 1, (EXPECTED_ERRORS,
                                                                           [0, 1]))
    assert again == "done"
    assert (done.status, done.dry_run_attempt, done.rows_ok, done.rows_error,
            done.chunks_total) == ("done", 2, GOOD, BAD, 8)
    assert _findings(job_id) == (EXPECTED_ERRORS, list(range(8)))
    _applied_once(job_id, expected)


def test_a_dry_run_taken_over_by_a_second_delivery_stops_and_writes_nothing(
        small_writes, monkeypatch):
    job_id, expected = _import()
    queue = Queue()
    [message] = queue.pending()
    real_plan, inner = job_runs._plan, []

    def another_delivery_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not inner:  # the first attempt is checking rows; the message comes again
            inner.append("running")
            inner[0] = queue.deliver(message)
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(job_runs, "_plan", another_delivery_meanwhile)
    outer = queue.deliver(message)

    done = job(job_id)
    assert (inner, outer) == (["done"], "duplicate")
    assert (done.status, done.dry_run_attempt, done.rows_ok, done.rows_error,
            done.chunks_total) == ("done", 2, GOOD, BAD, 8)
    assert _findings(job_id) == (EXPECTED_ERRORS, list(range(8)))
    _applied_once(job_id, expected)


def test_an_attempt_whose_job_was_claimed_again_may_not_write(small_writes):
    job_id, _ = _import()
    first = job_runs._claim_dry_run(job_id)
    second = job_runs._claim_dry_run(job_id)

    with pytest.raises(job_runs.Superseded), job_runs._as_attempt(first):
        pass
    with job_runs._as_attempt(second) as locked:
        owner = locked.dry_run_attempt

    assert (first.dry_run_attempt, second.dry_run_attempt, owner) == (1, 2, 2)
