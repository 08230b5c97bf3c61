"""Transfers, receipts, stock that moves between the dry run and the apply, refusals, and a
job that cannot go on."""

from __future__ import annotations

import pytest
from django.core.files.storage import storages

from shop.audit.models import AuditEntry
from shop.core.errors import Conflict, NotFound, ShopError
from shop.inventory.jobs import (
    inventory_job_apply_request,
    inventory_job_create,
    inventory_receipt_create,
    inventory_transfer_create,
)
from shop.inventory.models import InventoryJob, InventoryJobError, StockMovement
from tests.backoffice.builders import a_staff_member
from tests.builders import a_variant, a_warehouse, ledger_matches_levels
from tests.shop.inventory_jobs.builders import Queue, csv_of, job, levels, reserve
from workers.models import OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.azurite, pytest.mark.usefixtures("azurite")]


@pytest.fixture
def shelves():  # type: ignore[no-untyped-def]
    """A, B and C with 10 on hand in MAD and 1 in BCN, through the ledger; A has 2 reserved."""
    a_warehouse("MAD")
    a_warehouse("BCN")
    for sku in ("A", "B", "C"):
        a_variant(sku)
    from shop.inventory.services import stock_adjust
    for sku in ("A", "B", "C"):
        stock_adjust(sku=sku, warehouse_code="MAD", delta=10, reason="opening", actor="test")
        stock_adjust(sku=sku, warehouse_code="BCN", delta=1, reason="opening", actor="test")
    reserve(["A"], "MAD", 2)
    return a_staff_member("manager")


def _errors(job_id: int) -> list[tuple[str, int, str]]:
    return list(InventoryJobError.objects.filter(job_id=job_id).order_by("line", "id")
                .values_list("phase", "line", "message"))


def _totals() -> dict[str, int]:
    found: dict[str, int] = {}
    for (sku, _), (on_hand, _) in levels().items():
        found[sku] = found.get(sku, 0) + on_hand
    return found


def test_a_transfer_moves_units_in_ledger_pairs_and_keeps_each_skus_total(shelves):
    queue, totals = Queue(), _totals()
    created = inventory_transfer_create(
        from_warehouse="MAD", to_warehouse="BCN", reason="rebalance", actor=shelves,
        lines=[{"sku": "A", "quantity": 5}, {"sku": "B", "quantity": 11},
               {"sku": "C", "quantity": 3}])
    queue.run_all()
    checked = job(created.pk)
    inventory_job_apply_request(job_id=created.pk, actor=shelves)
    queue.run_all()

    assert (checked.kind, checked.reference, checked.rows_ok, checked.rows_error) == (
        "transfer", "MAD → BCN", 2, 1)
    assert _errors(created.pk) == [
        ("dry_run", 3, "not enough available: only 10 of B in MAD, 11 to transfer")]
    assert _totals() == totals
    assert levels() == {("A", "MAD"): (5, 2), ("A", "BCN"): (6, 0), ("B", "MAD"): (10, 0),
                        ("B", "BCN"): (1, 0), ("C", "MAD"): (7, 0), ("C", "BCN"): (4, 0)}
    pairs = StockMovement.objects.filter(kind="transfer").order_by("id")
    assert [(m.variant.sku, m.warehouse.code, m.on_hand_delta, m.reason, m.actor)
            for m in pairs] == [
        ("A", "MAD", -5, f"transfer #{created.pk} MAD → BCN: rebalance", shelves.email),
        ("A", "BCN", 5, f"transfer #{created.pk} MAD → BCN: rebalance", shelves.email),
        ("C", "MAD", -3, f"transfer #{created.pk} MAD → BCN: rebalance", shelves.email),
        ("C", "BCN", 3, f"transfer #{created.pk} MAD → BCN: rebalance", shelves.email)]
    assert ledger_matches_levels()


def test_a_receipt_raises_on_hand_and_records_the_supplier_reference(shelves):
    queue = Queue()
    created = inventory_receipt_create(warehouse="BCN", supplier_reference="PO-2026-17",
                                       actor=shelves, lines=[{"sku": "A", "quantity": 7},
                                                             {"sku": "NOPE", "quantity": 1}])
    queue.run_all()
    inventory_job_apply_request(job_id=created.pk, actor=shelves)
    queue.run_all()

    done = job(created.pk)
    assert (done.kind, done.status, done.rows_ok, done.rows_error, done.rows_changed) == (
        "receipt", "done", 1, 1, 1)
    assert _errors(created.pk) == [("dry_run", 3, "unknown SKU 'NOPE'")]
    assert levels()[("A", "BCN")] == (8, 0)
    receipt = StockMovement.objects.get(kind="receipt")
    assert (receipt.on_hand_delta, receipt.reason) == (
        7, f"receipt #{created.pk}: supplier PO-2026-17")
    assert ledger_matches_levels()


