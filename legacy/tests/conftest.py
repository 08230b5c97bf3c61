"""Shared fixtures: real PostgreSQL, SQLite, Azurite and SMTP capture.

Where PostgreSQL or Azurite is missing, tests that need it are skipped with a loud reason;
under CI (``CI=true``) they fail instead, so a green CI always means they ran."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tienda.adapters.db import migrate
from tienda.adapters.db.engine import build_engine
from tienda.adapters.db.tables import metadata
from tienda.config import Settings, azurite_connection_string, load_settings

ROOT = Path(__file__).resolve().parents[2]
AZURITE = ROOT / "tools" / "node_modules" / ".bin" / "azurite"
POSTGRES_URL = os.environ.get(
    "TIENDA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing_service(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (mandatory under CI)", pytrace=False)
    pytest.skip(f"SKIPPED LOUDLY: {reason}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, deadline_s: float = 30.0) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port} after {deadline_s}s")


# --- PostgreSQL ---------------------------------------------------------------------------

def _admin_engine() -> sa.Engine:
    url = POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[sa.Engine]:
    admin = _admin_engine()
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        missing_service(f"PostgreSQL at {POSTGRES_URL} does not answer: {exc.orig}")
    yield admin
    admin.dispose()


@pytest.fixture
def fresh_postgres_url(postgres_server: sa.Engine) -> Iterator[str]:
    """A new, empty database for one test; dropped afterwards."""
    name = f"tienda_test_{uuid.uuid4().hex[:12]}"
    with postgres_server.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    with postgres_server.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def migrated_postgres_url(postgres_server: sa.Engine) -> Iterator[str]:
    """One migrated database for the session; ``database`` empties it before each test."""
    name = f"tienda_test_{uuid.uuid4().hex[:12]}"
    with postgres_server.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    engine = build_engine(load_settings(database_url=url))
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with postgres_server.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _truncate_all(engine: sa.Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty transactional database: every database test runs on both."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'tienda.db'}"
        engine = build_engine(load_settings(database_url=url))
        migrate.upgrade(engine)
        engine.dispose()
        return url
    url: str = request.getfixturevalue("migrated_postgres_url")
    engine = build_engine(load_settings(database_url=url))
    _truncate_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = build_engine(load_settings(database_url=database_url))
    yield engine
    engine.dispose()


# --- Azurite ------------------------------------------------------------------------------

class AzuriteProcess:
    """A private Azurite on free ports, which tests may stop and start again."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self.blob_port, self.queue_port = free_port(), free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def connection_string(self) -> str:
        return azurite_connection_string("127.0.0.1", self.blob_port, self.queue_port)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(AZURITE), "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
             "--location", str(self.location), "--blobHost", "127.0.0.1",
             "--blobPort", str(self.blob_port), "--queueHost", "127.0.0.1",
             "--queuePort", str(self.queue_port), "--tablePort", str(free_port())],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.blob_port)
        wait_for_port(self.queue_port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AzuriteProcess]:
    if not AZURITE.exists() or shutil.which("node") is None:
        missing_service(f"Azurite is not installed at {AZURITE} (run `make install`)")
    process = AzuriteProcess(tmp_path_factory.mktemp("azurite"))
    process.start()
    yield process
    process.stop()


@pytest.fixture
def settings(database_url: str, azurite: AzuriteProcess, tmp_path: Path) -> Settings:
    """Settings for a test that uses the database and storage: unique queue names so tests
    never see each other's messages."""
    return scratch_settings(tmp_path, database_url, azurite)


def scratch_settings(root: Path, database_url: str, azurite: AzuriteProcess,
                     **overrides: object) -> Settings:
    """Test settings under ``root``, with queue and container names of their own."""
    suffix = uuid.uuid4().hex[:8]
    return load_settings(**{
        "environment": "test", "data_dir": root / "data", "database_url": database_url,
        "warehouse_url": f"duckdb:///{root / 'warehouse.duckdb'}",
        "storage_connection_string": azurite.connection_string,
        "queue_order_confirmation": f"order-confirmation-{suffix}",
        "queue_notifications": f"notifications-{suffix}",
        "queue_inventory_jobs": f"inventory-jobs-{suffix}",
        "container_media": f"media-{suffix}", "container_invoices": f"invoices-{suffix}",
        "container_imports": f"imports-{suffix}", **overrides})


# --- SMTP capture -------------------------------------------------------------------------

@pytest.fixture
def smtp_capture(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    from tienda.adapters.mail.capture import start_capture

    port, directory = free_port(), tmp_path / "mail"
    controller = start_capture(directory, "127.0.0.1", port)
    yield port, directory
    controller.stop()


# --- the application ----------------------------------------------------------------------

@pytest.fixture
def tienda(settings: Settings):
    from tienda.bootstrap import bootstrap

    app = bootstrap(settings)
    app.ensure_storage()
    yield app
    app.close()


@pytest.fixture
def storefront(tienda):
    from fastapi.testclient import TestClient

    from tienda.entrypoints.frontoffice.app import create_app

    with TestClient(create_app(tienda=tienda)) as client:
        yield client
