"""Ports: what the use cases need from the outside world. Adapters implement them with real
technology (Azure Storage, SMTP, a database); tests implement them with ``Fake*`` classes."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from tienda.domain.catalog import Category, ProductCard, ProductDetail


@dataclass(frozen=True, slots=True)
class ReceivedMessage:
    queue: str
    id: str
    pop_receipt: str
    dequeue_count: int
    body: str


class QueuePublisher(Protocol):
    def send(self, queue: str, body: str) -> None: ...


class QueueReceiver(Protocol):
    def receive(self, queue: str, max_messages: int, visibility_timeout: int
                ) -> list[ReceivedMessage]: ...

    def delete(self, message: ReceivedMessage) -> None: ...

    def move_to_poison(self, message: ReceivedMessage) -> None: ...


class BlobStore(Protocol):
    def put(self, container: str, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, container: str, key: str) -> bytes: ...

    def exists(self, container: str, key: str) -> bool: ...

    def signed_url(self, container: str, key: str, ttl_seconds: int) -> str: ...


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class CatalogQueries(Protocol):
    def categories(self) -> list[Category]: ...

    def featured_products(self, limit: int) -> list[ProductCard]: ...

    def product_by_slug(self, slug: str) -> ProductDetail | None: ...


class HealthProbe(Protocol):
    def check(self) -> dict[str, str]: ...