def test_rows_that_stock_moved_under_since_the_dry_run_are_reported_not_applied(shelves):
    queue = Queue()
    imported = inventory_job_create(data=csv_of([("A", "MAD", 3, "", ""),
                                                 ("B", "MAD", 4, "", "")]),
                                    file_name="count.csv", actor=shelves)
    moved = inventory_transfer_create(from_warehouse="MAD", to_warehouse="BCN", reason="",
                                      lines=[{"sku": "C", "quantity": 6}], actor=shelves)
    queue.run_all()
    reserve(["A"], "MAD", 2)  # A: 4 reserved now, so on hand 3 would break reserved <= on hand
    reserve(["C"], "MAD", 5)  # C: 5 available now, 6 to transfer
    inventory_job_apply_request(job_id=imported.pk, actor=shelves)
    inventory_job_apply_request(job_id=moved.pk, actor=shelves)
    queue.run_all()

    assert [(job(pk).rows_ok, job(pk).rows_error) for pk in (imported.pk, moved.pk)] == [
        (1, 1), (0, 1)]
    assert _errors(imported.pk) == [
        ("apply", 2, "on hand would become 3, below the 4 reserved for placed orders in MAD")]
    assert _errors(moved.pk) == [
        ("apply", 2, "not enough available: only 5 of C in MAD, 6 to transfer")]
    assert (levels()[("A", "MAD")], levels()[("B", "MAD")], levels()[("C", "MAD")]) == (
        (10, 4), (4, 0), (10, 5))
    assert ledger_matches_levels()


def test_a_job_is_applied_once_and_only_after_its_dry_run(shelves):
    queue = Queue()
    created = inventory_job_create(data=csv_of([("A", "MAD", 2, "add", "")]),
                                   file_name="a.csv", actor=shelves)

    with pytest.raises(Conflict, match=f"the dry run of inventory job {created.pk} is not "
                                       "done \\(it is queued\\)"):
        inventory_job_apply_request(job_id=created.pk, actor=shelves)
    queue.run_all()
    inventory_job_apply_request(job_id=created.pk, actor=shelves)
    with pytest.raises(Conflict, match=f"inventory job {created.pk} is applying"):
        inventory_job_apply_request(job_id=created.pk, actor=shelves)
    queue.run_all()
    with pytest.raises(Conflict, match=f"inventory job {created.pk} has already been applied"):
        inventory_job_apply_request(job_id=created.pk, actor=shelves)

    assert levels()[("A", "MAD")] == (12, 2)
    assert list(AuditEntry.objects.filter(entity="inventory_job").order_by("id")
                .values_list("action", "actor")) == [("inventory_job.import", shelves.email),
                                                     ("inventory_job.apply", shelves.email)]


def test_a_job_with_nothing_valid_is_done_as_soon_as_it_is_applied(shelves):
    queue = Queue()
    created = inventory_job_create(data=csv_of([("NOPE", "MAD", 1, "", "")]),
                                   file_name="a.csv", actor=shelves)
    queue.run_all()

    applied = inventory_job_apply_request(job_id=created.pk, actor=shelves)

    assert (applied.phase, applied.status, applied.rows_processed, applied.rows_error) == (
        "apply", "done", 1, 1)
    assert queue.pending() == []


@pytest.mark.parametrize(("start", "error", "message"), [
    (lambda who: inventory_transfer_create(from_warehouse="MAD", to_warehouse="MAD",
                                           reason="", lines=[{"sku": "A", "quantity": 1}],
                                           actor=who),
     ShopError, "to_warehouse: must differ from from_warehouse"),
    (lambda who: inventory_transfer_create(from_warehouse="MAD", to_warehouse="XXX",
                                           reason="", lines=[{"sku": "A", "quantity": 1}],
                                           actor=who),
     NotFound, "to_warehouse: there is no warehouse 'XXX'"),
    (lambda who: inventory_receipt_create(warehouse="MAD", supplier_reference=" ",
                                          lines=[{"sku": "A", "quantity": 1}], actor=who),
     ShopError, "supplier_reference: 1 to 100 characters"),
    (lambda who: inventory_receipt_create(warehouse="MAD", supplier_reference="PO-1",
                                          lines=[], actor=who),
     ShopError, "lines: at least one line is needed"),
    (lambda who: inventory_job_create(data=b"sku;warehouse;quantity\nA;MAD;1\n",
                                      file_name="x.csv", actor=who),
     ShopError, "file: line 1 must be the header"),
    (lambda who: inventory_job_create(data=csv_of([("A", "MAD", 1, "", "")]), mode="swap",
                                      file_name="x.csv", actor=who),
     ShopError, "mode: must be set or add, not 'swap'"),
])
def test_a_bad_request_is_refused_naming_the_field_and_creates_nothing(shelves, start, error,
                                                                        message):
    with pytest.raises(error) as refused:
        start(shelves)

    assert str(refused.value).startswith(message)
    assert (InventoryJob.objects.count(), OutboxMessage.objects.count()) == (0, 0)


def test_a_job_whose_file_is_gone_ends_failed_saying_why(shelves):
    created = inventory_job_create(data=csv_of([("A", "MAD", 1, "", "")]), file_name="a.csv",
                                   actor=shelves)
    storages["imports"].delete(created.blob_name)

    outcomes = Queue().run_all()

    failed = job(created.pk)
    assert (outcomes, failed.status, failed.phase) == (["done"], "failed", "dry_run")
    assert failed.error.startswith("the job's file is gone from storage")


def test_a_dry_run_delivered_again_or_queued_twice_records_its_findings_once(shelves):
    from shop.inventory.tasks import inventory_job_dry_run_task

    queue = Queue()
    created = inventory_job_create(data=csv_of([("B", "MAD", 1, "", ""),
                                                ("NOPE", "MAD", 1, "", "")]),
                                   file_name="a.csv", actor=shelves)
    [message] = queue.pending()

    first, again = queue.deliver(message), queue.deliver(message)
    inventory_job_dry_run_task.enqueue(job_id=created.pk)
    other = queue.run_all()

    assert (first, again, other) == ("done", "duplicate", ["done"])
    assert _errors(created.pk) == [("dry_run", 3, "unknown SKU 'NOPE'")]
    assert (job(created.pk).rows_ok, job(created.pk).rows_error) == (1, 1)
