"""An order and its invoice for whoever holds the access token: the invoice answers 404 until
the background confirmation has stored it, then redirects (307) to a short-lived read-only
URL. The token may come as a Bearer header or as ?access_token= (the e-mail's link)."""

from __future__ import annotations

import urllib.request

import pytest

from shop.orders.services import order_confirm
from tests.storefront.shopping.builders import checkout_body, make_shop

pytestmark = [pytest.mark.django_db, pytest.mark.azurite]


@pytest.fixture
def placed(api, azurite):
    make_shop({"TEE-M": 3})
    body = api.post("/api/v1/carts").json()
    auth = {"X-Cart-Token": body["token"]}
    api.post(f"/api/v1/carts/{body['id']}/lines", {"sku": "TEE-M", "quantity": 1}, auth)
    return api.post(f"/api/v1/carts/{body['id']}/checkout", checkout_body(), auth).json()


def test_the_invoice_is_a_404_until_the_order_is_confirmed(api, placed):
    response = api.get(f"/api/v1/orders/{placed['order_id']}/invoice",
                       {"Authorization": f"Bearer {placed['access_token']}"})

    assert response.status_code == 404
    assert response.json() == {"detail": "the invoice is not ready yet"}


@pytest.mark.parametrize("how", ["bearer", "query"])
def test_a_confirmed_orders_invoice_redirects_to_the_pdf(api, placed, how):
    order_confirm(order_id=placed["order_id"])
    path = f"/api/v1/orders/{placed['order_id']}/invoice"
    if how == "bearer":
        response = api.get(path, {"Authorization": f"Bearer {placed['access_token']}"})
    else:
        response = api.get(path, access_token=placed["access_token"])

    assert response.status_code == 307
    with urllib.request.urlopen(response["Location"], timeout=10) as pdf:
        assert pdf.read(5) == b"%PDF-"
    order = api.get(f"/api/v1/orders/{placed['order_id']}",
                    {"Authorization": f"Bearer {placed['access_token']}"}).json()
    assert order["status"] == "confirmed"
    assert order["invoice_url"].startswith("http")
    assert [e["status_to"] for e in order["events"]] == ["pending", "confirmed"]


def test_the_invoice_needs_the_orders_own_token(api, placed):
    order_confirm(order_id=placed["order_id"])
    path = f"/api/v1/orders/{placed['order_id']}/invoice"

    for response in (api.get(path), api.get(path, access_token="wrong"),
                     api.get(path, {"Authorization": "Bearer wrong"})):
        assert response.status_code == 404
        assert "Location" not in response
