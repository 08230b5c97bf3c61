"""Small, explicit shop data for tests (the demo seed is for people, not for assertions)."""

from __future__ import annotations

import sqlalchemy as sa

from tienda.adapters.db.repositories import SqlStockRepository
from tienda.adapters.db.tables import (
    categories,
    products,
    stock_levels,
    stock_movements,
    variants,
    warehouses,
)
from tienda.domain.inventory import Movement, MovementKind


def make_shop(engine: sa.Engine, stock: dict[str, int], price_minor: int = 1995,
              second_warehouse: dict[str, int] | None = None) -> dict[str, int]:
    """One category, one product per SKU, warehouses MAD (default) and BCN, and stock
    received through the ledger. Returns variant ids by SKU."""
    second = second_warehouse or {}
    ids: dict[str, int] = {}
    with engine.begin() as conn:
        conn.execute(categories.insert().values(id=1, slug="ropa", name_es="Ropa",
                                                name_en="Clothing"))
        conn.execute(warehouses.insert(), [
            {"id": 1, "code": "MAD", "name": "Madrid", "is_default": True},
            {"id": 2, "code": "BCN", "name": "Barcelona", "is_default": False}])
        repo = SqlStockRepository(conn)
        for n, sku in enumerate(stock, start=1):
            conn.execute(products.insert().values(
                id=n, category_id=1, slug=f"producto-{n}", name_es=f"Camiseta {sku}",
                name_en=f"T-shirt {sku}", is_published=True, is_featured=True))
            conn.execute(variants.insert().values(
                id=n, product_id=n, sku=sku, attributes={"talla": "M"},
                price_minor=price_minor, cost_minor=price_minor // 3, currency="EUR"))
            ids[sku] = n
            for warehouse_id, quantity in ((1, stock[sku]), (2, second.get(sku, 0))):
                repo.apply(Movement(n, warehouse_id, MovementKind.RECEIPT,
                                    on_hand_delta=quantity, reason="test stock"))
    return ids


def stock_of(engine: sa.Engine, variant_id: int) -> list[tuple[int, int, int]]:
    """(warehouse_id, on_hand, reserved) rows for the variant."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(stock_levels.c.warehouse_id, stock_levels.c.on_hand,
                                      stock_levels.c.reserved)
                            .where(stock_levels.c.variant_id == variant_id)
                            .order_by(stock_levels.c.warehouse_id)).all()
    return [tuple(row) for row in rows]


def ledger_matches_levels(engine: sa.Engine) -> bool:
    sums = (sa.select(stock_movements.c.variant_id, stock_movements.c.warehouse_id,
                      sa.func.sum(stock_movements.c.on_hand_delta).label("on_hand"),
                      sa.func.sum(stock_movements.c.reserved_delta).label("reserved"))
            .group_by(stock_movements.c.variant_id, stock_movements.c.warehouse_id))
    with engine.connect() as conn:
        ledger = {(r.variant_id, r.warehouse_id): (int(r.on_hand), int(r.reserved))
                  for r in conn.execute(sums)}
        levels = {(r.variant_id, r.warehouse_id): (r.on_hand, r.reserved)
                  for r in conn.execute(sa.select(stock_levels))}
    return ledger == levels
