"""Test doubles: in-memory implementations of the service-layer ports."""

from __future__ import annotations

from email.message import EmailMessage

from tienda.service_layer.ports import ReceivedMessage


class FakeBlobStore:
    def __init__(self) -> None:
        self.blobs: dict[tuple[str, str], tuple[bytes, str]] = {}

    def put(self, container: str, key: str, data: bytes, content_type: str) -> None:
        self.blobs[(container, key)] = (data, content_type)

    def get(self, container: str, key: str) -> bytes:
        try:
            return self.blobs[(container, key)][0]
        except KeyError:
            raise FileNotFoundError(f"{container}/{key}") from None

    def exists(self, container: str, key: str) -> bool:
        return (container, key) in self.blobs

    def signed_url(self, container: str, key: str, ttl_seconds: int) -> str:
        return f"fake://{container}/{key}?ttl={ttl_seconds}"


class FakeMailer:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        self.sent.append(message)


class FakeQueue:
    """A publisher and receiver over lists; no visibility timeouts (tests of those use Azurite)."""

    def __init__(self) -> None:
        self.queues: dict[str, list[str]] = {}
        self.poison: dict[str, list[str]] = {}

    def send(self, queue: str, body: str) -> None:
        self.queues.setdefault(queue, []).append(body)

    def receive(self, queue: str, max_messages: int, visibility_timeout: int
                ) -> list[ReceivedMessage]:
        bodies = self.queues.get(queue, [])[:max_messages]
        return [ReceivedMessage(queue, str(i), str(i), 1, body) for i, body in enumerate(bodies)]

    def delete(self, message: ReceivedMessage) -> None:
        self.queues[message.queue].remove(message.body)

    def move_to_poison(self, message: ReceivedMessage) -> None:
        self.delete(message)
        self.poison.setdefault(message.queue, []).append(message.body)
