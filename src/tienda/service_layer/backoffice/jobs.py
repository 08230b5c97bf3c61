"""Background work as staff see it: queue and poison depths, poison messages with retry and
discard, the outbox backlog, timers and the worker's heartbeat; and the local mailbox."""

from __future__ import annotations

from tienda.service_layer.backoffice.context import Backoffice
from tienda.service_layer.backoffice.errors import NotFound
from tienda.service_layer.backoffice.ports import Page, PageRequest, Row
from tienda.service_layer.ports import ReceivedMessage

POISON_SUFFIX = "-poison"
PREVIEW_CHARS = 500
HEARTBEAT_TIMER = "worker-heartbeat"
# Long enough to move the message, short enough that a crash mid-way only delays it.
TAKE_VISIBILITY_SECONDS = 30


def overview(bo: Backoffice) -> Row:
    timers = bo.jobs.timer_runs()
    heartbeat = next((t["last_finished_at"] for t in timers if t["name"] == HEARTBEAT_TIMER),
                     None)
    return {
        "queues": [{"name": name, "depth": bo.queues.depth(name),
                    "poison_depth": bo.queues.depth(name + POISON_SUFFIX)}
                   for name in bo.config.queue_names],
        "outbox_backlog": bo.jobs.outbox_backlog(),
        "timers": timers,
        "worker_heartbeat_at": heartbeat,
    }


def poison_messages(bo: Backoffice, queue: str, limit: int = 32) -> list[Row]:
    _known(bo, queue)
    return [{"id": m.id, "dequeue_count": m.dequeue_count, "inserted_at": m.inserted_at,
             "preview": m.body[:PREVIEW_CHARS]}
            for m in bo.queues.peek(queue + POISON_SUFFIX, limit)]


def retry_poison(bo: Backoffice, actor: str, queue: str, message_id: str) -> None:
    """Put the message back on its queue (the handlers are idempotent), then remove it from
    the poison queue: sent before deleted, so a failure in between duplicates, never loses."""
    message = _take(bo, queue, message_id)
    bo.queues.send(queue, message.body)
    bo.queues.delete(message)
    _audit(bo, actor, "job.retry", queue, message)


def discard_poison(bo: Backoffice, actor: str, queue: str, message_id: str) -> None:
    message = _take(bo, queue, message_id)
    bo.queues.delete(message)
    _audit(bo, actor, "job.discard", queue, message)


def _known(bo: Backoffice, queue: str) -> None:
    if queue not in bo.config.queue_names:
        raise NotFound(f"there is no queue {queue!r}; known: {', '.join(bo.config.queue_names)}")


def _take(bo: Backoffice, queue: str, message_id: str) -> ReceivedMessage:
    _known(bo, queue)
    message = bo.queues.take(queue + POISON_SUFFIX, message_id, TAKE_VISIBILITY_SECONDS)
    if message is None:
        raise NotFound(f"there is no message {message_id} in {queue}{POISON_SUFFIX} "
                       "(already retried or discarded?)")
    return message


def _audit(bo: Backoffice, actor: str, action: str, queue: str,
           message: ReceivedMessage) -> None:
    with bo.uows() as uow:
        uow.audit.record(actor, action, "queue_message", message.id,
                         {"queue": queue + POISON_SUFFIX, "body": message.body[:PREVIEW_CHARS]},
                         {"queue": queue if action == "job.retry" else None})
        uow.commit()


def mailbox_page(bo: Backoffice, page: PageRequest) -> Page:
    if bo.mailbox is None:
        raise NotFound("the mailbox exists only where mail is captured locally")
    messages = bo.mailbox.messages()
    return Page(messages[page.offset:page.offset + page.per_page], len(messages), page.page,
                page.per_page)


def mail(bo: Backoffice, message_id: str) -> Row:
    message = bo.mailbox.message(message_id) if bo.mailbox is not None else None
    if message is None:
        raise NotFound(f"there is no message {message_id}")
    return message
