"""The session's one browser: Debian's Chromium driven by Playwright (a second sync
Playwright in the same process would fail, so every browser test shares this one)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import IN_CI

SCREENSHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"
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


class Shots:
    """Numbered full-page screenshots under artifacts/screenshots/<name>/."""

    def __init__(self, page, name: str) -> None:
        self.page, self.directory, self.count = page, SCREENSHOTS / name, 0
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True)

    def __call__(self, label: str) -> None:
        self.count += 1
        self.page.screenshot(path=str(self.directory / f"{self.count:02d}-{label}.png"),
                             full_page=True)
