"""Small builders for a shop's data in tests; each area may add its own beside its tests."""

from __future__ import annotations

from itertools import count

from django.db.models import Sum

from shop.catalog.models import Category, Product, Variant
from shop.inventory.models import StockLevel, StockMovement, Warehouse

_serial = count(1)


def a_warehouse(code: str = "MAD", *, default: bool | None = None) -> Warehouse:
    is_default = (code == "MAD") if default is None else default
    warehouse, _ = Warehouse.objects.get_or_create(
        code=code, defaults={"name": f"Almacén {code}", "is_default": is_default})
    return warehouse


def a_category(slug: str = "camisetas", *, parent: Category | None = None) -> Category:
    category, _ = Category.objects.get_or_create(
        slug=slug, defaults={"name_es": slug.capitalize(), "name_en": slug.capitalize(),
                             "parent": parent})
    return category


def a_product(slug: str | None = None, *, category: Category | None = None,
              published: bool = True, **fields: object) -> Product:
    n = next(_serial)
    slug = slug or f"producto-{n}"
    return Product.objects.create(
        slug=slug, category=category or a_category(), is_published=published,
        name_es=fields.pop("name_es", f"Producto {n}"),
        name_en=fields.pop("name_en", f"Product {n}"), **fields)


def a_variant(sku: str | None = None, *, product: Product | None = None, price: int = 1999,
              stock: dict[str, int] | None = None, **attributes: str) -> Variant:
    """`stock` maps warehouse codes to units on hand (levels written directly, no ledger)."""
    variant = Variant.objects.create(
        product=product or a_product(), sku=sku or f"SKU-{next(_serial)}", price_minor=price,
        cost_minor=price // 2, currency="EUR", attributes=attributes or {"talla": "M"})
    for code, on_hand in (stock or {}).items():
        StockLevel.objects.create(variant=variant, warehouse=a_warehouse(code), on_hand=on_hand)
    return variant


def stock_of(sku: str) -> list[tuple[str, int, int]]:
    """(warehouse, on hand, reserved), default warehouse first."""
    return [(level.warehouse.code, level.on_hand, level.reserved) for level in
            StockLevel.objects.filter(variant__sku=sku).select_related("warehouse")
            .order_by("-warehouse__is_default", "warehouse_id")]


def ledger_matches_levels() -> bool:
    """Every level equals the sum of its movements (an empty level needs none), and some
    stock exists at all."""
    sums = {(row["variant_id"], row["warehouse_id"]): (row["on_hand"], row["reserved"])
            for row in StockMovement.objects.values("variant_id", "warehouse_id")
            .annotate(on_hand=Sum("on_hand_delta"), reserved=Sum("reserved_delta"))}
    levels = {(level.variant_id, level.warehouse_id): (level.on_hand, level.reserved)
              for level in StockLevel.objects.all()}
    empty = (0, 0)
    return bool(levels) and ({k: v for k, v in sums.items() if v != empty}
                             == {k: v for k, v in levels.items() if v != empty})
