"""Operator stock changes: always ledger adjustments, never below what placed orders hold;
and the `stock set` command."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from shop.audit.models import AuditEntry
from shop.catalog.models import Variant
from shop.core.errors import Conflict, NotFound, ShopError
from shop.inventory.models import StockMovement
from shop.inventory.selectors import variant_availability
from shop.inventory.services import stock_adjust, stock_set
from tests.builders import a_variant, a_warehouse, ledger_matches_levels, stock_of
from tests.shop.builders import place, stocked

pytestmark = pytest.mark.django_db


def test_stock_set_without_a_warehouse_gives_the_default_all_and_the_others_none():
    stocked("TEE-M", MAD=2, BCN=5)

    levels = stock_set(sku="TEE-M", quantity=7, warehouse_code=None, actor="cli")

    assert [(lv.warehouse.code, lv.available) for lv in levels] == [("MAD", 7), ("BCN", 0)]
    assert ledger_matches_levels()
    assert set(StockMovement.objects.values_list("kind", "actor", "reason")) == {
        ("adjustment", "test", "stock set"), ("adjustment", "cli", "stock set")}


def test_stock_set_makes_available_the_quantity_and_keeps_what_orders_reserved():
    stocked("TEE-M", MAD=5)
    place({"TEE-M": 2})

    stock_set(sku="TEE-M", quantity=1, warehouse_code="MAD", actor="cli")

    assert stock_of("TEE-M") == [("MAD", 3, 2)]
    variant_id = Variant.objects.get(sku="TEE-M").pk
    assert variant_availability(variant_ids=[variant_id, 999999]) == {variant_id: 1, 999999: 0}
    assert ledger_matches_levels()


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"sku": "NOPE", "quantity": 1, "warehouse_code": None}, NotFound, "there is no SKU 'NOPE'"),
    ({"sku": "TEE-M", "quantity": 1, "warehouse_code": "XYZ"}, NotFound,
     "there is no warehouse 'XYZ'"),
    ({"sku": "TEE-M", "quantity": -1, "warehouse_code": None}, ShopError,
     "the quantity must be a whole number, zero or more"),
])
def test_stock_set_refuses_what_it_cannot_do(kwargs, error, message):
    stocked("TEE-M", MAD=2)

    with pytest.raises(error) as refused:
        stock_set(**kwargs, actor="cli")

    assert str(refused.value) == message
    assert stock_of("TEE-M") == [("MAD", 2, 0)]


def test_an_adjustment_is_a_delta_recorded_in_the_ledger_and_audited(manager):
    stocked("TEE-M", MAD=5)

    level = stock_adjust(sku="TEE-M", warehouse_code="MAD", delta=-2, reason="counted",
                         actor=manager)

    assert (level.on_hand, level.reserved, level.warehouse.code) == (3, 0, "MAD")
    assert ledger_matches_levels()
    audit = AuditEntry.objects.get(action="stock.adjust")
    assert (audit.actor, audit.entity, audit.entity_id) == (
        "manager@tienda.local", "stock", "TEE-M@MAD")
    assert (audit.before, audit.after) == (
        {"on_hand": 5, "reserved": 0},
        {"on_hand": 3, "reserved": 0, "delta": -2, "reason": "counted"})


def test_an_adjustment_below_what_is_reserved_is_a_conflict_and_changes_nothing(manager):
    stocked("TEE-M", MAD=5)
    place({"TEE-M": 4})

    with pytest.raises(Conflict) as refused:
        stock_adjust(sku="TEE-M", warehouse_code="MAD", delta=-2, reason="counted",
                     actor=manager)

    assert str(refused.value) == ("on hand would become 3, below the 4 reserved for placed "
                                  "orders in MAD")
    assert stock_of("TEE-M") == [("MAD", 5, 4)]
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize(("delta", "reason", "message"), [
    (0, "counted", "delta must be a whole number other than zero"),
    (1, "  ", "a reason of 1 to 300 characters is required"),
    (1, "x" * 301, "a reason of 1 to 300 characters is required"),
])
def test_an_adjustment_needs_a_delta_and_a_reason(manager, delta, reason, message):
    stocked("TEE-M", MAD=5)

    with pytest.raises(ShopError, match=rf"^{message}$"):
        stock_adjust(sku="TEE-M", warehouse_code="MAD", delta=delta, reason=reason,
                     actor=manager)


def test_an_adjustment_in_a_warehouse_without_a_level_starts_one():
    a_warehouse("MAD")
    a_warehouse("BCN")
    a_variant("NEW-1")

    stock_adjust(sku="NEW-1", warehouse_code="BCN", delta=4, reason="first delivery",
                 actor="system")

    assert stock_of("NEW-1") == [("BCN", 4, 0)]
    assert ledger_matches_levels()


def test_the_stock_set_command_reports_what_it_did():
    stocked("TEE-M", MAD=1)
    out = StringIO()

    call_command("stock", "set", "TEE-M", "9", "--warehouse", "BCN", stdout=out)

    assert out.getvalue() == "TEE-M: available 9 in BCN (MAD 1, BCN 9)\n"
    assert stock_of("TEE-M") == [("MAD", 1, 0), ("BCN", 9, 0)]


@pytest.mark.django_db(transaction=True)
def test_the_stock_set_command_refuses_an_unknown_sku_in_one_line_with_status_1():
    a_warehouse("MAD")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings.test", "TIENDA_TEST_CHILD": "1"}

    done = subprocess.run([sys.executable, "manage.py", "stock", "set", "NOPE", "3"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)

    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "stock set: there is no SKU 'NOPE'\n"


def test_the_database_refuses_more_reserved_than_on_hand_and_edits_of_the_ledger():
    from django.db import DatabaseError, IntegrityError, transaction
    from django.db.models import F

    from shop.inventory.models import StockLevel

    stocked("TEE-M", MAD=2)

    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(variant__sku="TEE-M").update(reserved=F("on_hand") + 1)
    with pytest.raises(DatabaseError, match="stock_movements is append-only"), \
            transaction.atomic():
        StockMovement.objects.update(reason="rewritten")

    assert stock_of("TEE-M") == [("MAD", 2, 0)]
    assert ledger_matches_levels()
