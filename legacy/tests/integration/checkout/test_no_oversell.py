"""Acceptance: 50 concurrent checkouts for the last 10 units give exactly 10 orders."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from tests.builders import ledger_matches_levels, make_shop, stock_of
from tests.integration.checkout.helpers import ADDRESS, cart_with
from tienda.adapters.db.tables import orders, sandbox_charges
from tienda.domain.inventory import InsufficientStock
from tienda.domain.orders import Address
from tienda.service_layer import checkout

pytestmark = pytest.mark.azurite
BUYERS = 50


def test_fifty_buyers_for_the_last_ten_units_make_ten_orders_and_forty_refusals(tienda):
    # Ten units split over both warehouses, so reservations also span warehouses.
    ids = make_shop(tienda.engine, {"LAST-1": 6}, second_warehouse={"LAST-1": 4})
    carts = [cart_with(tienda, {"LAST-1": 1}) for _ in range(BUYERS)]
    start = threading.Barrier(BUYERS)

    def buy(cart: tuple[str, str]) -> str:
        start.wait()
        try:
            checkout.checkout(tienda.uows, tienda.payments, tienda.relay, tienda.policy,
                              *cart, checkout.CheckoutRequest(
                                  "ana@example.com", Address(**ADDRESS), "standard",
                                  "tok_sandbox_ok"))
            return "order"
        except InsufficientStock as exc:
            return f"409: {exc}"

    with ThreadPoolExecutor(BUYERS) as pool:
        outcomes = list(pool.map(buy, carts))

    assert outcomes.count("order") == 10
    assert outcomes.count("409: only 0 of LAST-1 left, 1 requested") == 40
    assert stock_of(tienda.engine, ids["LAST-1"]) == [(1, 6, 6), (2, 4, 4)]
    assert ledger_matches_levels(tienda.engine)
    with tienda.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(orders)).scalar() == 10
        statuses = conn.execute(sa.select(sandbox_charges.c.status)).scalars().all()
    assert sorted(statuses) == ["authorized"] * 10 + ["voided"] * 40
