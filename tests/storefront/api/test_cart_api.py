"""Carts over the public API: every change checked, bad input refused and harmless
(ported one-for-one from legacy tests/integration/checkout/test_cart_api.py, plus the strict
input rules the legacy schema enforced)."""

from __future__ import annotations

import pytest

from shop.catalog.models import Product
from tests.builders import a_category
from tests.storefront.shopping.builders import cart_rows, make_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def cart(api):
    make_shop({"TEE-M": 5, "MUG-R": 2})
    created = api.post("/api/v1/carts")
    assert created.status_code == 201
    body = created.json()
    return body["id"], {"X-Cart-Token": body["token"]}


def test_lines_are_added_changed_and_removed(api, cart):
    cart_id, auth = cart

    added = api.post(f"/api/v1/carts/{cart_id}/lines", {"sku": "TEE-M", "quantity": 2}, auth)
    again = api.post(f"/api/v1/carts/{cart_id}/lines", {"sku": "TEE-M", "quantity": 1}, auth)
    changed = api.patch(f"/api/v1/carts/{cart_id}/lines/TEE-M", {"quantity": 4}, auth)
    removed = api.delete(f"/api/v1/carts/{cart_id}/lines/TEE-M", auth)

    assert [line["quantity"] for line in added.json()["lines"]] == [2]
    assert [line["quantity"] for line in again.json()["lines"]] == [3]
    assert changed.json()["lines"][0] == {"sku": "TEE-M", "name": "Camiseta TEE-M",
                                          "quantity": 4, "unit_price": "19.95",
                                          "total": "79.80", "available": 5}
    assert changed.json()["subtotal"] == "79.80"
    assert changed.json()["currency"] == "EUR"
    assert changed.json()["checked_out_order_id"] is None
    assert removed.status_code == 200
    assert removed.json()["lines"] == []


@pytest.mark.parametrize(("body", "status", "detail"), [
    ({"sku": "TEE-M", "quantity": -3}, 422, "the quantity must be at least 1"),
    ({"sku": "TEE-M", "quantity": "abc"}, 422, "quantity: Input should be a valid integer"),
    ({"sku": "TEE-M", "quantity": "2"}, 422, "quantity: Input should be a valid integer"),
    ({"sku": "TEE-M", "quantity": 2.0}, 422, "quantity: Input should be a valid integer"),
    ({"sku": "TEE-M", "quantity": True}, 422, "quantity: Input should be a valid integer"),
    ({"sku": "TEE-M", "quantity": 0}, 422, "the quantity must be at least 1"),
    ({"sku": "TEE-M", "quantity": 100}, 422, "at most 99 of one item per order"),
    ({"sku": "NOPE", "quantity": 1}, 422, "there is no product with SKU 'NOPE' on sale"),
    ({"sku": "TEE-M", "quantity": 6}, 409, "only 5 of TEE-M left"),
    ({"sku": "TEE-M"}, 422, "quantity: This field is required."),
    ({"sku": "TEE-M", "quantity": 1, "note": "x"}, 422, "note: Extra inputs are not permitted"),
    ({}, 422, "sku: This field is required."),
])
def test_bad_lines_get_a_clear_error_and_change_nothing(api, cart, body, status, detail):
    cart_id, auth = cart
    api.post(f"/api/v1/carts/{cart_id}/lines", {"sku": "MUG-R", "quantity": 1}, auth)

    response = api.post(f"/api/v1/carts/{cart_id}/lines", body, auth)

    assert response.status_code == status
    assert response.json()["detail"].startswith(detail)
    lines = api.get(f"/api/v1/carts/{cart_id}", auth).json()["lines"]
    assert [(line["sku"], line["quantity"]) for line in lines] == [("MUG-R", 1)]


def test_a_body_that_is_not_json_is_a_422(api, cart):
    cart_id, auth = cart

    response = api.client.post(f"/api/v1/carts/{cart_id}/lines", "{not json",
                               content_type="application/json", headers=auth)

    assert response.status_code == 422
    assert response.json()["detail"].startswith("the request body is not valid JSON")
    assert cart_rows() == []


