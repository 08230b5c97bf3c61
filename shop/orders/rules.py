"""Order rules in plain Python (no Django): the state machine, what a checkout may contain, and
the arithmetic of a total. Prices include VAT; money is integer minor units."""

from __future__ import annotations

from dataclasses import dataclass

from shop.core.errors import Conflict, ShopError

TRANSITIONS: dict[str, frozenset[str]] = {
    "pending": frozenset({"confirmed", "cancelled"}),
    "confirmed": frozenset({"shipped", "cancelled", "refunded"}),
    "shipped": frozenset({"delivered"}),
    # A return after delivery: the goods come back and the payment is refunded.
    "delivered": frozenset({"refunded"}),
    "cancelled": frozenset(),
    "refunded": frozenset(),
}

# One rule for the checkout page and the API: the countries the shop ships to.
COUNTRIES = ("ES", "PT", "FR", "DE", "IT", "IE", "NL", "BE")
MAX_QUANTITY = 99
MAX_LINES = 50


class IllegalTransition(Conflict):
    code = "conflict"

    def __init__(self, current: str, wanted: str) -> None:
        allowed = ", ".join(sorted(TRANSITIONS.get(current, ()))) or "nothing"
        super().__init__(f"an order that is {current} cannot become {wanted} "
                         f"(it can become: {allowed})")
        self.current, self.wanted = current, wanted


def check_transition(current: str, wanted: str) -> None:
    if wanted not in TRANSITIONS.get(str(current), ()):
        raise IllegalTransition(str(current), str(wanted))


class InvalidQuantity(ShopError):
    code = "invalid"


def check_quantity(quantity: object) -> int:
    """A line's quantity: a whole number from 1 to MAX_QUANTITY (bools are not numbers)."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise InvalidQuantity("the quantity must be a whole number")
    if quantity < 1:
        raise InvalidQuantity("the quantity must be at least 1")
    if quantity > MAX_QUANTITY:
        raise InvalidQuantity(f"at most {MAX_QUANTITY} of one item per order")
    return quantity


@dataclass(frozen=True, slots=True)
class ShippingMethod:
    code: str
    price_minor: int
    free_from_minor: int | None
    currency: str

    def cost_for(self, subtotal_minor: int) -> int:
        free = self.free_from_minor is not None and subtotal_minor >= self.free_from_minor
        return 0 if free else self.price_minor


def shipping_methods(currency: str) -> dict[str, ShippingMethod]:
    return {
        "standard": ShippingMethod("standard", 495, 5000, currency),
        "express": ShippingMethod("express", 995, None, currency),
    }


@dataclass(frozen=True, slots=True)
class PricedLine:
    variant_id: int
    sku: str
    name: str
    quantity: int
    unit_price_minor: int
    unit_cost_minor: int = 0

    @property
    def total_minor(self) -> int:
        return self.unit_price_minor * self.quantity


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal_minor: int
    discount_minor: int
    shipping_minor: int
    tax_minor: int
    total_minor: int
    currency: str


def price_order(lines: list[PricedLine], method: ShippingMethod, tax_rate_bp: int) -> Totals:
    """`tax_minor` is the VAT part of the (VAT-inclusive) total, for the invoice."""
    subtotal = sum(line.total_minor for line in lines)
    shipping = method.cost_for(subtotal)
    total = subtotal + shipping
    return Totals(subtotal, 0, shipping, line_tax(total, tax_rate_bp), total, method.currency)


def line_tax(total_minor: int, tax_rate_bp: int) -> int:
    """The VAT inside a VAT-inclusive amount: total - round-half-up(total / (1 + rate))."""
    net = (total_minor * 10000 + (10000 + tax_rate_bp) // 2) // (10000 + tax_rate_bp)
    return total_minor - net
