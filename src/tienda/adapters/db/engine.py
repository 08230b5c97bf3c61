"""Engines for the transactional database: SQLite (WAL) locally, PostgreSQL on Azure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

from tienda.config import Settings

ENTRA_SCOPE = "https://ossrdbms-aad.database.windows.net/.default"


def build_engine(settings: Settings, *, read_only: bool = False) -> Engine:
    """The engine for ``settings``. On SQLite a writing engine takes the write lock when a
    transaction begins; a ``read_only`` one does not, so readers never queue behind writers."""
    url = settings.sqlalchemy_url
    if url.startswith("sqlite"):
        return _sqlite_engine(url, immediate=not read_only)
    engine = create_engine(
        url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_pool_size,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 5},
    )
    if settings.database_auth == "entra":
        _use_entra_tokens(engine, settings.storage_client_id)
    return engine


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    path = url.removeprefix("sqlite:///")
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # Each connection is cheap; NullPool avoids sharing one across threads and keeps WAL
    # readers from pinning old snapshots.
    engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit off at the driver level so that BEGIN IMMEDIATE below is ours to issue.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # A deferred transaction that later upgrades to write fails with SQLITE_BUSY without
        # waiting, turning contention into errors; writers therefore lock at BEGIN.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _use_entra_tokens(engine: Engine, client_id: str) -> None:
    from azure.identity import DefaultAzureCredential

    credential = DefaultAzureCredential(managed_identity_client_id=client_id or None)

    @event.listens_for(engine, "do_connect")
    def _token_as_password(_dialect: Any, _rec: Any, _args: Any, kwargs: dict[str, Any]) -> None:
        kwargs["password"] = credential.get_token(ENTRA_SCOPE).token
