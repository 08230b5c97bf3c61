"""The outbox relay as a request sees it: what a use case publishes goes out once the
response has been sent, so the shopper does not wait for the queue service. The message is
already committed in the outbox; if this process dies first, the outbox sweep sends it."""

from __future__ import annotations

from fastapi import BackgroundTasks

from tienda.service_layer.checkout import publish_now
from tienda.service_layer.ports import OutboxRelay


class PublishAfterResponse:
    def __init__(self, relay: OutboxRelay, tasks: BackgroundTasks) -> None:
        self._relay = relay
        self._tasks = tasks

    def publish(self, message_ids: list[str]) -> int:
        if message_ids:
            self._tasks.add_task(publish_now, self._relay, message_ids)
        return len(message_ids)

    def publish_pending(self, limit: int) -> int:
        return self._relay.publish_pending(limit)
