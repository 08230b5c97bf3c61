"""The signed-in account: order history and detail (only one's own), saved addresses,
preferences (language cookie, marketing consent)."""

from __future__ import annotations

import pytest

from shop.customers.models import Address, Customer
from shop.orders.tokens import order_access_token
from tests.storefront.accounts.builders import PASSWORD, an_account, an_order
from tests.storefront.accounts.conftest import Browser, main_of

pytestmark = pytest.mark.django_db
ADDRESS = {"name": "Ana García", "line1": "Calle Mayor 1", "line2": "", "city": "Madrid",
           "postal_code": "28013", "country": "ES"}


@pytest.fixture
def ana(browser: Browser) -> Customer:
    customer = an_account()
    browser.post("/account/signin", {"email": "ana@example.com", "password": PASSWORD})
    return customer


def page(browser: Browser, path: str = "/account", lang: str = "en"):
    return browser.get(path, HTTP_ACCEPT_LANGUAGE=lang)


def test_the_overview_lists_the_100_latest_orders_newest_first(browser, ana):
    orders = [an_order(customer=ana) for _ in range(101)]

    html = page(browser).content.decode()

    assert html.count('href="/account/orders/') == 100
    assert orders[0].number not in html
    assert html.index(orders[100].number) < html.index(orders[99].number)


def test_an_order_in_the_history_shows_its_status_and_total_in_the_pages_language(
        browser, ana):
    order = an_order(customer=ana, total=12345, status="shipped")

    english, spanish = page(browser).content.decode(), page(browser, lang="es").content.decode()

    assert order.number in english and "€123.45" in english and "Shipped" in english
    assert "123,45\xa0€" in spanish


def test_an_order_of_ones_own_opens_and_anybody_elses_is_not_found(browser, ana):
    mine = an_order(customer=ana, total=2495)
    theirs = an_order("eva@example.com", customer=an_account("eva@example.com"))
    guest = an_order()  # same e-mail, never claimed

    own = page(browser, f"/account/orders/{mine.number}")
    other = page(browser, f"/account/orders/{theirs.number}")
    unclaimed = page(browser, f"/account/orders/{guest.number}")

    assert own.status_code == 200
    assert f"Order {mine.number}" in own.content.decode()
    assert "€24.95" in own.content.decode()
    assert (f'href="/orders/{mine.pk}?access_token={order_access_token(mine.pk)}"'
            in own.content.decode())
    assert (other.status_code, unclaimed.status_code) == (404, 404)
    assert theirs.number not in main_of(other)


def test_a_saved_address_is_listed_and_can_be_deleted(browser, ana):
    added = browser.post("/account/addresses", {**ADDRESS, "postal_code": "28013 "})

    saved = Address.objects.get(customer=ana)
    listed = page(browser).content.decode()
    deleted = browser.post(f"/account/addresses/{saved.pk}/delete")

    assert (added.status_code, added["Location"]) == (303, "/account")
    assert (saved.name, saved.postal_code, saved.country) == ("Ana García", "28013", "ES")
    assert "Ana García, Calle Mayor 1, 28013 Madrid (ES)" in listed
    assert deleted.status_code == 303
    assert not Address.objects.exists()


def test_an_invalid_address_is_refused_field_by_field(browser, ana):
    response = browser.post("/account/addresses",
                            {**ADDRESS, "name": "", "postal_code": "?", "country": "US"},
                            HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 422
    assert "This field is required." in html
    assert "Enter a valid postal code." in html
    assert "Choose a country we ship to." in html
    assert not Address.objects.exists()


def test_at_most_twenty_addresses_are_saved(browser, ana):
    Address.objects.bulk_create([Address(customer=ana, **ADDRESS) for _ in range(20)])

    response = browser.post("/account/addresses", ADDRESS, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    assert "At most 20 saved addresses." in response.content.decode()
    assert Address.objects.count() == 20


def test_someone_elses_address_cannot_be_deleted(browser, ana):
    eva = an_account("eva@example.com")
    theirs = Address.objects.create(customer=eva, **ADDRESS)

    response = browser.post(f"/account/addresses/{theirs.pk}/delete")

    assert response.status_code == 303
    assert Address.objects.filter(pk=theirs.pk).exists()


def test_preferences_set_the_language_cookie_and_record_the_consent_change(browser, ana):
    response = browser.post("/account/preferences", {"locale": "en", "marketing": "on"})

    ana.refresh_from_db()
    cookie = response.cookies["tienda_lang"]
    assert (ana.locale, ana.marketing_consent) == ("en", True)
    assert ana.consent_changed_at is not None
    assert (cookie.value, cookie["max-age"], cookie["samesite"]) == ("en", 31536000, "Lax")
    assert "<h1>My account</h1>" in browser.get("/account").content.decode()


def test_saving_the_same_consent_keeps_its_date(browser, ana):
    browser.post("/account/preferences", {"locale": "es", "marketing": "on"})
    ana.refresh_from_db()
    first = ana.consent_changed_at

    browser.post("/account/preferences", {"locale": "en", "marketing": "on"})

    ana.refresh_from_db()
    assert (ana.locale, ana.consent_changed_at) == ("en", first)


def test_account_forms_need_the_csrf_token(browser, ana):
    response = browser.post("/account/addresses", ADDRESS, csrf=False)

    assert response.status_code == 403
    assert not Address.objects.exists()
