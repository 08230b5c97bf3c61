"""Operator stock changes, always as ledger adjustments (never an overwrite of the level)."""

from __future__ import annotations

from sqlalchemy import Engine, select

from tienda.adapters.db.repositories import SqlStockRepository
from tienda.adapters.db.tables import stock_levels, variants, warehouses
from tienda.domain.inventory import Movement, MovementKind


class StockAdminError(ValueError):
    pass


def set_available(engine: Engine, sku: str, quantity: int, warehouse_code: str | None,
                  actor: str) -> int:
    """Adjust on-hand so that available (on hand minus reserved) becomes ``quantity``: in
    ``warehouse_code``, or in the default warehouse with zero available elsewhere."""
    if quantity < 0:
        raise StockAdminError("the quantity cannot be negative")
    with engine.begin() as conn:
        variant_id = conn.execute(select(variants.c.id).where(variants.c.sku == sku)).scalar()
        if variant_id is None:
            raise StockAdminError(f"there is no SKU {sku!r}")
        targets = _targets(conn, warehouse_code, quantity)
        stock = SqlStockRepository(conn)
        moves = 0
        for warehouse_id, wanted in targets.items():
            level = conn.execute(select(stock_levels.c.on_hand, stock_levels.c.reserved).where(
                stock_levels.c.variant_id == variant_id,
                stock_levels.c.warehouse_id == warehouse_id).with_for_update()).first()
            on_hand, reserved = (level.on_hand, level.reserved) if level else (0, 0)
            delta = wanted + reserved - on_hand
            if delta:
                stock.apply(Movement(variant_id, warehouse_id, MovementKind.ADJUSTMENT,
                                     on_hand_delta=delta, reason="stock set", actor=actor))
                moves += 1
        return moves


def _targets(conn: object, code: str | None, quantity: int) -> dict[int, int]:
    rows = conn.execute(  # type: ignore[attr-defined]
        select(warehouses.c.id, warehouses.c.code, warehouses.c.is_default)
        .order_by(warehouses.c.is_default.desc(), warehouses.c.id)).all()
    if not rows:
        raise StockAdminError("there are no warehouses yet")
    if code is None:
        return {row.id: quantity if i == 0 else 0 for i, row in enumerate(rows)}
    match = [row.id for row in rows if row.code == code]
    if not match:
        raise StockAdminError(f"there is no warehouse {code!r}; "
                              f"known: {', '.join(r.code for r in rows)}")
    return {match[0]: quantity}