def test_a_tampered_token_is_refused_and_changes_nothing(api, cart):
    cart_id, auth = cart

    response = api.post(f"/api/v1/carts/{cart_id}/lines", {"sku": "TEE-M", "quantity": 1},
                        {"X-Cart-Token": auth["X-Cart-Token"] + "x"})

    assert response.status_code == 403
    assert response.json() == {"detail": "the cart token does not match this cart"}
    assert api.get(f"/api/v1/carts/{cart_id}", auth).json()["lines"] == []


def test_a_missing_cart_token_is_a_422_naming_the_header(api, cart):
    cart_id, _auth = cart

    response = api.get(f"/api/v1/carts/{cart_id}")

    assert response.status_code == 422
    assert response.json()["detail"].startswith("X-Cart-Token: Field required")


@pytest.mark.parametrize("cart_id", ["00000000-0000-0000-0000-000000000000", "not-a-uuid"])
def test_an_unknown_cart_is_a_404(api, cart_id):
    response = api.get(f"/api/v1/carts/{cart_id}", {"X-Cart-Token": "t"})

    assert response.status_code == 404
    assert response.json()["detail"] == f"there is no cart {cart_id}"


def test_changing_a_line_that_is_not_in_the_cart_is_a_404(api, cart):
    cart_id, auth = cart

    response = api.patch(f"/api/v1/carts/{cart_id}/lines/TEE-M", {"quantity": 1}, auth)

    assert response.status_code == 404
    assert response.json()["detail"] == "TEE-M is not in the cart"


def test_products_list_and_detail_show_prices_and_availability(api, cart):
    listing = api.get("/api/v1/products", q="camiseta tee").json()
    detail = api.get("/api/v1/products/producto-1").json()
    missing = api.get("/api/v1/products/nope")

    assert listing["total"] == 1
    assert listing["items"] == [{"slug": "producto-1", "name": "Camiseta TEE-M",
                                 "name_en": "T-shirt TEE-M", "from_price": "19.95",
                                 "currency": "EUR", "in_stock": True, "thumbnail_url": None}]
    assert (listing["page"], listing["pages"]) == (1, 1)
    assert detail["variants"] == [{"sku": "TEE-M", "attributes": {"talla": "M"},
                                   "price": "19.95", "price_minor": 1995, "currency": "EUR",
                                   "available": 5}]
    assert (detail["category"], detail["images"]) == ("ropa", [])
    assert missing.status_code == 404
    assert missing.json() == {"detail": "no published product 'nope'"}


def test_products_are_listed_by_category_and_paged_24_at_a_time(api):
    make_shop({f"SKU-{n:02d}": 1 for n in range(30)})

    first = api.get("/api/v1/products", category="ropa").json()
    second = api.get("/api/v1/products", category="ropa", page=2).json()
    elsewhere = api.get("/api/v1/products", category="nope").json()

    assert (first["total"], first["pages"], len(first["items"])) == (30, 2, 24)
    assert len(second["items"]) == 6
    assert {i["slug"] for i in first["items"]} | {i["slug"] for i in second["items"]} == {
        f"producto-{n}" for n in range(1, 31)}
    assert (elsewhere["total"], elsewhere["items"]) == (0, [])


@pytest.mark.parametrize("page", ["0", "10001", "x"])
def test_a_page_out_of_range_is_a_422(api, page):
    response = api.get("/api/v1/products", page=page)

    assert response.status_code == 422
    assert response.json()["detail"].startswith("page: ")


def test_the_listing_searches_like_the_shop_and_includes_subcategories(api):
    make_shop({"TEE-M": 1, "MUG-R": 1})
    Product.objects.filter(slug="producto-2").update(
        name_es="Taza roja", name_en="Red mug",
        category=a_category("tazas", parent=a_category("ropa")))

    plural = api.get("/api/v1/products", q="camisetas").json()
    parent = api.get("/api/v1/products", category="ropa").json()
    child = api.get("/api/v1/products", category="tazas").json()

    assert [item["slug"] for item in plural["items"]] == ["producto-1"]
    assert [item["slug"] for item in parent["items"]] == ["producto-1", "producto-2"]
    assert [item["slug"] for item in child["items"]] == ["producto-2"]


def test_the_api_answers_in_english_whatever_the_browser_language(api, cart):
    cart_id, auth = cart

    response = api.post(f"/api/v1/carts/{cart_id}/lines", {"sku": "TEE-M"},
                        {**auth, "Accept-Language": "es-ES,es;q=0.9"})

    assert response.status_code == 422
    assert response.json()["detail"] == "quantity: This field is required."
