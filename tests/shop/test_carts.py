"""Carts: every change checked against the catalog and the stock; bad input refused and
harmless (the service-level parts of legacy test_cart_api.py)."""

from __future__ import annotations

import pytest

from shop.catalog.models import AttributeLabel
from shop.checkout.models import Cart
from shop.checkout.selectors import cart_summary
from shop.checkout.services import (
    cart_create,
    cart_line_add,
    cart_line_remove,
    cart_line_set,
    cart_open,
)
from shop.core.errors import Conflict, Forbidden, NotFound, ShopError
from shop.inventory.services import stock_set
from shop.orders.rules import MAX_LINES, InvalidQuantity
from tests.builders import a_product, a_variant
from tests.shop.builders import cart_with, place, stocked

pytestmark = pytest.mark.django_db


def lines_of(cart) -> list[tuple[str, int]]:
    return [(line.sku, line.quantity) for line in cart_summary(cart=cart, locale="es").lines]


def test_lines_are_added_changed_and_removed():
    stocked("TEE-M", MAD=5)
    cart, _ = cart_create()

    cart_line_add(cart=cart, sku="TEE-M", quantity=2)
    assert lines_of(cart) == [("TEE-M", 2)]
    cart_line_add(cart=cart, sku="TEE-M", quantity=1)
    assert lines_of(cart) == [("TEE-M", 3)]
    cart_line_set(cart=cart, sku="TEE-M", quantity=4)
    assert lines_of(cart) == [("TEE-M", 4)]
    assert cart_summary(cart=cart, locale="es").subtotal_minor == 7980
    cart_line_remove(cart=cart, sku="TEE-M")
    assert lines_of(cart) == []


@pytest.mark.parametrize(("sku", "quantity", "error", "message"), [
    ("TEE-M", -3, InvalidQuantity, "the quantity must be at least 1"),
    ("TEE-M", 0, InvalidQuantity, "the quantity must be at least 1"),
    ("TEE-M", "abc", InvalidQuantity, "the quantity must be a whole number"),
    ("TEE-M", 100, InvalidQuantity, "at most 99 of one item per order"),
    ("NOPE", 1, ShopError, "there is no product with SKU 'NOPE' on sale"),
    ("TEE-M", 6, Conflict, "only 5 of TEE-M left"),
])
def test_bad_lines_get_a_clear_error_and_change_nothing(sku, quantity, error, message):
    stocked("TEE-M", MAD=5)
    stocked("MUG-R", MAD=2)
    cart, _ = cart_with({"MUG-R": 1})

    with pytest.raises(error) as refused:
        cart_line_add(cart=cart, sku=sku, quantity=quantity)

    assert str(refused.value) == message
    assert lines_of(cart) == [("MUG-R", 1)]


def test_an_unpublished_product_cannot_be_added():
    a_variant("HIDDEN", product=a_product(published=False))
    cart, _ = cart_create()

    with pytest.raises(ShopError, match="there is no product with SKU 'HIDDEN' on sale"):
        cart_line_add(cart=cart, sku="HIDDEN", quantity=1)


def test_a_cart_opens_only_with_its_token():
    cart, token = cart_create()

    assert cart_open(cart_id=str(cart.pk), token=token) == cart
    with pytest.raises(Forbidden, match=r"^the cart token does not match this cart$"):
        cart_open(cart_id=cart.pk, token=token + "x")
    with pytest.raises(NotFound, match=r"^there is no cart 00000000-0000-0000-0000-000000000000$"):
        cart_open(cart_id="00000000-0000-0000-0000-000000000000", token=token)
    with pytest.raises(NotFound, match=r"^there is no cart not-a-uuid$"):
        cart_open(cart_id="not-a-uuid", token=token)


def test_changing_or_removing_a_line_that_is_not_in_the_cart_is_not_found():
    stocked("TEE-M", MAD=5)
    cart, _ = cart_create()

    with pytest.raises(NotFound, match=r"^TEE-M is not in the cart$"):
        cart_line_set(cart=cart, sku="TEE-M", quantity=1)
    with pytest.raises(NotFound, match=r"^TEE-M is not in the cart$"):
        cart_line_remove(cart=cart, sku="TEE-M")


def test_a_cart_holds_at_most_fifty_different_items():
    for n in range(MAX_LINES + 1):
        stocked(f"SKU-{n}", MAD=1)
    cart, _ = cart_with({f"SKU-{n}": 1 for n in range(MAX_LINES)})

    with pytest.raises(Conflict, match=r"^a cart holds at most 50 different items$"):
        cart_line_add(cart=cart, sku=f"SKU-{MAX_LINES}", quantity=1)
    assert cart_summary(cart=cart, locale="es").count == MAX_LINES


def test_a_checked_out_cart_cannot_change():
    stocked("TEE-M", MAD=5)
    cart = Cart.objects.get(pk=place({"TEE-M": 1}).order.cart_id)

    with pytest.raises(Conflict, match=r"^this cart has already been checked out"):
        cart_line_add(cart=cart, sku="TEE-M", quantity=1)


def test_the_summary_names_lines_in_the_locale_with_option_labels_quotes_and_counts():
    product = a_product("camiseta", name_es="Camiseta", name_en="T-shirt")
    a_variant("TEE-M", product=product, price=1995, color="red", talla="M")
    stocked("MUG-R", price=500, MAD=2)
    stock_set(sku="TEE-M", quantity=3, warehouse_code="MAD", actor="test")
    AttributeLabel.objects.create(attribute="color", value="red", locale="en", label="Red")
    cart, _ = cart_with({"TEE-M": 2, "MUG-R": 1})

    summary = cart_summary(cart=cart, locale="en")

    first = summary.lines[0]
    assert (first.sku, first.product_name, first.product_slug) == ("TEE-M", "T-shirt", "camiseta")
    assert first.options == [("color", "Red"), ("talla", "M")]
    assert (first.unit_price_minor, first.quantity, first.total_minor, first.available) == (
        1995, 2, 3990, 3)
    assert summary.subtotal_minor == 4490
    assert summary.shipping_quotes == {"standard": 495, "express": 995}
    assert (summary.total_minor, summary.count, summary.currency) == (4985, 3, "EUR")
    assert cart_summary(cart=cart, locale="es").lines[0].product_name == "Camiseta"
