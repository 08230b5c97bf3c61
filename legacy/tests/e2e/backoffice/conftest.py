"""The backoffice for the browser: the SPA built once per session against a fixed API port,
then per module the backoffice API, the frontoffice, a static server for the SPA (with the
SPA fallback), the worker host and an SMTP capture, over a seeded SQLite shop."""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import uvicorn

from tests.conftest import ROOT, free_port, missing_service, scratch_settings, wait_for_port
from tests.integration.workers.test_functions_host import FAST
from tienda.adapters.db import migrate
from tienda.adapters.db.demo_shop import seed_demo_shop
from tienda.adapters.db.engine import build_engine
from tienda.adapters.mail.capture import start_capture
from tienda.bootstrap import Tienda, bootstrap
from tienda.config import Settings
from tienda.entrypoints.workers.handlers import queue_handlers, timers
from tienda.entrypoints.workers.host import FunctionsHost

SPA = ROOT / "backoffice-ui"
VITE = SPA / "node_modules" / ".bin" / "vite"
PASSWORD = "tienda-demo"  # the demo shop's staff password
# The warehouse ETL and the stale-order sweep would race the tests' own ETL run and change
# orders under the dashboard test; the outbox relay and the queues are what the tests need.
WORKER_TIMERS = ("outbox-sweep", "worker-heartbeat")


@dataclass(frozen=True)
class Ports:
    api: int
    spa: int


@dataclass(frozen=True)
class Backoffice:
    api: str
    spa: str
    shop: str
    mailbox: Path
    tienda: Tienda

    @property
    def settings(self) -> Settings:
        return self.tienda.settings


@pytest.fixture(scope="session")
def ports() -> Ports:
    return Ports(api=free_port(), spa=free_port())


@pytest.fixture(scope="session")
def spa_dist(ports: Ports, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The production build of the SPA, talking to the API on ``ports.api``."""
    if not VITE.exists():
        missing_service(f"the SPA's dependencies are not installed ({VITE} is missing: "
                        "run `npm ci` in backoffice-ui/)")
    out = tmp_path_factory.mktemp("spa-dist")
    env = {**os.environ, "VITE_API_BASE_URL": f"http://127.0.0.1:{ports.api}"}
    build = subprocess.run([str(VITE), "build", "--outDir", str(out), "--emptyOutDir",
                            "--logLevel", "warn"], cwd=SPA, env=env, capture_output=True,
                           text=True, timeout=300, check=False)
    assert build.returncode == 0, f"vite build failed:\n{build.stdout}\n{build.stderr}"
    return out


class _SpaHandler(SimpleHTTPRequestHandler):
    """Static files, and index.html for any path that is not one (client-side routes)."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if not path.exists():
            self.path = "/index.html"
        return super().send_head()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(server: uvicorn.Server, port: int) -> Iterator[None]:
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port(port)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@contextmanager
def serving_spa(directory: Path, port: int) -> Iterator[None]:
    httpd = ThreadingHTTPServer(("127.0.0.1", port), partial(_SpaHandler, directory=str(directory)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def worker(tienda: Tienda) -> Iterator[None]:
    chosen = [t for t in timers(tienda.settings) if t.name in WORKER_TIMERS]
    host = FunctionsHost(tienda, queue_handlers(tienda.settings), chosen)
    stop = threading.Event()
    thread = threading.Thread(target=host.run, args=(stop,))
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)


def _settings(root: Path, azurite, ports: Ports, smtp_port: int, shop_port: int) -> Settings:
    return scratch_settings(root, f"sqlite:///{root / 'tienda.db'}", azurite,
                            smtp_port=smtp_port, public_base_url=f"http://127.0.0.1:{shop_port}",
                            backoffice_ui_origin=f"http://127.0.0.1:{ports.spa}", **FAST)


@pytest.fixture(scope="module")
def backoffice(chromium, spa_dist: Path, ports: Ports, azurite,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backoffice]:
    """A seeded shop (SQLite) with every server running; once per module."""
    from tienda.entrypoints.backoffice_api.app import create_app as create_api
    from tienda.entrypoints.frontoffice.app import create_app as create_shop

    root = tmp_path_factory.mktemp("backoffice-shop")
    smtp_port, shop_port, mailbox = free_port(), free_port(), root / "mail"
    settings = _settings(root, azurite, ports, smtp_port, shop_port)
    engine = build_engine(settings)
    migrate.upgrade(engine)
    engine.dispose()
    capture = start_capture(mailbox, "127.0.0.1", smtp_port)
    tienda = bootstrap(settings)
    tienda.ensure_storage()
    seed_demo_shop(tienda.engine, tienda.blobs, settings, products=20, customers=10, orders=30)
    # The API and the shop get their own Tienda: each closes it when its server stops.
    api = uvicorn.Server(uvicorn.Config(create_api(settings=settings), host="127.0.0.1",
                                        port=ports.api, log_level="warning"))
    shop = uvicorn.Server(uvicorn.Config(create_shop(tienda=bootstrap(settings)),
                                         host="127.0.0.1", port=shop_port, log_level="warning"))
    try:
        with serving(api, ports.api), serving(shop, shop_port), \
                serving_spa(spa_dist, ports.spa), worker(tienda):
            yield Backoffice(api=f"http://127.0.0.1:{ports.api}",
                             spa=f"http://127.0.0.1:{ports.spa}",
                             shop=f"http://127.0.0.1:{shop_port}", mailbox=mailbox,
                             tienda=tienda)
    finally:
        tienda.close()
        capture.stop()




@pytest.fixture
def browser_context(chromium):
    context = chromium.new_context(locale="en-GB", timezone_id="Europe/Madrid",
                                   viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    yield context
    context.close()


def sign_in(page, backoffice: Backoffice, role: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{backoffice.spa}/")
    page.get_by_test_id("sign-in-email").fill(f"{role}@tienda.local")
    page.get_by_test_id("sign-in-password").fill(PASSWORD)
    page.get_by_test_id("sign-in-submit").click()
    expect(page.get_by_test_id("signed-in-role")).to_have_text(role)
