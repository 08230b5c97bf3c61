"""Stock administration SQL: levels per SKU and warehouse, adjustments, the ledger."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, Select, func, or_, select

from tienda.adapters.db.backoffice.common import like, order_by, page_of, plain
from tienda.adapters.db.repositories import SqlStockRepository
from tienda.adapters.db.tables import (
    products,
    stock_levels,
    stock_movements,
    variants,
    warehouses,
)
from tienda.domain.inventory import Movement
from tienda.service_layer.backoffice.errors import NotFound
from tienda.service_layer.backoffice.ports import Page, PageRequest, Row

LOW_STOCK = 5
_AVAILABLE = (stock_levels.c.on_hand - stock_levels.c.reserved)
SORTS = {"sku": variants.c.sku, "available": _AVAILABLE, "on_hand": stock_levels.c.on_hand,
         "warehouse": warehouses.c.code}
LEDGER_SORTS = {"created_at": stock_movements.c.created_at}


def _levels() -> Select[Any]:
    return (select(variants.c.sku, variants.c.id.label("variant_id"),
                   products.c.id.label("product_id"), products.c.name_es.label("product"),
                   warehouses.c.code.label("warehouse"), stock_levels.c.on_hand,
                   stock_levels.c.reserved, _AVAILABLE.label("available"),
                   stock_levels.c.updated_at)
            .select_from(stock_levels)
            .join(variants, variants.c.id == stock_levels.c.variant_id)
            .join(products, products.c.id == variants.c.product_id)
            .join(warehouses, warehouses.c.id == stock_levels.c.warehouse_id))


class SqlInventoryRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._stock = SqlStockRepository(conn)

    def locate(self, sku: str, warehouse: str) -> tuple[int, int]:
        variant_id = self._conn.execute(select(variants.c.id)
                                        .where(variants.c.sku == sku)).scalar()
        if variant_id is None:
            raise NotFound(f"there is no SKU {sku!r}")
        warehouse_id = self._conn.execute(select(warehouses.c.id)
                                          .where(warehouses.c.code == warehouse)).scalar()
        if warehouse_id is None:
            raise NotFound(f"there is no warehouse {warehouse!r}")
        return int(variant_id), int(warehouse_id)

    def level(self, variant_id: int, warehouse_id: int) -> tuple[int, int]:
        row = self._conn.execute(
            select(stock_levels.c.on_hand, stock_levels.c.reserved)
            .where(stock_levels.c.variant_id == variant_id,
                   stock_levels.c.warehouse_id == warehouse_id).with_for_update()).first()
        return (int(row.on_hand), int(row.reserved)) if row else (0, 0)

    def apply(self, movement: Movement) -> None:
        self._stock.apply(movement)


class SqlInventoryReads:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def levels(self, q: str | None, warehouse: str | None, low_only: bool,
               page: PageRequest) -> Page:
        query = _levels()
        if q:
            pattern = like(q)
            query = query.where(or_(func.lower(variants.c.sku).like(pattern, escape="\\"),
                                    func.lower(products.c.name_es).like(pattern, escape="\\")))
        if warehouse:
            query = query.where(warehouses.c.code == warehouse)
        if low_only:
            query = query.where(_AVAILABLE <= LOW_STOCK)
        with self._engine.connect() as conn:
            return page_of(conn, query, page, order_by(page.sort, SORTS, "sku"),
                           warehouses.c.code)

    def level(self, sku: str, warehouse: str) -> Row | None:
        query = _levels().where(variants.c.sku == sku, warehouses.c.code == warehouse)
        with self._engine.connect() as conn:
            row = conn.execute(query).mappings().first()
            return plain(row) if row else None

    def ledger(self, sku: str, page: PageRequest) -> Page | None:
        query = (select(stock_movements.c.id, warehouses.c.code.label("warehouse"),
                        stock_movements.c.kind, stock_movements.c.on_hand_delta,
                        stock_movements.c.reserved_delta, stock_movements.c.reason,
                        stock_movements.c.order_id, stock_movements.c.actor,
                        stock_movements.c.created_at)
                 .join(warehouses, warehouses.c.id == stock_movements.c.warehouse_id)
                 .join(variants, variants.c.id == stock_movements.c.variant_id)
                 .where(variants.c.sku == sku))
        with self._engine.connect() as conn:
            if conn.execute(select(variants.c.id).where(variants.c.sku == sku)).first() is None:
                return None
            return page_of(conn, query, page, order_by(page.sort, LEDGER_SORTS, "-created_at"),
                           stock_movements.c.id.desc())
