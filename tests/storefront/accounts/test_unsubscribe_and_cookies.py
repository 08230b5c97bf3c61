"""One-click unsubscribe (RFC 8058) and the session cookie's flags (legacy
test_accounts.py::test_one_click_unsubscribe…, test_search_and_security.py cookie tests)."""

from __future__ import annotations

import pytest

from shop.customers.selectors import unsubscribe_token, unsubscribe_url
from tests.storefront.accounts.builders import PASSWORD, an_account
from tests.storefront.accounts.conftest import Browser

pytestmark = pytest.mark.django_db


def test_one_click_unsubscribe_withdraws_marketing_consent_without_a_csrf_token(browser):
    ana = an_account(marketing=True)
    link = f"/unsubscribe/{ana.pk}/{unsubscribe_token(ana.pk)}"

    forged = browser.post(f"/unsubscribe/{ana.pk}/{'0' * 32}", csrf=False,
                          HTTP_ACCEPT_LANGUAGE="en")
    done = browser.post(link, {"List-Unsubscribe": "One-Click"}, csrf=False,
                        HTTP_ACCEPT_LANGUAGE="en")

    ana.refresh_from_db()
    assert forged.status_code == 404
    assert "This unsubscribe link is not valid." in forged.content.decode()
    assert done.status_code == 200
    assert "we will not send you offers any more" in done.content.decode()
    assert ana.marketing_consent is False and ana.consent_changed_at is not None


def test_a_forged_link_leaves_consent_alone(browser):
    ana = an_account(marketing=True)
    other = an_account("eva@example.com", marketing=True)

    browser.post(f"/unsubscribe/{ana.pk}/{unsubscribe_token(other.pk)}", csrf=False)

    ana.refresh_from_db()
    assert ana.marketing_consent is True


def test_the_unsubscribe_link_opens_a_confirmation_page(browser):
    ana = an_account(marketing=True)

    page = browser.get(f"/unsubscribe/{ana.pk}/{unsubscribe_token(ana.pk)}",
                       HTTP_ACCEPT_LANGUAGE="en")

    ana.refresh_from_db()
    assert page.status_code == 200
    assert "Stop receiving offers by e-mail?" in page.content.decode()
    assert ana.marketing_consent is True


def test_the_unsubscribe_url_for_emails_is_absolute_and_signed():
    ana = an_account()

    url = unsubscribe_url(ana)

    token = unsubscribe_token(ana.pk)
    assert url == f"http://127.0.0.1:8000/unsubscribe/{ana.pk}/{token}"
    assert len(token) == 32 and token != unsubscribe_token(ana.pk + 1)


def register_over(browser: Browser, **extra: object):
    return browser.post("/account/register", {"email": "ana@example.com",
                                              "password": PASSWORD}, **extra)


def test_the_session_cookie_is_httponly_samesite_and_secure_under_https(settings):
    # What the deployed settings say (SESSION_COOKIE_SECURE and HSTS outside local/test).
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = 31_536_000, True
    browser = Browser(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="testserver")

    # Under https Django's CSRF check also wants a same-origin Referer, as a browser sends.
    response = register_over(browser, HTTP_REFERER="https://testserver/account/register")

    cookie = response.cookies["tienda_session"]
    assert response.status_code == 303
    assert (cookie["httponly"], cookie["samesite"], cookie["secure"]) == (True, "Lax", True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_deployed_site_sends_plain_http_to_https_before_any_cookie(settings):
    settings.SECURE_SSL_REDIRECT = True
    browser = Browser()

    response = browser.client.get("/account/register")

    assert (response.status_code, response["Location"]) == (
        301, "https://testserver/account/register")
    assert "tienda_session" not in response.cookies and "tienda_csrf" not in response.cookies


def test_the_session_cookie_is_not_secure_over_plain_http_locally(browser):
    response = register_over(browser)

    cookie = response.cookies["tienda_session"]
    assert (cookie["httponly"], cookie["samesite"], cookie["secure"]) == (True, "Lax", "")
