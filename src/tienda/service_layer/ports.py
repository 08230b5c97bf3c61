"""Ports: what the use cases need from the outside world. Adapters implement them with real
technology (Azure Storage, SMTP, a database); tests implement them with ``Fake*`` classes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from types import TracebackType
from typing import Protocol, Self

from tienda.domain.cart import Cart, SellableVariant
from tienda.domain.catalog import Category, ProductCard, ProductDetail
from tienda.domain.inventory import Movement
from tienda.domain.orders import Order, OrderStatus


@dataclass(frozen=True, slots=True)
class ReceivedMessage:
    queue: str
    id: str
    pop_receipt: str
    dequeue_count: int
    body: str


@dataclass(frozen=True, slots=True)
class PeekedMessage:
    """A message looked at without taking it (no pop receipt): for the backoffice."""

    queue: str
    id: str
    dequeue_count: int
    inserted_at: datetime | None
    body: str


class QueuePublisher(Protocol):
    def send(self, queue: str, body: str) -> None: ...


class QueueReceiver(Protocol):
    def receive(self, queue: str, max_messages: int, visibility_timeout: int
                ) -> list[ReceivedMessage]: ...

    def delete(self, message: ReceivedMessage) -> None: ...

    def retry_later(self, message: ReceivedMessage, seconds: int) -> None: ...

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

    def list_products(self, category_slug: str | None, text: str | None, page: int,
                      per_page: int) -> tuple[list[ProductCard], int]: ...


class HealthProbe(Protocol):
    def check(self) -> dict[str, str]: ...


# --- payments -------------------------------------------------------------------------------

class PaymentDeclined(Exception):
    pass


class PaymentUnavailable(Exception):
    pass


class PaymentProvider(Protocol):
    name: str

    def authorize(self, token: str, amount_minor: int, currency: str) -> str:
        """Return the authorization reference; raise PaymentDeclined or PaymentUnavailable."""
        ...

    def capture(self, reference: str) -> None:
        """Idempotent per reference: capturing twice charges once."""
        ...

    def void(self, reference: str) -> None: ...

    def refund(self, reference: str) -> None: ...


# --- the unit of work -----------------------------------------------------------------------

class CartRepository(Protocol):
    def create(self, cart_id: str, token_hash: str, currency: str) -> None: ...

    def get(self, cart_id: str, for_update: bool = False) -> tuple[Cart, str] | None:
        """The cart and its token hash; ``for_update`` locks it until commit."""
        ...

    def set_line(self, cart_id: str, variant_id: int, quantity: int) -> None: ...

    def remove_line(self, cart_id: str, variant_id: int) -> bool: ...

    def mark_checked_out(self, cart_id: str, order_id: str) -> None: ...


class VariantRepository(Protocol):
    def by_sku(self, sku: str) -> SellableVariant | None: ...


class StockRepository(Protocol):
    def reserve(self, variant_id: int, sku: str, quantity: int, order_id: str) -> None:
        """Reserve atomically across warehouses (default first) or raise InsufficientStock."""
        ...

    def order_allocations(self, order_id: str) -> list[Movement]:
        """The order's reservation movements, one per variant and warehouse."""
        ...

    def apply(self, movement: Movement) -> None:
        """Record the movement in the ledger and apply it to the stock level."""
        ...


class OrderRepository(Protocol):
    def add(self, order: Order, access_token_hash: str, idempotency_key: str | None) -> bool:
        """Store ``order``; False, writing nothing, when another order has its number."""
        ...

    def get(self, order_id: str) -> Order | None: ...

    def access_token_hash(self, order_id: str) -> str | None: ...

    def by_idempotency_key(self, key: str) -> Order | None: ...

    def change_status(self, order_id: str, current: OrderStatus, wanted: OrderStatus,
                      actor: str, note: str = "") -> bool:
        """Move from ``current`` to ``wanted`` only if still ``current``; record the event."""
        ...

    def set_invoice(self, order_id: str, blob_key: str) -> None: ...

    def set_tracking(self, order_id: str, tracking_number: str) -> None: ...

    def pending_placed_before(self, moment: datetime, limit: int) -> list[str]: ...


class PaymentRepository(Protocol):
    def add(self, order_id: str, provider: str, reference: str, status: str, amount_minor: int,
            currency: str) -> None: ...

    def get(self, order_id: str) -> tuple[str, str] | None:
        """(reference, status)"""
        ...

    def set_status(self, order_id: str, status: str) -> None: ...


class Outbox(Protocol):
    added: list[str]

    def add(self, queue: str, payload: dict[str, object]) -> str:
        """Store a message to publish after commit; return its message id."""
        ...


class ProcessedMessages(Protocol):
    def claim(self, handler: str, message_id: str) -> bool:
        """True the first time; False if this handler already processed the message."""
        ...


class UnitOfWork(Protocol):
    carts: CartRepository
    variants: VariantRepository
    stock: StockRepository
    orders: OrderRepository
    payments: PaymentRepository
    outbox: Outbox
    processed: ProcessedMessages

    def __enter__(self) -> Self: ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class OutboxRelay(Protocol):
    def publish(self, message_ids: list[str]) -> int: ...

    def publish_pending(self, limit: int) -> int: ...
