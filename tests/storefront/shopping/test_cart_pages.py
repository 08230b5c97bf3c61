"""The cart in the browser: changes through htmx or plain forms, and bad input that gets one
clear sentence and changes nothing (ported from legacy
tests/integration/storefront/test_bad_input.py, the cart parts)."""

from __future__ import annotations

import pytest

from tests.storefront.shopping.builders import cart_rows, make_shop
from tests.storefront.shopping.conftest import HTMX, a_browser, csrf

pytestmark = pytest.mark.django_db


def test_the_first_addition_creates_the_cart_and_answers_with_the_cart_status(browser):
    client, token = browser

    response = client.post("/cart/lines", {"csrfmiddlewaretoken": token, "sku": "TEE-S",
                                           "quantity": "1"}, headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="cart-status"' in html and 'hx-swap-oob="true"' in html
    assert '<span class="count">3</span>' in html
    assert "Added to your cart." in html
    assert cart_rows() == [("TEE-M", 2), ("TEE-S", 1)]
    assert client.session["cart_count"] == 3
    assert set(client.session["cart"]) == {"id", "token"}


def test_without_htmx_an_addition_redirects_to_the_cart_with_a_notice(browser):
    client, token = browser

    response = client.post("/cart/lines", {"csrfmiddlewaretoken": token, "sku": "TEE-S",
                                           "quantity": "1"}, follow=True)

    assert response.redirect_chain == [("/cart", 302)]
    html = response.content.decode()
    assert "Added to your cart." in html
    assert "Camiseta TEE-S" not in html  # the names are the shopper's language
    assert "T-shirt TEE-S" in html
    assert '<span class="count">3</span>' in html


def test_the_cart_page_shows_lines_subtotal_and_a_quote_per_shipping_method(browser):
    client, _token = browser

    html = client.get("/cart").content.decode()

    assert "T-shirt TEE-M" in html
    assert 'value="2"' in html
    assert '<dd id="subtotal">€39.90</dd>' in html
    assert "Shipping: Standard (2 to 4 days)</dt><dd>€4.95</dd>" in html
    assert "Shipping: Express (next day)</dt><dd>€9.95</dd>" in html
    assert '<dd id="total">€44.85</dd>' in html


@pytest.mark.parametrize(("sku", "quantity", "message"), [
    ("TEE-M", "-3", "The quantity must be a whole number from 1 to 99."),
    ("TEE-M", "abc", "The quantity must be a whole number from 1 to 99."),
    ("TEE-M", "100", "The quantity must be a whole number from 1 to 99."),
    ("NO-SUCH-SKU", "1", "That product is not on sale."),
    # The service says "only 0 of TEE-L left"; a shopper reads "sold out".
    ("TEE-L", "1", "Sorry, that item is sold out."),
    ("TEE-S", "3", "There is not enough stock for that quantity."),
])
def test_a_refused_addition_says_why_and_leaves_the_cart_as_it_was(browser, sku, quantity,
                                                                    message):
    client, token = browser

    response = client.post("/cart/lines", {"csrfmiddlewaretoken": token, "sku": sku,
                                           "quantity": quantity}, headers=HTMX)

    assert response.status_code == 422
    html = response.content.decode()
    assert html.count(message) == 1
    assert "only 0" not in html
    assert cart_rows() == [("TEE-M", 2)]


def test_a_refused_change_of_quantity_shows_the_cart_unchanged(browser):
    client, token = browser

    response = client.post("/cart/lines/TEE-M", {"csrfmiddlewaretoken": token,
                                                 "quantity": "-3"})

    assert response.status_code == 422
    html = response.content.decode()
    assert html.count("The quantity must be a whole number from 1 to 99.") == 1
    assert 'value="2"' in html
    assert cart_rows() == [("TEE-M", 2)]


def test_an_htmx_change_re_renders_the_cart_and_the_cart_status(browser):
    client, token = browser

    response = client.post("/cart/lines/TEE-M", {"csrfmiddlewaretoken": token,
                                                 "quantity": "4"}, headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section id="cart"')
    assert 'value="4"' in html
    assert '<span class="count">4</span>' in html and 'hx-swap-oob="true"' in html
    assert cart_rows() == [("TEE-M", 4)]


def test_removing_the_last_line_empties_the_cart(browser):
    client, token = browser

    response = client.post("/cart/lines/TEE-M/remove", {"csrfmiddlewaretoken": token},
                           follow=True)

    assert response.redirect_chain == [("/cart", 302)]
    assert "Your cart is empty." in response.content.decode()
    assert cart_rows() == []
    assert client.session["cart_count"] == 0


def test_changing_without_a_cart_is_refused_with_a_sentence(small_shop):
    client = a_browser()
    token = csrf(client)

    response = client.post("/cart/lines/TEE-M", {"csrfmiddlewaretoken": token,
                                                 "quantity": "1"})

    assert response.status_code == 422
    assert "We could not open your cart, so we started a new one." in response.content.decode()


def test_a_form_without_the_csrf_token_is_refused_before_anything_runs(browser):
    client, _token = browser

    response = client.post("/cart/lines", {"sku": "TEE-M", "quantity": "1"})

    assert response.status_code == 403
    assert "This form has expired. Please reload the page and try again." in \
        response.content.decode()
    assert cart_rows() == [("TEE-M", 2)]


def test_an_htmx_request_without_the_token_says_so_in_the_cart_status(browser):
    client, _token = browser

    response = client.post("/cart/lines/TEE-M", {"quantity": "1"}, headers=HTMX)

    assert response.status_code == 403
    assert response["HX-Reswap"] == "none"
    html = response.content.decode()
    assert 'id="cart-status"' in html and 'hx-swap-oob="true"' in html
    assert "This form has expired. Please reload the page and try again." in html
    assert cart_rows() == [("TEE-M", 2)]


def test_htmx_sends_the_token_in_the_x_csrftoken_header(browser):
    client, token = browser

    response = client.post("/cart/lines/TEE-M", {"quantity": "3"},
                           headers={**HTMX, "X-CSRFToken": token})

    assert response.status_code == 200
    assert cart_rows() == [("TEE-M", 3)]


def test_a_csrf_token_of_another_browser_is_refused(browser):
    client, _token = browser
    foreign = csrf(a_browser())

    response = client.post("/cart/lines", {"csrfmiddlewaretoken": foreign, "sku": "TEE-M",
                                           "quantity": "1"})

    assert response.status_code == 403
    assert cart_rows() == [("TEE-M", 2)]


def test_a_forged_session_cookie_opens_no_cart(browser):
    client, token = browser
    client.cookies["tienda_session"] = "x" * 32

    page = client.get("/cart")
    change = client.post("/cart/lines/TEE-M", {"csrfmiddlewaretoken": token, "quantity": "5"})

    assert "Your cart is empty." in page.content.decode()
    assert change.status_code == 422
    assert cart_rows() == [("TEE-M", 2)]


def test_an_oversized_form_is_refused_unread(browser):
    """Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE (16 KiB) before the view: a
    400 (legacy answered 413 with its own page; see the report)."""
    client, token = browser

    response = client.post("/cart/lines", {"csrfmiddlewaretoken": token, "sku": "TEE-M",
                                           "quantity": "1", "x": "y" * 20_000})

    assert response.status_code == 400
    assert cart_rows() == [("TEE-M", 2)]


def test_the_messages_are_spanish_for_a_spanish_browser(browser):
    client, token = browser

    response = client.post("/cart/lines", {"csrfmiddlewaretoken": token, "sku": "TEE-M",
                                           "quantity": "abc"},
                           headers={**HTMX, "Accept-Language": "es-ES,es;q=0.9"})

    assert response.status_code == 422
    assert "La cantidad debe ser un número entero del 1 al 99." in response.content.decode()


def test_a_51st_different_item_is_refused_with_the_limit():
    make_shop({f"BULK-{n:02d}": 1 for n in range(51)})
    client = a_browser()
    token = csrf(client)
    for n in range(50):
        client.post("/cart/lines", {"csrfmiddlewaretoken": token, "sku": f"BULK-{n:02d}",
                                    "quantity": "1"}, headers=HTMX)

    response = client.post("/cart/lines", {"csrfmiddlewaretoken": token, "sku": "BULK-50",
                                           "quantity": "1"}, headers=HTMX)

    assert response.status_code == 422
    assert "Your cart can hold at most 50 different items." in response.content.decode()
    assert len(cart_rows()) == 50
