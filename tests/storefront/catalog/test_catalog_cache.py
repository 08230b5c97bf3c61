"""The catalog cache under concurrent requests: costly steps run in one thread at a time.
(Ported from legacy tests/unit/test_catalog_cache.py; the entries live in Django's cache.)"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from shop.catalog.cache import CatalogCache, catalog_version
from shop.catalog.models import Category


def test_while_one_thread_recomputes_an_expired_entry_the_others_get_the_old_value():
    cache = CatalogCache(lambda: 1, recheck_seconds=3600, ttl_seconds=0.0)
    cache.get("page", lambda: "old")
    started, release = threading.Event(), threading.Event()

    def slow_recompute() -> str:
        started.set()
        release.wait(10)
        return "new"

    with ThreadPoolExecutor(1) as pool:
        refreshing = pool.submit(cache.get, "page", slow_recompute)
        assert started.wait(10)
        meanwhile = cache.get("page", lambda: "a second recompute")
        release.set()
        refreshed = refreshing.result()

    assert (meanwhile, refreshed) == ("old", "new")


def test_other_threads_do_not_wait_for_a_version_check_in_progress():
    checks: list[int] = []
    started, release = threading.Event(), threading.Event()

    def version() -> int:
        checks.append(1)
        if len(checks) == 2:
            started.set()
            release.wait(10)
        return 7

    cache = CatalogCache(version, recheck_seconds=0.0)
    cache.get("page", lambda: "cached")
    with ThreadPoolExecutor(1) as pool:
        checking = pool.submit(cache.get, "page", lambda: "recomputed")
        assert started.wait(10)
        meanwhile = cache.get("page", lambda: "recomputed")
        release.set()
        checked = checking.result()

    assert (meanwhile, checked) == ("cached", "cached")
    assert len(checks) == 2


def test_a_new_catalog_version_drops_every_entry():
    versions = iter([1, 2])
    cache = CatalogCache(lambda: next(versions), recheck_seconds=0.0)
    cache.get("page", lambda: "before")

    assert cache.get("page", lambda: "after") == "after"


def test_threads_missing_the_same_entry_wait_for_one_computation():
    cache = CatalogCache(lambda: 1, recheck_seconds=3600)
    started, release = threading.Event(), threading.Event()
    computed: list[str] = []

    class ReleaseWhenWaitedOn(threading.Event):
        def wait(self, timeout: float | None = None) -> bool:
            release.set()  # the second thread waits for the first: let the first finish
            return super().wait(timeout)

    def slow_compute() -> str:
        computed.append("page")
        started.set()
        release.wait(10)
        return "page"

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(cache.get, "page", slow_compute)
        assert started.wait(10)
        [key] = cache._computing  # what the first thread set; the second will wait on it
        cache._computing[key] = ReleaseWhenWaitedOn()
        second = pool.submit(cache.get, "page", slow_compute)
        values = [first.result(), second.result()]

    assert values == ["page", "page"]
    assert computed == ["page"]


def test_a_failed_computation_is_not_cached():
    cache = CatalogCache(lambda: 1, recheck_seconds=3600)

    with pytest.raises(ZeroDivisionError):
        cache.get("page", lambda: 1 / 0)

    assert cache.get("page", lambda: "computed") == "computed"


VERSIONED = ("products", "variants", "product_images", "categories", "stock_levels",
             "attribute_labels")


@pytest.mark.django_db(transaction=True)
def test_every_catalog_table_moves_the_version_when_it_changes():
    """A migration that rebuilds one of these tables on SQLite drops its triggers: this fails."""
    before = catalog_version()
    Category.objects.create(slug="x", name_es="X", name_en="X")
    after = catalog_version()

    assert after > before
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                           "AND name LIKE 'catalog_version_%'")
            tables = sorted({row[0] for row in cursor.fetchall()})
        else:
            cursor.execute("SELECT DISTINCT event_object_table FROM "
                           "information_schema.triggers WHERE trigger_name LIKE "
                           "'catalog_version_%' ORDER BY 1")
            tables = [row[0] for row in cursor.fetchall()]
    assert tables == sorted(VERSIONED)
