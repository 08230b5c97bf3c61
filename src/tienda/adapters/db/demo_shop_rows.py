"""Writes a planned demo shop to the database: bulk inserts only (executemany in chunks), ids
read back in parameter order where later rows refer to them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Table

from tienda.adapters.db import tables as t
from tienda.adapters.db.demo_shop_calendar import Calendar
from tienda.adapters.db.demo_shop_catalog import CatalogPlan, ProductPlan, attribute_labels
from tienda.adapters.db.demo_shop_orders import PAYMENT_STATUS, LinePlan, OrderPlan
from tienda.adapters.db.demo_shop_people import STAFF, CustomerPlan
from tienda.adapters.db.demo_shop_stock import WAREHOUSES, StockPlan

CHUNK = 1000
Row = dict[str, Any]
Advance = Callable[[int], None]


def chunks(rows: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def insert(connection: Connection, table: Table, rows: Sequence[Row],
           advance: Advance | None = None) -> None:
    for chunk in chunks(rows):
        connection.execute(table.insert(), list(chunk))
        if advance:
            advance(len(chunk))


def insert_returning_ids(connection: Connection, table: Table, rows: Sequence[Row]) -> list[int]:
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for chunk in chunks(rows):
        ids += connection.execute(statement, list(chunk)).scalars().all()
    return ids


def catalog_since(calendar: Calendar) -> datetime:
    """When the catalogue was set up: well before the order history."""
    return calendar.at(calendar.first_day - timedelta(days=200), time(10))


def write_categories(connection: Connection, catalog: CatalogPlan, since: datetime
                     ) -> dict[str, int]:
    ids: dict[str, int] = {}
    for level in (False, True):
        planned = [c for c in catalog.categories if (c.parent is not None) is level]
        rows = [{"parent_id": ids.get(c.parent or ""), "slug": c.slug, "name_es": c.name_es,
                 "name_en": c.name_en, "position": c.position, "created_at": since,
                 "updated_at": since} for c in planned]
        ids |= dict(zip((c.slug for c in planned),
                        insert_returning_ids(connection, t.categories, rows), strict=True))
    return ids


def write_products(connection: Connection, catalog: CatalogPlan, category_ids: dict[str, int],
                   currency: str, since: datetime) -> tuple[list[int], list[int]]:
    """Products and their variants; returns (product ids, variant ids) in plan order."""
    rows = [{"category_id": category_ids[p.category], "slug": p.slug, "name_es": p.name_es,
             "name_en": p.name_en, "description_es": p.description_es,
             "description_en": p.description_en, "is_published": True,
             "is_featured": p.featured, "version": 1, "created_at": since, "updated_at": since}
            for p in catalog.products]
    product_ids = insert_returning_ids(connection, t.products, rows)
    variant_rows = [{"product_id": product_id, "sku": v.sku, "attributes": v.attributes,
                     "price_minor": v.price_minor, "cost_minor": v.cost_minor,
                     "currency": currency, "is_published": True, "version": 1,
                     "created_at": since, "updated_at": since}
                    for product, product_id in zip(catalog.products, product_ids, strict=True)
                    for v in product.variants]
    return product_ids, insert_returning_ids(connection, t.variants, variant_rows)


def write_attribute_labels(connection: Connection) -> None:
    insert(connection, t.attribute_labels, [
        {"attribute": a, "value": v, "locale": locale, "label": label}
        for a, v, locale, label in attribute_labels()])


def image_keys(product: ProductPlan, position: int) -> tuple[str, str]:
    base = f"products/{product.slug}/{position + 1}"
    return f"{base}.jpg", f"{base}-thumb.jpg"


def write_product_images(connection: Connection, catalog: CatalogPlan, product_ids: list[int],
                         side: int, since: datetime) -> int:
    rows = []
    for product, product_id in zip(catalog.products, product_ids, strict=True):
        for position in range(len(product.pictures)):
            key, thumbnail = image_keys(product, position)
            view_es, view_en = (f" (vista {position + 1})", f" (view {position + 1})"
                                ) if position else ("", "")
            rows.append({"product_id": product_id, "position": position, "blob_key": key,
                         "thumbnail_key": thumbnail, "content_type": "image/jpeg",
                         "width": side, "height": side, "alt_es": product.name_es + view_es,
                         "alt_en": product.name_en + view_en, "created_at": since})
    insert(connection, t.product_images, rows)
    return len(rows)


def write_warehouses(connection: Connection, since: datetime) -> dict[str, int]:
    rows = [{"code": code, "name": name, "is_default": default, "created_at": since}
            for code, name, default in WAREHOUSES]
    return dict(zip((code for code, _, _ in WAREHOUSES),
                    insert_returning_ids(connection, t.warehouses, rows), strict=True))


def write_staff(connection: Connection, password_hash: str, since: datetime) -> None:
    insert(connection, t.staff_users, [
        {"email": email, "name": name, "password_hash": password_hash, "role": role,
         "is_active": True, "failed_logins": 0, "created_at": since, "updated_at": since}
        for email, name, role in STAFF
    ])


def write_customers(connection: Connection, customers: tuple[CustomerPlan, ...],
                    signups: list[datetime], password_hash: str, advance: Advance) -> list[int]:
    rows = [{"email": c.email, "password_hash": password_hash, "name": c.name,
             "locale": c.locale, "marketing_consent": c.marketing_consent,
             "consent_changed_at": joined if c.marketing_consent else None,
             "created_at": joined, "updated_at": joined}
            for c, joined in zip(customers, signups, strict=True)]
    ids = []
    for chunk in chunks(rows):
        ids += insert_returning_ids(connection, t.customers, chunk)
        advance(len(chunk))
    insert(connection, t.addresses, [
        {**address.as_json(), "customer_id": customer_id, "is_default": position == 0,
         "created_at": joined}
        for c, customer_id, joined in zip(customers, ids, signups, strict=True)
        for position, address in enumerate(c.addresses)
    ])
    return ids


@dataclass(frozen=True, slots=True)
class Written:
    """Database ids of what orders refer to, by plan position, and what lines copy."""

    customers: list[int]
    variants: list[int]
    warehouses: dict[str, int]
    skus: list[str]
    product_names: list[tuple[str, str]]


def write_orders(connection: Connection, orders: tuple[OrderPlan, ...], ids: Written,
                 currency: str, advance: Advance) -> int:
    """Orders with their lines, events and payment, a chunk of orders at a time; returns the
    number of lines written."""
    lines = 0
    for chunk in chunks(orders):
        connection.execute(t.orders.insert(), [_order_row(o, ids, currency) for o in chunk])
        line_rows = [_line_row(o, line, ids) for o in chunk for line in o.lines]
        connection.execute(t.order_lines.insert(), line_rows)
        connection.execute(t.order_events.insert(), [
            {"order_id": o.id, "status_from": e.status_from, "status_to": e.status_to,
             "actor": e.actor, "note": e.note, "created_at": e.at}
            for o in chunk for e in o.events])
        connection.execute(t.payments.insert(), [_payment_row(o, currency) for o in chunk])
        lines += len(line_rows)
        advance(len(chunk))
    return lines


def _order_row(order: OrderPlan, ids: Written, currency: str) -> Row:
    amounts = order.amounts
    return {
        "id": order.id, "number": order.number,
        "customer_id": None if order.customer is None else ids.customers[order.customer],
        "email": order.email, "status": order.status, "channel": order.channel,
        "locale": order.locale, "currency": currency, "subtotal_minor": amounts.subtotal,
        "discount_minor": amounts.discount, "shipping_minor": amounts.shipping,
        "tax_minor": amounts.tax, "total_minor": amounts.total, "shipping_method": "standard",
        "shipping_address": order.address.as_json(), "tracking_number": order.tracking_number,
        "invoice_blob_key": None, "access_token_hash": order.access_token_hash,
        "idempotency_key": None, "placed_at": order.placed_at, "updated_at": order.updated_at,
    }


def _line_row(order: OrderPlan, line: LinePlan, ids: Written) -> Row:
    name_es, name_en = ids.product_names[line.variant]
    return {
        "order_id": order.id, "variant_id": ids.variants[line.variant],
        "warehouse_id": ids.warehouses[order.address.warehouse], "sku": ids.skus[line.variant],
        "product_name": name_en if order.locale == "en" else name_es, "quantity": line.quantity,
        "unit_price_minor": line.unit_price_minor, "unit_cost_minor": line.unit_cost_minor,
        "discount_minor": line.discount_minor, "tax_minor": line.tax_minor,
        "total_minor": line.total_minor,
    }


def _payment_row(order: OrderPlan, currency: str) -> Row:
    status, since = PAYMENT_STATUS[order.status]
    return {"order_id": order.id, "provider": "sandbox", "reference": order.payment_reference,
            "status": status, "amount_minor": order.amounts.total, "currency": currency,
            "created_at": order.placed_at, "updated_at": order.reached(since)}


def write_stock(connection: Connection, stock: StockPlan, variant_ids: list[int],
                warehouse_ids: dict[str, int], advance: Advance) -> None:
    insert(connection, t.stock_levels, [
        {"variant_id": variant_ids[level.variant], "warehouse_id": warehouse_ids[level.warehouse],
         "on_hand": level.on_hand, "reserved": level.reserved, "updated_at": level.updated_at}
        for level in stock.levels], advance)
    insert(connection, t.stock_movements, [
        {"variant_id": variant_ids[m.variant], "warehouse_id": warehouse_ids[m.warehouse],
         "kind": m.kind.value, "on_hand_delta": m.on_hand_delta,
         "reserved_delta": m.reserved_delta, "reason": m.reason, "order_id": m.order_id,
         "actor": m.actor, "created_at": m.at}
        for m in stock.movements], advance)
