"""No N+1 queries on listing and product pages; the catalog cache and its invalidation;
long cache lifetimes for static assets."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.builders import make_shop
from tests.integration.storefront.helpers import counting_queries, shop_client
from tests.integration.storefront.test_accounts import register
from tienda.adapters.db.repositories import SqlStockRepository
from tienda.adapters.db.tables import variants
from tienda.domain.inventory import Movement, MovementKind

pytestmark = pytest.mark.azurite


@pytest.mark.parametrize("products", [3, 30])
def test_a_cold_listing_page_costs_six_queries_whatever_its_size(tienda, products):
    make_shop(tienda.engine, {f"TEE-{n}": n % 3 for n in range(products)})

    with shop_client(tienda, recheck_seconds=3600) as client, \
            counting_queries(tienda.engine, tienda.read_engine) as statements:
        page = client.get("/c/ropa")

    assert page.status_code == 200
    assert page.text.count('class="card"') == min(products, 24)
    # catalog version, categories, count, cards, facets, attribute labels
    assert len(statements) == 6


@pytest.mark.parametrize("products", [3, 30])
def test_a_cold_product_page_costs_seven_queries_whatever_the_catalog_size(tienda, products):
    make_shop(tienda.engine, {f"TEE-{n}": 1 for n in range(products)})

    with shop_client(tienda, recheck_seconds=3600) as client, \
            counting_queries(tienda.engine, tienda.read_engine) as statements:
        page = client.get("/p/producto-1")

    assert page.status_code == 200
    assert page.text.count('class="card"') == min(products - 1, 4)
    # catalog version, categories, product, variants, images, related, attribute labels
    assert len(statements) == 7


def test_warm_catalog_pages_cost_no_query_until_the_version_is_checked_again(tienda):
    make_shop(tienda.engine, {"TEE-M": 5})
    with shop_client(tienda, recheck_seconds=3600) as client:
        for path in ("/", "/c/ropa", "/p/producto-1", "/search?q=camiseta"):
            client.get(path)

        with counting_queries(tienda.engine, tienda.read_engine) as statements:
            pages = [client.get(p) for p in ("/", "/c/ropa", "/p/producto-1",
                                             "/search?q=camiseta")]

    assert [p.status_code for p in pages] == [200, 200, 200, 200]
    assert statements == []


def test_a_price_change_shows_on_the_next_page_view(tienda):
    make_shop(tienda.engine, {"TEE-M": 5}, price_minor=1995)
    with shop_client(tienda) as client:
        before = client.get("/p/producto-1?lang=en").text
        with tienda.engine.begin() as conn:
            conn.execute(sa.update(variants).where(variants.c.sku == "TEE-M")
                         .values(price_minor=2495))
        after = client.get("/p/producto-1?lang=en").text

    assert "€19.95" in before
    assert "€24.95" in after
    assert "€19.95" not in after


def test_a_stock_change_shows_on_the_next_page_view(tienda):
    make_shop(tienda.engine, {"TEE-M": 1})
    with shop_client(tienda) as client:
        before = client.get("/c/ropa?lang=en").text
        with tienda.engine.begin() as conn:
            SqlStockRepository(conn).apply(Movement(1, 1, MovementKind.ADJUSTMENT,
                                                    on_hand_delta=-1, reason="broken"))
        after = client.get("/c/ropa?lang=en").text

    assert "Sold out" not in before
    assert "Sold out" in after


def test_static_assets_are_cached_for_a_year_and_htmx_is_ours(tienda):
    with shop_client(tienda) as client:
        script = client.get("/static/htmx.min.js")
        css = client.get("/static/shop.css")

    assert script.status_code == 200
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert css.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert 'version:"2.0.11"' in script.text


def csrf_of(page: str) -> str:
    return re.search(r'"X-CSRF-Token": "([^"]+)"', page).group(1)


def hidden_csrf_tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', page))


def test_a_cached_product_page_carries_each_visitors_own_csrf_token_and_e_mail(tienda):
    make_shop(tienda.engine, {"TEE-M": 0, "TEE-L": 3})
    with shop_client(tienda, recheck_seconds=3600) as ana, \
            shop_client(tienda, recheck_seconds=3600) as guest:
        register(ana, "ana@example.com")
        ana_page = ana.get("/p/producto-1").text
        guest_page = guest.get("/p/producto-1").text
        with counting_queries(tienda.engine, tienda.read_engine) as statements:
            guest_again = guest.get("/p/producto-1").text

    assert hidden_csrf_tokens(ana_page) == {csrf_of(ana_page)}
    assert hidden_csrf_tokens(guest_page) == {csrf_of(guest_page)}
    assert csrf_of(ana_page) != csrf_of(guest_page)
    assert 'value="ana@example.com"' in ana_page
    assert 'autocomplete="email" value=""' in guest_page
    assert "\ue000" not in ana_page + guest_page
    assert guest_again == guest_page
    assert statements == []


def test_made_up_query_parameters_neither_change_a_listing_nor_cost_a_query(tienda):
    make_shop(tienda.engine, {f"TEE-{n}": 1 for n in range(5)})
    with shop_client(tienda, recheck_seconds=3600) as client:
        first = client.get("/c/ropa?sort=price_asc")
        with counting_queries(tienda.engine, tienda.read_engine) as statements:
            others = [client.get(f"/c/ropa?sort=price_asc&utm_source=x{n}")
                      for n in range(20)]

    assert first.status_code == 200
    assert {page.status_code for page in others} == {200}
    assert all("utm_source" not in page.text for page in others)
    assert statements == []
