"""Checkout: one order per success, a clear refusal for everything else, and an
Idempotency-Key that never opens another cart's order (the service-level parts of legacy
test_checkout_api.py, plus the fixed key hole)."""

from __future__ import annotations

import pytest

from shop.checkout import services as checkout
from shop.checkout.models import Cart
from shop.checkout.services import checkout_place
from shop.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PaymentDeclined,
    PaymentUnavailable,
    ShopError,
)
from shop.customers.models import Customer
from shop.customers.services import customer_for_checkout
from shop.inventory.services import stock_set
from shop.orders.models import Order, OrderLine
from shop.orders.selectors import order_for_customer_link
from shop.payments.models import Payment, SandboxCharge
from shop.payments.sandbox import SandboxProvider
from tests.builders import ledger_matches_levels, stock_of
from tests.shop.builders import ADDRESS, cart_with, checkout_args, place, stocked
from tests.shop.conftest import queued
from workers.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def cart():
    stocked("TEE-M", MAD=3)
    return cart_with({"TEE-M": 2})


def charges() -> list[str]:
    return sorted(SandboxCharge.objects.values_list("status", flat=True))


def test_a_checkout_places_a_pending_order_reserves_stock_and_queues_its_confirmation(cart):
    cart_obj, token = cart

    placed = checkout_place(cart_id=cart_obj.pk, token=token, **checkout_args())

    order = placed.order
    assert placed.created is True
    assert order.status == "pending"
    assert order.number.startswith("T-") and len(order.number) == 15
    assert (order.subtotal_minor, order.shipping_minor, order.total_minor, order.tax_minor) == (
        3990, 495, 4485, 778)
    assert (order.email, order.shipping_address, order.cart_id) == (
        "ana@example.com", {**ADDRESS, "line2": ""}, cart_obj.pk)
    assert list(OrderLine.objects.values_list("sku", "quantity", "total_minor")) == [
        ("TEE-M", 2, 3990)]
    assert [e.status_to for e in order.events.all()] == ["pending"]
    assert stock_of("TEE-M") == [("MAD", 3, 2)]
    assert ledger_matches_levels()
    assert queued("confirm_order_task") == [{"order_id": str(order.pk)}]
    assert Payment.objects.get().status == "authorized"
    assert Cart.objects.get(pk=cart_obj.pk).checked_out_order_id == order.pk
    assert order_for_customer_link(order_id=order.pk, token=placed.access_token) == order


def test_the_same_idempotency_key_with_the_same_cart_returns_the_same_order_once(cart):
    cart_obj, token = cart

    first = checkout_place(cart_id=cart_obj.pk, token=token, idempotency_key="retry-123",
                           **checkout_args())
    second = checkout_place(cart_id=cart_obj.pk, token=token, idempotency_key="retry-123",
                            **checkout_args())

    assert (first.created, second.created) == (True, False)
    assert (second.order.pk, second.access_token) == (first.order.pk, first.access_token)
    assert Order.objects.count() == 1
    assert stock_of("TEE-M")[0] == ("MAD", 3, 2)
    assert charges() == ["authorized"]


def test_a_key_used_for_another_cart_is_refused_and_reveals_nothing(cart):
    cart_obj, token = cart
    victim = checkout_place(cart_id=cart_obj.pk, token=token, idempotency_key="shared-key",
                            **checkout_args())
    stocked("MUG-R", MAD=1)
    other_cart, other_token = cart_with({"MUG-R": 1})

    with pytest.raises(Conflict) as refused:
        checkout_place(cart_id=other_cart.pk, token=other_token, idempotency_key="shared-key",
                       **checkout_args())

    assert str(refused.value) == "this Idempotency-Key was used for another cart"
    assert victim.order.number not in str(refused.value)
    assert Order.objects.count() == 1
    assert Cart.objects.get(pk=other_cart.pk).checked_out_order_id is None


