"""Stock per variant and warehouse: on hand, reserved for placed orders, and what is left."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MovementKind(StrEnum):
    RECEIPT = "receipt"          # goods in: on_hand up
    ADJUSTMENT = "adjustment"    # counted correction, with a reason: on_hand +/-
    RESERVATION = "reservation"  # checkout: reserved up
    RELEASE = "release"          # cancelled before shipping: reserved down
    SHIPMENT = "shipment"        # allocation leaves: on_hand and reserved down
    RESTOCK = "restock"          # a shipped or confirmed order comes back: on_hand up
    SALE = "sale"                # historical sale imported by the demo seed: on_hand down


class InsufficientStock(Exception):
    def __init__(self, sku: str, requested: int, available: int) -> None:
        super().__init__(f"only {available} of {sku} left, {requested} requested")
        self.sku, self.requested, self.available = sku, requested, available


@dataclass(frozen=True, slots=True)
class StockLevel:
    variant_id: int
    warehouse_id: int
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True, slots=True)
class Movement:
    variant_id: int
    warehouse_id: int
    kind: MovementKind
    on_hand_delta: int = 0
    reserved_delta: int = 0
    reason: str = ""
    order_id: str | None = None
    actor: str = "system"
