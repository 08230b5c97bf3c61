"""Fixtures for the account pages: a browser that keeps its cookies and sends the CSRF token
the way a form does,."""

from __future__ import annotations

import re

import pytest
from django.test import Client


class Browser:
    """A Django test client with CSRF checks on: every POST carries the token a page gave
    it, as a real form does."""

    def __init__(self, **defaults: object) -> None:
        self.client = Client(enforce_csrf_checks=True, **defaults)

    def get(self, path: str, **extra: object):
        return self.client.get(path, **extra)

    def post(self, path: str, data: dict | None = None, *, follow: bool = False,
             csrf: bool = True, **extra: object):
        payload = dict(data or {})
        if csrf:
            payload["csrfmiddlewaretoken"] = self.csrf_token()
        return self.client.post(path, payload, follow=follow, **extra)

    def csrf_token(self) -> str:
        page = self.client.get("/account/signin").content.decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    @property
    def cookies(self):
        return self.client.cookies


def main_of(response) -> str:
    """The page's own content, without the layout around it (which echoes the path)."""
    html = response.content.decode()
    return html[html.index('<main id="main">'):html.index("</main>")]


@pytest.fixture
def browser() -> Browser:
    return Browser()


@pytest.fixture
def other_browser() -> Browser:
    return Browser()
