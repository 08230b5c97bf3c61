"""Bodies of the operations side of the backoffice API: orders, customers, inventory, jobs,
audit and the local mailbox."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, field_validator

from tienda.entrypoints.backoffice_api.schemas import Out


class OrderRow(Out):
    id: str
    number: str
    email: str
    customer_id: int | None
    status: str
    currency: str
    total_minor: int
    placed_at: datetime
    updated_at: datetime
    tracking_number: str | None
    shipping_method: str


class OrderLine(Out):
    id: int
    variant_id: int
    sku: str
    product_name: str
    quantity: int
    unit_price_minor: int
    total_minor: int


class OrderEvent(Out):
    status_from: str | None
    status_to: str
    actor: str
    note: str
    created_at: datetime


class OrderNote(Out):
    id: int
    author: str
    text: str
    created_at: datetime


class Payment(Out):
    provider: str
    reference: str
    status: str
    amount_minor: int
    currency: str


class OrderDetail(Out):
    id: str
    number: str
    email: str
    customer_id: int | None
    status: str
    channel: str
    locale: str
    currency: str
    subtotal_minor: int
    discount_minor: int
    shipping_minor: int
    tax_minor: int
    total_minor: int
    shipping_method: str
    shipping_address: dict[str, Any]
    tracking_number: str | None
    placed_at: datetime
    updated_at: datetime
    lines: list[OrderLine]
    timeline: list[OrderEvent]
    notes: list[OrderNote]
    payment: Payment | None
    invoice_url: str | None


class ShipBody(BaseModel):
    tracking_number: Annotated[str, Field(min_length=1, max_length=100)]


class ReasonBody(BaseModel):
    reason: Annotated[str, Field(max_length=300)] = ""


class NoteBody(BaseModel):
    text: Annotated[str, Field(min_length=1, max_length=4000)]


class CustomerRow(Out):
    id: int
    email: str
    name: str
    locale: str
    marketing_consent: bool
    consent_changed_at: datetime | None
    created_at: datetime
    order_count: int


class Address(Out):
    id: int
    name: str
    line1: str
    line2: str
    city: str
    postal_code: str
    country: str
    is_default: bool


class CustomerOrder(Out):
    id: str
    number: str
    status: str
    total_minor: int
    currency: str
    placed_at: datetime


class OrdersSummary(Out):
    count: int
    total_spent_minor: int


class CustomerDetail(Out):
    id: int
    email: str
    name: str
    locale: str
    marketing_consent: bool
    consent_changed_at: datetime | None
    created_at: datetime
    addresses: list[Address]
    orders_summary: OrdersSummary
    orders: list[CustomerOrder]


class StockRow(Out):
    sku: str
    variant_id: int
    product_id: int
    product: str
    warehouse: str
    on_hand: int
    reserved: int
    available: int
    updated_at: datetime


class AdjustmentBody(BaseModel):
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    warehouse: Annotated[str, Field(min_length=1, max_length=20)]
    delta: Annotated[int, Field(ge=-1_000_000, le=1_000_000)]
    reason: Annotated[str, Field(min_length=1, max_length=300)]

    @field_validator("delta")
    @classmethod
    def _not_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("must not be zero")
        return value


class LedgerEntry(Out):
    id: int
    warehouse: str
    kind: str
    on_hand_delta: int
    reserved_delta: int
    reason: str
    order_id: str | None
    actor: str
    created_at: datetime


class QueueState(Out):
    name: str
    depth: int
    poison_depth: int


class TimerRun(Out):
    name: str
    last_started_at: datetime | None
    last_finished_at: datetime | None
    last_error: str | None


class JobsOverview(Out):
    queues: list[QueueState]
    outbox_backlog: int
    timers: list[TimerRun]
    worker_heartbeat_at: datetime | None


class PoisonMessage(Out):
    id: str
    dequeue_count: int
    inserted_at: datetime | None
    preview: str


class PoisonList(Out):
    items: list[PoisonMessage]


class AuditEntry(Out):
    id: int
    actor: str
    action: str
    entity: str
    entity_id: str
    before: Any
    after: Any
    created_at: datetime


class MailSummary(Out):
    id: str
    subject: str
    to: str
    date: datetime


class Mail(MailSummary):
    text: str
    html: str | None
