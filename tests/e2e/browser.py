"""The one Chromium of a test session, for every browser suite (the storefront journeys here,
the staff SPA in tests/backoffice/e2e): Debian's binary driven by Playwright's sync API.

Playwright's sync API cannot start twice in one process, so the browser is a process-wide
singleton with a reference count: a suite's conftest may import the `chromium_browser`
fixture (`from tests.e2e.browser import chromium_browser`), and however many conftests
register it, one Playwright starts and it stops after the last of them."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import missing_service

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# apt may still be installing the package when the session starts.
INSTALL_WAIT_S = float(os.environ.get("TIENDA_TEST_CHROMIUM_WAIT_SECONDS", "120"))


# Playwright's sync API keeps its event loop registered as running in this thread, which
# Django's async-safety check takes for async code and so refuses every ORM call the test
# makes between two page actions. Nothing async runs while the test's code runs, so the check
# is lifted while the browser is up (Django's documented switch; children do not inherit it).
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


class _Shared:
    playwright: Any = None
    browser: Any = None
    users = 0
    async_unsafe_before: str | None = None


def _chromium_ready(deadline_s: float) -> bool:
    deadline = time.monotonic() + deadline_s
    while not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        if time.monotonic() > deadline:
            return False
        time.sleep(1)  # waiting for apt, an outside process: no event to wait on
    return True


def acquire_browser() -> Any:
    """The session's browser, launched on first use."""
    if _Shared.browser is None:
        if not _chromium_ready(INSTALL_WAIT_S):
            missing_service(f"Debian's Chromium is not at {CHROMIUM} after {INSTALL_WAIT_S:.0f}"
                            " s (apt-get install -y chromium)")
        from playwright.sync_api import sync_playwright

        _Shared.async_unsafe_before = os.environ.get(ASYNC_UNSAFE)
        os.environ[ASYNC_UNSAFE] = "true"
        _Shared.playwright = sync_playwright().start()
        _Shared.browser = _Shared.playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    _Shared.users += 1
    return _Shared.browser


def release_browser() -> None:
    _Shared.users -= 1
    if _Shared.users == 0 and _Shared.browser is not None:
        _Shared.browser.close()
        _Shared.playwright.stop()
        _Shared.browser = _Shared.playwright = None
        if _Shared.async_unsafe_before is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = _Shared.async_unsafe_before


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """A Playwright `Browser`; open a `new_context()` per test and close it afterwards."""
    browser = acquire_browser()
    try:
        yield browser
    finally:
        release_browser()


def screenshot(page: Any, name: str) -> Path:
    """A full-page PNG at artifacts/screenshots/<name>.png (`name` may hold a folder)."""
    safe = "/".join(re.sub(r"[^\w.-]+", "-", part) for part in name.split("/"))
    path = SCREENSHOTS / f"{safe}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


class Shots:
    """Numbered screenshots of one journey: artifacts/screenshots/<journey>/01-home.png …"""

    def __init__(self, page: Any, journey: str) -> None:
        self.page, self.journey, self.count = page, journey, 0
        for old in (SCREENSHOTS / journey).glob("*.png"):
            old.unlink()

    def __call__(self, label: str) -> Path:
        self.count += 1
        return screenshot(self.page, f"{self.journey}/{self.count:02d}-{label}")
