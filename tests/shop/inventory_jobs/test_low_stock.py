"""Low-stock thresholds and the daily digest to the staff who may change stock."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from shop.audit.models import AuditEntry
from shop.core.errors import NotFound, ShopError
from shop.inventory import low_stock
from shop.inventory.low_stock import low_stock_digest_send, low_stock_list, low_stock_threshold_set
from shop.inventory.models import LowStockDigest
from shop.notifications.tasks import send_email_task
from tests.backoffice.builders import a_staff_member
from tests.builders import a_variant
from tests.shop.inventory_jobs.builders import reserve

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():  # type: ignore[no-untyped-def]
    """Who hears of low stock: active staff with inventory:write (admin, manager) only."""
    return {"admin": a_staff_member("admin", email="ada@tienda.test"),
            "manager": a_staff_member("manager", email="mia@tienda.test"),
            "away": a_staff_member("manager", email="away@tienda.test", active=False),
            "support": a_staff_member("support", email="sam@tienda.test"),
            "viewer": a_staff_member("viewer", email="vic@tienda.test")}


@pytest.fixture
def thresholds(staff):  # type: ignore[no-untyped-def]
    a_variant("LOW-1", stock={"MAD": 6, "BCN": 1})
    a_variant("OK-1", stock={"MAD": 10})
    a_variant("NONE-1")
    reserve(["LOW-1"], "MAD", 3)  # 4 available
    for sku, threshold in (("LOW-1", 4), ("OK-1", 3), ("NONE-1", 0)):
        low_stock_threshold_set(sku=sku, threshold=threshold, actor=staff["manager"])


def test_variants_at_or_below_their_threshold_are_low(thresholds):
    assert [(row.variant.sku, row.threshold, row.available) for row in low_stock_list()] == [
        ("LOW-1", 4, 4), ("NONE-1", 0, 0)]


def test_the_digest_goes_once_a_day_to_each_active_member_who_may_change_stock(
        thresholds, worker):
    queued = low_stock_digest_send()
    again = low_stock_digest_send()
    worker.deliver(send_email_task)

    assert (queued, again) == (2, 0)
    assert sorted(message.to[0] for message in mail.outbox) == ["ada@tienda.test",
                                                                "mia@tienda.test"]
    message = mail.outbox[0]
    assert message.subject == "Low stock: 2 variants"
    assert "- LOW-1 (Product " in message.body
    assert ": 4 available, threshold 4" in message.body
    assert ": 0 available, threshold 0" in message.body
    assert "OK-1" not in message.body
    assert LowStockDigest.objects.get().recipients == 2


def test_the_next_day_brings_a_new_digest(thresholds, monkeypatch):
    low_stock_digest_send()
    monkeypatch.setattr(low_stock, "_today", lambda: date(2030, 1, 2))

    assert low_stock_digest_send() == 2
    assert LowStockDigest.objects.count() == 2


def test_nothing_is_sent_and_the_day_stays_open_when_nothing_is_low(staff, worker):
    a_variant("OK-2", stock={"MAD": 10})
    low_stock_threshold_set(sku="OK-2", threshold=9, actor=staff["admin"])

    assert low_stock_digest_send() == 0
    worker.deliver(send_email_task)
    assert (mail.outbox, LowStockDigest.objects.count()) == ([], 0)


def test_a_threshold_is_set_changed_and_removed_with_an_audit_entry(staff):
    a_variant("T-1")

    low_stock_threshold_set(sku="T-1", threshold=5, actor=staff["manager"])
    low_stock_threshold_set(sku="T-1", threshold=2, actor=staff["manager"])
    low_stock_threshold_set(sku="T-1", threshold=None, actor=staff["manager"])

    assert list(low_stock_list()) == []
    assert [(a.before, a.after) for a in AuditEntry.objects.filter(
        action="stock.threshold").order_by("id")] == [
        ({"threshold": None}, {"threshold": 5}), ({"threshold": 5}, {"threshold": 2}),
        ({"threshold": 2}, {"threshold": None})]


def test_a_bad_threshold_or_sku_is_refused(staff):
    a_variant("T-2")

    with pytest.raises(ShopError, match="threshold: a whole number from 0 to 1000000"):
        low_stock_threshold_set(sku="T-2", threshold=-1, actor=staff["admin"])
    with pytest.raises(NotFound, match="there is no SKU 'NOPE'"):
        low_stock_threshold_set(sku="NOPE", threshold=1, actor=staff["admin"])
