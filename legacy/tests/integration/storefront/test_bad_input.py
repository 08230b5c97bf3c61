"""Bad input from a browser gets a clear message and changes nothing."""

from __future__ import annotations

import pytest

from tests.integration.storefront.helpers import cart_rows, csrf, shop_client, small_shop

pytestmark = pytest.mark.azurite
HTMX = {"HX-Request": "true"}


@pytest.fixture
def client(tienda):
    small_shop(tienda)
    with shop_client(tienda) as client:
        token = csrf(client, "/p/producto-1")
        added = client.post("/cart/lines", data={"csrf_token": token, "sku": "TEE-M",
                                                 "quantity": "2"}, headers=HTMX)
        assert added.status_code == 200
        yield client, token


@pytest.mark.parametrize(("sku", "quantity", "message"), [
    ("TEE-M", "-3", "The quantity must be a whole number from 1 to 99."),
    ("TEE-M", "abc", "The quantity must be a whole number from 1 to 99."),
    ("TEE-M", "100", "The quantity must be a whole number from 1 to 99."),
    ("NO-SUCH-SKU", "1", "That product is not on sale."),
    ("TEE-L", "1", "There is not enough stock for that quantity."),
])
def test_a_refused_addition_says_why_and_leaves_the_cart_as_it_was(client, tienda, sku,
                                                                    quantity, message):
    client, token = client

    response = client.post("/cart/lines", data={"csrf_token": token, "sku": sku,
                                                "quantity": quantity}, headers=HTMX)

    assert response.status_code == 422
    assert message in response.text
    assert cart_rows(tienda.engine) == [(1, 2)]


def test_a_refused_change_of_quantity_shows_the_cart_unchanged(client, tienda):
    client, token = client

    response = client.post("/cart/lines/TEE-M", data={"csrf_token": token, "quantity": "-3"},
                           headers={"accept": "text/html"})

    assert response.status_code == 422
    assert "The quantity must be a whole number from 1 to 99." in response.text
    assert 'value="2"' in response.text
    assert cart_rows(tienda.engine) == [(1, 2)]


def test_a_form_without_the_csrf_token_is_refused_before_anything_runs(client, tienda):
    client, _token = client

    response = client.post("/cart/lines", data={"sku": "TEE-M", "quantity": "1"},
                           headers={"accept": "text/html"})

    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert cart_rows(tienda.engine) == [(1, 2)]


def test_a_csrf_token_of_another_session_is_refused(client, tienda):
    client, _token = client
    with shop_client(tienda) as stranger:
        foreign = csrf(stranger)

    response = client.post("/cart/lines", data={"csrf_token": foreign, "sku": "TEE-M",
                                                "quantity": "1"})

    assert response.status_code == 403
    assert cart_rows(tienda.engine) == [(1, 2)]


def test_an_oversized_form_is_refused_unread(client, tienda):
    client, token = client

    response = client.post("/cart/lines", data={"csrf_token": token, "sku": "TEE-M",
                                                "quantity": "1", "x": "y" * 20_000},
                           headers={"accept": "text/html"})

    assert response.status_code == 413
    assert "That form is too large" in response.text
    assert cart_rows(tienda.engine) == [(1, 2)]


def test_a_tampered_session_cookie_opens_no_cart_and_says_so(client, tienda):
    client, token = client
    cookie = client.cookies.get("tienda_session")
    payload, _, signature = cookie.rpartition(".")
    client.cookies.clear()
    client.cookies.set("tienda_session", payload + "." + "0" * len(signature))

    page = client.get("/cart", headers={"Accept-Language": "en"})
    change = client.post("/cart/lines", data={"csrf_token": token, "sku": "TEE-M",
                                              "quantity": "5"})

    assert "Your session could not be verified, so we started a new one." in page.text
    assert "Your cart is empty." in page.text
    assert change.status_code == 403
    assert cart_rows(tienda.engine) == [(1, 2)]


def test_bad_listing_filters_get_a_400_page_naming_the_problem(client):
    client, _token = client

    response = client.get("/c/ropa?min_price=abc&lang=en")

    assert response.status_code == 400
    assert "We could not apply those filters" in response.text
    assert "min_price must be a number" in response.text


def test_the_messages_are_spanish_for_a_spanish_browser(client, tienda):
    client, token = client

    response = client.post("/cart/lines", data={"csrf_token": token, "sku": "TEE-M",
                                                "quantity": "abc"},
                           headers={**HTMX, "Accept-Language": "es-ES,es;q=0.9"})

    assert response.status_code == 422
    assert "La cantidad debe ser un número entero del 1 al 99." in response.text
