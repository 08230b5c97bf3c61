"""Carts over the public API: every change checked, bad input refused and harmless."""

from __future__ import annotations

import pytest

from tests.builders import make_shop

pytestmark = pytest.mark.azurite


@pytest.fixture
def cart(storefront, tienda):
    make_shop(tienda.engine, {"TEE-M": 5, "MUG-R": 2})
    created = storefront.post("/api/v1/carts")
    assert created.status_code == 201
    body = created.json()
    return body["id"], {"X-Cart-Token": body["token"]}


def test_lines_are_added_changed_and_removed(storefront, cart):
    cart_id, auth = cart

    added = storefront.post(f"/api/v1/carts/{cart_id}/lines", headers=auth,
                            json={"sku": "TEE-M", "quantity": 2})
    again = storefront.post(f"/api/v1/carts/{cart_id}/lines", headers=auth,
                            json={"sku": "TEE-M", "quantity": 1})
    changed = storefront.patch(f"/api/v1/carts/{cart_id}/lines/TEE-M", headers=auth,
                               json={"quantity": 4})
    removed = storefront.delete(f"/api/v1/carts/{cart_id}/lines/TEE-M", headers=auth)

    assert [line["quantity"] for line in added.json()["lines"]] == [2]
    assert [line["quantity"] for line in again.json()["lines"]] == [3]
    assert changed.json()["lines"][0]["quantity"] == 4
    assert changed.json()["subtotal"] == "79.80"
    assert removed.status_code == 200
    assert removed.json()["lines"] == []


@pytest.mark.parametrize(("body", "status", "detail"), [
    ({"sku": "TEE-M", "quantity": -3}, 422, "the quantity must be at least 1"),
    ({"sku": "TEE-M", "quantity": "abc"}, 422, "quantity: Input should be a valid integer"),
    ({"sku": "TEE-M", "quantity": 0}, 422, "the quantity must be at least 1"),
    ({"sku": "NOPE", "quantity": 1}, 422, "there is no product with SKU 'NOPE' on sale"),
    ({"sku": "TEE-M", "quantity": 6}, 409, "only 5 of TEE-M left"),
    ({"sku": "TEE-M"}, 422, "quantity: Field required"),
])
def test_bad_lines_get_a_clear_error_and_change_nothing(storefront, cart, body, status, detail):
    cart_id, auth = cart
    storefront.post(f"/api/v1/carts/{cart_id}/lines", headers=auth,
                    json={"sku": "MUG-R", "quantity": 1})

    response = storefront.post(f"/api/v1/carts/{cart_id}/lines", headers=auth, json=body)

    assert response.status_code == status
    assert response.json()["detail"].startswith(detail)
    lines = storefront.get(f"/api/v1/carts/{cart_id}", headers=auth).json()["lines"]
    assert [(line["sku"], line["quantity"]) for line in lines] == [("MUG-R", 1)]


def test_a_tampered_token_is_refused_and_changes_nothing(storefront, cart):
    cart_id, auth = cart

    response = storefront.post(f"/api/v1/carts/{cart_id}/lines",
                               headers={"X-Cart-Token": auth["X-Cart-Token"] + "x"},
                               json={"sku": "TEE-M", "quantity": 1})

    assert response.status_code == 403
    assert response.json()["detail"] == "the cart token does not match this cart"
    assert storefront.get(f"/api/v1/carts/{cart_id}", headers=auth).json()["lines"] == []


def test_an_unknown_cart_is_a_404(storefront):
    response = storefront.get("/api/v1/carts/00000000-0000-0000-0000-000000000000",
                              headers={"X-Cart-Token": "t"})

    assert response.status_code == 404
    assert response.json()["detail"].startswith("there is no cart")


def test_changing_a_line_that_is_not_in_the_cart_is_a_404(storefront, cart):
    cart_id, auth = cart

    response = storefront.patch(f"/api/v1/carts/{cart_id}/lines/TEE-M", headers=auth,
                                json={"quantity": 1})

    assert response.status_code == 404
    assert response.json()["detail"] == "TEE-M is not in the cart"


def test_products_list_and_detail_show_prices_and_availability(storefront, cart):
    listing = storefront.get("/api/v1/products", params={"q": "tee"}).json()
    detail = storefront.get("/api/v1/products/producto-1").json()

    assert listing["total"] == 1
    assert listing["items"][0]["slug"] == "producto-1"
    assert detail["variants"] == [{"sku": "TEE-M", "attributes": {"talla": "M"},
                                   "price": "19.95", "price_minor": 1995, "currency": "EUR",
                                   "available": 5}]
    assert storefront.get("/api/v1/products/nope").status_code == 404
