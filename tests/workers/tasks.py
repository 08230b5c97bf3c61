"""Tasks the worker tests run. The tests allow this module through settings (in-process) or
through tests.workers.settings (worker processes)."""

from __future__ import annotations

from django.tasks import task

from shop.audit.models import AuditEntry
from shop.audit.services import audit_record
from workers.runner import commits_own_work

NOT_A_TASK = "a module attribute that is not a task"


@task(queue_name="notifications")
def audited_task(*, key: str) -> None:
    """Leaves one audit row per run, in the runner's transaction."""
    audit_record(actor="worker-test", action="test.ran", entity="message", entity_id=key)


@task(queue_name="notifications")
def audited_then_failing_task(*, key: str) -> None:
    audit_record(actor="worker-test", action="test.ran", entity="message", entity_id=key)
    raise RuntimeError(f"task for {key} failed on purpose")


@task(queue_name="order-confirmation")
def confirmation_queue_task(*, key: str) -> None:
    audit_record(actor="worker-test", action="test.ran", entity="message", entity_id=key)


def runs(key: str | None = None) -> int:
    rows = AuditEntry.objects.filter(action="test.ran")
    return rows.filter(entity_id=key).count() if key else rows.count()


def failing_timer_job() -> None:
    raise RuntimeError("the job broke")


@task(queue_name="notifications")
@commits_own_work
def self_committing_task(*, key: str, fail: bool = False) -> None:
    """Commits its audit row itself (outside the runner's transaction), then maybe fails."""
    audit_record(actor="worker-test", action="test.ran", entity="message", entity_id=key)
    if fail:
        raise RuntimeError(f"task for {key} failed after committing")
