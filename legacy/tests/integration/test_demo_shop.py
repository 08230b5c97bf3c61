import io
import re
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import Engine, func, select, text

from tests.fakes import FakeBlobStore
from tienda.adapters.db import tables as t
from tienda.adapters.db.demo_shop import ShopAlreadySeeded, is_seeded, seed_demo_shop
from tienda.adapters.db.engine import build_engine
from tienda.adapters.db.migrate import upgrade
from tienda.adapters.passwords import verify_password
from tienda.config import Settings, load_settings

SMALL = {"products": 30, "customers": 40, "orders": 300}
TODAY = date(2026, 11, 28)
FINAL_STATUSES = {"delivered", "shipped", "cancelled", "refunded", "confirmed"}
# Captured at confirmation; seeded cancellations happen after it, so they are refunds.
PAYMENT_FOR = {"confirmed": "captured", "shipped": "captured", "delivered": "captured",
               "refunded": "refunded", "cancelled": "refunded"}


class RecordingReporter:
    def __init__(self) -> None:
        self.totals: dict[str, int] = {}
        self.done: dict[str, int] = defaultdict(int)

    def step(self, name, total):
        self.totals[name] = total

        def advance(count):
            self.done[name] += count

        return advance


class UnreachableBlobStore(FakeBlobStore):
    def put(self, container, key, data, content_type):
        raise ConnectionError("blob storage is unreachable")


def _database(directory, name: str) -> tuple[Engine, Settings]:
    settings = load_settings(database_url=f"sqlite:///{directory / name}.db")
    engine = build_engine(settings)
    upgrade(engine)
    return engine, settings


