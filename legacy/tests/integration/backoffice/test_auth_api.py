"""Staff sign-in: the session cookie, one refusal for unknown and wrong, lock-out."""

from __future__ import annotations

import pytest

from tests.integration.backoffice.world import PASSWORD
from tienda.entrypoints.backoffice_api.auth import COOKIE

pytestmark = pytest.mark.azurite


def _login(client, email: str, password: str, **kwargs):
    response = client.post("/api/auth/login", json={"email": email, "password": password},
                           **kwargs)
    client.cookies.clear()
    return response


def test_signing_in_sets_an_httponly_lax_cookie_and_returns_the_permissions(world):
    response = _login(world.client, "support@tienda.test", PASSWORD)

    assert response.status_code == 200
    assert response.json()["role"] == "support"
    assert "orders:write" in response.json()["permissions"]
    assert "catalog:write" not in response.json()["permissions"]
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie


def test_the_cookie_is_secure_when_the_request_came_over_https(world):
    response = _login(world.client, "support@tienda.test", PASSWORD,
                      headers={"X-Forwarded-Proto": "https"})

    assert "Secure" in response.headers["set-cookie"]


def test_unknown_email_and_wrong_password_get_the_same_answer(world):
    unknown = _login(world.client, "nobody@tienda.test", PASSWORD)
    wrong = _login(world.client, "viewer@tienda.test", "not the password")

    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json() == {"detail": "wrong e-mail or password"}


def test_five_failures_lock_the_account_even_against_the_right_password(world):
    answers = [_login(world.client, "viewer@tienda.test", "wrong").status_code
               for _ in range(5)]

    right = _login(world.client, "viewer@tienda.test", PASSWORD)

    assert answers == [401, 401, 401, 401, 423]
    assert right.status_code == 423
    assert right.json()["detail"].startswith("too many failed sign-ins: this account is locked")


def test_signing_out_ends_the_session(world):
    headers = world.auth("viewer")
    assert world.client.get("/api/auth/me", headers=headers).json()["email"] == (
        "viewer@tienda.test")

    assert world.client.post("/api/auth/logout", headers=headers).status_code == 204

    assert world.client.get("/api/auth/me", headers=headers).status_code == 401


def test_a_deactivated_member_loses_access_at_once(world):
    staff = world.client.get("/api/staff", headers=world.auth("admin")).json()
    viewer = next(member["id"] for member in staff if member["role"] == "viewer")

    response = world.client.put(f"/api/staff/{viewer}", headers=world.auth("admin"),
                                json={"role": "viewer", "is_active": False})

    assert response.status_code == 200
    assert world.client.get("/api/auth/me", headers=world.auth("viewer")).status_code == 401


def test_the_last_admin_cannot_be_demoted(world):
    staff = world.client.get("/api/staff", headers=world.auth("admin")).json()
    admin = next(member["id"] for member in staff if member["role"] == "admin")

    response = world.client.put(f"/api/staff/{admin}", headers=world.auth("admin"),
                                json={"role": "viewer", "is_active": True})

    assert response.status_code == 409
    assert world.client.get("/api/auth/me", headers=world.auth("admin")).json()["role"] == (
        "admin")