@pytest.mark.parametrize("cart_id", ["victim", "00000000-0000-0000-0000-000000000000", "x"])
def test_a_foreign_key_with_a_bogus_token_or_cart_reveals_nothing(cart, cart_id):
    cart_obj, token = cart
    checkout_place(cart_id=cart_obj.pk, token=token, idempotency_key="k-1", **checkout_args())
    target = cart_obj.pk if cart_id == "victim" else cart_id

    with pytest.raises((Forbidden, NotFound)) as refused:
        checkout_place(cart_id=target, token="bogus", idempotency_key="k-1", **checkout_args())

    assert str(refused.value) in ("the cart token does not match this cart",
                                  f"there is no cart {target}")


def test_a_second_checkout_of_the_same_cart_is_refused(cart):
    cart_obj, token = cart
    checkout_place(cart_id=cart_obj.pk, token=token, **checkout_args())

    with pytest.raises(Conflict, match=r"^this cart has already been checked out"):
        checkout_place(cart_id=cart_obj.pk, token=token, **checkout_args())

    assert Order.objects.count() == 1
    assert charges() == ["authorized"]


@pytest.mark.parametrize(("payment", "error", "message"), [
    ("tok_sandbox_declined", PaymentDeclined, "payment declined: the card was declined"),
    ("tok_sandbox_error", PaymentUnavailable, "the payment provider did not answer"),
])
def test_a_failed_payment_leaves_no_order_and_no_reservation(cart, payment, error, message):
    cart_obj, token = cart

    with pytest.raises(error) as refused:
        checkout_place(cart_id=cart_obj.pk, token=token, **checkout_args(payment))

    assert str(refused.value) == message
    assert Order.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    assert stock_of("TEE-M")[0] == ("MAD", 3, 0)
    assert Cart.objects.get(pk=cart_obj.pk).checked_out_order_id is None


def test_stock_short_at_checkout_is_a_conflict_and_the_authorization_is_voided(cart):
    cart_obj, token = cart
    stock_set(sku="TEE-M", quantity=1, warehouse_code=None, actor="test")

    with pytest.raises(Conflict) as refused:
        checkout_place(cart_id=cart_obj.pk, token=token, **checkout_args())

    assert str(refused.value) == "not enough stock: only 1 of TEE-M left, 2 requested"
    assert Order.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    assert charges() == ["voided"]
    assert stock_of("TEE-M")[0] == ("MAD", 1, 0)
    assert ledger_matches_levels()


@pytest.mark.parametrize(("change", "message"), [
    ({"email": "not-an-email"}, "email: 'not-an-email' is not an e-mail address"),
    ({"shipping_method": "teleport"},
     "unknown shipping method 'teleport'; choose one of standard, express"),
    ({"shipping_address": {**ADDRESS, "country": "Spain"}},
     "shipping_address.country: Choose a country we ship to."),
    ({"payment_token": ""}, "payment_token: choose a payment method"),
])
def test_invalid_checkout_input_names_the_problem(cart, change, message):
    cart_obj, token = cart

    with pytest.raises(ShopError) as refused:
        checkout_place(cart_id=cart_obj.pk, token=token, **checkout_args(**change))

    assert (str(refused.value), refused.value.code) == (message, "invalid")
    assert Order.objects.count() == 0
    assert SandboxCharge.objects.count() == 0


def test_an_order_needs_its_own_access_token(cart):
    placed = checkout_place(cart_id=cart[0].pk, token=cart[1], **checkout_args())
    other = place({"TEE-M": 1})

    for token in ("", "wrong", other.access_token, None):
        with pytest.raises(NotFound) as refused:
            order_for_customer_link(order_id=placed.order.pk, token=token)
        assert str(refused.value) == "there is no such order, or the link is not valid"


def test_an_empty_cart_cannot_check_out():
    stocked("TEE-M", MAD=1)
    cart_obj, token = cart_with({})

    with pytest.raises(Conflict, match=r"^the cart is empty$"):
        checkout_place(cart_id=cart_obj.pk, token=token, **checkout_args())


