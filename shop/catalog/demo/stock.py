"""The demo stock ledger. Order lines move stock the way the live shop does: a reservation at
placement, then a release (cancelled before confirmation), or at confirmation a shipment
allocation (on hand and reserved down) and, for a refund or a cancellation after it, a restock.
One initial receipt per variant and warehouse, the day before the history starts, is sized so
that on hand never drops below reserved, and the shop ends with a spread of stock: some
variants sold out, a few low, most with a comfortable amount."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from shop.catalog.demo.calendar import Calendar
from shop.catalog.demo.orders import SUPPORT, OrderPlan

RECEIVER = "manager@tienda.local"
WAREHOUSES = (("MAD", "Madrid", True), ("BCN", "Barcelona", False))


@dataclass(frozen=True, slots=True)
class MovementPlan:
    variant: int
    warehouse: str
    kind: str  # a shop.inventory.models.MovementKind value
    on_hand_delta: int
    reserved_delta: int
    reason: str
    order_id: str | None
    actor: str
    at: datetime


@dataclass(frozen=True, slots=True)
class LevelPlan:
    variant: int
    warehouse: str
    on_hand: int
    reserved: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StockPlan:
    movements: tuple[MovementPlan, ...]
    levels: tuple[LevelPlan, ...]


def plan_stock(rng: random.Random, calendar: Calendar, orders: tuple[OrderPlan, ...],
               variants: int) -> StockPlan:
    flows = [m for order in orders for m in _order_movements(order)]
    flows.sort(key=lambda m: m.at)
    by_place: dict[tuple[int, str], list[MovementPlan]] = defaultdict(list)
    for movement in flows:
        by_place[(movement.variant, movement.warehouse)].append(movement)
    received_at = calendar.at(calendar.first_day - timedelta(days=1), time(9))
    receipts, levels = [], []
    for variant in range(variants):
        targets = _target_available(rng)
        for (code, _, _), target in zip(WAREHOUSES, targets, strict=True):
            history = by_place.get((variant, code), [])
            receipt = _receipt(variant, code, history, target, received_at)
            if receipt.on_hand_delta:
                receipts.append(receipt)
            levels.append(_level(variant, code, [receipt, *history]))
    return StockPlan(tuple(receipts) + tuple(flows), tuple(levels))


def _order_movements(order: OrderPlan) -> list[MovementPlan]:
    steps = [("reservation", "pending", 0, 1, "system")]
    if order.reached("confirmed"):
        steps.append(("shipment", "confirmed", -1, -1, "system"))
        if order.status in ("cancelled", "refunded"):
            steps.append(("restock", order.status, 1, 0, SUPPORT))
    elif order.status == "cancelled":
        steps.append(("release", "cancelled", 0, -1, "system"))
    return [
        MovementPlan(line.variant, order.address.warehouse, kind, on_hand * line.quantity,
                     reserved * line.quantity, f"order {order.number}", order.id, actor,
                     _when(order, status))
        for line in order.lines for kind, status, on_hand, reserved, actor in steps
    ]


def _when(order: OrderPlan, status: str) -> datetime:
    moment = order.reached(status)
    if moment is None:
        raise AssertionError(f"order {order.number} never reached {status}")
    return moment


def _target_available(rng: random.Random) -> tuple[int, int]:
    """What should be left to sell in Madrid and Barcelona once the history has played out."""
    roll = rng.random()
    if roll < 0.06:
        return 0, 0
    if roll < 0.16:
        return rng.randint(1, 4), 0
    madrid = int(5 + 115 * rng.random() ** 1.6)
    barcelona = 0 if rng.random() < 0.25 else int(2 + 58 * rng.random() ** 1.6)
    return madrid, barcelona


def _receipt(variant: int, warehouse: str, history: list[MovementPlan], target: int,
             at: datetime) -> MovementPlan:
    on_hand = reserved = need = 0
    for movement in history:
        on_hand += movement.on_hand_delta
        reserved += movement.reserved_delta
        need = max(need, reserved - on_hand)
    quantity = max(need, target + reserved - on_hand)
    return MovementPlan(variant, warehouse, "receipt", quantity, 0, "initial stock",
                        None, RECEIVER, at)


def _level(variant: int, warehouse: str, ledger: list[MovementPlan]) -> LevelPlan:
    return LevelPlan(variant, warehouse, sum(m.on_hand_delta for m in ledger),
                     sum(m.reserved_delta for m in ledger), ledger[-1].at)
