"""The staff API tests run against the backoffice URL conf with the backoffice deployment's
cookie names (the test settings are the storefront's)."""

from __future__ import annotations

import pytest

from tests.backoffice.api.builders import World, build_world

BACKOFFICE_COOKIES = {
    "SESSION_COOKIE_NAME": "tienda_staff_session",
    "SESSION_COOKIE_SAMESITE": "Strict",
    "CSRF_COOKIE_NAME": "tienda_staff_csrf",
    "CSRF_COOKIE_SAMESITE": "Strict",
    "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "testserver"],
}


@pytest.fixture(autouse=True)
def backoffice_settings(settings):  # type: ignore[no-untyped-def]
    for name, value in BACKOFFICE_COOKIES.items():
        setattr(settings, name, value)
    return settings


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return build_world()


@pytest.fixture
def captured_mail() -> str:
    from tests.backoffice.api.helpers import capture_mail

    return capture_mail()


@pytest.fixture
def warehouse(settings, tmp_path):  # type: ignore[no-untyped-def]
    """A warehouse of this test's own; `warehouse()` loads it once (later calls do nothing)."""
    from tests.backoffice.api.helpers import load_warehouse

    settings.WAREHOUSE_URL = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    loaded: list[bool] = []

    def load() -> None:
        if not loaded:
            load_warehouse()
            loaded.append(True)

    return load
