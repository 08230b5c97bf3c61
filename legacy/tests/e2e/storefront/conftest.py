"""A real shop for the browser: uvicorn on a free port, the worker host, the SMTP capture,
a small demo catalog, and Debian's Chromium."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from tests.conftest import free_port, wait_for_port
from tests.integration.workers.test_functions_host import FAST, running_host
from tienda.adapters.db.demo_shop import seed_demo_shop
from tienda.bootstrap import bootstrap
from tienda.entrypoints.frontoffice.app import create_app


@pytest.fixture
def live_shop(settings, smtp_capture) -> Iterator[tuple[str, Path, object]]:
    """(base URL, mailbox directory, tienda) of a running shop with its worker."""
    port, mailbox = smtp_capture
    web_port = free_port()
    shop_settings = settings.model_copy(update={
        "smtp_port": port, "public_base_url": f"http://127.0.0.1:{web_port}", **FAST})
    tienda = bootstrap(shop_settings)
    tienda.ensure_storage()
    seed_demo_shop(tienda.engine, tienda.blobs, shop_settings, seed=7, products=30,
                   customers=10, orders=30)
    server = uvicorn.Server(uvicorn.Config(create_app(tienda=tienda), host="127.0.0.1",
                                           port=web_port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port(web_port)
    try:
        with running_host(tienda):
            yield f"http://127.0.0.1:{web_port}", mailbox, tienda
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        tienda.close()

