"""Inventory jobs as staff start them: a stock import (an uploaded CSV), a transfer between
warehouses or a receipt against a supplier reference. Each becomes one CSV in the private
`imports` container and an InventoryJob whose dry run is queued in the same transaction
(shop/inventory/job_runs.py runs it); applying is asked for here and runs chunk by chunk.

A bad file or request is refused whole with a message naming the field or line: nothing is
created. The blob is written before the transaction; if the transaction then fails, the blob
is an orphan nobody refers to, which is harmless."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction

from shop.audit.services import audit_record
from shop.core.errors import Conflict, NotFound, ShopError
from shop.inventory import imports
from shop.inventory.models import InventoryJob, InventoryJobError, Warehouse
from shop.inventory.services import actor_label

Job = InventoryJob
MAX_REFERENCE = 100


def _store(data: bytes) -> str:
    return storages["imports"].save(f"inventory-jobs/{uuid.uuid4().hex}.csv", ContentFile(data))


def _snapshot(job: InventoryJob) -> dict[str, Any]:
    return {"kind": job.kind, "phase": job.phase, "status": job.status,
            "file_name": job.file_name, "reference": job.reference, "mode": job.mode,
            "rows_total": job.rows_total}


def _create(*, kind: str, data: bytes, actor: Any, **fields: Any) -> InventoryJob:
    from shop.inventory.tasks import inventory_job_dry_run_task

    blob_name = _store(data)
    with transaction.atomic():
        job = InventoryJob.objects.create(kind=kind, blob_name=blob_name, created_by=actor,
                                          **fields)
        inventory_job_dry_run_task.enqueue(job_id=job.pk)
        audit_record(actor=actor_label(actor), action=f"inventory_job.{kind}",
                     entity="inventory_job", entity_id=job.pk, after=_snapshot(job))
    return job


def _clean_reason(reason: str | None, name: str = "reason") -> str:
    text = (reason or "").strip()
    if len(text) > imports.MAX_ROW_REASON:
        raise ShopError(f"{name}: at most {imports.MAX_ROW_REASON} characters")
    return text


def inventory_job_create(*, data: bytes, file_name: str, mode: str = "set",
                         reason: str = "", actor: Any) -> InventoryJob:
    """A stock import of `data` (a CSV of sku,warehouse,quantity[,mode][,reason]); its dry
    run is queued. `mode` is the default of rows without their own."""
    if mode not in imports.MODES:
        raise ShopError(f"mode: must be set or add, not {mode!r}")
    rows = imports.read_csv(data)
    return _create(kind=Job.Kind.IMPORT, data=data, actor=actor, mode=mode,
                   file_name=(file_name or "import.csv")[:200], reason=_clean_reason(reason),
                   rows_total=len(rows))


def _warehouse_code(code: str, name: str) -> str:
    if not Warehouse.objects.filter(code=code).exists():
        raise NotFound(f"{name}: there is no warehouse {code!r}")
    return code


def _lines_csv(warehouse: str, lines: Iterable[dict[str, Any]]) -> tuple[bytes, int]:
    rows = [(str(line["sku"]).strip(), warehouse, int(line["quantity"])) for line in lines]
    if not rows:
        raise ShopError("lines: at least one line is needed")
    if len(rows) > imports.MAX_ROWS:
        raise ShopError(f"lines: at most {imports.MAX_ROWS:,}")
    return imports.write_csv(rows), len(rows)


def inventory_transfer_create(*, from_warehouse: str, to_warehouse: str, reason: str,
                              lines: list[dict[str, Any]], actor: Any) -> InventoryJob:
    """Move units between warehouses: each line becomes one ledger pair when applied."""
    if from_warehouse == to_warehouse:
        raise ShopError("to_warehouse: must differ from from_warehouse")
    source = _warehouse_code(from_warehouse, "from_warehouse")
    target = _warehouse_code(to_warehouse, "to_warehouse")
    data, count = _lines_csv(source, lines)
    return _create(kind=Job.Kind.TRANSFER, data=data, actor=actor, mode="add",
                   file_name="transfer.csv", reason=_clean_reason(reason),
                   reference=f"{source} → {target}", to_warehouse=target, rows_total=count)


def inventory_receipt_create(*, warehouse: str, supplier_reference: str,
                             lines: list[dict[str, Any]], actor: Any) -> InventoryJob:
    """Goods in from a supplier: each line raises on hand, the reference in the ledger."""
    reference = (supplier_reference or "").strip()
    if not reference or len(reference) > MAX_REFERENCE:
        raise ShopError(f"supplier_reference: 1 to {MAX_REFERENCE} characters")
    data, count = _lines_csv(_warehouse_code(warehouse, "warehouse"), lines)
    return _create(kind=Job.Kind.RECEIPT, data=data, actor=actor, mode="add",
                   file_name="receipt.csv", reference=reference, rows_total=count)


def _refuse_apply(job: InventoryJob) -> None:
    if job.phase == Job.Phase.APPLY:
        state = "has already been applied" if job.status == Job.Status.DONE else (
            "failed while applying" if job.status == Job.Status.FAILED else "is applying")
        raise Conflict(f"inventory job {job.pk} {state}")
    if job.status != Job.Status.DONE:
        raise Conflict(f"the dry run of inventory job {job.pk} is not done "
                       f"(it is {job.status})")


@transaction.atomic
def inventory_job_apply_request(*, job_id: int, actor: Any) -> InventoryJob:
    """Apply a job whose dry run is done: its first chunk is queued in this transaction.
    Asking twice is a Conflict, never a second apply."""
    from shop.inventory.job_runs import job_finish
    from shop.inventory.tasks import inventory_job_apply_chunk_task

    job = InventoryJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        raise NotFound(f"there is no inventory job {job_id}")
    _refuse_apply(job)
    before = _snapshot(job)
    job.phase, job.status, job.cursor, job.applied_by = (
        Job.Phase.APPLY, Job.Status.QUEUED, 0, actor)
    # Rows the dry run refused are skipped: counted as processed (and in error) at once.
    job.rows_processed = job.rows_error = job.rows_total - job.rows_ok
    job.rows_ok = job.rows_changed = 0
    job.changes, job.started_at, job.finished_at = [], None, None
    if job.chunks_total == 0:
        job_finish(job)
    job.save()
    if job.chunks_total:
        inventory_job_apply_chunk_task.enqueue(job_id=job.pk, chunk=0)
    audit_record(actor=actor_label(actor), action="inventory_job.apply",
                 entity="inventory_job", entity_id=job.pk, before=before, after=_snapshot(job))
    return job


# --- reads ------------------------------------------------------------------------------------

def inventory_job_get(*, job_id: int) -> InventoryJob:
    job = InventoryJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        raise NotFound(f"there is no inventory job {job_id}")
    return job


def inventory_job_list(*, status: str | None = None, kind: str | None = None):  # type: ignore[no-untyped-def]
    jobs = InventoryJob.objects.select_related("created_by").order_by("-created_at", "-id")
    if status:
        jobs = jobs.filter(status=status)
    if kind:
        jobs = jobs.filter(kind=kind)
    return jobs


def inventory_job_errors(*, job_id: int, limit: int | None = None):  # type: ignore[no-untyped-def]
    """Error rows in line order: `limit` of them, or an iterator over all."""
    rows = (InventoryJobError.objects.filter(job_id=job_id).order_by("line", "id")
            .values("line", "sku", "warehouse", "message"))
    return list(rows[:limit]) if limit is not None else rows.iterator(chunk_size=2000)


def can_apply(job: InventoryJob) -> bool:
    return job.phase == Job.Phase.DRY_RUN and job.status == Job.Status.DONE


def progress(job: InventoryJob) -> int:
    if job.status == Job.Status.DONE:
        return 100
    return min(100, job.rows_processed * 100 // job.rows_total) if job.rows_total else 0
