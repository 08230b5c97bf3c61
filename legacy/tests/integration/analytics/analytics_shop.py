"""A small shop written with direct inserts, with a clock the test controls, and helpers to
compare two warehouses row for row (surrogate keys resolved to natural ids)."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from tienda.adapters.db import tables as t
from tienda.domain.money import Money
from tienda.domain.orders import line_tax
from tienda.entrypoints.analytics.warehouse import Warehouse

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
_CLEARED = ("order_events", "order_lines", "stock_movements", "payments", "orders",
            "stock_levels", "variants", "products", "categories", "addresses", "customers",
            "warehouses")


def clear_source(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        for name in _CLEARED:
            if name == "categories":
                conn.execute(t.categories.delete().where(t.categories.c.parent_id.is_not(None)))
            conn.execute(t.metadata.tables[name].delete())


@dataclass
class Shop:
    engine: sa.Engine
    now: datetime = T0
    variants: list[int] = field(default_factory=list)
    customers: list[int] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def tick(self, seconds: int = 1) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    def catalog(self, variants: int = 4) -> Shop:
        at = self.now
        with self.engine.begin() as conn:
            conn.execute(t.categories.insert(), [
                {"id": 1, "parent_id": None, "slug": "ropa", "name_es": "Ropa",
                 "name_en": "Clothes",
                 "created_at": at, "updated_at": at},
                {"id": 2, "parent_id": 1, "slug": "camisetas", "name_es": "Camisetas",
                 "name_en": "T-shirts", "created_at": at, "updated_at": at}])
            conn.execute(t.products.insert(), [
                {"id": p, "category_id": 1 + p % 2, "slug": f"p{p}", "name_es": f"P{p}",
                 "name_en": f"Product {p}", "created_at": at, "updated_at": at}
                for p in (1, 2)])
            conn.execute(t.warehouses.insert(), [
                {"id": 1, "code": "MAD", "name": "Madrid", "is_default": True},
                {"id": 2, "code": "BCN", "name": "Barcelona", "is_default": False}])
            conn.execute(t.variants.insert(), [
                {"id": v, "product_id": 1 + v % 2, "sku": f"SKU-{v}", "attributes": {},
                 "price_minor": 1000 + 250 * v, "cost_minor": 400 + 100 * v,
                 "currency": "EUR", "created_at": at, "updated_at": at}
                for v in range(1, variants + 1)])
            conn.execute(t.stock_levels.insert(), [
                {"variant_id": v, "warehouse_id": w, "on_hand": 10 * v, "reserved": v % 3,
                 "updated_at": at} for v in range(1, variants + 1) for w in (1, 2)])
        self.variants = list(range(1, variants + 1))
        return self

    def customer(self, locale: str = "es") -> int:
        customer_id = len(self.customers) + 1
        at = self.tick()
        with self.engine.begin() as conn:
            conn.execute(t.customers.insert().values(
                id=customer_id, email=f"c{customer_id}@example.com", locale=locale,
                created_at=at, updated_at=at))
        self.customers.append(customer_id)
        return customer_id

    def place_order(self, lines: list[tuple[int, int]], *, customer_id: int | None = None,
                    at: datetime | None = None, channel: str = "web", discount: int = 0,
                    shipping: int = 495) -> str:
        at = at or self.tick()
        order_id = str(uuid.uuid4())
        with self.engine.begin() as conn:
            prices = {r[0]: r[1] for r in conn.execute(
                sa.select(t.variants.c.id, t.variants.c.price_minor))}
            subtotal = sum(prices[v] * q for v, q in lines)
            total = subtotal - discount + shipping
            conn.execute(t.orders.insert().values(
                id=order_id, number=f"T-{next(self._numbers):06d}", customer_id=customer_id,
                email="buyer@example.com", status="pending", channel=channel, currency="EUR",
                subtotal_minor=subtotal, discount_minor=discount, shipping_minor=shipping,
                tax_minor=line_tax(Money(total, "EUR"), 2100).minor, total_minor=total,
                shipping_method="standard", shipping_address={}, access_token_hash="x",
                placed_at=at, updated_at=at))
            conn.execute(t.order_lines.insert(), [
                {"order_id": order_id, "variant_id": v, "warehouse_id": 1 + v % 2,
                 "sku": f"SKU-{v}", "product_name": f"V{v}", "quantity": q,
                 "unit_price_minor": prices[v], "unit_cost_minor": 400 + 100 * v,
                 "total_minor": prices[v] * q} for v, q in lines])
            self._event(conn, order_id, None, "pending", at)
        self.orders.append(order_id)
        return order_id

    def change_status(self, order_id: str, status: str, at: datetime | None = None) -> None:
        at = at or self.tick()
        with self.engine.begin() as conn:
            current = conn.execute(sa.select(t.orders.c.status)
                                   .where(t.orders.c.id == order_id)).scalar_one()
            conn.execute(t.orders.update().where(t.orders.c.id == order_id)
                         .values(status=status, updated_at=at))
            self._event(conn, order_id, current, status, at)

    def status(self, order_id: str) -> str:
        with self.engine.connect() as conn:
            return str(conn.execute(sa.select(t.orders.c.status)
                                    .where(t.orders.c.id == order_id)).scalar_one())

    @staticmethod
    def _event(conn: sa.Connection, order_id: str, status_from: str | None, status_to: str,
               at: datetime) -> None:
        conn.execute(t.order_events.insert().values(
            order_id=order_id, status_from=status_from, status_to=status_to, actor="test",
            created_at=at))


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


def warehouse_rows(wh: Warehouse) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every star table, surrogate keys replaced by what they stand for."""
    found = {}
    for table, select in _RESOLVED.items():
        joins = " ".join(j for alias, j in _JOINS.items() if f" {alias}." in select
                         or f", {alias}." in select)
        rows = wh.dicts(f"{select} {joins}")
        found[table] = sorted(
            (tuple((k, v) for k, v in sorted(r.items()) if k not in _SURROGATES)
             for r in rows), key=repr)
    for dim in ("dim_date", "dim_product", "dim_customer", "dim_warehouse", "dim_channel"):
        found[dim] = sorted(
            (tuple((k, v) for k, v in sorted(r.items()) if k not in _SURROGATES)
             for r in wh.dicts(f"SELECT * FROM {dim}")), key=repr)
    return found
