"""The 20-address limit holds when several requests add at once (the customer row is locked
while counting)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from shop.core.errors import Conflict
from shop.customers.models import Address
from shop.customers.services import address_add
from tests.storefront.accounts.builders import an_account

pytestmark = pytest.mark.django_db(transaction=True)
ADDRESS = {"name": "Ana García", "line1": "Calle Mayor 1", "line2": "", "city": "Madrid",
           "postal_code": "28013", "country": "ES"}


def test_concurrent_adds_never_pass_twenty_addresses():
    ana = an_account()
    Address.objects.bulk_create([Address(customer=ana, **ADDRESS) for _ in range(18)])
    start = Barrier(4)

    def add() -> str:
        try:
            start.wait()
            address_add(customer=ana, **ADDRESS)
            return "added"
        except Conflict as refusal:
            return str(refusal)
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        outcomes = sorted(pool.map(lambda _: add(), range(4)))

    # Threads run in the default language (es); the message is the translated one.
    assert outcomes == ["Como máximo 20 direcciones guardadas."] * 2 + ["added"] * 2
    assert Address.objects.filter(customer=ana).count() == 20
