"""The demo shop (`manage.py seed_demo`): deterministic, consistent, pictures in blob storage.

Ports legacy/tests/integration/test_demo_shop.py (19 tests, all kept) and adds the command:
`--reset`, `--check`, progress lines. One small shop is seeded per module (committed, removed
at the end); tests that need an empty shop empty it inside their own transaction, which rolls
back."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.db.models import Count, F, Q, Sum
from PIL import Image

from backoffice.roles import staff_role
from shop.catalog.demo.people import STAFF, STAFF_PASSWORD
from shop.catalog.demo.reset import shop_empty
from shop.catalog.demo.seed import ShopAlreadySeeded, is_seeded, seed_demo_shop
from shop.catalog.models import Category, Product, ProductImage, Variant
from shop.customers.models import Customer
from shop.inventory.models import StockLevel, StockMovement, Warehouse
from shop.orders.models import Order, OrderEvent, OrderLine
from shop.payments.models import Payment

pytestmark = [pytest.mark.django_db, pytest.mark.azurite]

SMALL = {"products": 30, "customers": 40, "orders": 300}
TINY = {"products": 12, "customers": 20, "orders": 60}
TODAY = date(2026, 11, 28)
FINAL_STATUSES = {"delivered", "shipped", "cancelled", "refunded", "confirmed"}
# Captured at confirmation; seeded cancellations happen after it, so they are refunds.
PAYMENT_FOR = {"confirmed": "captured", "shipped": "captured", "delivered": "captured",
               "refunded": "refunded", "cancelled": "refunded"}
SHOP_MODELS = (Category, Product, Variant, ProductImage, Warehouse, Customer, Order, OrderLine,
               OrderEvent, Payment, StockLevel, StockMovement)


class RecordingReporter:
    def __init__(self) -> None:
        self.totals: dict[str, int] = {}
        self.done: dict[str, int] = defaultdict(int)

    def step(self, name, total):  # type: ignore[no-untyped-def]
        self.totals[name] = total

        def advance(count):  # type: ignore[no-untyped-def]
            self.done[name] += count

        return advance


class UnreachableStorage:
    def save(self, name, content):  # type: ignore[no-untyped-def]
        raise ConnectionError("blob storage is unreachable")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, azurite):  # type: ignore[no-untyped-def]
    """One small shop, seeded with the default `today`, shared by the read-only tests."""
    reporter = RecordingReporter()
    with django_db_blocker.unblock():
        summary = seed_demo_shop(reporter=reporter, **SMALL)
    yield summary, reporter
    with django_db_blocker.unblock():
        shop_empty()
        get_user_model().objects.filter(email__in=[email for email, _, _ in STAFF]).delete()


@pytest.fixture
def empty_shop(seeded):  # type: ignore[no-untyped-def]
    """The shop emptied inside this test's transaction (rolled back afterwards)."""
    shop_empty()
    return seeded


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SHOP_MODELS}


def _vat_inside(gross: int, rate_bp: int) -> int:
    return (gross * rate_bp * 2 + 10_000 + rate_bp) // (2 * (10_000 + rate_bp))


def _history() -> tuple[list[tuple], list[tuple]]:
    orders = list(Order.objects.order_by("number").values_list(
        "id", "number", "customer__email", "email", "status", "channel", "locale",
        "subtotal_minor", "discount_minor", "shipping_minor", "tax_minor", "total_minor",
        "shipping_address", "tracking_number", "placed_at", "updated_at"))
    lines = list(OrderLine.objects.order_by("order__number", "sku").values_list(
        "order_id", "sku", "warehouse__code", "product_name", "quantity", "unit_price_minor",
        "discount_minor", "tax_minor", "total_minor"))
    return orders, lines


# --- what is created ------------------------------------------------------------------------

