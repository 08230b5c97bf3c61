"""Warehouses for the analytics tests: a DuckDB file, or a scratch PostgreSQL database on
127.0.0.1:5432 created here and dropped afterwards. The source database is the run's test
database (SQLite, or PostgreSQL with TIENDA_TEST_DATABASE=postgresql)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics.warehouse import connect
from tests.analytics.builders import Shop, warehouse_rows
from tests.conftest import missing_service

POSTGRES_ADMIN = os.environ.get("TIENDA_TEST_POSTGRES_URL",
                                "postgresql://postgres@127.0.0.1:5432/postgres")


def _admin():  # type: ignore[no-untyped-def]
    import psycopg

    try:
        return psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        missing_service(f"PostgreSQL for the warehouse tests is not reachable: {exc}")


class WarehouseFactory:
    """Creates empty warehouses of one kind; drops the PostgreSQL ones at the end."""

    def __init__(self, kind: str, tmp_path: Path) -> None:
        self.kind, self.tmp_path = kind, tmp_path
        self.created: list[str] = []

    def __call__(self) -> str:
        if self.kind == "duckdb":
            return f"duckdb:///{self.tmp_path / f'wh-{uuid.uuid4().hex[:8]}.duckdb'}"
        name = f"tienda_wh_{uuid.uuid4().hex[:12]}"
        with _admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"

    def drop_all(self) -> None:
        if not self.created:
            return
        with _admin() as admin:
            for name in self.created:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["duckdb", "postgresql"])
def new_warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[WarehouseFactory]:
    factory = WarehouseFactory(request.param, tmp_path)
    yield factory
    factory.drop_all()


@pytest.fixture
def warehouse_url(new_warehouse: WarehouseFactory) -> str:
    return new_warehouse()


@pytest.fixture
def shop(transactional_db: None) -> Shop:
    return Shop().catalog()


class WarehouseReader:
    """Short reads of one warehouse, each on its own connection (closed at once, so DuckDB's
    single writer is free for the next run)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        wh = connect(self.url)
        try:
            return wh.rows(sql, params)
        finally:
            wh.close()

    def snapshot(self) -> dict:
        wh = connect(self.url)
        try:
            return warehouse_rows(wh)
        finally:
            wh.close()


@pytest.fixture
def warehouse(warehouse_url: str) -> WarehouseReader:
    return WarehouseReader(warehouse_url)
