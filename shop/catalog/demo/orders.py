"""Demo order history: who bought what and when, what it cost, and what happened since.

Amounts follow the shop's rules: prices include VAT; an order's ``subtotal`` is the sum of its
line totals (quantity x unit price); the order discount is shared out over the lines
(``order_lines.discount_minor``); shipping is free from 50 EUR after discount, else 4.95;
``total = subtotal - discount + shipping``; ``tax`` is the VAT inside the total (lines after
their discount, plus shipping)."""

from __future__ import annotations

import base64
import hashlib
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

from shop.catalog.demo.calendar import (
    Calendar,
    later_day_at,
    next_working_moment,
    order_moments,
)
from shop.catalog.demo.catalog import CatalogPlan
from shop.catalog.demo.people import (
    AddressPlan,
    CustomerPlan,
    address_for,
    demo_email,
    invent_person,
)

FREE_SHIPPING_FROM = 5000
STANDARD_SHIPPING = 495
SHIPPER = "manager@tienda.local"
SUPPORT = "support@tienda.local"
# Order status -> (payment status, the order status whose event last changed the payment):
# captured at confirmation, as the live confirmation handler does.
PAYMENT_STATUS = {"confirmed": ("captured", "confirmed"), "shipped": ("captured", "confirmed"),
                  "delivered": ("captured", "confirmed"), "refunded": ("refunded", "refunded"),
                  "cancelled": ("refunded", "cancelled")}
_GUEST_SHARE = 0.12
_CANCEL_REASONS = ("customer changed their mind", "duplicate order", "address could not be "
                   "verified", "ordered the wrong size")
_REFUND_REASONS = ("returned: wrong size", "returned: not as expected", "returned: damaged "
                   "in transit", "returned: changed mind")


@dataclass(frozen=True, slots=True)
class LinePlan:
    variant: int
    quantity: int
    unit_price_minor: int
    unit_cost_minor: int
    discount_minor: int
    tax_minor: int
    total_minor: int


@dataclass(frozen=True, slots=True)
class EventPlan:
    status_from: str | None
    status_to: str
    actor: str
    note: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Amounts:
    subtotal: int
    discount: int
    shipping: int
    tax: int
    total: int


@dataclass(frozen=True, slots=True)
class OrderPlan:
    id: str
    number: str
    customer: int | None
    email: str
    locale: str
    channel: str
    address: AddressPlan
    amounts: Amounts
    lines: tuple[LinePlan, ...]
    events: tuple[EventPlan, ...]
    tracking_number: str | None
    access_token_hash: str
    payment_reference: str

    @property
    def status(self) -> str:
        return self.events[-1].status_to

    @property
    def placed_at(self) -> datetime:
        return self.events[0].at

    @property
    def updated_at(self) -> datetime:
        return self.events[-1].at

    def reached(self, status: str) -> datetime | None:
        return next((e.at for e in self.events if e.status_to == status), None)


@dataclass(frozen=True, slots=True)
class _Shop:
    """What every order draws on, gathered once."""

    catalog: CatalogPlan
    customers: tuple[CustomerPlan, ...]
    calendar: Calendar
    tax_rate_bp: int
    variant_weights: list[float]
    customer_weights: list[float]


def plan_orders(rng: random.Random, catalog: CatalogPlan, customers: tuple[CustomerPlan, ...],
                calendar: Calendar, count: int, tax_rate_bp: int) -> tuple[OrderPlan, ...]:
    shop = _Shop(catalog, customers, calendar, tax_rate_bp,
                 list(accumulate(v.popularity for v in catalog.variants)),
                 list(accumulate(c.loyalty for c in customers)))
    moments = order_moments(rng, calendar, count)
    return tuple(_order(rng, shop, number, placed_at)
                 for number, placed_at in enumerate(moments, start=1))


def _order(rng: random.Random, shop: _Shop, number: int, placed_at: datetime) -> OrderPlan:
    customer, email, locale, address = _buyer(rng, shop, number)
    items = _basket(rng, shop)
    discount_bp, code = _promotion(rng, shop.calendar, placed_at)
    lines, amounts = price_order(items, discount_bp, shop.tax_rate_bp)
    tracking = f"TND{rng.randrange(10**10):010d}ES"
    events = _history(rng, shop.calendar, placed_at, f"code {code}" if code else "", tracking)
    token = base64.urlsafe_b64encode(rng.getrandbits(256).to_bytes(32, "big")).decode()
    return OrderPlan(
        id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), number=f"T-{number:06d}",
        customer=customer, email=email, locale=locale,
        channel="api" if rng.random() < 0.12 else "web", address=address, amounts=amounts,
        lines=lines, events=events,
        tracking_number=tracking if any(e.status_to == "shipped" for e in events) else None,
        access_token_hash=hashlib.sha256(token.encode()).hexdigest(),
        payment_reference=f"sbx_{rng.getrandbits(64):016x}",
    )


def _buyer(rng: random.Random, shop: _Shop, number: int
           ) -> tuple[int | None, str, str, AddressPlan]:
    if rng.random() < _GUEST_SHARE or not shop.customers or shop.customer_weights[-1] == 0:
        person = invent_person(rng)
        address = address_for(rng, person.full_name)
        return None, demo_email(person, number, "example.net"), person.locale, address
    index = rng.choices(range(len(shop.customers)), cum_weights=shop.customer_weights)[0]
    customer = shop.customers[index]
    address = customer.addresses[0] if rng.random() < 0.85 else rng.choice(customer.addresses)
    return index, customer.email, customer.locale, address


