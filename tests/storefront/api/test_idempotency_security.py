"""An Idempotency-Key returns an order only to the cart that placed it. The legacy API
returned the order of any request that knew the key (with its access token): a foreign or
guessed key must now reveal no order, number, name or address."""

from __future__ import annotations

import uuid

import pytest

from shop.checkout.models import Cart
from shop.orders.models import Order
from tests.storefront.shopping.builders import checkout_body, make_shop

pytestmark = pytest.mark.django_db
KEY = {"Idempotency-Key": "order-key-1"}


def _cart(api, sku: str = "TEE-M", quantity: int = 1) -> tuple[str, dict]:
    body = api.post("/api/v1/carts").json()
    auth = {"X-Cart-Token": body["token"]}
    api.post(f"/api/v1/carts/{body['id']}/lines", {"sku": sku, "quantity": quantity}, auth)
    return body["id"], auth


@pytest.fixture
def placed(api):
    """Ana's order, placed with KEY from her cart."""
    make_shop({"TEE-M": 5})
    cart_id, auth = _cart(api)
    response = api.post(f"/api/v1/carts/{cart_id}/checkout", checkout_body(), {**auth, **KEY})
    assert response.status_code == 201
    return response.json()


def _reveals_nothing(response, order: dict) -> None:
    text = response.content.decode()
    for secret in (order["order_id"], order["number"], order["access_token"], "Ana",
                   "Calle Mayor", "ana@example.com"):
        assert secret not in text


def test_a_key_used_by_another_cart_is_refused_and_reveals_nothing(api, placed):
    cart_id, auth = _cart(api)
    body = {**checkout_body(), "email": "eve@example.com"}

    response = api.post(f"/api/v1/carts/{cart_id}/checkout", body, {**auth, **KEY})

    assert response.status_code == 409
    assert response.json() == {"detail": "this Idempotency-Key was used for another cart"}
    _reveals_nothing(response, placed)
    assert Order.objects.count() == 1
    assert Cart.objects.get(pk=cart_id).checked_out_order_id is None


@pytest.mark.parametrize("which", ["unknown cart", "bogus token"])
def test_a_foreign_key_with_a_bogus_cart_reveals_nothing(api, placed, which):
    ana_cart = Order.objects.get().cart_id
    cart_id = uuid.uuid4() if which == "unknown cart" else ana_cart

    response = api.post(f"/api/v1/carts/{cart_id}/checkout", checkout_body(),
                        {"X-Cart-Token": "guessed", **KEY})

    assert response.status_code == (404 if which == "unknown cart" else 403)
    _reveals_nothing(response, placed)
    assert Order.objects.count() == 1
