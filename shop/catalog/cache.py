"""Catalog reads kept while the catalog version stays the same.

The version is a number the database bumps by trigger whenever a product, variant, picture,
category, stock level or attribute label changes (migration 0002), so no writer has to clear
anything. A process reads it at most once per CATALOG_VERSION_RECHECK_SECONDS; entries live
in Django's cache under the version, so a new version simply stops finding the old ones.

Under load many threads ask for the same page at once and every stock change moves the
version, so each costly step runs in one thread: one thread reads the version while the
others go on with the version they know; one thread computes a missing entry while the others
wait for its result; one thread recomputes an entry past its TTL while the others get the old
value (a version change never serves an old value: its key is gone)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection

T = TypeVar("T")

_VERSION_SQL = {
    "sqlite": "SELECT version FROM catalog_version WHERE id = 1",
    "postgresql": "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM catalog_version_seq",
    # Not runnable here (Azure SQL only).
    "microsoft": "SELECT CAST(current_value AS bigint) FROM sys.sequences "
                 "WHERE name = N'catalog_version_seq'",
}


def catalog_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL[connection.vendor])
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


class CatalogCache:
    def __init__(self, version: Callable[[], int], *, recheck_seconds: float | None = None,
                 ttl_seconds: float = 60.0, wait_seconds: float = 5.0,
                 alias: str = "default", prefix: str = "catalog") -> None:
        self._version, self._recheck = version, recheck_seconds
        self._ttl, self._wait, self._alias, self._prefix = ttl_seconds, wait_seconds, alias, prefix
        self._known, self._checked_at = -1, float("-inf")
        self._computing: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._checking = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        full_key = self._key(key)
        store = caches[self._alias]
        found = store.get(full_key)
        if found is not None and time.time() < found[0]:
            return found[1]  # type: ignore[no-any-return]
        with self._lock:
            running = self._computing.get(full_key)
            if running is None:
                self._computing[full_key] = threading.Event()
        if running is None:
            return self._compute(full_key, compute)
        if found is None:
            running.wait(self._wait)
            found = store.get(full_key)
        # Failing that (the other thread's computation raised), compute without caching.
        return found[1] if found is not None else compute()  # type: ignore[no-any-return]

    def version(self) -> int:
        """The catalog version this process knows, re-read when the last read is too old."""
        self._refresh(time.monotonic())
        return self._known

    def forget(self) -> None:
        """Read the version again on the next request (tests; a deployment never needs it)."""
        with self._lock:
            self._known, self._checked_at = -1, float("-inf")

    def _key(self, key: Hashable) -> str:
        digest = hashlib.sha1(repr(key).encode(), usedforsecurity=False).hexdigest()
        return f"{self._prefix}:{self.version()}:{digest}"

    def _compute(self, full_key: str, compute: Callable[[], T]) -> T:
        try:
            value = compute()
            # Kept past its TTL so a stale value can be served while one thread recomputes.
            caches[self._alias].set(full_key, (time.time() + self._ttl, value),
                                    timeout=max(self._ttl * 5, 1))
            return value
        finally:
            with self._lock:
                done = self._computing.pop(full_key)
            done.set()

    def _refresh(self, now: float) -> None:
        if now - self._checked_at < self._recheck_seconds():
            return
        # Only the first check waits for another thread's: before it there is nothing to serve.
        if not self._checking.acquire(blocking=self._known == -1):
            return
        try:
            if now - self._checked_at < self._recheck_seconds():
                return
            version = self._version()
            with self._lock:
                self._known, self._checked_at = version, now
        finally:
            self._checking.release()

    def _recheck_seconds(self) -> float:
        if self._recheck is not None:
            return self._recheck
        return float(settings.CATALOG_VERSION_RECHECK_SECONDS)


catalog_cache = CatalogCache(catalog_version)


def cached(key: Hashable, compute: Callable[[], Any]) -> Any:
    return catalog_cache.get(key, compute)
