"""What the `inventory-jobs` queue runs: a job's dry run, then its apply, chunk by chunk.

Dry run: reads the job's CSV from the `imports` container, checks every row against the
catalog and the current levels, and records the errors (InventoryJobError, with the CSV line)
and the valid rows as chunks of settings.INVENTORY_JOB_CHUNK_ROWS (InventoryJobChunk).
Nothing in stock changes. It holds no transaction while it reads and checks, and writes its
findings in short transactions (DRY_RUN_WRITE_ROWS rows each), so on SQLite checkouts never
wait for a whole dry run. Each attempt is numbered when it claims the job (dry_run_attempt),
removing what an earlier, killed attempt wrote; a write by any but the current attempt is
refused (Superseded), so two deliveries at once, or one after a kill, record the findings
once. The levels it reads are advisory: applying checks every row again under lock.

Apply: one queue message per chunk; each chunk is one transaction (the runner's, shared with
its inbox row): the job row is locked, then the chunk's levels in the checkout's order
(variants by id; per variant the default warehouse first, then by id), every row is checked
again against the locked level (stock may have moved since the dry run: a row that would now
break `reserved <= on_hand` or, for a transfer, take more than is available is recorded as an
error and skipped), levels and ledger rows are written, the cursor advances and the next
chunk's message is queued. A message for any chunk but the cursor's does nothing, so a
redelivered or duplicated message never applies a chunk twice; a worker killed mid-chunk
rolls the chunk back and the queue delivers it again."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.db import connection, transaction
from django.utils import timezone

from shop.catalog.models import Variant
from shop.inventory import imports
from shop.inventory.imports import Row, RowError
from shop.inventory.models import (
    InventoryJob,
    InventoryJobChunk,
    InventoryJobError,
    MovementKind,
    StockLevel,
    StockMovement,
    Warehouse,
)
from shop.inventory.rules import Level
from shop.inventory.services import MAX_REASON

Job = InventoryJob
PREVIEW = 100
LOOKUP_BATCH = 500  # ids per IN (...) list, well under every database's parameter limit
DRY_RUN_WRITE_ROWS = 5_000  # error rows, or valid rows in chunks, per dry-run transaction
LEDGER_KIND = {Job.Kind.IMPORT: MovementKind.ADJUSTMENT, Job.Kind.RECEIPT: MovementKind.RECEIPT,
               Job.Kind.TRANSFER: MovementKind.TRANSFER}
Key = tuple[int, int]  # (variant id, warehouse id)


def _batches(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = sorted(values)
    for start in range(0, len(items), LOOKUP_BATCH):
        yield items[start:start + LOOKUP_BATCH]


def _effect(job: InventoryJob, mode: str, quantity: int, level: Level, sku: str,
            warehouse: str) -> tuple[int, str | None]:
    """(on hand after the row, or why the row is refused)."""
    if job.kind == Job.Kind.TRANSFER:
        return (level.on_hand - quantity,
                imports.short_of_available(level, quantity, sku, warehouse))
    after = imports.on_hand_after(level, mode, quantity)
    return after, imports.below_reserved(level, after, warehouse)


def _change(line: int, sku: str, warehouse: str, before: int, after: int) -> dict[str, Any]:
    return {"line": line, "sku": sku, "warehouse": warehouse, "on_hand_before": before,
            "on_hand_after": after}


def _error(job: InventoryJob, error: RowError) -> InventoryJobError:
    return InventoryJobError(job=job, phase=job.phase, line=error.line, sku=error.sku[:100],
                             warehouse=error.warehouse[:100], message=error.message[:300])


def job_finish(job: InventoryJob) -> None:
    job.status, job.finished_at = Job.Status.DONE, timezone.now()


def job_fail(*, job_id: int, error: str) -> None:
    """An unexpected error ends the job `failed`, saying why."""
    Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, error=error[:2000],
                                         finished_at=timezone.now())


def _locked_job(job_id: int, phase: str, statuses: tuple[str, ...]) -> InventoryJob | None:
    job = (Job.objects.select_for_update(of=_of()).select_related("applied_by")
           .filter(pk=job_id).first())
    return job if job is not None and job.phase == phase and job.status in statuses else None


def _of() -> tuple[str, ...]:
    return ("self",) if connection.features.has_select_for_update_of else ()


# --- dry run ----------------------------------------------------------------------------------

def _checked_rows(job: InventoryJob, data: bytes) -> tuple[list[Row], list[RowError]]:
    checked = [imports.check_row(raw, default_mode=job.mode,
                                 positive_only=job.kind != Job.Kind.IMPORT)
               for raw in imports.read_csv(data)]
    rows, duplicates = imports.first_of_each(row for row in checked if isinstance(row, Row))
    return rows, [row for row in checked if isinstance(row, RowError)] + duplicates


def _variant_ids(skus: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for batch in _batches(skus):
        found.update(Variant.objects.filter(sku__in=batch).values_list("sku", "id"))
    return found


def _levels(variant_ids: Iterable[int]) -> dict[Key, Level]:
    found: dict[Key, Level] = {}
    for batch in _batches(set(variant_ids)):
        for v, w, on_hand, reserved in StockLevel.objects.filter(variant_id__in=batch) \
                .values_list("variant_id", "warehouse_id", "on_hand", "reserved"):
            found[(v, w)] = Level(w, on_hand, reserved)
    return found


def _plan(job: InventoryJob, rows: list[Row]) -> tuple[list[list[Any]], list[RowError],
                                                       list[dict[str, Any]], int]:
    """(chunk rows of the valid rows, errors, the first changes, how many rows change)."""
    variants = _variant_ids({row.sku for row in rows})
    warehouses = dict(Warehouse.objects.values_list("code", "id"))
    levels = _levels(variants.values())
    valid, errors, changes, changed = [], [], [], 0
    for row in rows:
        variant_id, warehouse_id = variants.get(row.sku), warehouses.get(row.warehouse)
        if variant_id is None or warehouse_id is None:
            what = f"unknown SKU {row.sku!r}" if variant_id is None else (
                f"unknown warehouse {row.warehouse!r}")
            errors.append(RowError(row.line, row.sku, row.warehouse, what))
            continue
        level = levels.get((variant_id, warehouse_id), Level(warehouse_id, 0, 0))
        after, refusal = _effect(job, row.mode, row.quantity, level, row.sku, row.warehouse)
        if refusal:
            errors.append(RowError(row.line, row.sku, row.warehouse, refusal))
            continue
        valid.append([row.line, variant_id, warehouse_id, row.mode, row.quantity, row.reason,
                      row.sku, row.warehouse])
        if after != level.on_hand:
            changed += 1
            if len(changes) < PREVIEW:
                changes.append(_change(row.line, row.sku, row.warehouse, level.on_hand, after))
    return valid, errors, changes, changed


class Superseded(Exception):
    """A later attempt of this dry run took the job over (or it ended): this one stops."""


def _claim_dry_run(job_id: int) -> InventoryJob | None:
    """The job, marked running under a new attempt, with what an earlier attempt (a worker
    killed mid-way) wrote removed; None when it is not waiting for its dry run."""
    with transaction.atomic():
        job = _locked_job(job_id, Job.Phase.DRY_RUN, (Job.Status.QUEUED, Job.Status.RUNNING))
        if job is None:
            return None
        InventoryJobError.objects.filter(job=job).delete()
        InventoryJobChunk.objects.filter(job=job).delete()
        job.dry_run_attempt += 1
        job.status, job.started_at = Job.Status.RUNNING, timezone.now()
        job.save(update_fields=["dry_run_attempt", "status", "started_at"])
    return job


@contextmanager
def _as_attempt(job: InventoryJob) -> Iterator[InventoryJob]:
    """A short transaction holding the job row, if this is still its current attempt."""
    with transaction.atomic():
        locked = _locked_job(job.pk, Job.Phase.DRY_RUN, (Job.Status.RUNNING,))
        if locked is None or locked.dry_run_attempt != job.dry_run_attempt:
            raise Superseded(f"inventory job {job.pk}: dry run attempt "
                             f"{job.dry_run_attempt} was taken over")
        yield locked


def _in_slices(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def inventory_job_dry_run(*, job_id: int) -> bool:
    """Check every row of a job waiting for its dry run and record what applying would do;
    False when it is not waiting (a redelivered message). Runs outside any transaction: the
    file is read and checked with plain reads, then the findings are written a slice at a
    time, each in a short transaction (on SQLite every transaction holds the one writer lock,
    which checkouts wait for); the job is done in the last one. Raises Superseded when a
    later attempt took the job over."""
    job = _claim_dry_run(job_id)
    if job is None:
        return False
    with storages["imports"].open(job.blob_name, "rb") as blob:
        rows, errors = _checked_rows(job, blob.read())
    valid, more_errors, changes, changed = _plan(job, rows)
    errors = sorted(errors + more_errors, key=lambda error: error.line)
    size = settings.INVENTORY_JOB_CHUNK_ROWS
    chunks = [InventoryJobChunk(job=job, index=n, rows=valid[start:start + size])
              for n, start in enumerate(range(0, len(valid), size))]
    for some in _in_slices(errors, DRY_RUN_WRITE_ROWS):
        with _as_attempt(job):
            InventoryJobError.objects.bulk_create([_error(job, e) for e in some],
                                                  batch_size=1000)
    for some in _in_slices(chunks, max(1, DRY_RUN_WRITE_ROWS // size)):
        with _as_attempt(job):
            InventoryJobChunk.objects.bulk_create(some, batch_size=50)
    with _as_attempt(job) as locked:
        locked.rows_total = locked.rows_processed = len(valid) + len(errors)
        locked.rows_ok, locked.rows_error, locked.rows_changed = (
            len(valid), len(errors), changed)
        locked.chunks_total, locked.changes = len(chunks), changes
        job_finish(locked)
        locked.save()
    return True


# --- apply ------------------------------------------------------------------------------------

def _locked_levels(variant_ids: list[int]) -> tuple[dict[Key, Level], dict[Key, int]]:
    """The chunk's levels, locked in the checkout's order (shop/inventory/services.py), and
    their ids."""
    found: dict[Key, Level] = {}
    ids: dict[Key, int] = {}
    for batch in _batches(variant_ids):
        for pk, v, w, on_hand, reserved in (
                StockLevel.objects.select_for_update(of=_of()).filter(variant_id__in=batch)
                .order_by("variant_id", "-warehouse__is_default", "warehouse_id")
                .values_list("pk", "variant_id", "warehouse_id", "on_hand", "reserved")):
            found[(v, w)], ids[(v, w)] = Level(w, on_hand, reserved), pk
    return found, ids


def _ledger_reason(job: InventoryJob, row_reason: str) -> str:
    if job.kind == Job.Kind.RECEIPT:
        text = f"receipt #{job.pk}: supplier {job.reference}"
    else:
        label = f"{job.kind} #{job.pk}" + (f" {job.reference}" if job.reference else "")
        why = row_reason or job.reason
        text = f"{label}: {why}" if why else label
    return text[:MAX_REASON]


# The ORM's bulk_update builds a CASE expression per row, and bulk_create a model and its SQL
# values per row, in Python: that was most of a chunk's time, with the writer lock held on
# SQLite. Levels and ledger rows are written as one prepared statement run for many rows
# instead: plain SQL every backend runs (SQLite, PostgreSQL, SQL Server).

def _execute_many(sql: str, values: list[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _update_on_hand(values: list[tuple[int, Any, int]]) -> None:
    """(on hand, updated at, level id) for each level."""
    table, ops = StockLevel._meta.db_table, connection.ops
    _execute_many(f"UPDATE {ops.quote_name(table)} SET {ops.quote_name('on_hand')} = %s, "
                  f"{ops.quote_name('updated_at')} = %s WHERE {ops.quote_name('id')} = %s",
                  values)


LEDGER_FIELDS = ("variant", "warehouse", "kind", "on_hand_delta", "reserved_delta", "reason",
                 "order", "actor", "created_at")


def _insert_ledger(values: list[tuple[Any, ...]]) -> None:
    """One StockMovement per tuple of LEDGER_FIELDS' values."""
    meta, ops = StockMovement._meta, connection.ops
    columns = ", ".join(ops.quote_name(meta.get_field(name).column) for name in LEDGER_FIELDS)
    _execute_many(f"INSERT INTO {ops.quote_name(meta.db_table)} ({columns}) VALUES "
                  f"({', '.join(['%s'] * len(LEDGER_FIELDS))})", values)


