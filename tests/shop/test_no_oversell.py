"""Acceptance: 50 concurrent checkouts for the last 10 units give exactly 10 orders (ports
legacy/tests/integration/checkout/test_no_oversell.py)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from shop.checkout.services import checkout_place
from shop.core.errors import Conflict
from shop.orders.models import Order
from shop.payments.models import SandboxCharge
from tests.builders import ledger_matches_levels, stock_of
from tests.shop.builders import cart_with, checkout_args, stocked

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.azurite, pytest.mark.slow]
BUYERS = 50


def test_fifty_buyers_for_the_last_ten_units_make_ten_orders_and_forty_refusals(azurite):
    # Ten units split over both warehouses, so reservations also span warehouses.
    stocked("LAST-1", MAD=6, BCN=4)
    carts = [cart_with({"LAST-1": 1}) for _ in range(BUYERS)]
    start = threading.Barrier(BUYERS)

    def buy(cart) -> str:
        start.wait()
        try:
            checkout_place(cart_id=cart[0].pk, token=cart[1], **checkout_args())
            return "order"
        except Conflict as exc:
            return f"409: {exc}"
        finally:
            connection.close()

    with ThreadPoolExecutor(BUYERS) as pool:
        outcomes = list(pool.map(buy, carts))

    assert outcomes.count("order") == 10
    assert outcomes.count("409: not enough stock: only 0 of LAST-1 left, 1 requested") == 40
    assert stock_of("LAST-1") == [("MAD", 6, 6), ("BCN", 4, 4)]
    assert ledger_matches_levels()
    assert Order.objects.count() == 10
    statuses = sorted(SandboxCharge.objects.values_list("status", flat=True))
    assert statuses == ["authorized"] * 10 + ["voided"] * 40


def test_concurrent_retries_with_one_key_place_one_order_and_void_the_rest(azurite):
    stocked("TEE-M", MAD=5)
    cart, token = cart_with({"TEE-M": 1})
    tries = 5
    start = threading.Barrier(tries)

    def retry(_n: int):
        start.wait()
        try:
            placed = checkout_place(cart_id=cart.pk, token=token, idempotency_key="retry-1",
                                    **checkout_args())
            return placed.order.pk, placed.created
        finally:
            connection.close()

    with ThreadPoolExecutor(tries) as pool:
        outcomes = list(pool.map(retry, range(tries)))

    order = Order.objects.get()
    assert sorted(created for _, created in outcomes) == [False] * 4 + [True]
    assert {pk for pk, _ in outcomes} == {order.pk}
    assert stock_of("TEE-M") == [("MAD", 5, 1)]
    assert ledger_matches_levels()
    charges = sorted(SandboxCharge.objects.values_list("status", flat=True))
    assert charges.count("authorized") == 1
    assert set(charges) <= {"authorized", "voided"}
