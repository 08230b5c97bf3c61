"""The `tienda` command line as an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys

import sqlalchemy as sa

from tests.builders import ledger_matches_levels, make_shop, stock_of
from tienda.adapters.db.engine import build_engine
from tienda.config import load_settings


def tienda_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIENDA_DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "tienda", *args], env=env, text=True,
                          capture_output=True, timeout=120)


def test_stock_set_makes_the_quantity_available_through_the_ledger(database_url):
    engine = build_engine(load_settings(database_url=database_url))
    make_shop(engine, {"TEE-M": 5}, second_warehouse={"TEE-M": 3})

    everywhere = tienda_cli("stock", "set", "TEE-M", "10", database_url=database_url)
    in_bcn = tienda_cli("stock", "set", "TEE-M", "2", "--warehouse", "BCN",
                        database_url=database_url)

    assert everywhere.returncode == 0, everywhere.stderr
    assert in_bcn.returncode == 0, in_bcn.stderr
    assert stock_of(engine, 1) == [(1, 10, 0), (2, 2, 0)]
    assert ledger_matches_levels(engine)
    engine.dispose()


def test_stock_set_refuses_unknown_skus_and_warehouses_with_one_line(database_url):
    engine = build_engine(load_settings(database_url=database_url))
    make_shop(engine, {"TEE-M": 5})

    unknown_sku = tienda_cli("stock", "set", "NOPE", "1", database_url=database_url)
    unknown_wh = tienda_cli("stock", "set", "TEE-M", "1", "--warehouse", "XXX",
                            database_url=database_url)
    negative = tienda_cli("stock", "set", "TEE-M", "-1", database_url=database_url)

    assert (unknown_sku.returncode, unknown_sku.stderr) == (1, "error: there is no SKU 'NOPE'\n")
    assert unknown_wh.returncode == 1
    assert unknown_wh.stderr == "error: there is no warehouse 'XXX'; known: MAD, BCN\n"
    assert negative.returncode == 2
    assert stock_of(engine, 1) == [(1, 5, 0), (2, 0, 0)]
    engine.dispose()


def test_staff_create_validates_and_refuses_duplicates(database_url):
    args = ("staff", "create", "Ana@Example.com", "--role", "manager",
            "--password", "a-long-password")

    first = tienda_cli(*args, database_url=database_url)
    again = tienda_cli(*args, database_url=database_url)
    bad_role = tienda_cli("staff", "create", "b@example.com", "--role", "boss", "--password",
                          "a-long-password", database_url=database_url)

    assert first.returncode == 0, first.stderr
    assert again.stderr == "error: a staff account for ana@example.com already exists\n"
    assert bad_role.stderr == ("error: role must be one of admin, manager, support, viewer, "
                               "not 'boss'\n")
    engine = build_engine(load_settings(database_url=database_url))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT email, role FROM staff_users")).all() == [
            ("ana@example.com", "manager")]
    engine.dispose()
