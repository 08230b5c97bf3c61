"""Fixtures for the worker tests: the tests' task module allowed, fast retries, empty queues."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

FAST = {"RETRY_DELAY_SECONDS": 0, "IDLE_POLL_SECONDS": 0.05, "OUTBOX_SWEEP_SECONDS": 1}


@pytest.fixture
def test_tasks_allowed(settings):  # type: ignore[no-untyped-def]
    settings.WORKER_TASK_MODULES = (*django_settings.WORKER_TASK_MODULES, "tests.workers.tasks")


@pytest.fixture
def fast_worker(settings):  # type: ignore[no-untyped-def]
    settings.WORKER = {**django_settings.WORKER, **FAST}
    return settings.WORKER
