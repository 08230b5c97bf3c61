"""A believable demo shop: catalogue with pictures, customers, six months of orders, stock.

Deterministic for a given seed and `today`. Everything is planned in memory first (pure
planners), then written in one transaction with bulk inserts; pictures are drawn (worker
processes) and stored (threads) while the rows are written, inside that transaction, so a
failed upload leaves no rows behind. The demo staff sign in with `STAFF_PASSWORD` (admin@,
manager@, support@, viewer@tienda.local), and so do the demo customers.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass
from datetime import date, datetime
from multiprocessing import get_context
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction

from shop.catalog.demo import writer
from shop.catalog.demo.calendar import Calendar
from shop.catalog.demo.catalog import CatalogPlan, ProductPlan, plan_catalog
from shop.catalog.demo.orders import OrderPlan, plan_orders, signup_times
from shop.catalog.demo.people import STAFF_PASSWORD, CustomerPlan, plan_customers
from shop.catalog.demo.pictures import draw_picture
from shop.catalog.demo.stock import WAREHOUSES, StockPlan, plan_stock
from shop.catalog.models import Product

__all__ = ["STAFF_PASSWORD", "SeedReporter", "SeedSummary", "ShopAlreadySeeded", "is_seeded",
           "seed_demo_shop"]

UPLOAD_THREADS = 8
DRAW_PROCESSES = max(1, min(4, os.cpu_count() or 1))


class ShopAlreadySeeded(Exception):
    def __init__(self, products: int) -> None:
        super().__init__(f"the shop already has {products} products; "
                         "run `manage.py seed_demo --reset` to start over")
        self.products = products


class SeedReporter(Protocol):
    """Receives progress: `step` announces a long step and returns the function to call with
    how many more of its `total` items are done (always from the calling thread)."""

    def step(self, name: str, total: int) -> Callable[[int], None]: ...


class _Silent:
    def step(self, name: str, total: int) -> Callable[[int], None]:
        return lambda _done: None


@dataclass(frozen=True, slots=True)
class SeedSummary:
    categories: int
    products: int
    variants: int
    images: int
    warehouses: int
    customers: int
    orders: int
    order_lines: int


@dataclass(frozen=True, slots=True)
class ShopPlan:
    calendar: Calendar
    catalog: CatalogPlan
    customers: tuple[CustomerPlan, ...]
    signups: list[datetime]
    orders: tuple[OrderPlan, ...]
    stock: StockPlan


def is_seeded() -> bool:
    return Product.objects.exists()


def seed_demo_shop(*, seed: int = 42, products: int = 240, customers: int = 600,
                   orders: int = 5200, reporter: SeedReporter | None = None,
                   today: date | None = None, media: Any = None) -> SeedSummary:
    """Fill an empty shop. Raises `ShopAlreadySeeded` before writing anything when there are
    products already. `today` defaults to the current date in the store's time zone; the
    history ends at its midnight. `media` is the storage for pictures (`storages["media"]`)."""
    check_sizes(products, customers, orders)
    if count := Product.objects.count():
        raise ShopAlreadySeeded(count)
    zone = ZoneInfo(settings.STORE_TIMEZONE)
    calendar = Calendar(today or datetime.now(zone).date(), zone)
    plan = plan_shop(seed, calendar, products, customers, orders, settings.SHOP_TAX_RATE_BP)
    password_hash = make_password(STAFF_PASSWORD)
    with transaction.atomic(), writer.historical_timestamps(*writer.HISTORICAL_MODELS):
        # Again inside the transaction, as another seeder may have finished meanwhile (SQLite
        # holds its write lock from here; elsewhere the unique slugs stop a concurrent one).
        if count := Product.objects.count():
            raise ShopAlreadySeeded(count)
        return _write(plan, media or storages["media"], password_hash, reporter or _Silent())


def plan_shop(seed: int, calendar: Calendar, products: int, customers: int, orders: int,
              tax_rate_bp: int) -> ShopPlan:
    # One stream per part, so that asking for more orders leaves the catalogue unchanged.
    streams = random.Random(seed)
    catalog_rng, people_rng, order_rng, stock_rng = (
        random.Random(streams.getrandbits(64)) for _ in range(4))
    catalog = plan_catalog(catalog_rng, products, tax_rate_bp)
    people = plan_customers(people_rng, customers)
    history = plan_orders(order_rng, catalog, people, calendar, orders, tax_rate_bp)
    signups = signup_times(people_rng, calendar, history, customers)
    stock = plan_stock(stock_rng, calendar, history, len(catalog.variants))
    return ShopPlan(calendar, catalog, people, signups, history, stock)


def check_sizes(products: int, customers: int, orders: int) -> None:
    if min(products, customers, orders) < 0:
        raise ValueError("products, customers and orders cannot be negative")
    if orders and not products:
        raise ValueError("orders need at least one product to sell")


def _write(plan: ShopPlan, media: Any, password_hash: str,
           reporter: SeedReporter) -> SeedSummary:
    since, catalog = writer.catalog_since(plan.calendar), plan.catalog
    images = sum(len(product.pictures) for product in catalog.products)
    with PictureUploads(media, catalog.products) as uploads:
        category_ids = writer.write_categories(catalog, since)
        product_ids, variant_ids = writer.write_products(catalog, category_ids,
                                                         settings.SHOP_CURRENCY, since)
        writer.write_product_images(catalog, product_ids, since)
        writer.write_attribute_labels()
        warehouse_ids = writer.write_warehouses(since)
        writer.write_staff(password_hash, since)
        customer_ids = writer.write_customers(plan.customers, plan.signups, password_hash,
                                              uploads.between(reporter.step(
                                                  "customers", len(plan.customers))))
        written = writer.Written(customer_ids, variant_ids, warehouse_ids,
                                 [v.sku for v in catalog.variants],
                                 [(p.name_es, p.name_en) for p in catalog.products
                                  for _ in p.variants])
        lines = writer.write_orders(plan.orders, written, settings.SHOP_CURRENCY,
                                    uploads.between(reporter.step("orders", len(plan.orders))))
        writer.write_stock(plan.stock, variant_ids, warehouse_ids, uploads.between(
            reporter.step("stock", len(plan.stock.levels) + len(plan.stock.movements))))
        uploads.finish(reporter.step("product images", images))
    return SeedSummary(len(catalog.categories), len(catalog.products), len(catalog.variants),
                       images, len(WAREHOUSES), len(plan.customers), len(plan.orders), lines)


class PictureUploads:
    """Draws every product picture and its thumbnail on `DRAW_PROCESSES` processes and stores
    both from `UPLOAD_THREADS` threads, while this thread writes the rows. Drawing is CPU work
    that holds the GIL, so it runs in other processes; storing is network I/O, so threads do.
    Failures surface in the caller's thread whenever it looks in; both pools are shut down
    (pending work cancelled) when the block fails."""

    def __init__(self, media: Any, products: tuple[ProductPlan, ...]) -> None:
        # "spawn": a fresh interpreter that imports only the drawing code, never a copy of
        # this process with its database connection and threads.
        self._drawer = ProcessPoolExecutor(DRAW_PROCESSES, mp_context=get_context("spawn"))
        self._pool = ThreadPoolExecutor(UPLOAD_THREADS, thread_name_prefix="demo-pictures")
        self._pending = {self._pool.submit(_store_picture, self._drawer, media, product, i)
                         for product in products for i in range(len(product.pictures))}
        self._done = 0

    def __enter__(self) -> PictureUploads:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        failed = kind is not None
        self._pool.shutdown(wait=True, cancel_futures=failed)
        self._drawer.shutdown(wait=True, cancel_futures=failed)

    def between(self, advance: Callable[[int], None]) -> Callable[[int], None]:
        """`advance`, also looking in on the pictures each time it is called."""
        def both(done: int) -> None:
            advance(done)
            self._settle(wait(self._pending, timeout=0).done)
        return both

    def finish(self, advance: Callable[[int], None]) -> None:
        """Wait for the rest; `advance` hears of every picture, including those done early."""
        advance(self._done)
        while self._pending:
            done = wait(self._pending, return_when=FIRST_COMPLETED).done
            self._settle(done)
            advance(len(done))

    def _settle(self, done: set[Future[None]]) -> None:
        for future in done:
            future.result()
        self._pending -= done
        self._done += len(done)


def _store_picture(drawer: ProcessPoolExecutor, media: Any, product: ProductPlan,
                   position: int) -> None:
    key, thumbnail_key = writer.image_keys(product, position)
    picture, thumbnail = drawer.submit(draw_picture, product.pictures[position]).result()
    media.save(key, ContentFile(picture))
    media.save(thumbnail_key, ContentFile(thumbnail))
