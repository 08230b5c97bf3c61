"""Fixtures for the public API tests: a JSON client for /api/v1."""

from __future__ import annotations

import json

import pytest
from django.test import Client


class ApiClient:
    """Django's test client speaking JSON, with headers given as a dict."""

    def __init__(self) -> None:
        self.client = Client()

    def _send(self, method: str, path: str, body: object, headers: dict | None):
        kwargs = {"headers": headers or {}}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path: str, headers: dict | None = None, **params: object):
        return self.client.get(path, params or None, headers=headers or {})

    def post(self, path: str, body: object = None, headers: dict | None = None):
        return self._send("post", path, body, headers)

    def patch(self, path: str, body: object = None, headers: dict | None = None):
        return self._send("patch", path, body, headers)

    def delete(self, path: str, headers: dict | None = None):
        return self._send("delete", path, None, headers)


@pytest.fixture
def api() -> ApiClient:
    return ApiClient()
