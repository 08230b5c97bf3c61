"""The task backend: `some_task.enqueue(...)` writes an outbox row in the caller's transaction
and sends it to the task's Azure Storage queue once that transaction commits — during a web
request, once the response has gone out, so a shopper never waits on the queue service. If the
send fails or the process dies first, the outbox sweep timer sends it later; the inbox on the
receiving side makes the possible second send harmless."""

from __future__ import annotations

import json
import logging
import threading

from django.db import transaction
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import TaskResult, TaskResultStatus
from django.utils import timezone

from workers.models import OutboxMessage

logger = logging.getLogger(__name__)
_request = threading.local()  # outbox ids committed during the current request, if any


def envelope(message: OutboxMessage) -> bytes:
    return json.dumps({
        "v": 1,
        "id": str(message.message_id),
        "task": message.task,
        "kwargs": message.payload.get("kwargs", {}),
        "args": message.payload.get("args", []),
    }, separators=(",", ":")).encode()


class OutboxBackend(BaseTaskBackend):
    supports_defer = False
    supports_async_task = False
    supports_get_result = False
    supports_priority = False

    def enqueue(self, task, args, kwargs):  # type: ignore[no-untyped-def]
        self.validate_task(task)
        message = OutboxMessage.objects.create(
            queue=task.queue_name, task=task.module_path,
            payload={"args": list(args), "kwargs": dict(kwargs)})
        transaction.on_commit(lambda: _send_when_free(message.pk), robust=True)
        return TaskResult(
            task=task, id=str(message.message_id), status=TaskResultStatus.READY,
            enqueued_at=timezone.now(), started_at=None, finished_at=None,
            last_attempted_at=None, args=list(args), kwargs=dict(kwargs),
            backend=self.alias, errors=[], worker_ids=[])


def _send_when_free(pk: int) -> None:
    held = getattr(_request, "ids", None)
    if held is None:
        publish([pk])
    else:
        held.append(pk)


def hold_until_response(**_: object) -> None:
    """`request_started`: sends committed during this request wait for its end."""
    _request.ids = []


def send_after_response(**_: object) -> None:
    """`request_finished` (the response has been sent): send what the request committed."""
    held, _request.ids = getattr(_request, "ids", None), None
    if held:
        publish(held)


def publish(ids: list[int]) -> int:
    """Send the given outbox rows that are still unsent; returns how many were sent."""
    from workers import queues

    sent = 0
    for message in OutboxMessage.objects.filter(pk__in=ids, published_at__isnull=True):
        try:
            queues.send(message.queue, envelope(message))
        except Exception:
            logger.warning("outbox %s not sent now; the sweep will retry", message.message_id,
                           exc_info=True)
            continue
        OutboxMessage.objects.filter(pk=message.pk).update(
            published_at=timezone.now(), attempts=message.attempts + 1)
        sent += 1
    return sent


def publish_pending(limit: int = 500) -> int:
    """The outbox sweep: send up to `limit` unsent rows, oldest first; returns how many went.

    A row whose after-commit send is in flight may go twice; the runner's inbox (keyed by the
    envelope id) makes the second delivery do nothing."""
    ids = list(OutboxMessage.objects.filter(published_at__isnull=True)
               .order_by("id").values_list("pk", flat=True)[:limit])
    return publish(ids) if ids else 0


def outbox_backlog() -> int:
    return OutboxMessage.objects.filter(published_at__isnull=True).count()
