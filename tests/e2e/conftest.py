"""A live shop for the browser: the storefront under gunicorn (2 workers, as deployed) and
`manage.py runworker` as child processes on the run's test database, Azurite, the SMTP
capture, a small seeded demo catalogue, and the session's Chromium (tests/e2e/browser.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import free_port, poll
from tests.e2e.browser import ASYNC_UNSAFE, ROOT, chromium_browser  # noqa: F401 - the fixture, for this folder

# The worker looks at its queues often and sweeps the outbox every second: the journey waits
# for a confirmation, not for polling intervals.
FAST_WORKER = {"TIENDA_WORKER_RETRY_DELAY_SECONDS": "0",
               "TIENDA_WORKER_IDLE_POLL_SECONDS": "0.05", "TIENDA_OUTBOX_SWEEP_SECONDS": "1"}


@dataclass(frozen=True)
class LiveShop:
    base: str
    mailbox: Callable[[], list]


def child_env(**extra: str) -> dict[str, str]:
    """This run's environment for a process that opens the run's test database."""
    env = {name: value for name, value in os.environ.items() if name != ASYNC_UNSAFE}
    return {**env, "DJANGO_SETTINGS_MODULE": "tests.e2e.settings", "TIENDA_TEST_CHILD": "1",
            "PYTHONPATH": str(ROOT), **FAST_WORKER, **extra}


@contextmanager
def child(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """A process in its own session, stopped with SIGTERM (SIGKILL if it lingers) after."""
    with log.open("wb") as out:
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # gunicorn's workers and the worker's helpers too
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _healthy(base: str, gunicorn: subprocess.Popen, log: Path) -> bool:
    if gunicorn.poll() is not None:
        raise AssertionError(f"gunicorn exited with {gunicorn.returncode}:\n"
                             + log.read_text(errors="replace")[-3000:])
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def demo_shop(azurite) -> None:  # type: ignore[no-untyped-def]
    """A small deterministic demo shop (pictures in Azurite, labels in both languages)."""
    from shop.catalog.demo.seed import seed_demo_shop

    seed_demo_shop(seed=7, products=30, customers=10, orders=30)


@contextmanager
def storefront_and_worker(mailbox: Callable[[], list], logs: Path) -> Iterator[LiveShop]:
    """gunicorn of the storefront and the worker on the run's test database, for any suite
    that needs the shop running (the staff journeys too); stopped on exit, and their logs (in
    `logs`) must then hold no traceback."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = child_env(TIENDA_BIND=f"127.0.0.1:{port}", TIENDA_WEB_WORKERS="2",
                    TIENDA_PUBLIC_BASE_URL=base)
    web_log, worker_log = logs / "gunicorn.log", logs / "worker.log"
    with ExitStack() as stack:
        gunicorn = stack.enter_context(child(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "shop/gunicorn_conf.py",
             "shop.wsgi"], env, web_log))
        stack.enter_context(child([sys.executable, "manage.py", "runworker"], env,
                                  worker_log))
        poll(lambda: _healthy(base, gunicorn, web_log), 60, "the storefront to answer")
        poll(lambda: "worker: queues" in worker_log.read_text(errors="replace"), 60,
             "the worker to start")
        yield LiveShop(base, mailbox)
    for log in (web_log, worker_log):
        assert "Traceback" not in log.read_text(errors="replace"), log.read_text()[-3000:]


@pytest.fixture
def live_shop(demo_shop, empty_queues, mailbox, tmp_path) -> Iterator[LiveShop]:  # type: ignore[no-untyped-def]
    """The storefront's base URL and the mailbox reader; gunicorn and the worker are stopped
    afterwards, and their logs must hold no traceback."""
    with storefront_and_worker(mailbox, tmp_path) as shop:
        yield shop
