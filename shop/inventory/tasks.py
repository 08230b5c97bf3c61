"""The `inventory-jobs` queue's tasks: thin interfaces over shop/inventory/job_runs.py. An
apply chunk runs in the runner's transaction with its inbox row, so a redelivered message is
skipped; the dry run commits as it goes (`commits_own_work`: short transactions, see
job_runs.py), its inbox row recorded after it returns. The services themselves do nothing for
a job that is not waiting for that step, and a dry run that a later delivery took over stops.

A database or storage outage raises: the queue delivers the message again (and poisons it
after its dequeue limit). Anything else is a job that cannot go on: it ends `failed` with the
reason, and the message is consumed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import nullcontext

from azure.core.exceptions import AzureError, ResourceNotFoundError
from django.db import InterfaceError, OperationalError, transaction
from django.tasks import task

from shop.core.errors import ShopError
from shop.inventory.job_runs import (
    Superseded,
    inventory_job_apply_chunk,
    inventory_job_dry_run,
    job_fail,
)
from workers.runner import commits_own_work

logger = logging.getLogger(__name__)
RETRYABLE = (OperationalError, InterfaceError, AzureError)


def _or_fail(job_id: int, step: Callable[[], object], *, atomic: bool = True) -> None:
    try:
        with transaction.atomic() if atomic else nullcontext():
            step()
    except Superseded as exc:
        logger.info("%s", exc)
    except RETRYABLE as exc:
        if not isinstance(exc, ResourceNotFoundError):  # a missing blob stays missing
            raise
        job_fail(job_id=job_id, error=f"the job's file is gone from storage: {exc.reason}")
    except Exception as exc:
        logger.exception("inventory job %s failed", job_id)
        job_fail(job_id=job_id,
                 error=str(exc) if isinstance(exc, ShopError) else f"{type(exc).__name__}: {exc}")


@task(queue_name="inventory-jobs")
@commits_own_work
def inventory_job_dry_run_task(*, job_id: int) -> None:
    _or_fail(job_id, lambda: inventory_job_dry_run(job_id=job_id), atomic=False)


@task(queue_name="inventory-jobs")
def inventory_job_apply_chunk_task(*, job_id: int, chunk: int) -> None:
    _or_fail(job_id, lambda: inventory_job_apply_chunk(job_id=job_id, chunk=chunk))
