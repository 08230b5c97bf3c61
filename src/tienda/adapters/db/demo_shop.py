"""A believable demo shop: catalogue with pictures, customers, six months of orders, stock.

Deterministic for a given seed and ``today``. Everything is planned in memory first, then
written in one transaction with bulk inserts; pictures are drawn and uploaded by a thread pool
inside that transaction, so a failed upload leaves no rows behind. The demo staff sign in with
``STAFF_PASSWORD`` (admin@, manager@, support@, viewer@tienda.local), and so do customers.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, func, select

from tienda.adapters.db import demo_shop_rows as rows
from tienda.adapters.db import tables as t
from tienda.adapters.db.demo_shop_calendar import Calendar
from tienda.adapters.db.demo_shop_catalog import CatalogPlan, ProductPlan, plan_catalog
from tienda.adapters.db.demo_shop_orders import OrderPlan, plan_orders, signup_times
from tienda.adapters.db.demo_shop_people import STAFF_PASSWORD, CustomerPlan, plan_customers
from tienda.adapters.db.demo_shop_stock import WAREHOUSES, StockPlan, plan_stock
from tienda.adapters.passwords import hash_password
from tienda.adapters.product_images import PICTURE_SIDE, make_thumbnail, render_product_picture
from tienda.config import Settings
from tienda.service_layer.ports import BlobStore

__all__ = ["STAFF_PASSWORD", "SeedReporter", "SeedSummary", "ShopAlreadySeeded", "is_seeded",
           "seed_demo_shop"]

UPLOAD_THREADS = 8


class ShopAlreadySeeded(Exception):
    def __init__(self, products: int) -> None:
        super().__init__(f"the shop already has {products} products; "
                         "run `tienda seed --reset` to start over")
        self.products = products


class SeedReporter(Protocol):
    """Receives progress: ``step`` announces a long step and returns the function to call with
    how many more of its ``total`` items are done (always from the calling thread)."""

    def step(self, name: str, total: int) -> Callable[[int], None]: ...


class _Silent:
    def step(self, name: str, total: int) -> Callable[[int], None]:
        return _ignore


def _ignore(_done: int) -> None:
    return None


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


def is_seeded(engine: Engine) -> bool:
    with engine.connect() as connection:
        return _product_count(connection) > 0


def seed_demo_shop(engine: Engine, blobs: BlobStore, settings: Settings, *, seed: int = 42,
                   products: int = 240, customers: int = 600, orders: int = 5200,
                   reporter: SeedReporter | None = None, today: date | None = None
                   ) -> SeedSummary:
    """Fill an empty shop. Raises ``ShopAlreadySeeded`` before writing anything when there are
    products already. ``today`` defaults to the current date in the store's time zone; the
    history ends at its midnight."""
    _check_sizes(products, customers, orders)
    with engine.connect() as connection:
        if count := _product_count(connection):
            raise ShopAlreadySeeded(count)
    zone = ZoneInfo(settings.store_timezone)
    calendar = Calendar(today or datetime.now(zone).date(), zone)
    plan = plan_shop(seed, calendar, products, customers, orders, settings.tax_rate_bp)
    password_hash = hash_password(STAFF_PASSWORD)
    with engine.begin() as connection:
        # Again inside the transaction (SQLite: under its write lock), as another seeder may
        # have finished meanwhile; on PostgreSQL the unique product slugs stop a concurrent one.
        if count := _product_count(connection):
            raise ShopAlreadySeeded(count)
        return _write(connection, plan, blobs, settings, password_hash,
                      reporter or _Silent())


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


def _check_sizes(products: int, customers: int, orders: int) -> None:
    if min(products, customers, orders) < 0:
        raise ValueError("products, customers and orders cannot be negative")
    if orders and not products:
        raise ValueError("orders need at least one product to sell")


def _product_count(connection: Connection) -> int:
    return connection.execute(select(func.count()).select_from(t.products)).scalar_one()


def _write(connection: Connection, plan: ShopPlan, blobs: BlobStore, settings: Settings,
           password_hash: str, reporter: SeedReporter) -> SeedSummary:
    since, catalog = rows.catalog_since(plan.calendar), plan.catalog
    images = sum(len(product.pictures) for product in catalog.products)
    with PictureUploads(blobs, settings.container_media, catalog.products,
                        reporter.step("product images", images)) as uploads:
        category_ids = rows.write_categories(connection, catalog, since)
        product_ids, variant_ids = rows.write_products(connection, catalog, category_ids,
                                                       settings.currency, since)
        rows.write_product_images(connection, catalog, product_ids, PICTURE_SIDE, since)
        rows.write_attribute_labels(connection)
        warehouse_ids = rows.write_warehouses(connection, since)
        rows.write_staff(connection, password_hash, since)
        customer_ids = rows.write_customers(connection, plan.customers, plan.signups,
                                            password_hash, uploads.between(
                                                reporter.step("customers", len(plan.customers))))
        written = rows.Written(customer_ids, variant_ids, warehouse_ids,
                               [v.sku for v in catalog.variants],
                               [(p.name_es, p.name_en) for p in catalog.products
                                for _ in p.variants])
        lines = rows.write_orders(connection, plan.orders, written, settings.currency,
                                  uploads.between(reporter.step("orders", len(plan.orders))))
        rows.write_stock(connection, plan.stock, variant_ids, warehouse_ids, uploads.between(
            reporter.step("stock", len(plan.stock.levels) + len(plan.stock.movements))))
        uploads.finish()
    return SeedSummary(len(catalog.categories), len(catalog.products), len(catalog.variants),
                       images, len(WAREHOUSES), len(plan.customers), len(plan.orders), lines)


class PictureUploads:
    """Draws every product picture and its thumbnail and uploads both on ``UPLOAD_THREADS``
    threads while the rows are written (Pillow and the storage client release the GIL as they
    work). Progress and failures surface in the caller's thread, whenever it looks in."""

    def __init__(self, blobs: BlobStore, container: str, products: tuple[ProductPlan, ...],
                 advance: Callable[[int], None]) -> None:
        self._pool = ThreadPoolExecutor(UPLOAD_THREADS, thread_name_prefix="demo-pictures")
        self._pending = {self._pool.submit(_upload_picture, blobs, container, product, position)
                         for product in products for position in range(len(product.pictures))}
        self._advance = advance

    def __enter__(self) -> PictureUploads:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=kind is not None)

    def between(self, advance: Callable[[int], None]) -> Callable[[int], None]:
        """``advance``, also looking in on the uploads each time it is called."""
        def both(done: int) -> None:
            advance(done)
            self._settle(wait(self._pending, timeout=0).done)
        return both

    def finish(self) -> None:
        while self._pending:
            self._settle(wait(self._pending, return_when=FIRST_COMPLETED).done)

    def _settle(self, done: set[Future[None]]) -> None:
        for future in done:
            future.result()
        self._pending -= done
        if done:
            self._advance(len(done))


def _upload_picture(blobs: BlobStore, container: str, product: ProductPlan,
                    position: int) -> None:
    key, thumbnail_key = rows.image_keys(product, position)
    picture = render_product_picture(product.pictures[position])
    blobs.put(container, key, picture, "image/jpeg")
    blobs.put(container, thumbnail_key, make_thumbnail(picture), "image/jpeg")
