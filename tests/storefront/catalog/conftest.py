"""Fixtures for the catalog pages (the empty catalog cache per test and the SMTP capture are in
tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def version_checked_hourly(settings):
    """The process re-reads the catalog version at most once an hour: warm pages cost nothing."""
    settings.CATALOG_VERSION_RECHECK_SECONDS = 3600
