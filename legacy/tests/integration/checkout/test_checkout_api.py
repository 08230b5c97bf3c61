"""Checkout over the public API: one order per success, a clear status for every refusal."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.builders import ledger_matches_levels, make_shop, stock_of
from tests.integration.checkout.helpers import checkout_body
from tienda.adapters.db.tables import orders, outbox, sandbox_charges

pytestmark = pytest.mark.azurite


@pytest.fixture
def cart(storefront, tienda):
    make_shop(tienda.engine, {"TEE-M": 3})
    body = storefront.post("/api/v1/carts").json()
    auth = {"X-Cart-Token": body["token"]}
    storefront.post(f"/api/v1/carts/{body['id']}/lines", headers=auth,
                    json={"sku": "TEE-M", "quantity": 2})
    return body["id"], auth


def count(engine, table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_a_checkout_places_a_pending_order_reserves_stock_and_queues_its_confirmation(
        storefront, tienda, cart):
    cart_id, auth = cart

    response = storefront.post(f"/api/v1/carts/{cart_id}/checkout", headers=auth,
                               json=checkout_body())

    assert response.status_code == 201
    placed = response.json()
    assert placed["status"] == "pending"
    assert placed["number"].startswith("T-")
    assert stock_of(tienda.engine, 1) == [(1, 3, 2), (2, 0, 0)]
    assert ledger_matches_levels(tienda.engine)
    [message] = tienda.queues.receive(tienda.settings.queue_order_confirmation, 16, 30)
    assert f'"order_id":"{placed["order_id"]}"' in message.body
    order = storefront.get(f"/api/v1/orders/{placed['order_id']}",
                           headers={"Authorization": f"Bearer {placed['access_token']}"})
    assert order.status_code == 200
    assert order.json()["total"] == "44.85"
    assert [e["status_to"] for e in order.json()["events"]] == ["pending"]


def test_the_same_idempotency_key_returns_the_same_order_once(storefront, tienda, cart):
    cart_id, auth = cart
    headers = {**auth, "Idempotency-Key": "retry-123"}

    first = storefront.post(f"/api/v1/carts/{cart_id}/checkout", headers=headers,
                            json=checkout_body())
    second = storefront.post(f"/api/v1/carts/{cart_id}/checkout", headers=headers,
                             json=checkout_body())

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert count(tienda.engine, orders) == 1
    assert stock_of(tienda.engine, 1)[0] == (1, 3, 2)


def test_a_second_checkout_of_the_same_cart_is_refused(storefront, tienda, cart):
    cart_id, auth = cart
    storefront.post(f"/api/v1/carts/{cart_id}/checkout", headers=auth, json=checkout_body())

    again = storefront.post(f"/api/v1/carts/{cart_id}/checkout", headers=auth,
                            json=checkout_body())

    assert again.status_code == 409
    assert again.json()["detail"].startswith("this cart has already been checked out")
    assert count(tienda.engine, orders) == 1


@pytest.mark.parametrize(("token", "status", "detail"), [
    ("tok_sandbox_declined", 402, "payment declined: the card was declined"),
    ("tok_sandbox_error", 503, "the payment provider did not answer"),
])
def test_a_failed_payment_leaves_no_order_and_no_reservation(storefront, tienda, cart, token,
                                                              status, detail):
    cart_id, auth = cart

    response = storefront.post(f"/api/v1/carts/{cart_id}/checkout", headers=auth,
                               json=checkout_body(token))

    assert response.status_code == status
    assert response.json()["detail"] == detail
    assert count(tienda.engine, orders) == 0
    assert count(tienda.engine, outbox) == 0
    assert stock_of(tienda.engine, 1)[0] == (1, 3, 0)


def test_stock_short_at_checkout_is_a_409_and_the_authorization_is_voided(
        storefront, tienda, cart):
    cart_id, auth = cart
    from tienda.adapters.db.stock_admin import set_available
    set_available(tienda.engine, "TEE-M", 1, None, actor="test")

    response = storefront.post(f"/api/v1/carts/{cart_id}/checkout", headers=auth,
                               json=checkout_body())

    assert response.status_code == 409
    assert response.json()["detail"] == "not enough stock: only 1 of TEE-M left, 2 requested"
    assert count(tienda.engine, orders) == 0
    with tienda.engine.connect() as conn:
        assert conn.execute(sa.select(sandbox_charges.c.status)).scalars().all() == ["voided"]


@pytest.mark.parametrize(("change", "fragment"), [
    ({"email": "not-an-email"}, "is not an e-mail address"),
    ({"shipping_method": "teleport"}, "unknown shipping method 'teleport'"),
    ({"shipping_address": {"name": "A", "line1": "B", "city": "C", "postal_code": "28013",
                           "country": "Spain"}}, "shipping_address.country"),
    ({"payment_token": ""}, "payment_token"),
])
def test_invalid_checkout_input_is_a_422_naming_the_problem(storefront, tienda, cart, change,
                                                            fragment):
    cart_id, auth = cart

    response = storefront.post(f"/api/v1/carts/{cart_id}/checkout", headers=auth,
                               json=checkout_body(**change))

    assert response.status_code == 422
    assert fragment in response.json()["detail"]
    assert count(tienda.engine, orders) == 0


def test_an_order_needs_its_own_access_token(storefront, cart):
    cart_id, auth = cart
    placed = storefront.post(f"/api/v1/carts/{cart_id}/checkout", headers=auth,
                             json=checkout_body()).json()

    for header in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
        response = storefront.get(f"/api/v1/orders/{placed['order_id']}", headers=header)
        assert response.status_code == 404


def test_an_order_number_already_taken_is_drawn_again(tienda, monkeypatch):
    from tests.integration.checkout.helpers import place
    from tienda.service_layer import checkout

    make_shop(tienda.engine, {"TEE-M": 5})
    draws = iter(["T-261128-AAAAAA", "T-261128-AAAAAA", "T-261128-AAAAAA", "T-261128-BBBBBB"])
    monkeypatch.setattr(checkout, "_order_number", lambda: next(draws))

    first, second = place(tienda, {"TEE-M": 1}), place(tienda, {"TEE-M": 1})

    assert (first.number, second.number) == ("T-261128-AAAAAA", "T-261128-BBBBBB")
    with tienda.engine.connect() as conn:
        stored = dict(conn.execute(sa.select(orders.c.id, orders.c.number)).all())
    assert stored == {first.order_id: first.number, second.order_id: second.number}
    assert count(tienda.engine, outbox) == 2
    assert ledger_matches_levels(tienda.engine)
