"""Stock arithmetic in plain Python (no Django): how a reservation is split across warehouses
and what an operator's "make N available" means for each level."""

from __future__ import annotations

from dataclasses import dataclass

from shop.core.errors import Conflict


class InsufficientStock(Conflict):
    def __init__(self, sku: str, requested: int, available: int) -> None:
        super().__init__(f"not enough stock: only {available} of {sku} left, "
                         f"{requested} requested")
        self.sku, self.requested, self.available = sku, requested, available


@dataclass(frozen=True, slots=True)
class Level:
    warehouse_id: int
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def split_reservation(sku: str, quantity: int, levels: list[Level]) -> list[tuple[int, int]]:
    """(warehouse_id, units) to reserve, taking from `levels` in the order given (the default
    warehouse first); all or nothing."""
    takes, remaining = [], quantity
    for level in levels:
        take = min(max(level.available, 0), remaining)
        if take > 0:
            takes.append((level.warehouse_id, take))
            remaining -= take
        if remaining == 0:
            return takes
    raise InsufficientStock(sku, quantity, quantity - remaining)


def on_hand_delta_for_available(level: Level, wanted_available: int) -> int:
    """The adjustment that makes `available` equal `wanted_available` (reserved units stay)."""
    return wanted_available + level.reserved - level.on_hand
