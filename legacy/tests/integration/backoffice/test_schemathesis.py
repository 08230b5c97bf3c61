"""Acceptance 3: schemathesis, signed in as admin, finds no 5xx anywhere in the backoffice API.

Bounded: a few examples per operation, on SQLite, well under a minute. Sign-out is left out
(it would end the session the rest of the run uses)."""

from __future__ import annotations

import dataclasses

import pytest
import schemathesis
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings

from tests.integration.backoffice.world import build_world
from tienda.entrypoints.backoffice_api.app import api_routes, create_app

pytestmark = pytest.mark.azurite
EXAMPLES_PER_OPERATION = 6
SKIPPED = {("POST", "/api/auth/logout")}


class CheapArgon2:
    """Real argon2id with small parameters, so generated sign-ins and new staff don't cost a
    second each."""

    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except Exception:
            return False


@pytest.fixture
def signed_in_app(tienda, database_url):
    from fastapi.testclient import TestClient

    app = create_app(tienda=tienda)
    app.state.backoffice = dataclasses.replace(app.state.backoffice, passwords=CheapArgon2())
    with TestClient(app, base_url="http://127.0.0.1:8001") as client:
        world = build_world(tienda, client)
        world.order()
        world.warehouse_loaded()
    return app, world.auth("admin")


def _probe(operation, headers: dict[str, str], failures: list[str],
           statuses: list[int]) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def probe(case):
        response = case.call(headers=headers)
        statuses.append(response.status_code)
        if response.status_code >= 500:
            failures.append(f"{operation.method.upper()} {operation.path}: "
                            f"{response.status_code} for {case.as_curl_command()}")

    probe()


# The fuzzing run is bounded to one database; the API tests run on both.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_operation_answers_with_a_server_error(signed_in_app):
    app, headers = signed_in_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    statuses: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]

    for operation in operations:
        if (operation.method.upper(), operation.path) not in SKIPPED:
            _probe(operation, headers, failures, statuses)

    assert len(operations) == sum(len(route.methods) for route in api_routes())
    assert failures == []
    # Signed in for real: most answers got past authentication (only sign-ins may say 401).
    assert sum(1 for status in statuses if status == 401) <= EXAMPLES_PER_OPERATION
    assert sum(1 for status in statuses if 200 <= status < 300) > len(operations)
