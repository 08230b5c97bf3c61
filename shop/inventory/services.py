"""Stock writes. Every change of a level is one ledger row (StockMovement) in the same
transaction; the CHECK constraints on stock_levels are the last line against overselling.

Locking: levels are taken with SELECT ... FOR UPDATE in one fixed order (variants by id; per
variant the default warehouse first, then by id), so concurrent checkouts cannot deadlock.
SQLite has no row locks: its connections BEGIN IMMEDIATE (shop/settings/databases.py), so
writers queue for the whole database instead. On SQL Server mssql-django turns
select_for_update() into WITH (UPDLOCK, ROWLOCK) hints; that path cannot be run here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from shop.audit.services import audit_record
from shop.catalog.models import Variant
from shop.core.errors import Conflict, NotFound, ShopError
from shop.inventory.models import MovementKind, StockLevel, StockMovement, Warehouse
from shop.inventory.rules import Level, on_hand_delta_for_available, split_reservation

MAX_REASON = 300


def actor_label(actor: object) -> str:
    """A staff User is recorded by e-mail; anything else ("system", "cli") as given."""
    return str(getattr(actor, "email", None) or actor)


def _locked_levels(variant_id: int) -> list[StockLevel]:
    # `of=("self",)` keeps PostgreSQL from also locking the joined warehouse rows; backends
    # without FOR UPDATE OF (mssql-django) lock what the hint covers, the level rows.
    of = ("self",) if connection.features.has_select_for_update_of else ()
    return list(StockLevel.objects.select_for_update(of=of)
                .filter(variant_id=variant_id)
                .order_by("-warehouse__is_default", "warehouse_id"))


def _move(*, variant_id: int, warehouse_id: int, kind: str, on_hand: int = 0, reserved: int = 0,
          order=None, reason: str = "", actor: str = "system") -> None:
    """Apply one movement to its level (created at zero if missing) and record it."""
    changed = StockLevel.objects.filter(variant_id=variant_id, warehouse_id=warehouse_id).update(
        on_hand=F("on_hand") + on_hand, reserved=F("reserved") + reserved,
        updated_at=timezone.now())
    if not changed:
        StockLevel.objects.create(variant_id=variant_id, warehouse_id=warehouse_id,
                                  on_hand=on_hand, reserved=reserved)
    StockMovement.objects.create(variant_id=variant_id, warehouse_id=warehouse_id, kind=kind,
                                 on_hand_delta=on_hand, reserved_delta=reserved, order=order,
                                 reason=reason, actor=actor)


# --- reservations and what happens to them (called by the checkout and order services) ---

@dataclass(frozen=True)
class WantedLine:
    variant_id: int
    sku: str
    quantity: int


def _locked_levels_of(variant_ids: Iterable[int]) -> list[StockLevel]:
    """The levels of several variants in one locking query, in the same order as
    `_locked_levels` called variant by variant (ascending ids)."""
    of = ("self",) if connection.features.has_select_for_update_of else ()
    return list(StockLevel.objects.select_for_update(of=of)
                .filter(variant_id__in=sorted(set(variant_ids)))
                .order_by("variant_id", "-warehouse__is_default", "warehouse_id"))


def _apply_moves(moves: list[StockMovement], levels: dict[tuple[int, int], StockLevel]) -> None:
    """`_move` for movements whose levels are locked: one UPDATE per level, one INSERT for
    the ledger rows."""
    now = timezone.now()
    for move in moves:
        level = levels.get((move.variant_id, move.warehouse_id))
        if level is None:
            _move(variant_id=move.variant_id, warehouse_id=move.warehouse_id, kind=move.kind,
                  on_hand=move.on_hand_delta, reserved=move.reserved_delta, order=move.order,
                  reason=move.reason, actor=move.actor)
            continue
        StockLevel.objects.filter(pk=level.pk).update(
            on_hand=F("on_hand") + move.on_hand_delta,
            reserved=F("reserved") + move.reserved_delta, updated_at=now)
    StockMovement.objects.bulk_create(
        [move for move in moves if (move.variant_id, move.warehouse_id) in levels])


def stock_reserve(*, order, lines: Iterable[WantedLine]) -> dict[int, int]:
    """Reserve every line for `order` or nothing (InsufficientStock, a Conflict). Must run
    inside the checkout's transaction. Returns variant id → first warehouse id used."""
    lines = sorted(lines, key=lambda line: line.variant_id)
    locked = _locked_levels_of(line.variant_id for line in lines)
    levels = {(lv.variant_id, lv.warehouse_id): lv for lv in locked}
    first_warehouse: dict[int, int] = {}
    moves: list[StockMovement] = []
    for line in lines:
        found = [Level(lv.warehouse_id, lv.on_hand, lv.reserved)
                 for lv in locked if lv.variant_id == line.variant_id]
        for warehouse_id, units in split_reservation(line.sku, line.quantity, found):
            first_warehouse.setdefault(line.variant_id, warehouse_id)
            moves.append(StockMovement(
                variant_id=line.variant_id, warehouse_id=warehouse_id,
                kind=MovementKind.RESERVATION, reserved_delta=units, order=order,
                actor="checkout"))
    _apply_moves(moves, levels)
    return first_warehouse


