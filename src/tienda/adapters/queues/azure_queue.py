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

from tienda.service_layer.ports import ReceivedMessage

POISON_SUFFIX = "-poison"


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
