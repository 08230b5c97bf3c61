"""Azure Storage queues. Bodies are base64-encoded text, which is what the Functions queue
trigger decodes; a receive takes one page of up to ``max_messages``."""

from __future__ import annotations

import contextlib

from azure.core.exceptions import ResourceExistsError
from azure.storage.queue import (
    QueueClient,
    QueueServiceClient,
    TextBase64DecodePolicy,
    TextBase64EncodePolicy,
)

from tienda.service_layer.ports import PeekedMessage, ReceivedMessage

POISON_SUFFIX = "-poison"
# The most messages one peek or receive may return (a limit of the Storage Queue service).
MAX_PAGE = 32


class AzureQueues:
    """Publisher and receiver over one storage account (implements both queue ports)."""

    def __init__(self, service: QueueServiceClient) -> None:
        self._service = service
        self._clients: dict[str, QueueClient] = {}

    def client(self, queue: str) -> QueueClient:
        if queue not in self._clients:
            self._clients[queue] = self._service.get_queue_client(
                queue,
                message_encode_policy=TextBase64EncodePolicy(),
                message_decode_policy=TextBase64DecodePolicy(),
            )
        return self._clients[queue]

    def ensure(self, queues: list[str]) -> None:
        for name in queues:
            for queue in (name, name + POISON_SUFFIX):
                with contextlib.suppress(ResourceExistsError):
                    self.client(queue).create_queue()

    def send(self, queue: str, body: str) -> None:
        self.client(queue).send_message(body)

    def receive(self, queue: str, max_messages: int, visibility_timeout: int
                ) -> list[ReceivedMessage]:
        messages = self.client(queue).receive_messages(
            messages_per_page=max_messages,
            max_messages=max_messages,
            visibility_timeout=visibility_timeout,
        )
        return [
            ReceivedMessage(queue, m.id, m.pop_receipt or "", m.dequeue_count or 0, m.content)
            for m in messages
        ]

    def delete(self, message: ReceivedMessage) -> None:
        self.client(message.queue).delete_message(message.id, message.pop_receipt)

    def retry_later(self, message: ReceivedMessage, seconds: int) -> None:
        self.client(message.queue).update_message(message.id, message.pop_receipt,
                                                  visibility_timeout=seconds)

    def move_to_poison(self, message: ReceivedMessage) -> None:
        self.send(message.queue + POISON_SUFFIX, message.body)
        self.delete(message)

    def depth(self, queue: str) -> int:
        return self.client(queue).get_queue_properties().approximate_message_count or 0

    def peek(self, queue: str, max_messages: int) -> list[PeekedMessage]:
        """Look at up to ``MAX_PAGE`` messages at the head of ``queue`` without hiding them."""
        peeked = self.client(queue).peek_messages(max_messages=min(max_messages, MAX_PAGE))
        return [PeekedMessage(queue, m.id, m.dequeue_count or 0, m.inserted_on, m.content)
                for m in peeked]

    def take(self, queue: str, message_id: str, visibility_timeout: int,
             max_pages: int = 50) -> ReceivedMessage | None:
        """The message with ``message_id``, received (hidden for ``visibility_timeout``) so it
        can be deleted; None if it is not visible in ``queue``.

        Storage queues cannot fetch a message by id. This receives pages of the queue with a
        short visibility timeout until it meets the wanted message, then makes every other
        message it received visible again at once. Those have their dequeue count raised by
        one; on a poison queue nothing acts on that count, so use this on poison queues only."""
        client = self.client(queue)
        found: ReceivedMessage | None = None
        others: list[tuple[str, str]] = []
        try:
            for _ in range(max_pages):
                page = list(client.receive_messages(messages_per_page=MAX_PAGE,
                                                    max_messages=MAX_PAGE,
                                                    visibility_timeout=visibility_timeout))
                for m in page:
                    if m.id == message_id:
                        found = ReceivedMessage(queue, m.id, m.pop_receipt or "",
                                                m.dequeue_count or 0, m.content)
                    else:
                        others.append((m.id, m.pop_receipt or ""))
                if found is not None or not page:
                    break
        finally:
            for other_id, receipt in others:
                client.update_message(other_id, receipt, visibility_timeout=0)
        return found
