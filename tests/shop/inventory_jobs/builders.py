"""Big data for the inventory-job tests: thousands of variants written in bulk, import files
with chosen bad rows, and queued job messages run through the worker's own runner."""

from __future__ import annotations

import random
from collections.abc import Iterable

from django.db.models import F

from shop.catalog.models import Product, Variant
from shop.inventory.models import InventoryJob, MovementKind, StockLevel, StockMovement
from tests.builders import a_category, a_warehouse
from workers.backend import envelope
from workers.models import OutboxMessage
from workers.runner import run_message

QUEUE = "inventory-jobs"


def many_variants(count: int, *, prefix: str = "BULK", stock: dict[str, int] | None = None,
                  per_product: int = 100) -> list[str]:
    """`count` variants (SKUs `<prefix>-00001`...) with `stock` on hand in each warehouse,
    written in bulk with a receipt in the ledger for each level; their SKUs."""
    category = a_category("bulk")
    products = Product.objects.bulk_create([
        Product(slug=f"{prefix.lower()}-{n}", category=category, is_published=True,
                name_es=f"Producto {prefix} {n}", name_en=f"Product {prefix} {n}")
        for n in range(-(-count // per_product))])
    skus = [f"{prefix}-{n:05d}" for n in range(1, count + 1)]
    variants = Variant.objects.bulk_create([
        Variant(product=products[n // per_product], sku=sku, price_minor=1000, cost_minor=500,
                currency="EUR", attributes={"talla": "M"}) for n, sku in enumerate(skus)])
    for code, on_hand in (stock or {}).items():
        warehouse = a_warehouse(code)
        StockLevel.objects.bulk_create([StockLevel(variant=v, warehouse=warehouse,
                                                   on_hand=on_hand) for v in variants],
                                       batch_size=2000)
        StockMovement.objects.bulk_create([
            StockMovement(variant=v, warehouse=warehouse, kind=MovementKind.RECEIPT,
                          on_hand_delta=on_hand, reason="opening stock") for v in variants],
            batch_size=2000)
    return skus


def reserve(skus: Iterable[str], code: str, units: int) -> None:
    """`units` more reserved in `code` for each SKU, with its ledger row (as a checkout)."""
    for level in StockLevel.objects.filter(variant__sku__in=list(skus), warehouse__code=code):
        StockLevel.objects.filter(pk=level.pk).update(reserved=F("reserved") + units)
        StockMovement.objects.create(variant_id=level.variant_id, warehouse_id=level.warehouse_id,
                                     kind=MovementKind.RESERVATION, reserved_delta=units,
                                     actor="checkout")


def csv_of(rows: Iterable[Iterable[object]], header: str = "sku,warehouse,quantity,mode,reason"
           ) -> bytes:
    lines = [header, *(",".join(str(cell) for cell in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def levels() -> dict[tuple[str, str], tuple[int, int]]:
    """(sku, warehouse) → (on hand, reserved) of every level."""
    return {(sku, code): (on_hand, reserved) for sku, code, on_hand, reserved in
            StockLevel.objects.values_list("variant__sku", "warehouse__code", "on_hand",
                                           "reserved")}


def shuffled(items: list[object], seed: int = 13) -> list[object]:
    random.Random(seed).shuffle(items)
    return items


class Queue:
    """The `inventory-jobs` messages the code queued (outbox rows), run through the worker's
    runner (inbox included) as the queue would deliver them."""

    def __init__(self) -> None:
        self.delivered: set[int] = set()

    def pending(self) -> list[OutboxMessage]:
        return [row for row in OutboxMessage.objects.filter(queue=QUEUE).order_by("id")
                if row.pk not in self.delivered]

    def deliver(self, row: OutboxMessage) -> str:
        self.delivered.add(row.pk)
        return run_message(queue=QUEUE, body=envelope(row), message_id=str(row.message_id),
                           dequeue_count=1)

    def run_all(self) -> list[str]:
        """Deliver every message, and those they queue, until none is left."""
        outcomes = []
        while pending := self.pending():
            outcomes += [self.deliver(row) for row in pending]
        return outcomes


def job(pk: int) -> InventoryJob:
    return InventoryJob.objects.get(pk=pk)