@pytest.fixture
def empty_database(tmp_path):
    return _database(tmp_path, "shop")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One small shop, seeded with the default ``today``, shared by the read-only tests."""
    engine, settings = _database(tmp_path_factory.mktemp("seeded"), "shop")
    blobs, reporter = FakeBlobStore(), RecordingReporter()
    summary = seed_demo_shop(engine, blobs, settings, reporter=reporter, **SMALL)
    return engine, settings, blobs, summary, reporter


def _rows(engine: Engine, query) -> list[tuple]:
    statement = text(query) if isinstance(query, str) else query
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(statement)]


def _count(engine: Engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _vat_inside(gross: int, rate_bp: int) -> int:
    return (gross * rate_bp * 2 + 10_000 + rate_bp) // (2 * (10_000 + rate_bp))


def test_the_requested_numbers_are_created(seeded):
    engine, _, _, summary, _ = seeded

    counted = {name: _count(engine, table) for name, table in (
        ("categories", t.categories), ("products", t.products), ("variants", t.variants),
        ("images", t.product_images), ("warehouses", t.warehouses),
        ("customers", t.customers), ("orders", t.orders), ("order_lines", t.order_lines))}
    assert counted == {"categories": 18, "products": 30, "variants": summary.variants,
                       "images": summary.images, "warehouses": 2, "customers": 40,
                       "orders": 300, "order_lines": summary.order_lines}
    assert summary.variants > summary.products
    assert summary.order_lines > summary.orders


def test_the_category_tree_has_parents_with_children(seeded):
    engine = seeded[0]

    tree = _rows(engine, "SELECT p.name_es, c.name_es, c.name_en FROM categories c "
                         "JOIN categories p ON p.id = c.parent_id WHERE c.slug = 'lamparas'")
    parents = _rows(engine, "SELECT count(*) FROM categories WHERE parent_id IS NULL")
    assert tree == [("Hogar", "Lámparas", "Lamps")]
    assert parents == [(5,)]


def test_the_same_seed_gives_the_same_orders_and_another_seed_other_ones(tmp_path):
    histories = []
    for name, seed in (("first", 7), ("again", 7), ("other", 8)):
        engine, settings = _database(tmp_path, name)
        seed_demo_shop(engine, FakeBlobStore(), settings, seed=seed, today=TODAY, **SMALL)
        histories.append((_rows(engine, "SELECT * FROM orders ORDER BY number"),
                          _rows(engine, "SELECT * FROM order_lines ORDER BY id")))

    first, again, other = histories
    assert first == again
    assert first[0] != other[0]
    assert len(first[0]) == 300


def test_a_second_seed_is_refused_and_changes_nothing(empty_database):
    engine, settings = empty_database
    assert not is_seeded(engine)
    seed_demo_shop(engine, FakeBlobStore(), settings, today=TODAY, **SMALL)
    before = {table.name: _count(engine, table) for table in t.metadata.sorted_tables}
    blobs = FakeBlobStore()

    with pytest.raises(ShopAlreadySeeded) as refused:
        seed_demo_shop(engine, blobs, settings, today=TODAY, **SMALL)

    assert str(refused.value) == ("the shop already has 30 products; "
                                  "run `tienda seed --reset` to start over")
    assert {table.name: _count(engine, table) for table in t.metadata.sorted_tables} == before
    assert blobs.blobs == {}
    assert is_seeded(engine)


def test_a_failed_upload_leaves_no_rows_behind(empty_database):
    engine, settings = empty_database

    with pytest.raises(ConnectionError, match="blob storage is unreachable"):
        seed_demo_shop(engine, UnreachableBlobStore(), settings, today=TODAY, **SMALL)

    # catalog_version holds the one counter row its migration creates, not shop data.
    assert {table.name: _count(engine, table) for table in t.metadata.sorted_tables} == {
        table.name: int(table.name == "catalog_version") for table in t.metadata.sorted_tables}


def test_impossible_sizes_are_refused_before_anything_is_written(empty_database):
    engine, settings = empty_database

    with pytest.raises(ValueError) as refused:
        seed_demo_shop(engine, FakeBlobStore(), settings, products=0, customers=5, orders=10)

    assert str(refused.value) == "orders need at least one product to sell"
    assert _count(engine, t.categories) == 0


def test_check_constraints_hold(seeded):
    engine = seeded[0]

    violations = _rows(engine, """
        SELECT
          (SELECT count(*) FROM stock_levels WHERE reserved < 0 OR reserved > on_hand),
          (SELECT count(*) FROM variants WHERE price_minor < 0 OR cost_minor < 0),
          (SELECT count(*) FROM order_lines WHERE quantity <= 0),
          (SELECT count(*) FROM staff_users
             WHERE role NOT IN ('admin', 'manager', 'support', 'viewer'))""")
    assert violations == [(0, 0, 0, 0)]


def test_the_ledger_adds_up_to_the_stock_levels(seeded):
    engine = seeded[0]
    levels = {(v, w): (on_hand, reserved) for v, w, on_hand, reserved in _rows(
        engine, "SELECT variant_id, warehouse_id, on_hand, reserved FROM stock_levels")}

    sums = {(v, w): (on_hand, reserved) for v, w, on_hand, reserved in _rows(
        engine, "SELECT variant_id, warehouse_id, sum(on_hand_delta), sum(reserved_delta) "
                "FROM stock_movements GROUP BY variant_id, warehouse_id")}

    assert len(levels) == 2 * _count(engine, t.variants)
    assert {place: sums.get(place, (0, 0)) for place in levels} == levels
    assert set(sums) <= set(levels)


def test_stock_never_drops_below_what_is_reserved(seeded):
    engine = seeded[0]
    running: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    lowest = 0

    for variant, warehouse, on_hand, reserved in _rows(
            engine, "SELECT variant_id, warehouse_id, on_hand_delta, reserved_delta "
                    "FROM stock_movements ORDER BY created_at, id"):
        level = running[(variant, warehouse)]
        level[0] += on_hand
        level[1] += reserved
        lowest = min(lowest, level[0] - level[1], level[1])

    assert lowest == 0


def test_the_initial_receipts_come_first_and_some_variants_are_sold_out(seeded):
    engine = seeded[0]

    kinds = dict(_rows(engine, "SELECT kind, count(*) FROM stock_movements GROUP BY kind"))
    first_kind = _rows(engine, "SELECT kind FROM stock_movements ORDER BY created_at, id LIMIT 1")
    sold_out = _rows(engine, "SELECT count(*) FROM (SELECT variant_id FROM stock_levels "
                             "GROUP BY variant_id HAVING sum(on_hand - reserved) = 0) s")
    assert set(kinds) <= {"receipt", "reservation", "release", "shipment", "restock"}
    assert kinds["reservation"] == seeded[3].order_lines
    assert first_kind == [("receipt",)]
    assert sold_out[0][0] > 0


def test_order_amounts_add_up(seeded):
    engine, settings = seeded[0], seeded[1]
    orders = _rows(engine, "SELECT id, subtotal_minor, discount_minor, shipping_minor, "
                           "tax_minor, total_minor FROM orders")
    lines = defaultdict(lambda: [0, 0, 0])
    for order_id, total, discount, tax in _rows(
            engine, "SELECT order_id, total_minor, discount_minor, tax_minor FROM order_lines"):
        lines[order_id][0] += total
        lines[order_id][1] += discount
        lines[order_id][2] += tax

    wrong = [order_id for order_id, subtotal, discount, shipping, tax, total in orders
             if total != subtotal - discount + shipping
             or lines[order_id] != [subtotal, discount,
                                    tax - _vat_inside(shipping, settings.tax_rate_bp)]
             or shipping != (0 if subtotal - discount >= 5000 else 495)]
    assert wrong == []


def test_orders_end_in_a_final_status_reached_through_their_events(seeded):
    engine = seeded[0]
    events = defaultdict(list)
    for order_id, status_from, status_to, actor, at in _rows(
            engine, "SELECT order_id, status_from, status_to, actor, created_at "
                    "FROM order_events ORDER BY order_id, created_at, id"):
        events[order_id].append((status_from, status_to, actor, at))

    orders = _rows(engine, "SELECT o.id, o.status, o.placed_at, o.updated_at, p.status "
                           "FROM orders o JOIN payments p ON p.order_id = o.id")
    assert {status for _, status, *_ in orders} <= FINAL_STATUSES
    assert len(orders) == 300
    for order_id, status, placed_at, updated_at, payment in orders:
        history = events[order_id]
        assert history[0] == (None, "pending", "customer", placed_at)
        assert history[1][:3] == ("pending", "confirmed", "system")
        assert all(a[1] == b[0] for a, b in pairwise(history))
        assert (history[-1][1], history[-1][3]) == (status, updated_at)
        assert payment == PAYMENT_FOR[status]


def test_shipments_are_made_by_staff(seeded):
    engine = seeded[0]

    shippers = _rows(engine, "SELECT DISTINCT actor FROM order_events WHERE status_to = 'shipped'")

    assert shippers == [("staff:manager@tienda.local",)]


def test_orders_lie_within_the_last_181_days(seeded):
    engine, settings = seeded[0], seeded[1]
    today = datetime.now(ZoneInfo(settings.store_timezone)).date()
    earliest = datetime.combine(today - timedelta(days=181), datetime.min.time(),
                                tzinfo=ZoneInfo(settings.store_timezone))
    now = datetime.now(UTC)

    moments = [_utc(m) for row in _rows(engine, select(t.orders.c.placed_at,
                                                       t.orders.c.updated_at)) for m in row]
    events = [_utc(m) for (m,) in _rows(engine, select(t.order_events.c.created_at))]

    assert min(moments) >= earliest
    assert max(moments + events) <= now


def test_every_product_has_pictures_and_thumbnails_in_the_media_container(seeded):
    engine, settings, blobs, summary, _ = seeded
    images = _rows(engine, "SELECT p.slug, i.position, i.blob_key, i.thumbnail_key "
                           "FROM products p LEFT JOIN product_images i ON i.product_id = p.id")

    assert all(key is not None for _, _, key, _ in images)
    for slug, position, key, thumbnail in images:
        assert (key, thumbnail) == (f"products/{slug}/{position + 1}.jpg",
                                    f"products/{slug}/{position + 1}-thumb.jpg")
    sizes = {Image.open(io.BytesIO(blobs.get(settings.container_media, key))).size
             for _, _, key, _ in images[:3]}
    thumbnail_sizes = {Image.open(io.BytesIO(blobs.get(settings.container_media, key))).size
                       for _, _, _, key in images[:3]}
    assert len(blobs.blobs) == 2 * summary.images
    assert {key for _, _, key, _ in images} | {key for *_, key in images} == {
        key for container, key in blobs.blobs if container == settings.container_media}
    assert (sizes, thumbnail_sizes) == ({(800, 800)}, {(320, 320)})


def test_customers_have_unique_demo_addresses_and_staff_can_sign_in(seeded):
    engine = seeded[0]

    emails = [email for (email,) in _rows(engine, "SELECT email FROM customers")]
    staff = _rows(engine, "SELECT email, role, password_hash FROM staff_users ORDER BY email")

    assert len(set(emails)) == 40
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+\.\d+@example\.com", e) for e in emails)
    assert [(email, role) for email, role, _ in staff] == [
        ("admin@tienda.local", "admin"), ("manager@tienda.local", "manager"),
        ("support@tienda.local", "support"), ("viewer@tienda.local", "viewer")]
    assert all(verify_password(h, "tienda-demo") for *_, h in staff)


def test_some_orders_are_guest_orders_and_some_customers_order_again(seeded):
    engine = seeded[0]

    guests = _rows(engine, "SELECT count(*) FROM orders WHERE customer_id IS NULL")
    repeat = _rows(engine, "SELECT count(*) FROM (SELECT customer_id FROM orders "
                           "WHERE customer_id IS NOT NULL GROUP BY customer_id "
                           "HAVING count(*) > 1) r")

    assert 0 < guests[0][0] < 100
    assert repeat[0][0] > 10


def test_customers_registered_before_their_first_order(seeded):
    engine = seeded[0]

    late = _rows(engine, "SELECT count(*) FROM customers c JOIN orders o ON o.customer_id = c.id "
                         "WHERE o.placed_at < c.created_at")

    assert late == [(0,)]


def test_progress_is_reported_for_each_long_step(seeded):
    engine, _, _, summary, reporter = seeded

    stock_rows = _count(engine, t.stock_levels) + _count(engine, t.stock_movements)

    assert reporter.totals == {"product images": summary.images, "customers": 40,
                               "orders": 300, "stock": stock_rows}
    assert dict(reporter.done) == reporter.totals
