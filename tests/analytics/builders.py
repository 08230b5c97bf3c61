"""A small shop written through the ORM with a clock the test controls, and helpers to
compare two warehouses row for row (surrogate keys resolved to natural ids)."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction

from analytics.warehouse import Warehouse
from shop.catalog.models import Category, Product, Variant
from shop.customers.models import Customer
from shop.inventory.models import StockLevel
from shop.inventory.models import Warehouse as StockWarehouse
from shop.orders.models import Order, OrderEvent, OrderLine
from shop.orders.rules import line_tax

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def clear_source() -> None:
    """Empty the tables the shop writes (children first), for a fresh example."""
    with transaction.atomic():
        for model in (OrderEvent, OrderLine, Order, StockLevel, Variant, Product):
            model.objects.all().delete()
        Category.objects.filter(parent__isnull=False).delete()
        for model in (Category, Customer, StockWarehouse):
            model.objects.all().delete()


def stamp(model: Any, pk: Any, **instants: datetime) -> None:
    """Set auto_now / auto_now_add columns, which save() would overwrite."""
    model.objects.filter(pk=pk).update(**instants)


@dataclass
class Shop:
    now: datetime = T0
    variants: list[int] = field(default_factory=list)
    customers: list[int] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def tick(self, seconds: int = 1) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    @transaction.atomic
    def catalog(self, variants: int = 4) -> Shop:
        clothes = Category.objects.create(id=1, slug="ropa", name_es="Ropa", name_en="Clothes")
        Category.objects.create(id=2, parent=clothes, slug="camisetas", name_es="Camisetas",
                                name_en="T-shirts")
        for p in (1, 2):
            Product.objects.create(id=p, category_id=1 + p % 2, slug=f"p{p}", name_es=f"P{p}",
                                   name_en=f"Product {p}")
        StockWarehouse.objects.create(id=1, code="MAD", name="Madrid", is_default=True)
        StockWarehouse.objects.create(id=2, code="BCN", name="Barcelona", is_default=False)
        for v in range(1, variants + 1):
            Variant.objects.create(id=v, product_id=1 + v % 2, sku=f"SKU-{v}",
                                   price_minor=1000 + 250 * v, cost_minor=400 + 100 * v,
                                   currency="EUR")
            for w in (1, 2):
                StockLevel.objects.create(variant_id=v, warehouse_id=w, on_hand=10 * v,
                                          reserved=v % 3)
        for model in (Category, Product, Variant):
            model.objects.update(created_at=self.now, updated_at=self.now)
        self.variants = list(range(1, variants + 1))
        return self

    def customer(self, locale: str = "es", *, customer_id: int | None = None,
                 at: datetime | None = None) -> int:
        customer_id = customer_id or len(self.customers) + 1
        at = at or self.tick()
        Customer.objects.create(id=customer_id, email=f"c{customer_id}@example.com",
                                locale=locale)
        stamp(Customer, customer_id, created_at=at, updated_at=at)
        self.customers.append(customer_id)
        return customer_id

    @transaction.atomic
    def place_order(self, lines: list[tuple[int, int]], *, customer_id: int | None = None,
                    at: datetime | None = None, channel: str = "web", discount: int = 0,
                    shipping: int = 495) -> str:
        at = at or self.tick()
        prices = dict(Variant.objects.values_list("id", "price_minor"))
        subtotal = sum(prices[v] * q for v, q in lines)
        total = subtotal - discount + shipping
        order = Order.objects.create(
            id=uuid.uuid4(), number=f"T-{next(self._numbers):06d}", customer_id=customer_id,
            email="buyer@example.com", status="pending", channel=channel, currency="EUR",
            subtotal_minor=subtotal, discount_minor=discount, shipping_minor=shipping,
            tax_minor=line_tax(total, 2100), total_minor=total, shipping_method="standard",
            shipping_address={})
        stamp(Order, order.pk, placed_at=at, updated_at=at)
        OrderLine.objects.bulk_create([
            OrderLine(order=order, variant_id=v, warehouse_id=1 + v % 2, sku=f"SKU-{v}",
                      product_name=f"V{v}", quantity=q, unit_price_minor=prices[v],
                      unit_cost_minor=400 + 100 * v, total_minor=prices[v] * q)
            for v, q in lines])
        self._event(order.pk, None, "pending", at)
        self.orders.append(str(order.pk))
        return str(order.pk)

    @transaction.atomic
    def change_status(self, order_id: str, status: str, at: datetime | None = None) -> None:
        at = at or self.tick()
        current = Order.objects.get(pk=order_id).status
        Order.objects.filter(pk=order_id).update(status=status, updated_at=at)
        self._event(order_id, current, status, at)

    def status(self, order_id: str) -> str:
        return str(Order.objects.get(pk=order_id).status)

    @staticmethod
    def _event(order_id: Any, status_from: str | None, status_to: str, at: datetime) -> None:
        event = OrderEvent.objects.create(order_id=order_id, status_from=status_from,
                                          status_to=status_to, actor="test")
        stamp(OrderEvent, event.pk, created_at=at)


_RESOLVED = {
    "fact_sales_line": "SELECT f.*, p.sku, p.valid_from AS p_from, c.valid_from AS c_from, "
                       "h.code, ch.channel FROM fact_sales_line f",
    "fact_return_line": "SELECT f.*, p.sku, p.valid_from AS p_from, c.valid_from AS c_from, "
                        "h.code, ch.channel FROM fact_return_line f",
    "fact_order": "SELECT f.*, c.valid_from AS c_from, ch.channel FROM fact_order f",
    "fact_inventory_daily": "SELECT f.*, p.sku, h.code FROM fact_inventory_daily f",
}
_JOINS = {
    "p": "LEFT JOIN dim_product p ON p.product_key = f.product_key",
    "c": "LEFT JOIN dim_customer c ON c.customer_key = f.customer_key",
    "h": "LEFT JOIN dim_warehouse h ON h.warehouse_key = f.warehouse_key",
    "ch": "LEFT JOIN dim_channel ch ON ch.channel_key = f.channel_key",
}
_SURROGATES = {"product_key", "customer_key", "warehouse_key", "channel_key"}


def _without_surrogates(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((tuple((k, v) for k, v in sorted(r.items()) if k not in _SURROGATES)
                   for r in rows), key=repr)


def warehouse_rows(wh: Warehouse) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every star table, surrogate keys replaced by what they stand for."""
    found = {}
    for table, select in _RESOLVED.items():
        joins = " ".join(j for alias, j in _JOINS.items() if f" {alias}." in select
                         or f", {alias}." in select)
        found[table] = _without_surrogates(wh.dicts(f"{select} {joins}"))
    for dim in ("dim_date", "dim_product", "dim_customer", "dim_warehouse", "dim_channel"):
        found[dim] = _without_surrogates(wh.dicts(f"SELECT * FROM {dim}"))
    return found