def test_the_requested_numbers_are_created(seeded):
    summary, _ = seeded

    assert _counts() == {
        "Category": 18, "Product": 30, "Variant": summary.variants,
        "ProductImage": summary.images, "Warehouse": 2, "Customer": 40, "Order": 300,
        "OrderLine": summary.order_lines, "OrderEvent": OrderEvent.objects.count(),
        "Payment": 300, "StockLevel": 2 * summary.variants,
        "StockMovement": StockMovement.objects.count()}
    assert summary.variants > summary.products
    assert summary.order_lines > summary.orders
    assert list(Warehouse.objects.values_list("code", "is_default")) == [
        ("MAD", True), ("BCN", False)]


def test_the_category_tree_has_parents_with_children(seeded):
    lamps = Category.objects.select_related("parent").get(slug="lamparas")

    assert (lamps.parent.name_es, lamps.name_es, lamps.name_en) == ("Hogar", "Lámparas", "Lamps")
    assert Category.objects.filter(parent__isnull=True).count() == 5


def test_attribute_labels_give_english_colour_names(seeded):
    from shop.catalog.models import AttributeLabel

    label = AttributeLabel.objects.get(attribute="color", value="Azul marino", locale="en")

    assert label.label == "Navy"


def test_the_same_seed_gives_the_same_orders_and_another_seed_other_ones(empty_shop):
    histories = []
    for seed in (7, 7, 8):
        shop_empty()
        seed_demo_shop(seed=seed, today=TODAY, **TINY)
        histories.append(_history())

    first, again, other = histories
    assert first == again
    assert first[0] != other[0]
    assert len(first[0]) == 60


def test_a_second_seed_is_refused_and_changes_nothing(seeded):
    before = _counts()

    with pytest.raises(ShopAlreadySeeded) as refused:
        seed_demo_shop(today=TODAY, media=UnreachableStorage(), **TINY)

    assert str(refused.value) == ("the shop already has 30 products; "
                                  "run `manage.py seed_demo --reset` to start over")
    assert _counts() == before
    assert is_seeded()


def test_a_failed_upload_leaves_no_rows_behind(empty_shop):
    staff_before = get_user_model().objects.count()

    with pytest.raises(ConnectionError, match="blob storage is unreachable"):
        seed_demo_shop(today=TODAY, media=UnreachableStorage(), **TINY)

    assert set(_counts().values()) == {0}
    assert get_user_model().objects.count() == staff_before


def test_impossible_sizes_are_refused_before_anything_is_written(empty_shop):
    with pytest.raises(ValueError) as refused:
        seed_demo_shop(products=0, customers=5, orders=10)

    assert str(refused.value) == "orders need at least one product to sell"
    assert Category.objects.count() == 0


# --- consistency ------------------------------------------------------------------------------

def test_check_constraints_hold(seeded):
    assert StockLevel.objects.filter(Q(reserved__lt=0) | Q(reserved__gt=F("on_hand"))).count() == 0
    assert Variant.objects.filter(Q(price_minor__lt=0) | Q(cost_minor__lt=0)).count() == 0
    assert OrderLine.objects.filter(quantity__lte=0).count() == 0
    staff = get_user_model().objects.filter(is_staff=True, email__endswith="@tienda.local")
    assert sorted(staff_role(member) for member in staff) == [
        "admin", "manager", "support", "viewer"]


def test_the_ledger_adds_up_to_the_stock_levels(seeded):
    levels = {(lv.variant_id, lv.warehouse_id): (lv.on_hand, lv.reserved)
              for lv in StockLevel.objects.all()}

    sums = {(row["variant_id"], row["warehouse_id"]): (row["on_hand"], row["reserved"])
            for row in StockMovement.objects.values("variant_id", "warehouse_id").annotate(
                on_hand=Sum("on_hand_delta"), reserved=Sum("reserved_delta"))}

    assert len(levels) == 2 * Variant.objects.count()
    assert {place: sums.get(place, (0, 0)) for place in levels} == levels
    assert set(sums) <= set(levels)


def test_stock_never_drops_below_what_is_reserved(seeded):
    running: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    lowest = 0

    for variant, warehouse, on_hand, reserved in StockMovement.objects.order_by(
            "created_at", "id").values_list("variant_id", "warehouse_id", "on_hand_delta",
                                            "reserved_delta"):
        level = running[(variant, warehouse)]
        level[0] += on_hand
        level[1] += reserved
        lowest = min(lowest, level[0] - level[1], level[1])

    assert lowest == 0