def _write(job: InventoryJob, moves: list[tuple[int, int, int, str]],
           levels: dict[Key, Level], ids: dict[Key, int]) -> None:
    """Levels and one ledger row per move (variant, warehouse, delta, reason), all in the
    caller's transaction. The levels are locked, so their new on hand is written as a value;
    missing levels are created with it."""
    touched = {(v, w) for v, w, _, _ in moves}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    StockLevel.objects.bulk_create([
        StockLevel(variant_id=v, warehouse_id=w, on_hand=levels[(v, w)].on_hand)
        for v, w in sorted(touched - set(ids))])
    _update_on_hand([(levels[key].on_hand, now, ids[key]) for key in sorted(touched & set(ids))])
    actor, kind = (job.applied_by.email if job.applied_by else "system"), LEDGER_KIND[job.kind]
    _insert_ledger([(v, w, kind, delta, 0, reason, None, actor, now)
                    for v, w, delta, reason in moves])


def _apply_rows(job: InventoryJob, rows: list[list[Any]], levels: dict[Key, Level],
                target: int | None) -> tuple[list[tuple[int, int, int, str]], list[RowError]]:
    moves: list[tuple[int, int, int, str]] = []
    errors: list[RowError] = []
    for line, v, w, mode, quantity, reason, sku, code in rows:
        level = levels.get((v, w), Level(w, 0, 0))
        after, refusal = _effect(job, mode, quantity, level, sku, code)
        if refusal:
            errors.append(RowError(line, sku, code, refusal))
            continue
        job.rows_ok += 1
        if after == level.on_hand:
            continue
        job.rows_changed += 1
        if len(job.changes) < PREVIEW:
            job.changes.append(_change(line, sku, code, level.on_hand, after))
        why = _ledger_reason(job, reason)
        moves.append((v, w, after - level.on_hand, why))
        levels[(v, w)] = Level(w, after, level.reserved)
        if target is not None:  # a transfer: the pair's second half, into the target
            into = levels.get((v, target), Level(target, 0, 0))
            moves.append((v, target, quantity, why))
            levels[(v, target)] = Level(target, into.on_hand + quantity, into.reserved)
    return moves, errors