def _allocations(order) -> list[tuple[int, int, int]]:
    """(variant, warehouse, units) the order reserved, from the ledger, in locking order."""
    rows = (StockMovement.objects.filter(order=order, kind=MovementKind.RESERVATION)
            .values("variant_id", "warehouse_id").annotate(units=Sum("reserved_delta"))
            .order_by("variant_id", "warehouse_id"))
    return [(row["variant_id"], row["warehouse_id"], row["units"]) for row in rows]


def _move_allocations(order, kind: str, on_hand: int, reserved: int, actor: str) -> None:
    allocations = _allocations(order)
    locked = _locked_levels_of(variant_id for variant_id, _, _ in allocations)
    _apply_moves([StockMovement(variant_id=variant_id, warehouse_id=warehouse_id, kind=kind,
                                on_hand_delta=on_hand * units, reserved_delta=reserved * units,
                                order=order, actor=actor)
                  for variant_id, warehouse_id, units in allocations],
                 {(lv.variant_id, lv.warehouse_id): lv for lv in locked})


def stock_release_order(*, order, actor: str = "system") -> None:
    """A pending order is cancelled: its reservation goes back to available."""
    _move_allocations(order, MovementKind.RELEASE, on_hand=0, reserved=-1, actor=actor)


def stock_ship_order(*, order) -> None:
    """A confirmed order's allocation leaves the shelves: on hand and reserved both go down."""
    _move_allocations(order, MovementKind.SHIPMENT, on_hand=-1, reserved=-1, actor="system")


def stock_restock_order(*, order, actor: str = "system") -> None:
    """A confirmed, shipped or delivered order comes back: the units are on hand again."""
    _move_allocations(order, MovementKind.RESTOCK, on_hand=1, reserved=0, actor=actor)


# --- operator changes ---------------------------------------------------------------------

def _variant_id(sku: str) -> int:
    variant_id = Variant.objects.filter(sku=sku).values_list("id", flat=True).first()
    if variant_id is None:
        raise NotFound(f"there is no SKU {sku!r}")
    return variant_id


def _warehouse(code: str) -> Warehouse:
    warehouse = Warehouse.objects.filter(code=code).first()
    if warehouse is None:
        raise NotFound(f"there is no warehouse {code!r}")
    return warehouse


def _level_of(variant_id: int, warehouse_id: int) -> Level:
    for level in _locked_levels(variant_id):
        if level.warehouse_id == warehouse_id:
            return Level(warehouse_id, level.on_hand, level.reserved)
    return Level(warehouse_id, 0, 0)


def _stock_level(variant_id: int, warehouse_id: int) -> StockLevel:
    return StockLevel.objects.select_related("warehouse", "variant").get(
        variant_id=variant_id, warehouse_id=warehouse_id)


@transaction.atomic
def stock_adjust(*, sku: str, warehouse_code: str, delta: int, reason: str,
                 actor) -> StockLevel:
    """A counted correction: on hand moves by `delta`; never below what is reserved."""
    reason = (reason or "").strip()
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise ShopError("delta must be a whole number other than zero")
    if not reason or len(reason) > MAX_REASON:
        raise ShopError(f"a reason of 1 to {MAX_REASON} characters is required")
    variant_id, warehouse = _variant_id(sku), _warehouse(warehouse_code)
    level = _level_of(variant_id, warehouse.id)
    if level.on_hand + delta < level.reserved:
        raise Conflict(f"on hand would become {level.on_hand + delta}, below the "
                       f"{level.reserved} reserved for placed orders in {warehouse.code}")
    who = actor_label(actor)
    _move(variant_id=variant_id, warehouse_id=warehouse.id, kind=MovementKind.ADJUSTMENT,
          on_hand=delta, reason=reason, actor=who)
    audit_record(actor=who, action="stock.adjust", entity="stock",
                 entity_id=f"{sku}@{warehouse.code}",
                 before={"on_hand": level.on_hand, "reserved": level.reserved},
                 after={"on_hand": level.on_hand + delta, "reserved": level.reserved,
                        "delta": delta, "reason": reason})
    return _stock_level(variant_id, warehouse.id)


def _targets(warehouse_code: str | None, quantity: int) -> dict[int, int]:
    """Warehouse id → wanted available: the named one, or the default gets all, others 0."""
    if warehouse_code is not None:
        return {_warehouse(warehouse_code).id: quantity}
    warehouses = list(Warehouse.objects.order_by("-is_default", "id").values_list("id", flat=True))
    if not warehouses:
        raise Conflict("there are no warehouses yet")
    return {wid: quantity if i == 0 else 0 for i, wid in enumerate(warehouses)}


@transaction.atomic
def stock_set(*, sku: str, quantity: int, warehouse_code: str | None,
              actor) -> list[StockLevel]:
    """Make `quantity` the SKU's available stock, as ledger adjustments (the legacy
    `tienda stock set`): in one warehouse, or the default gets it and the others zero."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
        raise ShopError("the quantity must be a whole number, zero or more")
    variant_id = _variant_id(sku)
    who = actor_label(actor)
    for warehouse_id, wanted in _targets(warehouse_code, quantity).items():
        delta = on_hand_delta_for_available(_level_of(variant_id, warehouse_id), wanted)
        if delta:
            _move(variant_id=variant_id, warehouse_id=warehouse_id,
                  kind=MovementKind.ADJUSTMENT, on_hand=delta, reason="stock set", actor=who)
    return list(StockLevel.objects.select_related("warehouse").filter(variant_id=variant_id)
                .order_by("-warehouse__is_default", "warehouse_id"))
