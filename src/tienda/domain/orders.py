"""Orders: the state machine, totals, and what a checkout must be given."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from tienda.domain.money import Money


class OrderStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.CONFIRMED, OrderStatus.CANCELLED}),
    OrderStatus.CONFIRMED: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED,
                                      OrderStatus.REFUNDED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED}),
    # A return after delivery: the goods come back and the payment is refunded.
    OrderStatus.DELIVERED: frozenset({OrderStatus.REFUNDED}),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.REFUNDED: frozenset(),
}


class IllegalTransition(Exception):
    def __init__(self, current: OrderStatus, wanted: OrderStatus) -> None:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "nothing"
        super().__init__(f"an order that is {current} cannot become {wanted} "
                         f"(it can become: {allowed})")
        self.current, self.wanted = current, wanted


def check_transition(current: OrderStatus, wanted: OrderStatus) -> None:
    if wanted not in TRANSITIONS[current]:
        raise IllegalTransition(current, wanted)


@dataclass(frozen=True, slots=True)
class ShippingMethod:
    code: str
    price: Money
    free_from: Money | None


def shipping_methods(currency: str) -> dict[str, ShippingMethod]:
    return {
        "standard": ShippingMethod("standard", Money(495, currency), Money(5000, currency)),
        "express": ShippingMethod("express", Money(995, currency), None),
    }


@dataclass(frozen=True, slots=True)
class PricedLine:
    variant_id: int
    sku: str
    name: str
    quantity: int
    unit_price: Money
    unit_cost: Money

    @property
    def total(self) -> Money:
        return self.unit_price.times(self.quantity)


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: Money
    discount: Money
    shipping: Money
    tax: Money
    total: Money


def price_order(lines: list[PricedLine], method: ShippingMethod, tax_rate_bp: int) -> Totals:
    """Prices include VAT; ``tax`` is the VAT part of the total, for the invoice."""
    currency = method.price.currency
    subtotal = Money.zero(currency)
    for line in lines:
        subtotal = subtotal + line.total
    free = method.free_from is not None and subtotal.minor >= method.free_from.minor
    shipping = Money.zero(currency) if free else method.price
    total = subtotal + shipping
    return Totals(subtotal, Money.zero(currency), shipping, line_tax(total, tax_rate_bp), total)


def line_tax(total: Money, tax_rate_bp: int) -> Money:
    net = (total.minor * 10000 + (10000 + tax_rate_bp) // 2) // (10000 + tax_rate_bp)
    return Money(total.minor - net, total.currency)


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    line2: str = ""


@dataclass(frozen=True, slots=True)
class OrderEvent:
    status_from: str | None
    status_to: str
    actor: str
    note: str
    created_at: datetime


@dataclass(slots=True)
class Order:
    id: str
    number: str
    email: str
    status: OrderStatus
    locale: str
    channel: str
    shipping_method: str
    shipping_address: Address
    totals: Totals
    lines: list[PricedLine]
    placed_at: datetime | None = None
    customer_id: int | None = None
    invoice_blob_key: str | None = None
    tracking_number: str | None = None
    events: list[OrderEvent] = field(default_factory=list)
