"""Schemathesis over the drf-spectacular document, signed in as admin: no operation answers
with a server error (legacy test_schemathesis). Bounded: a few examples per operation.
Sign-out is left out (it would end the session the rest of the run uses)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings

from tests.backoffice.api.routes import api_routes

pytestmark = [pytest.mark.azurite, pytest.mark.slow,
              pytest.mark.django_db(transaction=True),  # the ETL reads on a thread
              pytest.mark.urls("tests.backoffice.api.urls_with_schema")]
EXAMPLES_PER_OPERATION = 6
SKIPPED = {("POST", "/api/auth/logout")}


@pytest.fixture
def admin_headers(world, azurite, captured_mail, warehouse, transactional_db):
    """The admin's session and CSRF cookies, and the CSRF header the SPA sends."""
    world.order()
    warehouse()
    client = world.client("admin")
    client.get("/api/auth/me")
    session, csrf = (client.cookies[name].value
                     for name in ("tienda_staff_session", "tienda_staff_csrf"))
    return {"cookies": {"tienda_staff_session": session, "tienda_staff_csrf": csrf},
            "headers": {"X-CSRFToken": csrf}}


def _probe(operation, signed_in: dict[str, dict[str, str]], failures: list[str],  # type: ignore[no-untyped-def]
           statuses: list[int]) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
              derandomize=True, suppress_health_check=list(HealthCheck))
    def probe(case):  # type: ignore[no-untyped-def]
        response = case.call(**signed_in)
        statuses.append(response.status_code)
        if response.status_code >= 500:
            failures.append(f"{operation.method.upper()} {operation.path}: "
                            f"{response.status_code} for {case.as_curl_command()}")

    probe()


def test_no_operation_answers_with_a_server_error(admin_headers):
    schema = schemathesis.openapi.from_wsgi("/openapi.json", get_wsgi_application())
    failures: list[str] = []
    statuses: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]

    for operation in operations:
        if (operation.method.upper(), operation.path) not in SKIPPED:
            _probe(operation, admin_headers, failures, statuses)

    assert len(operations) == len(api_routes()) - 1  # all but /healthz, outside the API
    assert failures == []
    # Signed in for real: most answers got past authentication (only sign-ins may say 401).
    assert sum(1 for status in statuses if status == 401) <= EXAMPLES_PER_OPERATION
    assert sum(1 for status in statuses if 200 <= status < 300) > len(operations)
