"""Tests: the storefront settings with a fast hasher, a scratch data directory, and a database
chosen by TIENDA_TEST_DATABASE (sqlite, the default, or postgresql).

The Azurite and SMTP ports are chosen here, once, and written into the environment, so the
fixtures that start those servers (tests/conftest.py) and any worker process a test starts all
agree on them."""

import os
import socket
import tempfile


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if "TIENDA_TEST_RUN_DIR" not in os.environ:
    from shop.settings.storage import azurite_connection_string

    os.environ["TIENDA_TEST_RUN_DIR"] = tempfile.mkdtemp(prefix="tienda-test-")
    os.environ["TIENDA_ENVIRONMENT"] = "test"
    os.environ["TIENDA_DATA_DIR"] = os.environ["TIENDA_TEST_RUN_DIR"]
    os.environ["TIENDA_STORAGE_CONNECTION_STRING"] = azurite_connection_string(
        blob_port=_free_port(), queue_port=_free_port())
    os.environ["TIENDA_SMTP_PORT"] = str(_free_port())
    os.environ["TIENDA_WAREHOUSE_URL"] = (
        f"duckdb:///{os.environ['TIENDA_TEST_RUN_DIR']}/warehouse.duckdb")

from shop.settings.storefront import *  # noqa: E402,F403
from shop.settings.storefront import DATA_DIR, DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests serve static files from the apps (no collectstatic manifest to build first).
STORAGES = {**STORAGES,  # noqa: F405
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = True
# Tests change the catalog and read it back at once: look at the catalog version every time.
CATALOG_VERSION_RECHECK_SECONDS = 0
TEST_DATABASE = os.environ.get("TIENDA_TEST_DATABASE", "sqlite")
if TEST_DATABASE == "postgresql":
    from shop.settings.databases import database_settings

    DATABASES = {"default": database_settings(os.environ.get(
        "TIENDA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))}
    # One test database per run, so several runs on one server never collide.
    _RUN = os.path.basename(os.environ["TIENDA_TEST_RUN_DIR"]).replace("-", "_").lower()
    DATABASES["default"]["TEST"] = {"NAME": _RUN}
else:
    # A file, not :memory:, so threads and worker processes in the tests share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
# A process a test starts (a worker, a server) inherits the environment of the run and, with
# TIENDA_TEST_CHILD=1, opens the run's test database directly.
if os.environ.get("TIENDA_TEST_CHILD") == "1":
    DATABASES["default"]["NAME"] = DATABASES["default"]["TEST"]["NAME"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
