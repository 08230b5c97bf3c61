from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tienda.config import Settings, load_settings


def new_warehouse_url(kind: str, tmp_path: Path, admin: sa.Engine | None) -> str:
    """A new, empty warehouse: a DuckDB file, or a PostgreSQL database (dropped by the
    ``warehouse_urls`` fixture)."""
    if kind == "duckdb":
        return f"duckdb:///{tmp_path / f'wh-{uuid.uuid4().hex[:8]}.duckdb'}"
    assert admin is not None
    name = f"tienda_wh_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return str(admin.url.set(database=name).render_as_string(hide_password=False)).replace(
        "postgresql+psycopg://", "postgresql://", 1)


class WarehouseFactory:
    def __init__(self, kind: str, tmp_path: Path, admin: sa.Engine | None) -> None:
        self.kind, self.tmp_path, self.admin = kind, tmp_path, admin
        self.created: list[str] = []

    def __call__(self) -> str:
        url = new_warehouse_url(self.kind, self.tmp_path, self.admin)
        self.created.append(url)
        return url

    def drop_all(self) -> None:
        if self.admin is None:
            return
        with self.admin.connect() as conn:
            for url in self.created:
                name = url.rsplit("/", 1)[1]
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["duckdb", "postgresql"])
def new_warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[WarehouseFactory]:
    admin = request.getfixturevalue("postgres_server") if request.param == "postgresql" else None
    factory = WarehouseFactory(request.param, tmp_path, admin)
    yield factory
    factory.drop_all()


@pytest.fixture
def warehouse_url(new_warehouse: WarehouseFactory) -> str:
    return new_warehouse()


@pytest.fixture
def etl_settings(database_url: str, warehouse_url: str, tmp_path: Path) -> Settings:
    return load_settings(environment="test", data_dir=tmp_path / "data",
                         database_url=database_url, warehouse_url=warehouse_url)
