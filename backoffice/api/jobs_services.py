"""Background work as staff see it: queue and poison depths, the outbox backlog, timers and
the worker's heartbeat; poison messages peeked, retried (sent back, then deleted) or
discarded, each audited."""

from __future__ import annotations

from typing import Any

from azure.storage.queue import QueueMessage
from django.conf import settings
from django.db import transaction

from shop.audit.services import audit_record
from shop.core.errors import NotFound
from workers import queues
from workers.models import OutboxMessage, TimerRun

POISON_SUFFIX = "-poison"
PREVIEW_CHARS = 500
PEEK_LIMIT = 32
HEARTBEAT_TIMER = "worker-heartbeat"
# Long enough to move the message, short enough that a crash mid-way only delays it.
TAKE_VISIBILITY_SECONDS = 30


def _physical_names() -> list[str]:
    return list(settings.QUEUES.values())


def _depth(name: str) -> int:
    return int(queues.queue_client(name).get_queue_properties().approximate_message_count or 0)


def jobs_overview() -> dict[str, Any]:
    timers = list(TimerRun.objects.order_by("name").values(
        "name", "last_started_at", "last_finished_at", "last_error"))
    heartbeat = next((t["last_finished_at"] for t in timers if t["name"] == HEARTBEAT_TIMER),
                     None)
    return {
        "queues": [{"name": name, "depth": _depth(name),
                    "poison_depth": _depth(name + POISON_SUFFIX)} for name in _physical_names()],
        "outbox_backlog": OutboxMessage.objects.filter(published_at__isnull=True).count(),
        "timers": timers,
        "worker_heartbeat_at": heartbeat,
    }


def _known(queue: str) -> None:
    if queue not in _physical_names():
        raise NotFound(f"there is no queue {queue!r}; known: {', '.join(_physical_names())}")


def _text(content: Any) -> str:
    if isinstance(content, bytes):
        return content.decode("utf-8", errors="replace")
    return str(content or "")


def poison_messages(*, queue: str) -> list[dict[str, Any]]:
    _known(queue)
    peeked = queues.queue_client(queue + POISON_SUFFIX).peek_messages(max_messages=PEEK_LIMIT)
    return [{"id": m.id, "dequeue_count": m.dequeue_count or 0, "inserted_at": m.inserted_on,
             "preview": _text(m.content)[:PREVIEW_CHARS]} for m in peeked]


def _take(queue: str, message_id: str) -> QueueMessage:
    """Receive the poison queue's visible messages, keep the wanted one hidden for a while and
    make the others visible again at once."""
    _known(queue)
    client = queues.queue_client(queue + POISON_SUFFIX)
    received = list(client.receive_messages(max_messages=PEEK_LIMIT,
                                            messages_per_page=PEEK_LIMIT,
                                            visibility_timeout=TAKE_VISIBILITY_SECONDS))
    wanted = None
    for message in received:
        if message.id == message_id and wanted is None:
            wanted = message
        else:
            client.update_message(message, pop_receipt=message.pop_receipt, visibility_timeout=0)
    if wanted is None:
        raise NotFound(f"there is no message {message_id} in {queue}{POISON_SUFFIX} "
                       "(already retried or discarded?)")
    return wanted


def poison_message_retry(*, queue: str, message_id: str, actor: Any) -> None:
    """Put the message back on its queue (tasks are idempotent, the inbox skips repeats),
    then delete it from the poison queue: sent before deleted, so a failure in between
    duplicates, never loses."""
    message = _take(queue, message_id)
    queues.send(queue, message.content if isinstance(message.content, bytes)
                else _text(message.content).encode())
    queues.queue_client(queue + POISON_SUFFIX).delete_message(message)
    _audit("job.retry", queue, message, actor, {"queue": queue})


def poison_message_discard(*, queue: str, message_id: str, actor: Any) -> None:
    message = _take(queue, message_id)
    queues.queue_client(queue + POISON_SUFFIX).delete_message(message)
    _audit("job.discard", queue, message, actor, {"queue": None})


@transaction.atomic
def _audit(action: str, queue: str, message: QueueMessage, actor: Any,
           after: dict[str, Any]) -> None:
    audit_record(actor=actor.email, action=action, entity="queue_message", entity_id=message.id,
                 before={"queue": queue + POISON_SUFFIX,
                         "body": _text(message.content)[:PREVIEW_CHARS]}, after=after)
