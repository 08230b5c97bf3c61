"""What the backoffice use cases need from storage, queues and files. Rows cross these ports as
JSON-ready dicts (they end up as JSON in the API and as before/after in the audit log)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol, Self

from tienda.domain.inventory import Movement
from tienda.service_layer.ports import PeekedMessage, ReceivedMessage

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class PageRequest:
    page: int = 1
    per_page: int = 25
    sort: str | None = None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Row]
    total: int
    page: int
    per_page: int


@dataclass(frozen=True, slots=True)
class StaffAccount:
    id: int
    email: str
    name: str
    role: str
    is_active: bool
    password_hash: str
    failed_logins: int
    locked_until: datetime | None


@dataclass(frozen=True, slots=True)
class OrderFilters:
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    customer: str | None = None
    min_total: int | None = None
    max_total: int | None = None


@dataclass(frozen=True, slots=True)
class AuditFilters:
    actor: str | None = None
    entity: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


# --- writes, inside one transaction ---------------------------------------------------------

class AuditRecorder(Protocol):
    def record(self, actor: str, action: str, entity: str, entity_id: str,
               before: Row | None, after: Row | None) -> None: ...

    def last_change(self, entity: str, entity_id: str) -> tuple[str, datetime] | None:
        """Who made the latest recorded change to the entity, and when."""
        ...


class StaffRepository(Protocol):
    def by_email(self, email: str) -> StaffAccount | None: ...

    def by_id(self, staff_id: int) -> StaffAccount | None: ...

    def record_failure(self, staff_id: int) -> int:
        """Count one more failed sign-in, atomically; return the count."""
        ...

    def lock(self, staff_id: int, until: datetime) -> None:
        """Refuse sign-ins until ``until``, and start counting failures afresh."""
        ...

    def reset_failures(self, staff_id: int) -> None: ...

    def add(self, email: str, name: str, role: str, password_hash: str) -> int: ...

    def update(self, staff_id: int, role: str, is_active: bool) -> None: ...

    def active_admins(self) -> int: ...


class SessionRepository(Protocol):
    def add(self, token_hash: str, staff_id: int, expires_at: datetime) -> None: ...

    def remove(self, token_hash: str) -> None: ...

    def remove_for_staff(self, staff_id: int) -> None: ...


class CatalogRepository(Protocol):
    def product(self, product_id: int, for_update: bool = False) -> Row | None: ...

    def add_product(self, values: Row) -> int: ...

    def update_product(self, product_id: int, expected_version: int, values: Row) -> bool:
        """Apply only if the stored version is still ``expected_version``; bump it."""
        ...

    def set_product_flags(self, product_ids: list[int], values: Row) -> list[int]: ...

    def slug_taken(self, slug: str, except_id: int | None = None) -> bool: ...

    def category_exists(self, category_id: int) -> bool: ...

    def category(self, category_id: int) -> Row | None: ...

    def category_slug_taken(self, slug: str, except_id: int | None = None) -> bool: ...

    def add_category(self, values: Row) -> int: ...

    def update_category(self, category_id: int, values: Row) -> None: ...

    def variant(self, variant_id: int) -> Row | None: ...

    def sku_taken(self, sku: str, except_id: int | None = None) -> bool: ...

    def add_variant(self, product_id: int, values: Row) -> int: ...

    def update_variant(self, variant_id: int, expected_version: int, values: Row) -> bool: ...

    def add_image(self, product_id: int, values: Row) -> int: ...

    def image(self, image_id: int) -> Row | None: ...

    def remove_image(self, image_id: int) -> None: ...


class InventoryRepository(Protocol):
    def locate(self, sku: str, warehouse: str) -> tuple[int, int]:
        """(variant id, warehouse id); NotFound naming what is unknown."""
        ...

    def level(self, variant_id: int, warehouse_id: int) -> tuple[int, int]:
        """(on hand, reserved), locked until commit; (0, 0) where there is no row yet."""
        ...

    def apply(self, movement: Movement) -> None: ...


class OrderNotes(Protocol):
    def order_exists(self, order_id: str) -> bool: ...

    def add(self, order_id: str, author: str, text: str) -> Row: ...



class BackofficeUnitOfWork(Protocol):
    audit: AuditRecorder
    staff: StaffRepository
    sessions: SessionRepository
    catalog: CatalogRepository
    inventory: InventoryRepository
    notes: OrderNotes

    def __enter__(self) -> Self: ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    def commit(self) -> None: ...


class BackofficeUnitOfWorkFactory(Protocol):
    def __call__(self) -> BackofficeUnitOfWork: ...


# --- reads ----------------------------------------------------------------------------------

class CatalogReads(Protocol):
    def products(self, q: str | None, category_id: int | None, published: bool | None,
                 page: PageRequest) -> Page: ...

    def product_detail(self, product_id: int) -> Row | None: ...

    def categories(self) -> list[Row]: ...


class OrderReads(Protocol):
    def orders(self, filters: OrderFilters, page: PageRequest) -> Page: ...

    def order_detail(self, order_id: str) -> Row | None: ...

    def export(self, filters: OrderFilters, sort: str | None) -> Iterator[Row]: ...


class CustomerReads(Protocol):
    def customers(self, q: str | None, page: PageRequest) -> Page: ...

    def customer_detail(self, customer_id: int) -> Row | None: ...


class InventoryReads(Protocol):
    def levels(self, q: str | None, warehouse: str | None, low_only: bool,
               page: PageRequest) -> Page: ...

    def level(self, sku: str, warehouse: str) -> Row | None: ...

    def ledger(self, sku: str, page: PageRequest) -> Page | None: ...


class AuditReads(Protocol):
    def entries(self, filters: AuditFilters, page: PageRequest) -> Page: ...


class StaffReads(Protocol):
    def account(self, email: str) -> StaffAccount | None: ...

    def staff_for_session(self, token_hash: str, now: datetime) -> StaffAccount | None: ...

    def staff(self) -> list[Row]: ...

    def member(self, staff_id: int) -> Row | None: ...


class JobReads(Protocol):
    def timer_runs(self) -> list[Row]: ...

    def outbox_backlog(self) -> int: ...


# --- queues, pictures, mail -----------------------------------------------------------------

class QueueInspector(Protocol):
    def depth(self, queue: str) -> int: ...

    def peek(self, queue: str, max_messages: int) -> list[PeekedMessage]: ...

    def take(self, queue: str, message_id: str, visibility_timeout: int
             ) -> ReceivedMessage | None: ...

    def send(self, queue: str, body: str) -> None: ...

    def delete(self, message: ReceivedMessage) -> None: ...


@dataclass(frozen=True, slots=True)
class PreparedPicture:
    original_jpeg: bytes
    thumbnail_jpeg: bytes
    width: int
    height: int


class Pictures(Protocol):
    def prepare(self, data: bytes) -> PreparedPicture:
        """Decode, right the orientation, re-encode as JPEG and thumbnail; ValueError with a
        message for the uploader when ``data`` is not a usable JPEG, PNG or WebP picture."""
        ...


class Mailbox(Protocol):
    def messages(self) -> list[Row]:
        """Summaries (id, subject, to, date), newest first."""
        ...

    def message(self, message_id: str) -> Row | None: ...