def test_the_initial_receipts_come_first_and_some_variants_are_sold_out(seeded):
    summary, _ = seeded

    kinds = dict(StockMovement.objects.values_list("kind").annotate(n=Count("id")))
    first = StockMovement.objects.order_by("created_at", "id").first()
    sold_out = (StockLevel.objects.values("variant_id")
                .annotate(free=Sum(F("on_hand") - F("reserved"))).filter(free=0).count())

    assert set(kinds) <= {"receipt", "reservation", "release", "shipment", "restock"}
    assert kinds["reservation"] == summary.order_lines
    assert (first.kind, first.actor, first.reason) == ("receipt", "manager@tienda.local",
                                                       "initial stock")
    assert sold_out > 0


def test_order_amounts_add_up(seeded):
    lines = defaultdict(lambda: [0, 0, 0])
    for order_id, total, discount, tax in OrderLine.objects.values_list(
            "order_id", "total_minor", "discount_minor", "tax_minor"):
        lines[order_id][0] += total
        lines[order_id][1] += discount
        lines[order_id][2] += tax

    wrong = [o.number for o in Order.objects.all()
             if o.total_minor != o.subtotal_minor - o.discount_minor + o.shipping_minor
             or lines[o.id] != [o.subtotal_minor, o.discount_minor,
                                o.tax_minor - _vat_inside(o.shipping_minor,
                                                          settings.SHOP_TAX_RATE_BP)]
             or o.shipping_minor != (0 if o.subtotal_minor - o.discount_minor >= 5000 else 495)]
    assert wrong == []
    assert all(o.currency == settings.SHOP_CURRENCY for o in Order.objects.all())


def test_orders_end_in_a_final_status_reached_through_their_events(seeded):
    events = defaultdict(list)
    for order_id, status_from, status_to, actor, at in OrderEvent.objects.order_by(
            "order_id", "created_at", "id").values_list("order_id", "status_from", "status_to",
                                                        "actor", "created_at"):
        events[order_id].append((status_from, status_to, actor, at))

    orders = Order.objects.select_related("payment")
    assert {o.status for o in orders} <= FINAL_STATUSES
    assert len(orders) == 300
    for order in orders:
        history = events[order.id]
        assert history[0] == (None, "pending", "customer", order.placed_at)
        assert history[1][:3] == ("pending", "confirmed", "system")
        assert all(a[1] == b[0] for a, b in pairwise(history))
        assert (history[-1][1], history[-1][3]) == (order.status, order.updated_at)
        assert order.payment.status == PAYMENT_FOR[order.status]
        assert order.payment.amount_minor == order.total_minor


def test_shipments_are_made_by_staff(seeded):
    shippers = set(OrderEvent.objects.filter(status_to="shipped").values_list("actor", flat=True))

    assert shippers == {"manager@tienda.local"}


def test_orders_lie_within_the_last_181_days(seeded):
    zone = ZoneInfo(settings.STORE_TIMEZONE)
    today = datetime.now(zone).date()
    earliest = datetime.combine(today - timedelta(days=181), datetime.min.time(), tzinfo=zone)
    now = datetime.now(UTC)

    moments = [m for row in Order.objects.values_list("placed_at", "updated_at") for m in row]
    events = list(OrderEvent.objects.values_list("created_at", flat=True))

    assert min(moments) >= earliest
    assert max(moments + events) <= now


def test_every_product_has_pictures_and_thumbnails_in_the_media_container(seeded):
    summary, _ = seeded
    media = storages["media"]
    images = list(Product.objects.values_list("slug", "images__position", "images__blob_key",
                                              "images__thumbnail_key"))

    assert all(key is not None for _, _, key, _ in images)
    for slug, position, key, thumbnail in images:
        assert (key, thumbnail) == (f"products/{slug}/{position + 1}.jpg",
                                    f"products/{slug}/{position + 1}-thumb.jpg")
    sizes = {Image.open(media.open(key)).size for _, _, key, _ in images[:3]}
    thumbnail_sizes = {Image.open(media.open(key)).size for *_, key in images[:3]}
    assert len(images) == summary.images
    assert all(media.exists(key) and media.exists(thumbnail) for _, _, key, thumbnail in images)
    assert (sizes, thumbnail_sizes) == ({(800, 800)}, {(320, 320)})