def _basket(rng: random.Random, shop: _Shop) -> list[tuple[int, int, int, int]]:
    """(variant index, quantity, unit price, unit cost) for one to five distinct variants."""
    wanted = rng.choices((1, 2, 3, 4, 5), weights=(52, 28, 12, 5, 3))[0]
    variants = shop.catalog.variants
    picked: list[int] = []
    for _ in range(wanted * 3):
        index = rng.choices(range(len(variants)), cum_weights=shop.variant_weights)[0]
        if index not in picked:
            picked.append(index)
        if len(picked) == wanted:
            break
    return [(i, _quantity(rng, variants[i].sku), variants[i].price_minor,
             variants[i].cost_minor) for i in picked]


def _quantity(rng: random.Random, sku: str) -> int:
    if sku.startswith("MUG"):
        return rng.choices((1, 2, 4), weights=(70, 20, 10))[0]
    return rng.choices((1, 2, 3), weights=(85, 11, 4))[0]


def _promotion(rng: random.Random, calendar: Calendar, placed_at: datetime
               ) -> tuple[int, str | None]:
    """(discount in basis points, code used): 20% off in Black Friday week for most buyers,
    10% with a welcome code now and then."""
    if calendar.promotion_day(calendar.local(placed_at).date()) is not None:
        if rng.random() < 0.6:
            return 2000, "BLACKFRIDAY"
    elif rng.random() < 0.07:
        return 1000, "BIENVENIDA10"
    return 0, None


def price_order(items: list[tuple[int, int, int, int]], discount_bp: int, tax_rate_bp: int
                ) -> tuple[tuple[LinePlan, ...], Amounts]:
    gross = [quantity * price for _, quantity, price, _ in items]
    subtotal = sum(gross)
    discount = (subtotal * discount_bp + 5000) // 10_000
    shares = _share(discount, gross)
    lines = tuple(
        LinePlan(variant, quantity, price, cost, share,
                 vat_included(line_gross - share, tax_rate_bp), line_gross)
        for (variant, quantity, price, cost), line_gross, share in zip(items, gross, shares,
                                                                         strict=True)
    )
    shipping = 0 if subtotal - discount >= FREE_SHIPPING_FROM else STANDARD_SHIPPING
    tax = sum(line.tax_minor for line in lines) + vat_included(shipping, tax_rate_bp)
    return lines, Amounts(subtotal, discount, shipping, tax, subtotal - discount + shipping)


def vat_included(gross: int, tax_rate_bp: int) -> int:
    """The VAT inside a VAT-inclusive amount, rounded half up to the minor unit."""
    return (gross * tax_rate_bp * 2 + 10_000 + tax_rate_bp) // (2 * (10_000 + tax_rate_bp))


def _share(amount: int, weights: list[int]) -> list[int]:
    """``amount`` split in proportion to ``weights``, in whole minor units that add up."""
    total = sum(weights)
    if total == 0:
        return [0] * len(weights)
    shares = [amount * w // total for w in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: -(amount * weights[i] % total))
    for i in by_remainder[: amount - sum(shares)]:
        shares[i] += 1
    return shares


def _history(rng: random.Random, calendar: Calendar, placed_at: datetime, note: str,
             tracking: str) -> tuple[EventPlan, ...]:
    """Status changes from placement on, keeping only those that happened before the cutoff."""
    confirmed_at = placed_at + timedelta(seconds=rng.randint(20, 180))
    if confirmed_at >= calendar.cutoff:
        confirmed_at = placed_at + (calendar.cutoff - placed_at) / 2
    events = [EventPlan(None, "pending", "customer", note, placed_at),
              EventPlan("pending", "confirmed", "system", "payment captured", confirmed_at)]
    events += _after_confirmation(rng, calendar, confirmed_at, tracking)
    return tuple(e for e in events if e.at < calendar.cutoff)


def _after_confirmation(rng: random.Random, calendar: Calendar, confirmed_at: datetime,
                        tracking: str) -> list[EventPlan]:
    if rng.random() < 0.035:
        cancelled_at = confirmed_at + timedelta(minutes=rng.randint(10, 20 * 60))
        actor = "customer" if rng.random() < 0.6 else SUPPORT
        return [EventPlan("confirmed", "cancelled", actor, rng.choice(_CANCEL_REASONS),
                          cancelled_at)]
    local_day = calendar.local(confirmed_at).date()
    backlog = 1 if calendar.promotion_day(local_day) is not None and rng.random() < 0.5 else 0
    shipped_at = next_working_moment(rng, calendar, confirmed_at, backlog)
    delivered_at = later_day_at(rng, calendar, shipped_at, rng.choice((1, 1, 2, 2, 3)), (9, 20))
    events = [EventPlan("confirmed", "shipped", SHIPPER, f"tracking {tracking}", shipped_at),
              EventPlan("shipped", "delivered", "system", "delivered by carrier", delivered_at)]
    if rng.random() < 0.03:
        refunded_at = later_day_at(rng, calendar, delivered_at, rng.randint(2, 20), (10, 18))
        events.append(EventPlan("delivered", "refunded", SUPPORT, rng.choice(_REFUND_REASONS),
                                refunded_at))
    return events


def signup_times(rng: random.Random, calendar: Calendar, orders: tuple[OrderPlan, ...],
                 customers: int) -> list[datetime]:
    """When each customer registered: before their first order, or any time for those who
    never ordered."""
    first: dict[int, datetime] = {}
    for order in orders:
        if order.customer is not None:
            first.setdefault(order.customer, order.placed_at)
    earliest = calendar.start - timedelta(days=365)
    times = []
    for index in range(customers):
        if index in first:
            before = timedelta(minutes=rng.randint(2, 60 * 24 * 90))
            times.append(max(earliest, first[index] - before))
        else:
            span = (calendar.cutoff - earliest).total_seconds()
            times.append(earliest + timedelta(seconds=int(rng.random() * span)))
    return times
