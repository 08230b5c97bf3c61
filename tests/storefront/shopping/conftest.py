"""Fixtures for the cart, checkout and order pages: a browser (Django's test client, English,
CSRF enforced as a real browser meets it) on a small shop."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.storefront.shopping.builders import make_shop

HTMX = {"HX-Request": "true"}


def a_browser(language: str = "en") -> Client:
    return Client(enforce_csrf_checks=True, headers={"Accept-Language": language})


def csrf(client: Client, path: str = "/cart") -> str:
    page = client.get(path)
    found = re.search(r'"X-CSRFToken": "([^"]+)"', page.content.decode())
    assert found, f"no CSRF token on {path}"
    return found.group(1)


@pytest.fixture
def small_shop():
    return make_shop({"TEE-M": 5, "TEE-L": 0, "TEE-S": 2})


@pytest.fixture
def browser(small_shop):
    """A browser whose cart holds 2 of TEE-M; yields (client, csrf token)."""
    client = a_browser()
    token = csrf(client)
    added = client.post("/cart/lines", {"csrfmiddlewaretoken": token, "sku": "TEE-M",
                                        "quantity": "2"}, headers=HTMX)
    assert added.status_code == 200
    return client, token
