"""The schema the migrations build: every model has its table, nothing is left to migrate,
migrations go down and up again, and the database itself refuses impossible stock."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from shop.inventory.models import StockLevel, StockMovement
from tests.builders import a_variant, a_warehouse

OUR_APPS = ["workers", "backoffice", "audit", "payments", "checkout", "inventory", "orders",
            "customers", "catalog", "users"]


def _our_tables() -> set[str]:
    return {model._meta.db_table for label in OUR_APPS
            for model in apps.get_app_config(label).get_models() if model._meta.managed}


@pytest.mark.django_db
def test_the_models_need_no_new_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_every_migration_goes_down_and_up_again():
    assert _our_tables() <= set(connection.introspection.table_names())

    for label in OUR_APPS:
        call_command("migrate", label, "zero", verbosity=0)
    assert not _our_tables() & set(connection.introspection.table_names())

    call_command("migrate", verbosity=0)
    assert _our_tables() <= set(connection.introspection.table_names())


@pytest.mark.django_db
@pytest.mark.parametrize(("on_hand", "reserved"), [(5, 6), (5, -1), (-1, 0)])
def test_the_database_refuses_impossible_stock_levels(on_hand, reserved):
    variant, warehouse = a_variant(), a_warehouse("MAD")

    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.create(variant=variant, warehouse=warehouse, on_hand=on_hand,
                                  reserved=reserved)


@pytest.mark.django_db
def test_the_stock_ledger_is_append_only():
    movement = StockMovement.objects.create(variant=a_variant(), warehouse=a_warehouse("MAD"),
                                            kind="receipt", on_hand_delta=10)

    for change in (lambda: StockMovement.objects.filter(pk=movement.pk).update(on_hand_delta=99),
                   lambda: StockMovement.objects.filter(pk=movement.pk).delete()):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()

    assert list(StockMovement.objects.values_list("on_hand_delta", flat=True)) == [10]
