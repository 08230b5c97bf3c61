"""A 10,000-row stock import with 50 bad rows, through the real runner: the dry run reports
exactly the bad rows with their CSV lines and changes nothing; applying changes every other
row once, even when messages are delivered again."""

from __future__ import annotations

import pytest

from shop.inventory.jobs import inventory_job_apply_request, inventory_job_create
from shop.inventory.models import InventoryJobError, StockMovement
from shop.inventory.tasks import inventory_job_apply_chunk_task
from tests.backoffice.builders import a_staff_member
from tests.builders import ledger_matches_levels
from tests.shop.inventory_jobs.builders import (
    Queue,
    csv_of,
    job,
    levels,
    many_variants,
    reserve,
)

pytestmark = [pytest.mark.django_db, pytest.mark.azurite, pytest.mark.usefixtures("azurite")]

VARIANTS = 5_000
RESERVED = 8
BAD_KINDS = 50


def _good_rows(skus: list[str]) -> list[tuple[object, ...]]:
    """A row for each (sku, warehouse) but the last 25 variants': MAD set, BCN add."""
    rows: list[tuple[object, ...]] = []
    for n, sku in enumerate(skus[:-25]):
        rows.append((sku, "MAD", 8 + n % 13, "", "recount"))
        rows.append((sku, "BCN", 1 + n % 5, "add", ""))
    return rows


def _bad_rows(skus: list[str]) -> list[tuple[tuple[object, ...], str]]:
    """Fifty rows, each with the message the dry run must give; the below-reserved ones use
    the last variants (no good row of theirs), the duplicates repeat the first good rows."""
    bad = [((f"NOPE-{n}", "MAD", 5, "", ""), f"unknown SKU 'NOPE-{n}'") for n in range(8)]
    bad += [((skus[n], "XXX", 5, "", ""), "unknown warehouse 'XXX'") for n in range(7)]
    bad += [((skus[n], "MAD", "1.5", "", ""), "quantity '1.5' is not a whole number")
            for n in range(6)]
    bad += [((skus[n], "MAD", -4, "set", ""), "an absolute count cannot be negative (-4)")
            for n in range(6)]
    bad += [((skus[n], "BCN", 0, "add", ""), "a delta of zero changes nothing")
            for n in range(6)]
    bad += [((sku, "MAD", 5, "set", ""), "on hand would become 5, below the 8 reserved for "
             "placed orders in MAD") for sku in skus[-6:]]
    bad += [((skus[n], "MAD", 3, "", ""), f"duplicate of line {2 + 2 * n} (same sku and "
             "warehouse)") for n in range(6)]
    bad += [((skus[n], "", 5, "", ""), "missing warehouse") for n in range(5)]
    assert len(bad) == BAD_KINDS
    return bad


def _file(skus: list[str]) -> tuple[bytes, list[tuple[int, str, str, str]], dict]:
    """The import, the bad rows' (line, sku, warehouse, message) and the levels expected
    after applying it."""
    rows, bad = _good_rows(skus), _bad_rows(skus)
    expected_errors = []
    for k, (row, message) in enumerate(bad):
        position = 100 + k * 199  # after every good row it could duplicate
        rows.insert(position, row)
        expected_errors.append((position + 2, str(row[0]), str(row[1]), message))
    expected = levels()
    for sku, code, quantity, mode, _ in _good_rows(skus):
        on_hand, reserved = expected[(sku, code)]
        expected[(sku, code)] = (quantity if mode != "add" else on_hand + quantity, reserved)
    return csv_of(rows), expected_errors, expected


@pytest.fixture
def stocked() -> list[str]:
    skus = many_variants(VARIANTS, stock={"MAD": 10, "BCN": 10})
    reserve(skus[-6:], "MAD", RESERVED)
    return skus


def test_the_dry_run_reports_exactly_the_50_bad_rows_by_line_and_changes_nothing(stocked):
    data, expected_errors, _ = _file(stocked)
    before, movements = levels(), StockMovement.objects.count()
    manager = a_staff_member("manager")

    created = inventory_job_create(data=data, file_name="stock.csv", actor=manager)
    outcomes = Queue().run_all()

    checked = job(created.pk)
    assert outcomes == ["done"]
    assert (checked.phase, checked.status, checked.rows_total, checked.rows_ok,
            checked.rows_error) == ("dry_run", "done", 10_000, 9_950, 50)
    assert list(InventoryJobError.objects.filter(job=checked).order_by("line").values_list(
        "line", "sku", "warehouse", "message")) == expected_errors
    assert checked.changes[0] == {"line": 2, "sku": stocked[0], "warehouse": "MAD",
                                  "on_hand_before": 10, "on_hand_after": 8}
    assert len(checked.changes) == 100
    assert (levels(), StockMovement.objects.count()) == (before, movements)


def test_applying_changes_every_good_row_once_even_when_messages_come_again(
        stocked, settings):
    settings.INVENTORY_JOB_CHUNK_ROWS = 2_000
    data, _, expected = _file(stocked)
    manager = a_staff_member("manager")
    queue = Queue()
    created = inventory_job_create(data=data, file_name="stock.csv", actor=manager)
    queue.run_all()
    inventory_job_apply_request(job_id=created.pk, actor=manager)

    first = queue.pending()[0]
    outcomes = [queue.deliver(first), queue.run_all(), queue.deliver(first)]
    resent = inventory_job_apply_chunk_task.enqueue(job_id=created.pk, chunk=0)
    again = queue.run_all()

    applied = job(created.pk)
    now = levels()
    changed = sum(1 for key, (on_hand, _) in expected.items() if now[key][0] != 10)
    assert outcomes == ["done", ["done"] * 4, "duplicate"]
    assert (again, resent.kwargs) == (["done"], {"job_id": created.pk, "chunk": 0})
    assert (applied.phase, applied.status, applied.cursor, applied.chunks_total) == (
        "apply", "done", 5, 5)
    assert (applied.rows_processed, applied.rows_ok, applied.rows_error) == (10_000, 9_950, 50)
    assert now == expected
    assert applied.rows_changed == changed == StockMovement.objects.filter(
        reason__startswith=f"import #{created.pk}").count()
    recounted = sum(1 for n in range(VARIANTS - 25) if 8 + n % 13 != 10)
    assert StockMovement.objects.filter(reason=f"import #{created.pk}: recount",
                                        actor=manager.email).count() == recounted
    assert ledger_matches_levels()
