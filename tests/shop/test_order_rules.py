"""Order, stock and checkout rules: plain Python, no database (ports
legacy/tests/unit/test_orders_domain.py)."""

from __future__ import annotations

import pytest

from shop.checkout.rules import form_problems, request_problem
from shop.core.errors import Conflict
from shop.inventory.rules import (
    InsufficientStock,
    Level,
    on_hand_delta_for_available,
    split_reservation,
)
from shop.orders.rules import (
    COUNTRIES,
    MAX_QUANTITY,
    TRANSITIONS,
    IllegalTransition,
    InvalidQuantity,
    PricedLine,
    check_quantity,
    check_transition,
    line_tax,
    price_order,
    shipping_methods,
)

STATUSES = ["pending", "confirmed", "shipped", "delivered", "cancelled", "refunded"]
LEGAL = {
    ("pending", "confirmed"), ("pending", "cancelled"), ("confirmed", "shipped"),
    ("confirmed", "cancelled"), ("confirmed", "refunded"), ("shipped", "delivered"),
    ("delivered", "refunded"),
}


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("wanted", STATUSES)
def test_only_the_documented_transitions_are_allowed(current, wanted):
    if (current, wanted) in LEGAL:
        check_transition(current, wanted)
    else:
        with pytest.raises(IllegalTransition, match=f"{current} cannot become {wanted}"):
            check_transition(current, wanted)


def test_an_illegal_transition_is_a_conflict_naming_what_is_allowed():
    with pytest.raises(Conflict) as refused:
        check_transition("shipped", "cancelled")

    assert str(refused.value) == ("an order that is shipped cannot become cancelled "
                                  "(it can become: delivered)")
    assert refused.value.code == "conflict"
    assert set(TRANSITIONS) == set(STATUSES)


def line(price: int, quantity: int) -> PricedLine:
    return PricedLine(1, "S", "Thing", quantity, price, price // 2)


def test_standard_shipping_is_charged_below_the_free_threshold():
    totals = price_order([line(1995, 2)], shipping_methods("EUR")["standard"], 2100)

    assert (totals.subtotal_minor, totals.shipping_minor, totals.total_minor) == (3990, 495, 4485)
    assert totals.tax_minor == 778  # 4485 - round(4485 / 1.21)
    assert (totals.discount_minor, totals.currency) == (0, "EUR")


def test_standard_shipping_is_free_from_fifty_euros_but_express_never_is():
    methods = shipping_methods("EUR")

    assert price_order([line(2500, 2)], methods["standard"], 2100).shipping_minor == 0
    assert price_order([line(2499, 2)], methods["standard"], 2100).shipping_minor == 495
    assert price_order([line(2500, 2)], methods["express"], 2100).shipping_minor == 995


@pytest.mark.parametrize(("total", "rate", "tax"), [(121, 2100, 21), (4485, 2100, 778),
                                                    (110, 1000, 10), (0, 2100, 0),
                                                    (1000, 0, 0)])
def test_the_tax_is_the_vat_inside_a_vat_inclusive_total(total, rate, tax):
    assert line_tax(total, rate) == tax


@pytest.mark.parametrize("bad", [0, -3, 100, "abc", "3", 2.5, True, None])
def test_a_quantity_must_be_a_whole_number_from_1_to_99(bad):
    with pytest.raises(InvalidQuantity):
        check_quantity(bad)


def test_the_limits_are_the_documented_ones():
    assert (check_quantity(1), check_quantity(MAX_QUANTITY)) == (1, 99)
    assert COUNTRIES == ("ES", "PT", "FR", "DE", "IT", "IE", "NL", "BE")


def test_a_reservation_takes_the_default_warehouse_first_then_the_next():
    levels = [Level(1, 6, 5), Level(2, 4, 0)]

    assert split_reservation("TEE", 1, levels) == [(1, 1)]
    assert split_reservation("TEE", 3, levels) == [(1, 1), (2, 2)]


def test_a_reservation_that_cannot_be_met_whole_names_what_is_left():
    with pytest.raises(InsufficientStock) as refused:
        split_reservation("TEE", 6, [Level(1, 6, 5), Level(2, 4, 0)])

    assert str(refused.value) == "not enough stock: only 5 of TEE left, 6 requested"
    assert refused.value.code == "conflict"


def test_making_n_available_keeps_the_reserved_units():
    assert on_hand_delta_for_available(Level(1, 10, 3), 2) == -5
    assert on_hand_delta_for_available(Level(1, 0, 0), 7) == 7


GOOD_FORM = {"email": "ana@example.com", "name": "Ana", "line1": "Calle Mayor 1",
             "city": "Madrid", "postal_code": "28013", "country": "ES",
             "shipping_method": "standard", "payment_token": "tok_sandbox_ok"}


def test_the_checkout_form_problems_name_each_field():
    assert form_problems(GOOD_FORM, "EUR") == {}
    assert form_problems({**GOOD_FORM, "email": "nope", "country": "US", "name": " ",
                          "postal_code": "!", "shipping_method": "teleport",
                          "payment_token": ""}, "EUR") == {
        "email": "Enter a valid e-mail address.", "country": "Choose a country we ship to.",
        "name": "This field is required.", "postal_code": "Enter a valid postal code.",
        "shipping_method": "Choose a shipping method.",
        "payment_token": "Choose a payment method."}


@pytest.mark.parametrize(("change", "problem"), [
    ({"email": "not-an-email"}, "email: 'not-an-email' is not an e-mail address"),
    ({"shipping_method": "teleport"},
     "unknown shipping method 'teleport'; choose one of standard, express"),
    ({"shipping_address": {**GOOD_FORM, "country": "Spain"}},
     "shipping_address.country: Choose a country we ship to."),
    ({"payment_token": ""}, "payment_token: choose a payment method"),
    ({"locale": "fr"}, "locale: must be one of es, en"),
])
def test_a_checkout_request_problem_names_the_field(change, problem):
    request = {"email": "ana@example.com", "shipping_address": GOOD_FORM,
               "shipping_method": "standard", "payment_token": "tok_sandbox_ok",
               "locale": "es", **change}

    assert request_problem(**request, currency="EUR") == problem
