"""The staff SPA in a real Chromium, served as production serves it: `npm run build` output in
backoffice/spa/dist, gunicorn of `shop.settings.backoffice` (its middleware, WhiteNoise root,
Strict cookies, Argon2) on a free port, on the run's test database, with Azurite for the
queues. The API and the SPA share that one origin."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection
from playwright.sync_api import expect

from tests.backoffice.api.builders import World, build_world, email_of
from tests.conftest import free_port, missing_service, poll
from tests.e2e.browser import ASYNC_UNSAFE, ROOT, chromium_browser  # noqa: F401 - the fixture
from tests.e2e.conftest import LiveShop, storefront_and_worker

SPA = ROOT / "backoffice" / "spa"
DIST_INDEX = SPA / "dist" / "index.html"
# What the build reads: a change to any of these makes dist/ stale.
SPA_SOURCES = ("src", "index.html", "vite.config.ts", "package.json", "tsconfig.json")
PASSWORD = "a-long-staff-password-for-e2e"


@dataclass(frozen=True)
class Backoffice:
    base: str
    log: Path


def _newest_source() -> float:
    newest = 0.0
    for name in SPA_SOURCES:
        path = SPA / name
        files = path.rglob("*") if path.is_dir() else [path]
        newest = max([newest, *(f.stat().st_mtime for f in files if f.is_file())])
    return newest


@pytest.fixture(scope="session")
def spa_dist() -> Path:
    """backoffice/spa/dist, built now unless it is newer than every source file."""
    if DIST_INDEX.exists() and DIST_INDEX.stat().st_mtime >= _newest_source():
        return DIST_INDEX.parent
    if not (SPA / "node_modules" / ".bin" / "vite").exists() or shutil.which("npm") is None:
        missing_service("the SPA's dependencies are not installed (run `npm ci` in backoffice/spa)")
    build = subprocess.run(["npm", "run", "build"], cwd=SPA, capture_output=True, text=True,
                           timeout=600, check=False)
    assert build.returncode == 0, f"npm run build failed:\n{build.stdout}\n{build.stderr}"
    return DIST_INDEX.parent


def _database_url() -> str:
    """The run's test database, for a process that is not the test run."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _stop(process: subprocess.Popen) -> None:
    process.terminate()  # gunicorn's master stops its workers
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def backoffice(spa_dist, azurite, django_db_setup, tmp_path_factory) -> Iterator[Backoffice]:  # type: ignore[no-untyped-def]
    """gunicorn of the backoffice deployment (2 workers, as deployed); its log must hold no
    traceback when the module is done."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("backoffice") / "gunicorn.log"
    env = {**{k: v for k, v in os.environ.items() if k != ASYNC_UNSAFE},
           "DJANGO_SETTINGS_MODULE": "shop.settings.backoffice", "TIENDA_TEST_CHILD": "1",
           "TIENDA_DATABASE_URL": _database_url(), "TIENDA_DATABASE_CONN_MAX_AGE": "0",
           "TIENDA_BIND": f"127.0.0.1:{port}", "TIENDA_WEB_WORKERS": "2",
           "PYTHONPATH": str(ROOT)}
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "shop/gunicorn_conf.py",
             "shop.wsgi"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        poll(lambda: _serving_spa(base, server, log), 60, "the backoffice to serve the SPA")
        yield Backoffice(base, log)
    finally:
        _stop(server)
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]


def _serving_spa(base: str, server: subprocess.Popen, log: Path) -> bool:
    import urllib.request

    if server.poll() is not None:
        raise AssertionError(f"gunicorn exited with {server.returncode}:\n"
                             + log.read_text(errors="replace")[-3000:])
    try:
        with urllib.request.urlopen(f"{base}/orders", timeout=5) as response:
            return response.status == 200 and b'id="root"' in response.read()
    except OSError:
        return False


@pytest.fixture
def storefront(backoffice, empty_queues, mailbox, tmp_path) -> Iterator[LiveShop]:  # type: ignore[no-untyped-def]
    """The rest of the shop beside the backoffice, on the same database and queues: the
    storefront's gunicorn (its base URL) and the worker that confirms orders and sends the
    e-mails (`mailbox()` reads what it sent)."""
    with storefront_and_worker(mailbox, tmp_path) as live:
        yield live


@pytest.fixture
def shop(transactional_db) -> World:  # type: ignore[no-untyped-def]
    """A staff member of every role who can sign in to the deployment (its Argon2 hasher does
    not read the test settings' fast hashes), a product with stock, a customer."""
    world = build_world()
    hasher = Argon2PasswordHasher()
    for user in world.staff.values():
        user.password = hasher.encode(PASSWORD, hasher.salt())
        user.save(update_fields=["password"])
    return world


@pytest.fixture
def browser_context(chromium_browser) -> Iterator[Any]:  # type: ignore[no-untyped-def]  # noqa: F811
    context = chromium_browser.new_context(locale="en-GB", timezone_id="Europe/Madrid",
                                           viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    expect.set_options(timeout=20_000)  # a loaded 2-core CI machine, not 5 s
    refused: list[str] = []
    context.on("console", lambda message: refused.append(
        f"{message.location.get('url')}: {message.text}")
        if "Content Security Policy" in message.text else None)
    yield context
    context.close()
    # The deployment's CSP must let the SPA run and style itself (the nonce in index.html).
    assert refused == []


def sign_in(page: Any, backoffice: Backoffice, role: str) -> None:
    page.goto(f"{backoffice.base}/")
    page.get_by_test_id("sign-in-email").fill(email_of(role))
    page.get_by_test_id("sign-in-password").fill(PASSWORD)
    page.get_by_test_id("sign-in-submit").click()
    expect(page.get_by_test_id("signed-in-role")).to_have_text(role)


def csrf_header(page: Any) -> dict[str, str]:
    """The header the SPA sends on writes, from the cookie the API set."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "tienda_staff_csrf")
    return {"X-CSRFToken": token}
