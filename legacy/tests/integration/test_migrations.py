"""Alembic migrations, up and down, on SQLite and PostgreSQL; the schema matches tables.py."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tienda.adapters.db import migrate
from tienda.adapters.db.engine import build_engine
from tienda.adapters.db.search import SEARCH_OBJECTS, include_object
from tienda.adapters.db.tables import metadata, stock_levels, stock_movements, variants
from tienda.config import load_settings

HEAD = "0007"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'm.db'}"
    else:
        url = request.getfixturevalue("fresh_postgres_url")
    engine = build_engine(load_settings(database_url=url))
    yield engine
    engine.dispose()


def test_upgrade_creates_every_table_and_downgrade_removes_them(empty_engine):
    migrate.upgrade(empty_engine)
    assert migrate.current_revision(empty_engine) == HEAD
    assert set(sa.inspect(empty_engine).get_table_names()) - SEARCH_OBJECTS == {
        *metadata.tables, "alembic_version"}

    migrate.downgrade(empty_engine)

    assert migrate.current_revision(empty_engine) is None
    assert sa.inspect(empty_engine).get_table_names() == ["alembic_version"]
    migrate.upgrade(empty_engine)
    assert migrate.current_revision(empty_engine) == HEAD


def test_the_migrated_schema_matches_the_query_tables(empty_engine):
    migrate.upgrade(empty_engine)

    with empty_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        differences = compare_metadata(context, metadata)

    assert differences == []


def _a_variant_in_a_warehouse(conn) -> None:
    conn.exec_driver_sql("INSERT INTO categories (id, slug, name_es, name_en) "
                         "VALUES (1, 'c', 'C', 'C')")
    conn.exec_driver_sql("INSERT INTO products (id, category_id, slug, name_es, name_en) "
                         "VALUES (1, 1, 'p', 'P', 'P')")
    conn.execute(variants.insert().values(id=1, product_id=1, sku="S-1", attributes={},
                                          price_minor=100, currency="EUR"))
    conn.exec_driver_sql("INSERT INTO warehouses (id, code, name) VALUES (1, 'MAD', 'Madrid')")


@pytest.mark.parametrize(("on_hand", "reserved"), [(5, 6), (5, -1), (-1, 0)])
def test_stock_check_constraints_refuse_impossible_levels(empty_engine, on_hand, reserved):
    migrate.upgrade(empty_engine)
    with empty_engine.begin() as conn:
        _a_variant_in_a_warehouse(conn)

    with pytest.raises(sa.exc.IntegrityError), empty_engine.begin() as conn:
        conn.execute(stock_levels.insert().values(variant_id=1, warehouse_id=1,
                                                  on_hand=on_hand, reserved=reserved))


def test_the_stock_ledger_is_append_only(empty_engine):
    migrate.upgrade(empty_engine)
    with empty_engine.begin() as conn:
        _a_variant_in_a_warehouse(conn)
        conn.execute(stock_movements.insert().values(variant_id=1, warehouse_id=1,
                                                     kind="receipt", on_hand_delta=10))

    for statement in (stock_movements.update().values(on_hand_delta=99),
                      stock_movements.delete()):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), \
                empty_engine.begin() as conn:
            conn.execute(statement)

    with empty_engine.connect() as conn:
        assert conn.execute(sa.select(stock_movements.c.on_hand_delta)).scalars().all() == [10]
