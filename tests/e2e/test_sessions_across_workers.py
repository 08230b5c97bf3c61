"""The storefront runs several gunicorn workers (2 per instance, as deployed): a shopper's
session written while one worker answers must be what the next request reads, whichever
worker answers it. Plain HTTP against the live shop; no browser."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
import urllib.request

import pytest

from shop.catalog.models import Variant
from shop.inventory.models import StockLevel

pytestmark = [pytest.mark.azurite, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
READS_PER_CHANGE = 8  # with 2 workers, 8 reads all landing on the writer is a 1-in-128 event


class Shopper:
    """One browser's cookies over urllib."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def add_to_cart(self, sku: str) -> None:
        csrf = next(c.value for c in self.cookies if c.name == "tienda_csrf")
        body = urllib.parse.urlencode({"sku": sku, "quantity": "1"}).encode()
        request = urllib.request.Request(self.base + "/cart/lines", data=body, headers={
            "X-CSRFToken": csrf, "HX-Request": "true"})
        with self.opener.open(request, timeout=30) as response:
            assert response.status == 200

    def cart_count(self) -> int:
        found = re.search(r'<span class="count">(\d+)</span>', self.get("/cart"))
        assert found, "the page has no cart count"
        return int(found.group(1))


def a_sku_in_stock() -> tuple[str, str]:
    level = (StockLevel.objects.filter(on_hand__gte=10, reserved=0)
             .select_related("variant__product").order_by("variant_id").first())
    assert level is not None, "the seeded shop has nothing in stock"
    variant: Variant = level.variant
    return variant.sku, variant.product.slug


def test_every_worker_reads_the_cart_the_last_change_left(live_shop):
    sku, slug = a_sku_in_stock()
    shopper = Shopper(live_shop.base)
    shopper.get(f"/p/{slug}")  # the CSRF cookie
    seen = []

    for _change in range(4):
        shopper.add_to_cart(sku)
        seen.append({shopper.cart_count() for _ in range(READS_PER_CHANGE)})

    assert seen == [{1}, {2}, {3}, {4}]