def test_customers_have_unique_demo_addresses_and_staff_can_sign_in(seeded):
    User = get_user_model()
    emails = list(Customer.objects.values_list("email", flat=True))
    staff = User.objects.filter(email__in=[e for e, _, _ in STAFF]).order_by("email")

    assert len(set(emails)) == 40
    assert all(e.split("@")[1] == "example.com" and e.count(".") == 3 for e in emails)
    assert [(member.email, staff_role(member)) for member in staff] == [
        ("admin@tienda.local", "admin"), ("manager@tienda.local", "manager"),
        ("support@tienda.local", "support"), ("viewer@tienda.local", "viewer")]
    assert all(member.check_password(STAFF_PASSWORD) for member in staff)
    assert Customer.objects.filter(user__isnull=True).count() == 0
    assert Customer.objects.filter(addresses__isnull=True).count() == 0


def test_some_orders_are_guest_orders_and_some_customers_order_again(seeded):
    guests = Order.objects.filter(customer__isnull=True).count()
    repeat = (Order.objects.filter(customer__isnull=False).values("customer_id")
              .annotate(n=Count("id")).filter(n__gt=1).count())

    assert 0 < guests < 100
    assert repeat > 10


def test_customers_registered_before_their_first_order(seeded):
    late = Order.objects.filter(customer__isnull=False,
                                placed_at__lt=F("customer__created_at")).count()

    assert late == 0


def test_progress_is_reported_for_each_long_step(seeded):
    summary, reporter = seeded

    stock_rows = StockLevel.objects.count() + StockMovement.objects.count()

    assert reporter.totals == {"product images": summary.images, "customers": 40,
                               "orders": 300, "stock": stock_rows}
    assert dict(reporter.done) == reporter.totals


# --- the command -------------------------------------------------------------------------------

def test_the_command_refuses_a_second_seed_with_one_line(seeded):
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo", *_sizes(TINY))

    assert str(refused.value) == ("the shop already has 30 products; "
                                  "run `manage.py seed_demo --reset` to start over")


def test_reset_replaces_the_shop_and_keeps_the_ledger_append_only(seeded):
    out = io.StringIO()
    staff = set(get_user_model().objects.filter(is_staff=True).values_list("pk", flat=True))

    call_command("seed_demo", "--reset", "--seed", "7", *_sizes(TINY), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "reset: the shop's tables are empty"
    assert [line.split()[0] for line in lines[1:5]] == ["customers", "orders", "stock",
                                                        "product"]
    assert all("#" * 20 in line for line in lines[1:5])
    assert lines[5].startswith("seeded in ")
    assert lines[6] == ("staff: admin@tienda.local, manager@tienda.local, support@tienda.local, "
                        "viewer@tienda.local (password tienda-demo)")
    assert len(lines) == 7  # one line per stage, however many rows
    assert (Product.objects.count(), Customer.objects.count(), Order.objects.count()) == (
        12, 20, 60)
    assert set(get_user_model().objects.filter(is_staff=True).values_list("pk", flat=True)) == (
        staff)
    with pytest.raises(DatabaseError), transaction.atomic():
        StockMovement.objects.filter(pk=StockMovement.objects.first().pk).delete()


def test_check_exits_0_when_seeded_and_3_when_not(seeded):
    with pytest.raises(SystemExit) as when_seeded:
        call_command("seed_demo", "--check")
    shop_empty()
    with pytest.raises(SystemExit) as when_empty:
        call_command("seed_demo", "--check")

    assert (when_seeded.value.code, when_empty.value.code) == (0, 3)


def _sizes(sizes: dict[str, int]) -> list[str]:
    return [part for name, value in sizes.items() for part in (f"--{name}", str(value))]
