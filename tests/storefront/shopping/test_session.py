"""The session helpers the cart, checkout and account pages share."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import RequestFactory

from shop.checkout.services import cart_create
from storefront.session import (
    cart_count,
    remember_cart,
    remember_order,
    session_cart,
    session_orders,
    set_cart_count,
)
from tests.storefront.accounts.builders import an_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_():
    request = RequestFactory().get("/")
    request.session = SessionStore()
    return request


def test_the_last_ten_orders_are_remembered_once_each(request_):
    ids = [str(uuid.uuid4()) for _ in range(12)]

    for order_id in [*ids, ids[5]]:
        remember_order(request_, order_id)

    assert session_orders(request_) == [*ids[2:5], *ids[6:], ids[5]]


def test_a_remembered_cart_opens_with_its_token(request_):
    cart, token = cart_create()
    remember_cart(request_, cart, token)
    set_cart_count(request_, 3)

    assert session_cart(request_) == cart
    assert cart_count(request_) == 3
    assert request_.session["cart"] == {"id": str(cart.pk), "token": token}


@pytest.mark.parametrize("spoil", ["token", "checked out"])
def test_a_cart_that_no_longer_opens_is_forgotten(request_, spoil):
    cart, token = cart_create()
    remember_cart(request_, cart, token)
    set_cart_count(request_, 2)
    if spoil == "token":
        request_.session["cart"]["token"] = "x"
    else:
        cart.checked_out_order = an_order()
        cart.save()

    assert session_cart(request_) is None
    assert "cart" not in request_.session
    assert cart_count(request_) == 0


def test_a_cart_value_of_another_shape_opens_nothing(request_):
    request_.session["cart"] = ["an-id", "a-token"]

    assert session_cart(request_) is None