def test_a_total_other_than_the_reviewed_one_is_refused_as_cart_changed(cart):
    cart_obj, token = cart

    with pytest.raises(Conflict, match=r"^cart changed"):
        checkout_place(cart_id=cart_obj.pk, token=token, expected_total_minor=4000,
                       **checkout_args())
    placed = checkout_place(cart_id=cart_obj.pk, token=token, expected_total_minor=4485,
                            **checkout_args())

    assert placed.order.total_minor == 4485
    assert charges() == ["authorized"]


def test_a_line_changed_while_the_payment_is_authorized_refuses_the_checkout_and_voids_it(
        cart, monkeypatch):
    """The cart is priced once, before the authorization; the checkout's final UPDATE of the
    cart applies only if no line was written since."""
    cart_obj, token = cart
    authorize = SandboxProvider.authorize

    def authorize_while_the_shopper_adds_a_unit(self, *args):  # type: ignore[no-untyped-def]
        reference = authorize(self, *args)
        checkout.cart_line_add(cart=Cart.objects.get(pk=cart_obj.pk), sku="TEE-M", quantity=1)
        return reference

    monkeypatch.setattr(SandboxProvider, "authorize", authorize_while_the_shopper_adds_a_unit)

    with pytest.raises(Conflict, match="the cart changed during checkout"):
        checkout_place(cart_id=cart_obj.pk, token=token, **checkout_args())

    assert not Order.objects.exists()
    assert Cart.objects.get(pk=cart_obj.pk).checked_out_order_id is None
    assert stock_of("TEE-M") == [("MAD", 3, 0)]
    assert charges() == ["voided"]
    assert not OutboxMessage.objects.exists()
    assert ledger_matches_levels()


def test_an_order_number_already_taken_is_drawn_again(monkeypatch):
    stocked("TEE-M", MAD=5)
    draws = iter(["T-261128-AAAAAA", "T-261128-AAAAAA", "T-261128-AAAAAA", "T-261128-BBBBBB"])
    monkeypatch.setattr(checkout, "_order_number", lambda: next(draws))

    first, second = place({"TEE-M": 1}), place({"TEE-M": 1})

    assert (first.order.number, second.order.number) == ("T-261128-AAAAAA", "T-261128-BBBBBB")
    assert dict(Order.objects.values_list("pk", "number")) == {
        first.order.pk: first.order.number, second.order.pk: second.order.number}
    assert len(queued("confirm_order_task")) == 2
    assert ledger_matches_levels()


def test_a_line_is_split_across_warehouses_default_first():
    stocked("TEE-M", MAD=1, BCN=3)

    place({"TEE-M": 3})

    assert stock_of("TEE-M") == [("MAD", 1, 1), ("BCN", 3, 2)]
    assert ledger_matches_levels()


def test_a_signed_in_buyer_s_order_belongs_to_their_customer(cart, django_user_model):
    user = django_user_model.objects.create_user(email="Luis@Example.com", password="x" * 12)
    customer = customer_for_checkout(email="luis@example.com", locale="en", user=user)

    placed = checkout_place(cart_id=cart[0].pk, token=cart[1], customer=customer,
                            **checkout_args(email="luis@example.com"))

    assert placed.order.customer == customer
    assert (customer.email, customer.user, customer.locale) == ("luis@example.com", user, "en")
    assert customer_for_checkout(email="other@example.com", locale="es", user=user) == customer


def test_a_guest_customer_is_found_by_e_mail_and_linked_when_they_sign_in(django_user_model):
    guest = customer_for_checkout(email=" Ana@Example.com ", locale="es")
    assert customer_for_checkout(email="ana@example.com", locale="en") == guest
    assert guest.user is None
    user = django_user_model.objects.create_user(email="ana@example.com", password="x" * 12)

    linked = customer_for_checkout(email="ana@example.com", locale="es", user=user)

    assert (linked.pk, linked.user) == (guest.pk, user)
    assert Customer.objects.count() == 1
