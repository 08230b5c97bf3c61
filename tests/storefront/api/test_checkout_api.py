"""Checkout over the public API: one order per success, a clear status for every refusal
(ported from legacy tests/integration/checkout/test_checkout_api.py; the order-number redraw
test is service-level and lives with the core's tests)."""

from __future__ import annotations

import pytest

from shop.inventory.services import stock_set
from shop.orders.models import Order
from shop.payments.models import SandboxCharge
from tests.builders import ledger_matches_levels, stock_of
from tests.storefront.shopping.builders import checkout_body, make_shop
from workers.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def cart(api):
    make_shop({"TEE-M": 3})
    body = api.post("/api/v1/carts").json()
    auth = {"X-Cart-Token": body["token"]}
    api.post(f"/api/v1/carts/{body['id']}/lines", {"sku": "TEE-M", "quantity": 2}, auth)
    return body["id"], auth


def test_a_checkout_places_a_pending_order_reserves_stock_and_queues_its_confirmation(api, cart):
    cart_id, auth = cart

    response = api.post(f"/api/v1/carts/{cart_id}/checkout", checkout_body(), auth)

    assert response.status_code == 201
    placed = response.json()
    assert set(placed) == {"order_id", "number", "status", "access_token"}
    assert placed["status"] == "pending"
    assert placed["number"].startswith("T-")
    assert stock_of("TEE-M") == [("MAD", 3, 2), ("BCN", 0, 0)]
    assert ledger_matches_levels()
    [message] = OutboxMessage.objects.filter(queue="order-confirmation")
    assert message.payload["kwargs"] == {"order_id": placed["order_id"]}
    order = api.get(f"/api/v1/orders/{placed['order_id']}",
                    {"Authorization": f"Bearer {placed['access_token']}"})
    assert order.status_code == 200
    body = order.json()
    assert (body["subtotal"], body["shipping"], body["total"]) == ("39.90", "4.95", "44.85")
    assert body["tax"] == "7.78"
    assert body["lines"] == [{"sku": "TEE-M", "name": "Camiseta TEE-M", "quantity": 2,
                              "unit_price": "19.95", "total": "39.90"}]
    assert [e["status_to"] for e in body["events"]] == ["pending"]
    assert body["invoice_url"] is None
    assert Order.objects.get().channel == "api"


def test_the_same_idempotency_key_returns_the_same_order_once(api, cart):
    cart_id, auth = cart
    headers = {**auth, "Idempotency-Key": "retry-123"}

    first = api.post(f"/api/v1/carts/{cart_id}/checkout", checkout_body(), headers)
    second = api.post(f"/api/v1/carts/{cart_id}/checkout", checkout_body(), headers)

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert Order.objects.count() == 1
    assert stock_of("TEE-M")[0] == ("MAD", 3, 2)


def test_an_idempotency_key_over_100_characters_is_a_422(api, cart):
    cart_id, auth = cart

    response = api.post(f"/api/v1/carts/{cart_id}/checkout", checkout_body(),
                        {**auth, "Idempotency-Key": "k" * 101})

    assert response.status_code == 422
    assert response.json()["detail"] == "Idempotency-Key: at most 100 characters"
    assert Order.objects.count() == 0


def test_a_second_checkout_of_the_same_cart_is_refused(api, cart):
    cart_id, auth = cart
    api.post(f"/api/v1/carts/{cart_id}/checkout", checkout_body(), auth)

    again = api.post(f"/api/v1/carts/{cart_id}/checkout", checkout_body(), auth)

    assert again.status_code == 409
    assert again.json()["detail"].startswith("this cart has already been checked out")
    assert Order.objects.count() == 1


@pytest.mark.parametrize(("token", "status", "detail"), [
    ("tok_sandbox_declined", 402, "payment declined: the card was declined"),
    ("tok_sandbox_error", 503, "the payment provider did not answer"),
])
def test_a_failed_payment_leaves_no_order_and_no_reservation(api, cart, token, status, detail):
    cart_id, auth = cart

    response = api.post(f"/api/v1/carts/{cart_id}/checkout", checkout_body(token), auth)

    assert response.status_code == status
    assert response.json() == {"detail": detail}
    assert Order.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    assert stock_of("TEE-M")[0] == ("MAD", 3, 0)


def test_stock_short_at_checkout_is_a_409_and_the_authorization_is_voided(api, cart):
    cart_id, auth = cart
    stock_set(sku="TEE-M", quantity=1, warehouse_code=None, actor="test")

    response = api.post(f"/api/v1/carts/{cart_id}/checkout", checkout_body(), auth)

    assert response.status_code == 409
    assert response.json()["detail"] == "not enough stock: only 1 of TEE-M left, 2 requested"
    assert Order.objects.count() == 0
    assert list(SandboxCharge.objects.values_list("status", flat=True)) == ["voided"]


@pytest.mark.parametrize(("change", "fragment"), [
    ({"email": "not-an-email"}, "is not an e-mail address"),
    ({"shipping_method": "teleport"}, "unknown shipping method 'teleport'"),
    ({"shipping_address": {"name": "A", "line1": "B", "city": "C", "postal_code": "28013",
                           "country": "Spain"}}, "shipping_address.country"),
    # One rule with the checkout page: only the countries the shop ships to.
    ({"shipping_address": {"name": "A", "line1": "B", "city": "C", "postal_code": "10001",
                           "country": "US"}}, "shipping_address.country"),
    ({"shipping_address": {"name": "A", "line1": "B", "city": "C", "postal_code": "28013",
                           "country": "ES", "floor": "3"}}, "shipping_address.floor"),
    ({"payment_token": ""}, "payment_token"),
    ({"locale": "fr"}, "locale"),
    ({"coupon": "FREE"}, "coupon: Extra inputs are not permitted"),
])
def test_invalid_checkout_input_is_a_422_naming_the_problem(api, cart, change, fragment):
    cart_id, auth = cart

    response = api.post(f"/api/v1/carts/{cart_id}/checkout", checkout_body(**change), auth)

    assert response.status_code == 422
    assert fragment in response.json()["detail"]
    assert Order.objects.count() == 0


def test_an_empty_checkout_body_names_the_missing_field(api, cart):
    cart_id, auth = cart

    response = api.post(f"/api/v1/carts/{cart_id}/checkout", {}, auth)

    assert response.status_code == 422
    assert response.json()["detail"] == "email: This field is required."
    assert {tuple(e["loc"]) for e in response.json()["errors"]} == {
        ("body", "email"), ("body", "shipping_address"), ("body", "shipping_method"),
        ("body", "payment_token")}


def test_a_checkout_with_a_wrong_cart_token_is_a_403(api, cart):
    cart_id, _auth = cart

    response = api.post(f"/api/v1/carts/{cart_id}/checkout", checkout_body(),
                        {"X-Cart-Token": "wrong"})

    assert response.status_code == 403
    assert Order.objects.count() == 0


def test_an_order_needs_its_own_access_token(api, cart):
    cart_id, auth = cart
    placed = api.post(f"/api/v1/carts/{cart_id}/checkout", checkout_body(), auth).json()

    for header in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"},
                   {"Authorization": placed["access_token"]}):
        response = api.get(f"/api/v1/orders/{placed['order_id']}", header)
        assert response.status_code == 404
        assert "Camiseta" not in response.content.decode()
    assert api.get("/api/v1/orders/not-a-uuid").status_code == 404
