"""Staff sign-in through the API: Django's session cookie, CSRF, one refusal for unknown and
wrong, lock-out, sign-out, deactivation and the last admin (legacy test_auth_api)."""

from __future__ import annotations

import pytest
from django.test import Client

from shop.audit.models import AuditEntry
from tests.backoffice.api.builders import BASE_URL, email_of
from tests.backoffice.builders import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.urls("shop.urls.backoffice")]


def _login(client: Client, email: str, password: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/api/auth/login", {"email": email, "password": password},
                       content_type="application/json", **extra)


def test_signing_in_sets_an_httponly_strict_session_cookie_and_returns_the_permissions(world):
    response = _login(Client(HTTP_HOST=BASE_URL), email_of("support"), PASSWORD)

    assert response.status_code == 200
    assert response.json()["role"] == "support"
    assert response.json()["email"] == "support@tienda.test"
    assert "orders:write" in response.json()["permissions"]
    assert "catalog:write" not in response.json()["permissions"]
    cookie = response.cookies["tienda_staff_session"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["secure"] == ""
    assert "tienda_staff_csrf" in response.cookies


def test_the_session_cookie_is_secure_where_the_settings_say_so(world, settings):
    settings.SESSION_COOKIE_SECURE = True  # every deployed environment (not local)

    response = _login(Client(HTTP_HOST=BASE_URL), email_of("support"), PASSWORD,
                      HTTP_X_FORWARDED_PROTO="https")

    assert response.cookies["tienda_staff_session"]["secure"] is True


def test_me_sets_the_csrf_cookie_even_when_it_answers_401(db):
    response = Client(HTTP_HOST=BASE_URL).get("/api/auth/me")

    assert response.status_code == 401
    assert response.json() == {"detail": "sign in first (no valid session)"}
    assert response.cookies["tienda_staff_csrf"].value


def test_a_write_without_the_csrf_header_is_refused_and_with_it_goes_through(world):
    client = Client(HTTP_HOST=BASE_URL, enforce_csrf_checks=True)
    assert _login(client, email_of("manager"), PASSWORD).status_code == 200
    body = {"name_es": "Hogar", "name_en": "Home"}

    refused = client.post("/api/categories", body, content_type="application/json")
    token = client.cookies["tienda_staff_csrf"].value
    accepted = client.post("/api/categories", body, content_type="application/json",
                           HTTP_X_CSRFTOKEN=token)

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert accepted.status_code == 201


def test_signing_in_needs_no_csrf_token_even_over_an_open_session(world):
    client = Client(HTTP_HOST=BASE_URL, enforce_csrf_checks=True)
    assert _login(client, email_of("viewer"), PASSWORD).status_code == 200

    again = _login(client, email_of("manager"), PASSWORD)

    assert (again.status_code, again.json()["role"]) == (200, "manager")
    assert client.get("/api/auth/me").json()["email"] == "manager@tienda.test"


def test_unknown_email_and_wrong_password_get_the_same_answer(world):
    unknown = _login(Client(HTTP_HOST=BASE_URL), "nobody@tienda.test", PASSWORD)
    wrong = _login(Client(HTTP_HOST=BASE_URL), email_of("viewer"), "not the password")

    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json() == {"detail": "wrong e-mail or password"}


def test_a_customer_account_cannot_sign_in_to_the_backoffice(world):
    from tests.backoffice.builders import a_customer_account

    a_customer_account("shopper@example.com")

    response = _login(Client(HTTP_HOST=BASE_URL), "shopper@example.com", PASSWORD)

    assert response.status_code == 401
    assert response.json() == {"detail": "wrong e-mail or password"}


def test_five_failures_lock_the_account_even_against_the_right_password(world):
    answers = [_login(Client(HTTP_HOST=BASE_URL), email_of("viewer"), "wrong").status_code
               for _ in range(5)]

    right = _login(Client(HTTP_HOST=BASE_URL), email_of("viewer"), PASSWORD)

    assert answers == [401, 401, 401, 401, 423]
    assert right.status_code == 423
    assert right.json()["detail"].startswith("too many failed sign-ins: this account is locked")
    staff = world.client("admin").get("/api/staff").json()
    locked = {member["email"]: member["locked_until"] for member in staff}
    assert locked["viewer@tienda.test"] is not None
    assert locked["support@tienda.test"] is None


def test_signing_out_ends_the_session(world):
    client = Client(HTTP_HOST=BASE_URL)
    _login(client, email_of("viewer"), PASSWORD)
    assert client.get("/api/auth/me").json()["email"] == "viewer@tienda.test"

    assert client.post("/api/auth/logout").status_code == 204

    assert client.get("/api/auth/me").status_code == 401


def test_a_deactivated_member_loses_access_at_once(world):
    viewer = world.client("viewer")
    staff = world.client("admin").get("/api/staff").json()
    viewer_id = next(member["id"] for member in staff if member["role"] == "viewer")

    response = world.client("admin").put(f"/api/staff/{viewer_id}",
                                         {"role": "viewer", "is_active": False},
                                         content_type="application/json")

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert viewer.get("/api/auth/me").status_code == 401


def test_the_last_admin_cannot_be_demoted(world):
    admin = world.client("admin")
    staff = admin.get("/api/staff").json()
    admin_id = next(member["id"] for member in staff if member["role"] == "admin")

    response = admin.put(f"/api/staff/{admin_id}", {"role": "viewer", "is_active": True},
                         content_type="application/json")

    assert response.status_code == 409
    assert admin.get("/api/auth/me").json()["role"] == "admin"


def test_an_admin_adds_a_member_who_can_sign_in_and_it_is_audited(world):
    response = world.client("admin").post(
        "/api/staff", {"email": "New@Tienda.test", "name": "New", "role": "support",
                       "password": "a long enough password"}, content_type="application/json")

    assert response.status_code == 201
    assert (response.json()["email"], response.json()["role"]) == ("new@tienda.test", "support")
    signed_in = _login(Client(HTTP_HOST=BASE_URL), "new@tienda.test", "a long enough password")
    assert signed_in.json()["role"] == "support"
    assert AuditEntry.objects.get(action="staff.create").actor == "admin@tienda.test"


def test_a_short_password_for_a_new_member_is_a_422_naming_the_field(world):
    response = world.client("admin").post(
        "/api/staff", {"email": "x@tienda.test", "role": "viewer", "password": "short"},
        content_type="application/json")

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "password"]


def test_a_method_a_view_does_not_declare_is_a_405_for_everyone(world):
    for client in (Client(HTTP_HOST=BASE_URL), world.client("admin")):
        assert client.delete("/api/staff").status_code == 405
        assert client.options("/api/products").status_code == 405
