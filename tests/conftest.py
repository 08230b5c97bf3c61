"""Real services for the tests: Azurite and the SMTP capture on the ports shop.settings.test
chose, and helpers to wait for an outcome.

PostgreSQL runs are the same suite with TIENDA_TEST_DATABASE=postgresql (see the Makefile).
Where Azurite cannot start, tests that need it are skipped with a loud reason; under CI
(`CI=true`) they fail instead, so a green CI always means they ran."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
AZURITE = ROOT / "node_modules" / ".bin" / "azurite"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
T = TypeVar("T")


def missing_service(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (mandatory under CI)", pytrace=False)
    pytest.skip(f"SKIPPED LOUDLY: {reason}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, deadline_s: float = 30.0) -> None:
    poll(lambda: _listening(port), deadline_s, f"something to listen on port {port}")


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def poll[T](condition: Callable[[], T], seconds: float, what: str) -> T:
    """The first truthy value of `condition`; fails naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds}s waiting for {what}")
        time.sleep(0.05)


# --- Azurite --------------------------------------------------------------------------------

class Azurite:
    """The private Azurite of this test run, on the ports in the settings; tests may stop it
    and start it again (Azurite down during checkout)."""

    def __init__(self, location: Path) -> None:
        ports = dict(re.findall(r"(Blob|Queue)Endpoint=http://127\.0\.0\.1:(\d+)",
                                settings.STORAGE_CONNECTION_STRING))
        self.blob_port, self.queue_port = int(ports["Blob"]), int(ports["Queue"])
        self.location = location
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(AZURITE), "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
             "--inMemoryPersistence", "--blobHost", "127.0.0.1",
             "--blobPort", str(self.blob_port), "--queueHost", "127.0.0.1",
             "--queuePort", str(self.queue_port), "--tablePort", str(free_port())],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.blob_port)
        wait_for_port(self.queue_port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    if not AZURITE.exists() or shutil.which("node") is None:
        missing_service(f"Azurite is not installed at {AZURITE} (run `make install`)")
    process = Azurite(tmp_path_factory.mktemp("azurite"))
    process.start()
    from shop.notifications.storage import ensure_containers
    from workers.queues import ensure_queues

    ensure_queues()
    ensure_containers()
    yield process
    process.stop()


@pytest.fixture
def empty_queues(azurite):  # type: ignore[no-untyped-def]
    """Every queue and poison queue of the run, emptied: tests share one Azurite, and a worker
    must not meet messages an earlier test left behind."""
    from workers import queues

    for name in settings.QUEUES:
        queues.queue_client(name).clear_messages()
        queues.queue_client(queues.poison_name(name)).clear_messages()
    return azurite


# --- SMTP capture -----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def smtp_capture() -> Iterator[Path]:
    """The SMTP capture on the configured mailer's port; yields the folder the .eml files land
    in. (The test run swaps the mailer for Django's in-memory one; `mailbox` puts SMTP back.)"""
    from shop.notifications.capture import start_capture
    from shop.settings.base import MAILERS

    port = MAILERS["default"]["OPTIONS"]["port"]
    controller = start_capture(settings.MAIL_CAPTURE_DIR, "127.0.0.1", port)
    yield settings.MAIL_CAPTURE_DIR
    controller.stop()


@pytest.fixture
def mailbox(smtp_capture: Path, settings):  # type: ignore[no-untyped-def]
    """Mail goes out over SMTP to the capture; returns a reader of what it captured, emptied
    before the test."""
    from shop.notifications.capture import read_mailbox
    from shop.settings.base import MAILERS

    settings.MAILERS = MAILERS
    for old in smtp_capture.glob("*.eml"):
        old.unlink()
    return lambda: read_mailbox(smtp_capture)


# --- isolation between tests ------------------------------------------------------------------

@pytest.fixture(autouse=True)
def fresh_catalog_cache():  # type: ignore[no-untyped-def]
    """Every test starts with an empty catalog cache: inside a rolled-back test the catalog
    version does not move (SQLite's counter rolls back, PostgreSQL bumps at commit), so an
    earlier test's entries would look current."""
    from django.core.cache import cache

    from shop.catalog.cache import catalog_cache

    cache.clear()
    catalog_cache.forget()
    yield
    cache.clear()
    catalog_cache.forget()


@pytest.fixture(autouse=True)
def _flushable_ledger(request):  # type: ignore[no-untyped-def]
    """A transactional test ends with a flush, which on SQLite is DELETE, which the append-only
    ledger's trigger refuses: empty the ledger with the trigger lifted and put it back.
    (PostgreSQL's flush is TRUNCATE, which row triggers do not see.)"""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction"))
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    from importlib import import_module

    create, drop = import_module("shop.inventory.migrations.0003_ledger_append_only").SQL["sqlite"]
    with connection.cursor() as cursor:
        for statement in [*drop, "DELETE FROM stock_movements", *create]:
            cursor.execute(statement)
