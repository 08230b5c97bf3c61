"""Writes a planned demo shop with the ORM: `bulk_create` in chunks, ids read back by natural
key (slug, SKU, e-mail, code) rather than relying on bulk-insert RETURNING, which not every
backend gives (SQL Server). Called inside the seed's one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models

from shop.catalog.demo.calendar import Calendar
from shop.catalog.demo.catalog import CatalogPlan, ProductPlan, attribute_labels
from shop.catalog.demo.orders import PAYMENT_STATUS, LinePlan, OrderPlan
from shop.catalog.demo.people import STAFF, CustomerPlan
from shop.catalog.demo.stock import WAREHOUSES, StockPlan
from shop.catalog.images import PICTURE_SIDE
from shop.catalog.models import AttributeLabel, Category, Product, ProductImage, Variant
from shop.customers.models import Address, Customer
from shop.inventory.models import StockLevel, StockMovement, Warehouse
from shop.orders.models import Order, OrderEvent, OrderLine
from shop.payments.models import Payment

CHUNK = 1000
Advance = Callable[[int], None]

# Every model the seed writes with timestamps of the past.
HISTORICAL_MODELS = (Category, Product, Variant, ProductImage, Warehouse, Customer, Address,
                     Order, OrderEvent, Payment, StockLevel, StockMovement, get_user_model())


@contextmanager
def historical_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let `auto_now`/`auto_now_add` fields keep the values the plan gives them.

    The demo history happened over six months, but those fields stamp "now" on every insert,
    bulk_create included. The flags are switched off for the seed and always restored; the
    seed command is the only thing writing in its process while they are off."""
    fields = [field for model in model_classes for field in model._meta.concrete_fields
              if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def chunks(rows: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def insert(model: type[models.Model], rows: Sequence[models.Model],
           advance: Advance | None = None) -> None:
    for chunk in chunks(rows):
        model.objects.bulk_create(chunk)
        if advance:
            advance(len(chunk))


def catalog_since(calendar: Calendar) -> datetime:
    """When the catalogue was set up: well before the order history."""
    return calendar.at(calendar.first_day - timedelta(days=200), time(10))


def image_keys(product: ProductPlan, position: int) -> tuple[str, str]:
    base = f"products/{product.slug}/{position + 1}"
    return f"{base}.jpg", f"{base}-thumb.jpg"


def write_categories(catalog: CatalogPlan, since: datetime) -> dict[str, int]:
    ids: dict[str, int] = {}
    for children in (False, True):
        planned = [c for c in catalog.categories if (c.parent is not None) is children]
        insert(Category, [Category(parent_id=ids.get(c.parent or ""), slug=c.slug,
                                   name_es=c.name_es, name_en=c.name_en, position=c.position,
                                   created_at=since, updated_at=since) for c in planned])
        ids |= dict(Category.objects.filter(slug__in=[c.slug for c in planned])
                    .values_list("slug", "id"))
    return ids


def write_products(catalog: CatalogPlan, category_ids: dict[str, int], currency: str,
                   since: datetime) -> tuple[list[int], list[int]]:
    """Products and their variants; returns (product ids, variant ids) in plan order."""
    insert(Product, [Product(
        category_id=category_ids[p.category], slug=p.slug, name_es=p.name_es, name_en=p.name_en,
        description_es=p.description_es, description_en=p.description_en, is_published=True,
        is_featured=p.featured, version=1, created_at=since, updated_at=since)
        for p in catalog.products])
    by_slug = dict(Product.objects.values_list("slug", "id"))
    product_ids = [by_slug[p.slug] for p in catalog.products]
    insert(Variant, [Variant(
        product_id=product_id, sku=v.sku, attributes=v.attributes, price_minor=v.price_minor,
        cost_minor=v.cost_minor, currency=currency, is_published=True, version=1,
        created_at=since, updated_at=since)
        for product, product_id in zip(catalog.products, product_ids, strict=True)
        for v in product.variants])
    by_sku = dict(Variant.objects.values_list("sku", "id"))
    return product_ids, [by_sku[v.sku] for v in catalog.variants]


def write_product_images(catalog: CatalogPlan, product_ids: list[int], since: datetime) -> int:
    rows = []
    for product, product_id in zip(catalog.products, product_ids, strict=True):
        for position in range(len(product.pictures)):
            key, thumbnail = image_keys(product, position)
            view_es, view_en = ((f" (vista {position + 1})", f" (view {position + 1})")
                                if position else ("", ""))
            rows.append(ProductImage(
                product_id=product_id, position=position, blob_key=key, thumbnail_key=thumbnail,
                content_type="image/jpeg", width=PICTURE_SIDE, height=PICTURE_SIDE,
                alt_es=product.name_es + view_es, alt_en=product.name_en + view_en,
                created_at=since))
    insert(ProductImage, rows)
    return len(rows)


def write_attribute_labels() -> None:
    insert(AttributeLabel, [AttributeLabel(attribute=a, value=v, locale=locale, label=label)
                            for a, v, locale, label in attribute_labels()])


def write_warehouses(since: datetime) -> dict[str, int]:
    insert(Warehouse, [Warehouse(code=code, name=name, is_default=default, created_at=since)
                       for code, name, default in WAREHOUSES])
    return dict(Warehouse.objects.values_list("code", "id"))


def write_staff(password_hash: str, since: datetime) -> int:
    """The four demo staff accounts, each in its role group; accounts already there (a
    `--reset` keeps staff) are left as they are."""
    User = get_user_model()
    existing = set(User.objects.filter(email__in=[e for e, _, _ in STAFF])
                   .values_list("email", flat=True))
    added = 0
    for email, name, role in STAFF:
        if email in existing:
            continue
        user = User.objects.create(email=email, name=name, password=password_hash, is_staff=True,
                                   date_joined=since, updated_at=since)
        user.groups.add(Group.objects.get(name=role))
        added += 1
    return added


def write_customers(customers: tuple[CustomerPlan, ...], signups: list[datetime],
                    password_hash: str, advance: Advance) -> list[int]:
    """Customers with accounts (they sign in with the demo password too) and addresses;
    returns customer ids in plan order."""
    User = get_user_model()
    insert(User, [User(email=c.email, name=c.name, password=password_hash, date_joined=joined,
                       updated_at=joined) for c, joined in zip(customers, signups, strict=True)])
    user_ids = dict(User.objects.filter(is_staff=False).values_list("email", "id"))
    insert(Customer, [Customer(
        email=c.email, user_id=user_ids[c.email], name=c.name, locale=c.locale,
        marketing_consent=c.marketing_consent,
        consent_changed_at=joined if c.marketing_consent else None,
        created_at=joined, updated_at=joined)
        for c, joined in zip(customers, signups, strict=True)], advance)
    by_email = dict(Customer.objects.values_list("email", "id"))
    ids = [by_email[c.email] for c in customers]
    insert(Address, [Address(customer_id=customer_id, created_at=joined, **address.as_json())
                     for c, customer_id, joined in zip(customers, ids, signups, strict=True)
                     for address in c.addresses])
    return ids


@dataclass(frozen=True, slots=True)
class Written:
    """Database ids of what orders refer to, by plan position, and what lines copy."""

    customers: list[int]
    variants: list[int]
    warehouses: dict[str, int]
    skus: list[str]
    product_names: list[tuple[str, str]]


def write_orders(orders: tuple[OrderPlan, ...], ids: Written, currency: str,
                 advance: Advance) -> int:
    """Orders with their lines, events and payment, a chunk of orders at a time; returns the
    number of lines written."""
    lines = 0
    for chunk in chunks(orders):
        Order.objects.bulk_create([_order_row(o, ids, currency) for o in chunk])
        line_rows = [_line_row(o, line, ids) for o in chunk for line in o.lines]
        OrderLine.objects.bulk_create(line_rows)
        OrderEvent.objects.bulk_create([
            OrderEvent(order_id=o.id, status_from=e.status_from, status_to=e.status_to,
                       actor=e.actor, note=e.note, created_at=e.at)
            for o in chunk for e in o.events])
        Payment.objects.bulk_create([_payment_row(o, currency) for o in chunk])
        lines += len(line_rows)
        advance(len(chunk))
    return lines


def _order_row(order: OrderPlan, ids: Written, currency: str) -> Order:
    amounts = order.amounts
    return Order(
        id=order.id, number=order.number,
        customer_id=None if order.customer is None else ids.customers[order.customer],
        email=order.email, status=order.status, channel=order.channel, locale=order.locale,
        currency=currency, subtotal_minor=amounts.subtotal, discount_minor=amounts.discount,
        shipping_minor=amounts.shipping, tax_minor=amounts.tax, total_minor=amounts.total,
        shipping_method="standard", shipping_address=order.address.as_json(),
        tracking_number=order.tracking_number, placed_at=order.placed_at,
        updated_at=order.updated_at)


def _line_row(order: OrderPlan, line: LinePlan, ids: Written) -> OrderLine:
    name_es, name_en = ids.product_names[line.variant]
    return OrderLine(
        order_id=order.id, variant_id=ids.variants[line.variant],
        warehouse_id=ids.warehouses[order.address.warehouse], sku=ids.skus[line.variant],
        product_name=name_en if order.locale == "en" else name_es, quantity=line.quantity,
        unit_price_minor=line.unit_price_minor, unit_cost_minor=line.unit_cost_minor,
        discount_minor=line.discount_minor, tax_minor=line.tax_minor,
        total_minor=line.total_minor)


def _payment_row(order: OrderPlan, currency: str) -> Payment:
    status, since = PAYMENT_STATUS[order.status]
    return Payment(order_id=order.id, provider="sandbox", reference=order.payment_reference,
                   status=status, amount_minor=order.amounts.total, currency=currency,
                   created_at=order.placed_at, updated_at=order.reached(since))


def write_stock(stock: StockPlan, variant_ids: list[int], warehouse_ids: dict[str, int],
                advance: Advance) -> None:
    insert(StockLevel, [StockLevel(
        variant_id=variant_ids[level.variant], warehouse_id=warehouse_ids[level.warehouse],
        on_hand=level.on_hand, reserved=level.reserved, updated_at=level.updated_at)
        for level in stock.levels], advance)
    insert(StockMovement, [StockMovement(
        variant_id=variant_ids[m.variant], warehouse_id=warehouse_ids[m.warehouse],
        kind=m.kind, on_hand_delta=m.on_hand_delta, reserved_delta=m.reserved_delta,
        reason=m.reason, order_id=m.order_id, actor=m.actor, created_at=m.at)
        for m in stock.movements], advance)
