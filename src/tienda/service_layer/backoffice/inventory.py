"""Stock administration: levels per SKU and warehouse, and adjustments as deltas with a reason,
so an adjustment never undoes a sale that happened while the operator was counting."""

from __future__ import annotations

from tienda.domain.inventory import Movement, MovementKind
from tienda.service_layer.backoffice.context import Backoffice
from tienda.service_layer.backoffice.errors import Conflict, InvalidInput, NotFound
from tienda.service_layer.backoffice.ports import Page, PageRequest, Row

MAX_REASON = 300


def list_levels(bo: Backoffice, q: str | None, warehouse: str | None, low_only: bool,
                page: PageRequest) -> Page:
    return bo.inventory.levels(q, warehouse, low_only, page)


def ledger(bo: Backoffice, sku: str, page: PageRequest) -> Page:
    entries = bo.inventory.ledger(sku, page)
    if entries is None:
        raise NotFound(f"there is no SKU {sku!r}")
    return entries


def adjust(bo: Backoffice, actor: str, sku: str, warehouse: str, delta: int,
           reason: str) -> Row:
    reason = reason.strip()
    if delta == 0:
        raise InvalidInput("delta must not be zero")
    if not reason or len(reason) > MAX_REASON:
        raise InvalidInput(f"a reason of 1 to {MAX_REASON} characters is required")
    with bo.uows() as uow:
        variant_id, warehouse_id = uow.inventory.locate(sku, warehouse)
        on_hand, reserved = uow.inventory.level(variant_id, warehouse_id)
        if on_hand + delta < reserved:
            raise Conflict(f"on hand would become {on_hand + delta}, below the {reserved} "
                           f"reserved for placed orders in {warehouse}")
        uow.inventory.apply(Movement(variant_id, warehouse_id, MovementKind.ADJUSTMENT,
                                     on_hand_delta=delta, reason=reason, actor=actor))
        uow.audit.record(actor, "stock.adjust", "stock", f"{sku}@{warehouse}",
                         {"on_hand": on_hand, "reserved": reserved},
                         {"on_hand": on_hand + delta, "reserved": reserved, "delta": delta,
                          "reason": reason})
        uow.commit()
    level = bo.inventory.level(sku, warehouse)
    assert level is not None
    return level
