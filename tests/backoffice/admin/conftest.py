"""Admin tests run against the backoffice URLs with a signed-in staff member per role."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.backoffice.builders import a_staff_member


@pytest.fixture
def staff_client():  # type: ignore[no-untyped-def]
    """`staff_client(role)` → (a signed-in Client, the member)."""
    def make(role: str) -> tuple[Client, object]:
        member = a_staff_member(role)
        client = Client()
        client.force_login(member)
        return client, member

    return make
