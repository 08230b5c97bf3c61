"""Checkout in the browser: the details form, the review, placing the order and the live
order page (the legacy storefront flow, with the Django test client)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from shop.catalog.models import AttributeLabel
from shop.customers.models import Address
from shop.orders.models import Order
from shop.orders.tokens import order_access_token
from tests.storefront.accounts.builders import an_account
from tests.storefront.shopping.builders import cart_rows
from tests.storefront.shopping.conftest import HTMX, a_browser, csrf

pytestmark = pytest.mark.django_db
DETAILS = {"email": "ana@example.com", "name": "Ana García", "line1": "Calle Mayor 1",
           "line2": "", "city": "Madrid", "postal_code": "28013", "country": "ES",
           "shipping_method": "standard", "payment_token": "tok_sandbox_ok"}


def _hidden(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def _review(client, token, **changes) -> str:
    response = client.post("/checkout", {"csrfmiddlewaretoken": token, **DETAILS, **changes})
    assert response.status_code == 200, response.content.decode()
    return response.content.decode()


def _place(client, review_html: str):
    return client.post("/checkout/place", _hidden(review_html))


def test_an_empty_cart_goes_back_to_the_cart(small_shop):
    client = a_browser()

    response = client.get("/checkout")

    assert (response.status_code, response["Location"]) == (302, "/cart")


def test_the_form_offers_country_names_and_readable_payment_choices(browser):
    client, _token = browser

    html = client.get("/checkout").content.decode()

    countries = re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>', html)
    assert countries == [("ES", "Spain"), ("PT", "Portugal"), ("FR", "France"),
                         ("DE", "Germany"), ("IT", "Italy"), ("IE", "Ireland"),
                         ("NL", "Netherlands"), ("BE", "Belgium")]
    assert '<option value="ES" selected>' in html
    cards = re.findall(r'<option value="(tok_[a-z_]+)"[^>]*>([^<]+)</option>', html)
    assert [value for value, _label in cards] == [
        "tok_sandbox_ok", "tok_sandbox_declined", "tok_sandbox_error",
        "tok_sandbox_capture_fails"]
    assert all(not label.startswith("tok_") for _value, label in cards)
    assert "Standard (2 to 4 days) — €4.95" in html
    assert "Checking out as a guest." in html


def test_a_signed_in_customer_gets_e_mail_and_first_address_prefilled(browser):
    client, _token = browser
    customer = an_account("luis@example.com", name="Luis")
    Address.objects.create(customer=customer, name="Luis Pérez", line1="Rua Augusta 5",
                           city="Lisboa", postal_code="1100-048", country="PT")
    Address.objects.create(customer=customer, name="Other", line1="x", city="y",
                           postal_code="28013", country="ES")
    client.force_login(customer.user)

    html = client.get("/checkout").content.decode()

    assert 'value="luis@example.com"' in html
    assert 'value="Luis Pérez"' in html and 'value="Rua Augusta 5"' in html
    assert '<option value="PT" selected>' in html
    assert "Checking out as a guest." not in html


def test_invalid_details_are_a_422_with_each_error_once_beside_its_field(browser):
    client, token = browser

    response = client.post("/checkout", {"csrfmiddlewaretoken": token, **DETAILS,
                                         "email": "", "postal_code": "!", "country": "US",
                                         "shipping_method": "teleport"})

    assert response.status_code == 422
    html = response.content.decode()
    assert html.count("This field is required.") == 1
    assert html.count("Enter a valid postal code.") == 1
    assert html.count("Choose a country we ship to.") == 1
    assert html.count("Choose a shipping method.") == 1
    assert "Please correct the fields marked below." in html
    assert Order.objects.count() == 0


def test_the_review_shows_the_totals_and_carries_a_key_and_the_expected_total(browser):
    client, token = browser

    html = _review(client, token, shipping_method="express")

    assert '<dd id="review-total">€49.85</dd>' in html
    assert "€9.95" in html and "€8.65" in html  # express shipping; VAT inside 49.85 at 21 %
    assert "28013 Madrid (Spain)" in html
    hidden = _hidden(html)
    assert len(hidden["key"]) >= 16
    assert hidden["expected_total"] == "4985"
    assert hidden["shipping_method"] == "express"


def test_placing_the_order_opens_its_page_and_empties_the_cart(browser):
    client, token = browser

    placed = _place(client, _review(client, token))

    order = Order.objects.get()
    assert placed.status_code == 302
    assert placed["Location"] == f"/orders/{order.pk}?access_token=" + \
        placed["Location"].split("access_token=")[1]
    assert (order.channel, order.email, order.total_minor) == ("web", "ana@example.com", 4485)
    assert client.session["orders"] == [str(order.pk)]
    assert client.session["cart_count"] == 0
    assert "cart" not in client.session
    page = client.get(placed["Location"]).content.decode()
    assert f"Order {order.number}" in page
    assert 'data-status="pending"' in page and 'hx-trigger="every 2s"' in page
    assert "T-shirt TEE-M" in page  # named in the language the order was placed in
    assert '<dd id="order-total">€44.85</dd>' in page
    assert "Ana García" in page and "28013 Madrid (Spain)" in page
    assert "Create an account to see your orders any time" in page
    assert 'id="invoice-link"' not in page


def test_the_status_fragment_stops_polling_once_the_order_is_not_pending(browser):
    client, token = browser
    location = _place(client, _review(client, token))["Location"]
    order = Order.objects.get()
    status_path = location.replace(f"/orders/{order.pk}", f"/orders/{order.pk}/status")
    pending = client.get(status_path, headers=HTMX).content.decode()
    Order.objects.filter(pk=order.pk).update(status="cancelled")

    cancelled = client.get(status_path, headers=HTMX).content.decode()

    assert 'hx-trigger="every 2s"' in pending
    assert 'data-status="cancelled"' in cancelled
    assert "hx-trigger" not in cancelled and "hx-get" not in cancelled


def test_a_wrong_access_token_is_a_404_that_reveals_nothing(browser):
    client, token = browser
    _place(client, _review(client, token))
    order = Order.objects.get()

    for path in (f"/orders/{order.pk}?access_token=wrong", f"/orders/{order.pk}",
                 f"/orders/{order.pk}/status?access_token=wrong"):
        response = a_browser().get(path)
        assert response.status_code == 404
        html = response.content.decode()
        assert order.number not in html and "Ana" not in html and "Madrid" not in html


def test_a_declined_payment_shows_the_form_again_and_keeps_the_cart(browser):
    client, token = browser

    response = _place(client, _review(client, token, payment_token="tok_sandbox_declined"))

    assert response.status_code == 422
    html = response.content.decode()
    assert "The payment was declined. Please choose another payment method." in html
    assert 'value="ana@example.com"' in html
    assert Order.objects.count() == 0
    assert cart_rows() == [("TEE-M", 2)]


def test_a_cart_changed_after_the_review_is_not_placed(browser):
    client, token = browser
    review = _review(client, token)
    client.post("/cart/lines", {"csrfmiddlewaretoken": token, "sku": "TEE-S",
                                "quantity": "1"}, headers=HTMX)

    response = _place(client, review)

    assert response.status_code == 422
    assert "Your cart changed during checkout; please review it again." in \
        response.content.decode()
    assert Order.objects.count() == 0


def test_placing_twice_with_the_same_review_places_one_order(browser):
    client, token = browser
    review = _review(client, token)
    cart_ref = client.session["cart"]
    first = _place(client, review)
    # A second tab, whose session still held the cart, resubmits the same review form.
    session = client.session
    session["cart"] = cart_ref
    session.save()

    second = _place(client, review)

    assert Order.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert client.session["orders"] == [str(Order.objects.get().pk)]


def test_a_review_key_of_another_cart_reveals_no_order(browser, small_shop):
    client, token = browser
    ana_review = _review(client, token)
    _place(client, ana_review)
    ana = Order.objects.get()
    eve = a_browser()
    eve_token = csrf(eve)
    eve.post("/cart/lines", {"csrfmiddlewaretoken": eve_token, "sku": "TEE-S",
                             "quantity": "1"}, headers=HTMX)
    eve_review = _hidden(_review(eve, eve_token, email="eve@example.com", name="Eve"))

    response = eve.post("/checkout/place", {**eve_review, "key": _hidden(ana_review)["key"]})

    assert response.status_code == 422
    html = response.content.decode()
    assert "This order form belongs to another cart." in html
    assert ana.number not in html and str(ana.pk) not in html and "Ana" not in html
    assert Order.objects.count() == 1


def test_a_signed_in_customers_order_is_theirs(browser):
    client, token = browser
    customer = an_account("luis@example.com", name="Luis")
    client.force_login(customer.user)
    token = csrf(client, "/checkout")

    _place(client, _review(client, token, email="luis@example.com"))

    order = Order.objects.get()
    assert order.customer == customer
    page = client.get(f"/orders/{order.pk}?access_token={order_access_token(order.pk)}")
    assert page.status_code == 200
    assert "Create an account" not in page.content.decode()


def test_the_cart_and_review_pages_name_options_by_their_label_in_the_language(browser):
    client, token = browser
    AttributeLabel.objects.create(attribute="talla", value="M", locale="en", label="Medium")
    AttributeLabel.objects.create(attribute="talla", value="M", locale="es", label="Mediana")

    cart = client.get("/cart").content.decode()
    review = _review(client, token)
    spanish = a_browser("es")
    spanish_token = csrf(spanish)
    spanish.post("/cart/lines", {"csrfmiddlewaretoken": spanish_token, "sku": "TEE-M",
                                 "quantity": "1"}, headers=HTMX)

    assert '<span class="sku">Medium · TEE-M</span>' in cart
    assert '<span class="sku">Medium · TEE-M</span>' in review
    assert '<span class="sku">Mediana · TEE-M</span>' in spanish.get("/cart").content.decode()


def test_the_order_page_writes_the_date_the_way_each_language_does(browser):
    client, token = browser
    placed = _place(client, _review(client, token))
    Order.objects.update(placed_at=datetime(2026, 3, 5, 9, 7, tzinfo=UTC))

    english = client.get(placed["Location"]).content.decode()
    spanish = client.get(placed["Location"] + "&lang=es").content.decode()

    assert re.search(r"Placed on March 5, 2026, 10:07 a\.m\.", english), english
    assert re.search(r"Realizado el 5 de marzo de 2026 a las 10:07", spanish), spanish
