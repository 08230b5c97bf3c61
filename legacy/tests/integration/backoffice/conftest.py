"""Fixtures for the backoffice API: the app over real storage and a populated world."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.integration.backoffice.world import build_world
from tienda.entrypoints.backoffice_api.app import create_app


@pytest.fixture
def backoffice_client(tienda):
    with TestClient(create_app(tienda=tienda), base_url="http://127.0.0.1:8001") as client:
        yield client


@pytest.fixture
def world(tienda, backoffice_client):
    return build_world(tienda, backoffice_client)
