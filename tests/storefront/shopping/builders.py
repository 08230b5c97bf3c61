"""A small shop for the cart, checkout and API tests, with stock received through the ledger
(so "ledger sums == levels" can be checked after a checkout)."""

from __future__ import annotations

from shop.catalog.models import Variant
from shop.checkout.models import CartLine
from shop.inventory.models import MovementKind, StockLevel, StockMovement
from tests.builders import a_category, a_product, a_variant, a_warehouse

ADDRESS = {"name": "Ana García", "line1": "Calle Mayor 1", "city": "Madrid",
           "postal_code": "28013", "country": "ES"}


def make_shop(stock: dict[str, int], *, price: int = 1995,
              second_warehouse: dict[str, int] | None = None) -> dict[str, Variant]:
    """One category, one published product per SKU (slug producto-N, "Camiseta SKU"),
    warehouses MAD (default) and BCN, stock received as ledger movements."""
    a_warehouse("MAD", default=True)
    a_warehouse("BCN", default=False)
    category = a_category("ropa")
    variants = {}
    for n, sku in enumerate(stock, start=1):
        product = a_product(f"producto-{n}", category=category, name_es=f"Camiseta {sku}",
                            name_en=f"T-shirt {sku}", is_featured=True)
        variants[sku] = a_variant(sku, product=product, price=price, talla="M")
        for code, units in (("MAD", stock[sku]), ("BCN", (second_warehouse or {}).get(sku, 0))):
            receive(variants[sku], code, units)
    return variants


def receive(variant: Variant, code: str, units: int) -> None:
    warehouse = a_warehouse(code)
    StockLevel.objects.create(variant=variant, warehouse=warehouse, on_hand=units)
    if units:
        StockMovement.objects.create(variant=variant, warehouse=warehouse,
                                     kind=MovementKind.RECEIPT, on_hand_delta=units,
                                     reason="test stock", actor="test")






def cart_rows() -> list[tuple[str, int]]:
    return [(line.variant.sku, line.quantity)
            for line in CartLine.objects.select_related("variant").order_by("variant__sku")]


def checkout_body(token: str = "tok_sandbox_ok", **overrides: object) -> dict[str, object]:
    return {"email": "ana@example.com", "shipping_address": ADDRESS,
            "shipping_method": "standard", "payment_token": token, **overrides}
