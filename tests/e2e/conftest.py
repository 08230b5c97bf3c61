"""The session's one browser: Debian's Chromium driven by Playwright (a second sync
Playwright in the same process would fail, so every browser test shares this one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import IN_CI

CHROMIUM = next((p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
                 if Path(p).exists()), None)


@pytest.fixture(scope="session")
def chromium():
    if CHROMIUM is None:
        reason = "Debian's Chromium is not installed (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail(f"{reason} (mandatory under CI)", pytrace=False)
        pytest.skip(f"SKIPPED LOUDLY: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()
