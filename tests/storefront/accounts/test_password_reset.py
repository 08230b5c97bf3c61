"""Password reset by e-mail: the same answer whether or not the e-mail has an account, the
e-mail through the outbox, a link that works once, and every other session ended."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from shop.users.models import User
from tests.storefront.accounts.builders import PASSWORD, an_account
from tests.storefront.accounts.conftest import Browser
from workers.models import OutboxMessage

pytestmark = pytest.mark.django_db
SENT = "If that e-mail has an account, we have sent it a link"
DEAD = "This reset link has expired or was already used."
NEW_PASSWORD = "brand new pw!"


def ask_reset(browser: Browser, email: str):
    return browser.post("/account/reset", {"email": email}, HTTP_ACCEPT_LANGUAGE="en")


def reset_path() -> str:
    """The link of the one queued reset e-mail, as a path on this site."""
    [message] = OutboxMessage.objects.all()
    link = message.payload["kwargs"]["context"]["link"]
    assert link.startswith("http://127.0.0.1:8000/account/reset/")
    return link.removeprefix("http://127.0.0.1:8000")


def sign_in(browser: Browser, password: str):
    return browser.post("/account/signin", {"email": "ana@example.com", "password": password},
                        follow=True, HTTP_ACCEPT_LANGUAGE="en")


def test_a_reset_request_reads_the_same_whether_or_not_the_email_has_an_account(browser):
    an_account()

    asked = ask_reset(browser, "ana@example.com")
    unknown = ask_reset(browser, "nobody@example.com")
    malformed = ask_reset(browser, "not an e-mail")

    assert asked.status_code == unknown.status_code == malformed.status_code == 200
    for page in (asked, unknown, malformed):
        assert page.content.decode().count(SENT) == 1
    [message] = OutboxMessage.objects.all()
    assert (message.queue, message.task) == (
        "notifications", "shop.notifications.tasks.send_email_task")
    kwargs = message.payload["kwargs"]
    assert (kwargs["kind"], kwargs["to"], kwargs["locale"]) == (
        "password_reset", "ana@example.com", "en")


def test_a_password_reset_works_once(browser):
    an_account()
    ask_reset(browser, "ana@example.com")
    path = reset_path()

    form = browser.get(path, HTTP_ACCEPT_LANGUAGE="en")
    reset = browser.post(path, {"password": NEW_PASSWORD}, follow=True,
                         HTTP_ACCEPT_LANGUAGE="en")
    again = browser.post(path, {"password": "another one!!"}, HTTP_ACCEPT_LANGUAGE="en")
    signed_in = sign_in(browser, NEW_PASSWORD)

    assert form.status_code == 200 and 'type="password"' in form.content.decode()
    assert reset.redirect_chain == [("/account/signin", 303)]
    assert "Your password was changed. Please sign in." in reset.content.decode()
    assert again.status_code == 422
    assert DEAD in again.content.decode()
    assert signed_in.status_code == 200 and "<h1>My account</h1>" in signed_in.content.decode()


def test_a_used_link_opens_no_form(browser):
    an_account()
    ask_reset(browser, "ana@example.com")
    path = reset_path()
    browser.post(path, {"password": NEW_PASSWORD})

    page = browser.get(path, HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 404
    assert DEAD in page.content.decode()
    assert 'type="password"' not in page.content.decode()


def test_a_forged_link_changes_nothing(browser):
    an_account()
    user = User.objects.get()

    for path in ("/account/reset/MQ/cxyz-0123456789abcdef", "/account/reset/!!/x"):
        response = browser.post(path, {"password": NEW_PASSWORD}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 422
        assert DEAD in response.content.decode()
    assert User.objects.get().password == user.password


def test_a_short_new_password_is_refused_and_the_link_still_works(browser):
    an_account()
    ask_reset(browser, "ana@example.com")
    path = reset_path()

    short = browser.post(path, {"password": "short"}, HTTP_ACCEPT_LANGUAGE="en")
    good = browser.post(path, {"password": NEW_PASSWORD})

    assert short.status_code == 422
    assert "This password is too short." in short.content.decode()
    assert (good.status_code, good["Location"]) == (303, "/account/signin")


def test_changing_the_password_ends_the_accounts_other_sessions(browser, other_browser):
    an_account()
    sign_in(other_browser, PASSWORD)
    assert other_browser.get("/account").status_code == 200

    ask_reset(browser, "ana@example.com")
    browser.post(reset_path(), {"password": NEW_PASSWORD})

    elsewhere = other_browser.get("/account")
    assert (elsewhere.status_code, elsewhere["Location"]) == (303, "/account/signin")


def test_staff_accounts_get_no_reset_link_from_the_shop(browser):
    User.objects.create_user("boss@tienda.test", PASSWORD, is_staff=True)

    page = ask_reset(browser, "boss@tienda.test")

    assert page.content.decode().count(SENT) == 1
    assert not OutboxMessage.objects.exists()


def test_the_reset_email_goes_out_in_the_pages_language_and_its_link_works(
        browser, mailoutbox):
    # pytest-django swaps the mailer for Django's in-memory one (the shared SMTP capture
    # fixture cannot start under it); the SMTP transport is tested with the e-mails.
    from shop.notifications.tasks import send_email_task

    an_account()
    browser.post("/account/reset", {"email": "ana@example.com"}, HTTP_ACCEPT_LANGUAGE="es")
    [message] = OutboxMessage.objects.all()

    send_email_task.call(**message.payload["kwargs"])  # what the worker runs from the queue

    [mail] = mailoutbox
    link = re.search(r"http://127\.0\.0\.1:8000(/account/reset/\S+)", mail.body).group(1)
    changed = browser.post(link, {"password": NEW_PASSWORD})
    assert (mail.to, mail.subject) == (["ana@example.com"], "Cambia tu contraseña de Tienda")
    assert (changed.status_code, changed["Location"]) == (303, "/account/signin")


@pytest.mark.parametrize(("minutes_later", "status"), [(59, 303), (61, 422)])
def test_a_reset_link_works_for_one_hour(browser, monkeypatch, minutes_later, status):
    from django.contrib.auth.tokens import default_token_generator

    an_account()
    ask_reset(browser, "ana@example.com")
    later = datetime.now() + timedelta(minutes=minutes_later)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)  # the clock only

    response = browser.post(reset_path(), {"password": NEW_PASSWORD})

    assert response.status_code == status
