"""Everything the backoffice use cases work with, assembled once per process by the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from tienda.service_layer.backoffice.ports import (
    AuditReads,
    BackofficeUnitOfWorkFactory,
    CatalogReads,
    CustomerReads,
    InventoryReads,
    JobReads,
    Mailbox,
    OrderReads,
    Pictures,
    QueueInspector,
    StaffReads,
)
from tienda.service_layer.fulfilment import Fulfilment
from tienda.service_layer.ports import BlobStore


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class BackofficeConfig:
    currency: str
    container_media: str
    container_invoices: str
    queue_names: tuple[str, ...]
    media_base_url: str
    sas_ttl_seconds: int


@dataclass(frozen=True)
class Backoffice:
    uows: BackofficeUnitOfWorkFactory
    catalog: CatalogReads
    orders: OrderReads
    customers: CustomerReads
    inventory: InventoryReads
    audit: AuditReads
    staff: StaffReads
    jobs: JobReads
    queues: QueueInspector
    blobs: BlobStore
    pictures: Pictures
    passwords: PasswordHasher
    fulfilment: Fulfilment
    config: BackofficeConfig
    mailbox: Mailbox | None = None  # only where mail is captured locally
