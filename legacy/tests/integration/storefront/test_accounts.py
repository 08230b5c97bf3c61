"""Customer accounts over HTTP: register, sign in, rate limiting, password reset by e-mail
without user enumeration, order history, one-click unsubscribe."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from tests.fakes import FakeMailer
from tests.integration.checkout.helpers import place
from tests.integration.storefront.helpers import csrf, shop_client, small_shop
from tienda.adapters.db.tables import customers, orders, outbox
from tienda.service_layer.notifications import send_notification

pytestmark = pytest.mark.azurite
PASSWORD = "a long enough password"


def register(client, email: str = "ana@example.com", password: str = PASSWORD):
    return client.post("/account/register", data={
        "csrf_token": csrf(client), "email": email, "password": password, "name": "Ana"})


def sign_in(client, email: str, password: str):
    return client.post("/account/signin", data={
        "csrf_token": csrf(client), "email": email, "password": password})


def test_a_new_account_is_signed_in_with_an_argon2_hash(tienda):
    with shop_client(tienda) as client:
        response = register(client)

    assert response.status_code == 200
    assert "My account" in response.text
    with tienda.engine.connect() as conn:
        stored = conn.execute(sa.select(customers.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")


def test_a_short_password_is_refused_with_a_message(tienda):
    with shop_client(tienda) as client:
        response = register(client, password="short")

    assert response.status_code == 422
    assert "The password needs at least 10 characters." in response.text


def test_a_wrong_password_and_an_unknown_email_read_the_same(tienda):
    with shop_client(tienda) as client:
        register(client)
        client.post("/account/signout", data={"csrf_token": csrf(client)})
        wrong = sign_in(client, "ana@example.com", "not the password")
        unknown = sign_in(client, "nobody@example.com", "not the password")

    assert (wrong.status_code, unknown.status_code) == (422, 422)
    assert "The e-mail or the password is wrong." in wrong.text
    assert "The e-mail or the password is wrong." in unknown.text


def test_sign_in_is_refused_after_five_failures_even_with_the_right_password(tienda):
    with shop_client(tienda) as client:
        register(client)
        client.post("/account/signout", data={"csrf_token": csrf(client)})
        failures = [sign_in(client, "ana@example.com", "wrong password!").status_code
                    for _ in range(5)]
        refused = sign_in(client, "ana@example.com", PASSWORD)

    assert failures == [422] * 5
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.text


def checkout_in_browser(client) -> str:
    token = csrf(client)
    client.post("/cart/lines", data={"csrf_token": token, "sku": "TEE-M", "quantity": "1"})
    details = {"csrf_token": token, "email": "ana@example.com", "name": "Ana García",
               "line1": "Calle Mayor 1", "city": "Madrid", "postal_code": "28013",
               "country": "ES", "shipping_method": "standard", "payment_token": "tok_sandbox_ok"}
    review = client.post("/checkout", data=details)
    key = re.search(r'name="key" value="([^"]+)"', review.text).group(1)
    placed = client.post("/checkout/place", data={**details, "key": key})
    assert placed.status_code == 200
    return re.search(r"T-\d{6}-[0-9A-F]{6}", placed.text).group(0)


def test_orders_placed_as_a_guest_in_this_browser_join_the_new_account(tienda):
    small_shop(tienda)
    elsewhere = place(tienda, {"TEE-M": 1})  # same e-mail, another browser
    with shop_client(tienda) as client:
        number = checkout_in_browser(client)
        history = register(client)

    assert number in history.text
    assert elsewhere.number not in history.text
    with tienda.engine.connect() as conn:
        owners = dict(conn.execute(sa.select(orders.c.number, orders.c.customer_id)).all())
    assert owners == {number: 1, elsewhere.number: None}


def test_a_password_reset_goes_by_e_mail_and_works_once(tienda):
    with shop_client(tienda) as client:
        register(client)
        client.post("/account/signout", data={"csrf_token": csrf(client)})
        asked = client.post("/account/reset", data={"csrf_token": csrf(client),
                                                    "email": "ana@example.com"})
        unknown = client.post("/account/reset", data={"csrf_token": csrf(client),
                                                      "email": "nobody@example.com"})
        mailer = FakeMailer()
        with tienda.engine.connect() as conn:
            [body] = conn.execute(sa.select(outbox.c.payload)).scalars().all()
        result = send_notification(tienda.uows, mailer, tienda.mail_renderer, tienda.policy,
                                   body)
        link = re.search(r"http\S+/account/reset/\S+", mailer.sent[0].get_content()).group(0)
        path = link.split("127.0.0.1:8000", 1)[1]
        reset = client.post(path, data={"csrf_token": csrf(client), "password": "brand new pw!"})
        again = client.post(path, data={"csrf_token": csrf(client), "password": "another one!!"})
        signed_in = sign_in(client, "ana@example.com", "brand new pw!")

    assert asked.text.count("If that e-mail has an account") == 1
    assert unknown.status_code == asked.status_code == 200
    assert unknown.text.count("If that e-mail has an account") == 1
    assert json.loads(body)["kind"] == "password_reset"
    assert result == "sent password_reset"
    assert mailer.sent[0]["To"] == "ana@example.com"
    assert reset.status_code == 200 and "Please sign in" in reset.text
    assert again.status_code == 422
    assert "This reset link has expired or was already used." in again.text
    assert signed_in.status_code == 200 and "My account" in signed_in.text


def test_one_click_unsubscribe_withdraws_marketing_consent(tienda):
    with shop_client(tienda) as client:
        client.post("/account/register", data={
            "csrf_token": csrf(client), "email": "ana@example.com", "password": PASSWORD,
            "marketing": "1"})
        accounts = client.app.state.shop.accounts
        token = accounts.unsubscribe_token(1)
        forged = client.post("/unsubscribe/1/" + "0" * 32)
        done = client.post(f"/unsubscribe/1/{token}")

    assert forged.status_code == 404
    assert done.status_code == 200
    assert "we will not send you offers any more" in done.text
    with tienda.engine.connect() as conn:
        assert conn.execute(sa.select(customers.c.marketing_consent)).scalar_one() is False
