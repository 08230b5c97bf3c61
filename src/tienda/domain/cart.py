"""Carts: what a shopper intends to buy, checked against the catalog on every change."""

from __future__ import annotations

from dataclasses import dataclass

from tienda.domain.money import Money

MAX_QUANTITY_PER_LINE = 99
MAX_LINES = 50


class CartError(ValueError):
    """A change the cart refuses; the message is for the shopper."""


class InvalidQuantity(CartError):
    pass


class UnknownSku(CartError):
    pass


class NotInCart(CartError):
    pass


@dataclass(frozen=True, slots=True)
class SellableVariant:
    id: int
    sku: str
    product_name: str
    product_slug: str
    price: Money
    cost: Money
    published: bool
    available: int


@dataclass(frozen=True, slots=True)
class CartLine:
    variant: SellableVariant
    quantity: int

    @property
    def total(self) -> Money:
        return self.variant.price.times(self.quantity)


@dataclass(frozen=True, slots=True)
class Cart:
    id: str
    currency: str
    lines: list[CartLine]
    checked_out_order_id: str | None = None

    @property
    def subtotal(self) -> Money:
        total = Money.zero(self.currency)
        for line in self.lines:
            total = total + line.total
        return total

    def quantity_of(self, variant_id: int) -> int:
        return sum(line.quantity for line in self.lines if line.variant.id == variant_id)

    def with_line(self, variant: SellableVariant, quantity: int) -> Cart:
        """This cart with ``quantity`` of ``variant``: the line keeps its place, a new one
        goes last (the order lines were added in)."""
        lines = [CartLine(variant, quantity) if line.variant.id == variant.id else line
                 for line in self.lines]
        if not self.quantity_of(variant.id):
            lines.append(CartLine(variant, quantity))
        return Cart(self.id, self.currency, lines, self.checked_out_order_id)

    def without(self, variant_id: int) -> Cart:
        return Cart(self.id, self.currency,
                    [line for line in self.lines if line.variant.id != variant_id],
                    self.checked_out_order_id)


def check_quantity(quantity: object) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise InvalidQuantity("the quantity must be a whole number")
    if quantity < 1:
        raise InvalidQuantity("the quantity must be at least 1")
    if quantity > MAX_QUANTITY_PER_LINE:
        raise InvalidQuantity(f"at most {MAX_QUANTITY_PER_LINE} of one item per order")
    return quantity


def check_sellable(variant: SellableVariant | None, sku: str, quantity: int) -> SellableVariant:
    if variant is None or not variant.published:
        raise UnknownSku(f"there is no product with SKU {sku!r} on sale")
    if quantity > variant.available:
        raise CartError(f"only {variant.available} of {sku} left")
    return variant
