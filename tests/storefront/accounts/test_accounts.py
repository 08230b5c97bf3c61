"""Customer accounts over HTTP: register, sign in with rate limits, sign out, and the guest
orders a new account claims (legacy tests/integration/storefront/test_accounts.py)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from shop.customers.models import Customer
from shop.orders.models import Order
from shop.users.models import User
from tests.builders import a_product, a_variant
from tests.storefront.accounts.builders import PASSWORD, an_account, an_order
from tests.storefront.accounts.conftest import Browser

pytestmark = pytest.mark.django_db
WRONG = "The e-mail or the password is wrong."


def register(browser: Browser, email: str = "ana@example.com", password: str = PASSWORD,
             **more: str):
    return browser.post("/account/register", {"email": email, "password": password,
                                              "name": "Ana", **more}, follow=True,
                        HTTP_ACCEPT_LANGUAGE="en")


def sign_in(browser: Browser, email: str, password: str, **extra: str):
    return browser.post("/account/signin", {"email": email, "password": password},
                        follow=True, HTTP_ACCEPT_LANGUAGE="en", **extra)


def remember_orders(browser: Browser, *orders: Order) -> None:
    """What the checkout pages leave in the session of the browser that placed them."""
    session = browser.client.session
    session["orders"] = [str(order.pk) for order in orders]
    session.save()


def test_a_new_account_is_signed_in_with_an_argon2_hash(browser, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

    response = register(browser, marketing="on")

    assert response.status_code == 200
    assert response.redirect_chain == [("/account", 303)]
    assert "<h1>My account</h1>" in response.content.decode()
    user = User.objects.get()
    assert user.password.startswith("argon2$argon2id$")
    customer = Customer.objects.get(user=user)
    assert (customer.email, customer.name, customer.marketing_consent) == (
        "ana@example.com", "Ana", True)
    assert customer.consent_changed_at is not None


def test_a_short_password_is_refused_with_a_message(browser):
    response = register(browser, password="short")

    assert response.status_code == 422
    assert ("This password is too short. It must contain at least 10 characters."
            in response.content.decode())
    assert not User.objects.exists() and not Customer.objects.exists()


def test_an_email_with_an_account_cannot_register_again(browser):
    an_account()

    response = register(browser, email="ANA@example.com")

    assert response.status_code == 422
    assert ("This e-mail already has an account: sign in or reset the password."
            in response.content.decode())
    assert User.objects.count() == 1


def test_a_guest_email_without_an_account_registers_and_keeps_its_customer_record(browser):
    guest = Customer.objects.create(email="ana@example.com", locale="es")

    register(browser)

    guest.refresh_from_db()
    assert guest.user == User.objects.get(email="ana@example.com")
    assert Customer.objects.count() == 1


def test_a_wrong_password_and_an_unknown_email_read_the_same(browser):
    an_account()

    wrong = sign_in(browser, "ana@example.com", "not the password")
    unknown = sign_in(browser, "nobody@example.com", "not the password")

    assert (wrong.status_code, unknown.status_code) == (422, 422)
    assert WRONG in wrong.content.decode()
    assert WRONG in unknown.content.decode()
    assert without_varying_parts(wrong) == without_varying_parts(unknown)


def without_varying_parts(response) -> str:
    """The page without what differs on every page anyway: the typed e-mail and the masked
    CSRF tokens."""
    page = re.sub(r'value="[^"]*"', 'value=""', response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]*"', '"X-CSRFToken": ""', page)


def test_an_unknown_email_still_costs_a_password_hash(browser, settings):
    settings.PASSWORD_HASHERS = ["tests.storefront.accounts.hashers.CountingHasher"]
    from tests.storefront.accounts.hashers import CountingHasher

    an_account()
    CountingHasher.calls = 0
    sign_in(browser, "ana@example.com", "not the password")
    known = CountingHasher.calls
    CountingHasher.calls = 0
    sign_in(browser, "nobody@example.com", "not the password")

    assert (known, CountingHasher.calls) == (1, 1)


def test_a_staff_account_cannot_sign_in_to_the_shop(browser):
    User.objects.create_user("boss@tienda.test", PASSWORD, is_staff=True)

    response = sign_in(browser, "boss@tienda.test", PASSWORD)

    assert response.status_code == 422
    assert WRONG in response.content.decode()


def test_sign_in_is_refused_after_five_failures_even_with_the_right_password(browser):
    an_account()

    failures = [sign_in(browser, "ana@example.com", "wrong password!").status_code
                for _ in range(5)]
    refused = sign_in(browser, "ana@example.com", PASSWORD)

    assert failures == [422] * 5
    assert refused.status_code == 429
    assert "Too many failed sign-ins. Try again in 15 minutes." in refused.content.decode()
    assert "_auth_user_id" not in browser.client.session


def test_twenty_failures_from_one_address_refuse_every_email_from_it(browser):
    an_account()
    for n in range(20):
        sign_in(browser, f"guess{n}@example.com", "wrong password!", REMOTE_ADDR="192.0.2.8")

    here = sign_in(browser, "ana@example.com", PASSWORD, REMOTE_ADDR="192.0.2.8")
    elsewhere = sign_in(browser, "ana@example.com", PASSWORD, REMOTE_ADDR="192.0.2.9")

    assert (here.status_code, elsewhere.status_code) == (429, 200)


def test_behind_the_platform_proxy_the_limit_counts_the_forwarded_client(browser, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    an_account()
    for n in range(20):
        # Each attempt forges a different first hop and arrives through another front end.
        sign_in(browser, f"guess{n}@example.com", "wrong password!",
                HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.5", REMOTE_ADDR=f"10.0.0.{n}")

    same_client = sign_in(browser, "ana@example.com", PASSWORD,
                          HTTP_X_FORWARDED_FOR="203.0.113.5:4711")
    other_client = sign_in(browser, "ana@example.com", PASSWORD,
                           HTTP_X_FORWARDED_FOR="203.0.113.6")

    assert (same_client.status_code, other_client.status_code) == (429, 200)


def test_signing_in_opens_the_account_and_rotates_the_session(browser):
    an_account()
    browser.get("/account/signin")
    remember_orders(browser)
    before = browser.client.session.session_key

    response = sign_in(browser, "ana@example.com", PASSWORD)

    assert response.redirect_chain == [("/account", 303)]
    assert "<h1>My account</h1>" in response.content.decode()
    assert browser.client.session.session_key != before


def test_signing_out_ends_the_session(browser):
    an_account()
    sign_in(browser, "ana@example.com", PASSWORD)

    response = browser.post("/account/signout")
    account = browser.get("/account")

    assert (response.status_code, response["Location"]) == (303, "/")
    assert (account.status_code, account["Location"]) == (303, "/account/signin")


def test_signing_out_needs_the_forms_csrf_token(browser):
    an_account()
    sign_in(browser, "ana@example.com", PASSWORD)

    forged = browser.post("/account/signout", csrf=False)

    assert forged.status_code == 403
    assert browser.get("/account").status_code == 200


def test_orders_placed_as_a_guest_in_this_browser_join_the_new_account(browser):
    mine = an_order()
    elsewhere = an_order()  # same e-mail, placed from another browser
    browser.get("/account/register")
    remember_orders(browser, mine)

    history = register(browser).content.decode()

    assert mine.number in history
    assert elsewhere.number not in history
    customer = Customer.objects.get(email="ana@example.com")
    owners = dict(Order.objects.values_list("number", "customer_id"))
    assert owners == {mine.number: customer.pk, elsewhere.number: None}


def test_signing_in_claims_this_browsers_guest_orders_with_the_same_email_only(browser):
    customer = an_account()
    mine, someone_elses = an_order(), an_order("eva@example.com")
    browser.get("/account/signin")
    remember_orders(browser, mine, someone_elses)

    history = sign_in(browser, "ana@example.com", PASSWORD).content.decode()

    assert mine.number in history and someone_elses.number not in history
    owners = dict(Order.objects.values_list("number", "customer_id"))
    assert owners == {mine.number: customer.pk, someone_elses.number: None}


def test_an_order_of_another_account_is_never_claimed(browser):
    eva = an_account("eva@example.com")
    theirs = an_order("ana@example.com", customer=eva)
    browser.get("/account/register")
    remember_orders(browser, theirs)

    register(browser)

    theirs.refresh_from_db()
    assert theirs.customer_id == eva.pk


def test_the_account_pages_send_anonymous_visitors_to_sign_in():
    client = Client()

    for path in ("/account", "/account/orders/T-261202-000001"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (303, "/account/signin")


CHECKOUT = {"email": "ana@example.com", "name": "Ana García", "line1": "Calle Mayor 1",
            "line2": "", "city": "Madrid", "postal_code": "28013", "country": "ES",
            "shipping_method": "standard", "payment_token": "tok_sandbox_ok"}


def checkout_in_browser(browser: Browser) -> str:
    """A guest checkout through the shop's own pages; the placed order's number."""
    browser.post("/cart/lines", {"sku": "TEE-M", "quantity": "1"})
    review = browser.post("/checkout", CHECKOUT).content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', review))
    placed = browser.post("/checkout/place", hidden)
    assert placed.status_code == 302, placed.content.decode()
    return Order.objects.get(pk=placed["Location"].split("/")[2].split("?")[0]).number


def test_a_guest_checkout_in_this_browser_joins_the_account_registered_in_it(
        browser, other_browser):
    a_variant("TEE-M", price=1999, stock={"MAD": 5},
              product=a_product(name_es="Camiseta Brisa", name_en="Brisa T-shirt"))
    elsewhere = checkout_in_browser(other_browser)  # same e-mail, another browser
    number = checkout_in_browser(browser)

    history = register(browser).content.decode()
    detail = browser.get(f"/account/orders/{number}", HTTP_ACCEPT_LANGUAGE="en")

    assert number in history
    assert elsewhere not in history
    customer = Customer.objects.get(email="ana@example.com")
    owners = dict(Order.objects.values_list("number", "customer_id"))
    assert owners == {number: customer.pk, elsewhere: None}
    lines = re.findall(r"<tr><td>([^<]+) <small>([^<]+)</small></td><td>(\d+)</td><td>([^<]+)</td>",
                       detail.content.decode())
    # The line keeps the name it had in the order's language (the checkout was in Spanish).
    assert lines == [("Camiseta Brisa", "TEE-M", "1", "€19.99")]


def test_the_sign_in_refusal_reads_in_spanish_for_a_spanish_browser(browser):
    response = browser.post("/account/signin", {"email": "ana@example.com",
                                                "password": "not the password"},
                            HTTP_ACCEPT_LANGUAGE="es")

    html = response.content.decode()
    assert response.status_code == 422
    assert "El correo o la contraseña no son correctos." in html
    assert '<html lang="es">' in html
