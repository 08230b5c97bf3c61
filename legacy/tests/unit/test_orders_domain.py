"""Order rules: the state machine and the arithmetic of a total."""

from __future__ import annotations

import pytest

from tienda.domain.cart import InvalidQuantity, check_quantity
from tienda.domain.money import Money
from tienda.domain.orders import (
    IllegalTransition,
    OrderStatus,
    PricedLine,
    check_transition,
    price_order,
    shipping_methods,
)

LEGAL = {
    ("pending", "confirmed"), ("pending", "cancelled"), ("confirmed", "shipped"),
    ("confirmed", "cancelled"), ("confirmed", "refunded"), ("shipped", "delivered"),
    ("delivered", "refunded"),
}


@pytest.mark.parametrize("current", list(OrderStatus))
@pytest.mark.parametrize("wanted", list(OrderStatus))
def test_only_the_documented_transitions_are_allowed(current, wanted):
    if (current.value, wanted.value) in LEGAL:
        check_transition(current, wanted)
    else:
        with pytest.raises(IllegalTransition, match=f"cannot become {wanted.value}"):
            check_transition(current, wanted)


def line(price: int, quantity: int) -> PricedLine:
    return PricedLine(1, "S", "Thing", quantity, Money(price, "EUR"), Money(price // 2, "EUR"))


def test_standard_shipping_is_charged_below_the_free_threshold():
    totals = price_order([line(1995, 2)], shipping_methods("EUR")["standard"], 2100)

    assert (totals.subtotal.minor, totals.shipping.minor, totals.total.minor) == (3990, 495, 4485)
    assert totals.tax.minor == 778  # 4485 - round(4485 / 1.21)


def test_standard_shipping_is_free_from_fifty_euros_but_express_never_is():
    methods = shipping_methods("EUR")

    assert price_order([line(2500, 2)], methods["standard"], 2100).shipping.minor == 0
    assert price_order([line(2500, 2)], methods["express"], 2100).shipping.minor == 995


@pytest.mark.parametrize("bad", [0, -3, 100, "abc", "3", 2.5, True, None])
def test_a_quantity_must_be_a_whole_number_from_1_to_99(bad):
    with pytest.raises(InvalidQuantity):
        check_quantity(bad)


def test_money_of_different_currencies_does_not_add():
    with pytest.raises(ValueError, match="EUR with USD"):
        Money(1, "EUR") + Money(1, "USD")
