"""The staff API as the backoffice deployment serves it: gunicorn with
`shop.settings.backoffice` (its own middleware, cookie names and flags), over a real socket.
The SPA's whole sign-in dance: the CSRF cookie from /api/auth/me, the session cookie from the
sign-in, X-CSRFToken on a write."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection

from tests.backoffice.api.builders import email_of
from tests.backoffice.builders import PASSWORD
from tests.conftest import free_port, wait_for_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _database_url() -> str:
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


@pytest.fixture
def backoffice_server(world, transactional_db) -> Iterator[str]:  # type: ignore[no-untyped-def]
    # The deployment hashes with Argon2; the test settings' fast MD5 hashes mean nothing to it.
    manager = world.staff["manager"]
    manager.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    manager.save(update_fields=["password"])
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings.backoffice",
           "TIENDA_DATABASE_URL": _database_url()}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "shop.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--log-level", "warning"], env=env)
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_spa_signs_in_and_writes_with_the_deployments_cookies(backoffice_server):
    browser = requests.Session()
    browser.trust_env = False

    first = browser.get(f"{backoffice_server}/api/auth/me")
    signed_in = browser.post(f"{backoffice_server}/api/auth/login",
                             json={"email": email_of("manager"), "password": PASSWORD})
    body = {"name_es": "Jardín", "name_en": "Garden"}
    refused = browser.post(f"{backoffice_server}/api/categories", json=body)
    accepted = browser.post(f"{backoffice_server}/api/categories", json=body,
                            headers={"X-CSRFToken": browser.cookies["tienda_staff_csrf"]})

    assert first.status_code == 401
    assert "tienda_staff_csrf=" in first.headers["Set-Cookie"]
    assert signed_in.status_code == 200
    session = next(c for c in signed_in.raw.headers.getlist("Set-Cookie")
                   if c.startswith("tienda_staff_session="))
    assert "HttpOnly" in session
    assert "SameSite=Strict" in session
    assert refused.status_code == 403
    assert accepted.status_code == 201
    assert accepted.json()["slug"] == "jardin"