def inventory_job_apply_chunk(*, job_id: int, chunk: int) -> bool:
    """Apply chunk `chunk` of a job being applied and queue the next; False (nothing done)
    when it is not the job's next chunk."""
    from shop.inventory.tasks import inventory_job_apply_chunk_task

    job = _locked_job(job_id, Job.Phase.APPLY, (Job.Status.QUEUED, Job.Status.RUNNING))
    if job is None or job.cursor != chunk:
        return False
    rows = InventoryJobChunk.objects.get(job=job, index=chunk).rows
    target = (Warehouse.objects.get(code=job.to_warehouse).pk
              if job.kind == Job.Kind.TRANSFER else None)
    levels, ids = _locked_levels(sorted({row[1] for row in rows}))
    moves, errors = _apply_rows(job, rows, levels, target)
    _write(job, moves, levels, ids)
    InventoryJobError.objects.bulk_create([_error(job, e) for e in errors])
    job.rows_error += len(errors)
    job.rows_processed += len(rows)
    job.cursor += 1
    job.started_at = job.started_at or timezone.now()
    if job.cursor == job.chunks_total:
        job_finish(job)
        InventoryJobChunk.objects.filter(job=job).delete()
    else:
        job.status = Job.Status.RUNNING
        inventory_job_apply_chunk_task.enqueue(job_id=job.pk, chunk=job.cursor)
    job.save()
    return True
