"""`manage.py seed_demo [--reset] [--seed 42] [--products 240] [--customers 600] [--orders 5200]`
builds the deterministic demo shop; `--check` only tells: exit 0 if seeded, 3 if not."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import DatabaseError, connection, transaction

from shop.catalog.demo.people import STAFF, STAFF_PASSWORD
from shop.catalog.demo.reset import shop_empty
from shop.catalog.demo.seed import ShopAlreadySeeded, is_seeded, seed_demo_shop

NOT_SEEDED = 3
BAR = 20


class LineProgress:
    """One line per stage: its name, a bar that grows in 20 steps, then the count and time."""

    def __init__(self, out: OutputWrapper) -> None:
        self._out = out

    def step(self, name: str, total: int) -> Callable[[int], None]:
        started, done, drawn = time.monotonic(), 0, 0
        self._out.write(f"{name:<16}", ending="")

        def advance(count: int) -> None:
            nonlocal done, drawn
            done += count
            due = BAR if total == 0 else BAR * min(done, total) // total
            if due > drawn:
                self._out.write("#" * (due - drawn), ending="")
                drawn = due
            self._out.flush()
            if done >= total:
                self._out.write(f" {done}/{total} in {time.monotonic() - started:.1f}s")

        if total == 0:
            advance(0)
        return advance


class Command(BaseCommand):
    help = "Build the demo shop: catalogue with pictures, stock, customers and order history."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=42, help="same seed, same shop")
        parser.add_argument("--products", type=int, default=240)
        parser.add_argument("--customers", type=int, default=600)
        parser.add_argument("--orders", type=int, default=5200)
        parser.add_argument("--reset", action="store_true", help="empty the shop first")
        parser.add_argument("--check", action="store_true",
                            help="only tell: exit 0 if seeded, 3 if not")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            raise SystemExit(0 if _seeded() else NOT_SEEDED)
        _ensure_containers()
        started = time.monotonic()
        try:
            # One transaction: a seed that fails after --reset leaves the old shop in place.
            with transaction.atomic():
                if options["reset"]:
                    shop_empty()
                    self.stdout.write("reset: the shop's tables are empty")
                summary = seed_demo_shop(
                    seed=options["seed"], products=options["products"],
                    customers=options["customers"], orders=options["orders"],
                    reporter=LineProgress(self.stdout))
        except (ShopAlreadySeeded, ValueError) as exc:
            raise CommandError(str(exc)) from None
        _checkpoint()
        self.stdout.write(
            f"seeded in {time.monotonic() - started:.1f}s: {summary.categories} categories, "
            f"{summary.products} products, {summary.variants} variants, {summary.images} "
            f"pictures, {summary.warehouses} warehouses, {summary.customers} customers, "
            f"{summary.orders} orders ({summary.order_lines} lines)")
        logins = ", ".join(email for email, _, _ in STAFF)
        self.stdout.write(f"staff: {logins} (password {STAFF_PASSWORD})")


def _seeded() -> bool:
    try:
        return "products" in connection.introspection.table_names() and is_seeded()
    except DatabaseError:
        return False


def _checkpoint() -> None:
    """SQLite: fold the seed's write-ahead log into the database file now, so the first
    readers do not each search a log of tens of megabytes until some later write checkpoints
    it. (Inside a caller's transaction, as in tests, there is nothing committed to fold.)"""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _ensure_containers() -> None:
    # Locally (Azurite) the containers may not exist yet; on Azure, Bicep made them.
    if settings.IS_LOCAL:
        from shop.notifications.storage import ensure_containers

        ensure_containers()
