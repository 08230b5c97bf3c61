"""No N+1 queries on catalog pages; the catalog cache, its invalidation by the catalog
version, and the fragment cache that still gives each visitor their own CSRF token and e-mail.
(Ported from legacy tests/integration/storefront/test_speed.py.)"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.models import F
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shop.catalog.models import Variant
from shop.inventory.models import StockLevel
from shop.users.models import User
from tests.storefront.catalog.builders import a_label, a_shop

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("products", [3, 30])
def test_a_cold_listing_page_costs_six_queries_whatever_its_size(
        client, version_checked_hourly, django_assert_num_queries, products):
    a_shop({f"TEE-{n}": n % 3 for n in range(products)})

    # catalog version, categories, count, cards, facets, attribute labels
    with django_assert_num_queries(6):
        page = client.get("/c/ropa")

    assert page.status_code == 200
    assert page.content.decode().count('class="card"') == min(products, 24)


@pytest.mark.parametrize("products", [3, 30])
def test_a_cold_product_page_costs_seven_queries_whatever_the_catalog_size(
        client, version_checked_hourly, django_assert_num_queries, products):
    a_shop({f"TEE-{n}": 1 for n in range(products)})

    # catalog version, categories, product, variants, images, related, attribute labels
    with django_assert_num_queries(7):
        page = client.get("/p/producto-1")

    assert page.status_code == 200
    assert page.content.decode().count('class="card"') == min(products - 1, 4)


@pytest.mark.parametrize("products", [3, 30])
def test_cold_home_and_search_pages_cost_five_queries_whatever_the_catalog_size(
        client, version_checked_hourly, django_assert_num_queries, products):
    a_shop({f"TEE-{n}": 1 for n in range(products)})

    # catalog version, categories, featured, new in, best sellers
    with django_assert_num_queries(5):
        home = client.get("/")
    # categories and the version are warm now: search, matches left by the filters, cards;
    # sorted by price: search, count, cards
    with django_assert_num_queries(3):
        by_relevance = client.get("/search?q=camiseta")
    with django_assert_num_queries(3):
        by_price = client.get("/search?q=camiseta&sort=price_asc")

    assert home.content.decode().count('class="card"') == 2 * min(products, 8)
    assert by_relevance.content.decode().count('class="card"') == min(products, 24)
    assert by_price.content.decode().count('class="card"') == min(products, 24)


def test_warm_catalog_pages_cost_no_query_until_the_version_is_checked_again(
        client, version_checked_hourly, django_assert_num_queries):
    a_shop({"TEE-M": 5})
    paths = ("/", "/c/ropa", "/p/producto-1", "/search?q=camiseta")
    for path in paths:
        client.get(path)

    with django_assert_num_queries(0):
        pages = [client.get(path) for path in paths]

    assert [page.status_code for page in pages] == [200, 200, 200, 200]


def test_made_up_query_parameters_neither_change_a_listing_nor_cost_a_query(
        client, version_checked_hourly, django_assert_num_queries):
    a_shop({f"TEE-{n}": 1 for n in range(5)})
    first = client.get("/c/ropa?sort=price_asc")

    with django_assert_num_queries(0):
        others = [client.get(f"/c/ropa?sort=price_asc&utm_source=x{n}") for n in range(20)]

    assert first.status_code == 200
    assert {page.status_code for page in others} == {200}
    assert all("utm_source" not in page.content.decode() for page in others)


# PostgreSQL bumps the version when the writing transaction commits: these tests commit.
@pytest.mark.django_db(transaction=True)
def test_a_price_change_shows_on_the_next_page_view(client):
    a_shop({"TEE-M": 5}, price=1995)
    before = client.get("/p/producto-1?lang=en").content.decode()

    Variant.objects.filter(sku="TEE-M").update(price_minor=2495)
    after = client.get("/p/producto-1?lang=en").content.decode()

    assert "€19.95" in before
    assert "€24.95" in after
    assert "€19.95" not in after


@pytest.mark.django_db(transaction=True)
def test_a_stock_change_shows_on_the_next_page_view(client):
    a_shop({"TEE-M": 1})
    before = client.get("/c/ropa?lang=en").content.decode()

    StockLevel.objects.filter(variant__sku="TEE-M").update(reserved=F("on_hand"))
    after = client.get("/c/ropa?lang=en").content.decode()

    assert "Sold out" not in before
    assert "Sold out" in after


@pytest.mark.django_db(transaction=True)
def test_a_label_added_later_shows_on_the_next_page_view(client):
    a_shop({"TEE-B": 5})
    Variant.objects.update(attributes={"color": "Azul", "size": "M"})
    before = client.get("/p/producto-1?lang=en").content.decode()

    a_label("color", "Azul", "en", "Blue")
    after = client.get("/p/producto-1?lang=en").content.decode()

    assert '<span class="option">Azul / M</span>' in before
    assert '<span class="option">Blue / M</span>' in after


def csrf_of(page: str) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)


def same_secret(masked_token: str, cookie: str) -> bool:
    """A masked form token belongs to the visitor whose CSRF cookie holds its secret."""
    return _unmask_cipher_token(masked_token) == cookie


def hidden_csrf_tokens(page: str) -> set[str]:
    """The tokens of the forms in the page's main part (the cached fragment)."""
    main = page.split('<main id="main">')[1]
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', main))


def test_a_cached_product_page_carries_each_visitors_own_csrf_token_and_e_mail(
        version_checked_hourly, django_assert_num_queries):
    a_shop({"TEE-M": 0, "TEE-L": 3})
    Variant.objects.filter(sku="TEE-L").update(product_id=Variant.objects.get(sku="TEE-M")
                                               .product_id)
    ana, guest = Client(), Client()
    ana.force_login(User.objects.create_user(email="ana@example.com", password="x" * 12))
    ana_page = ana.get("/p/producto-1").content.decode()
    guest_page = guest.get("/p/producto-1").content.decode()

    with django_assert_num_queries(0):
        guest_again = guest.get("/p/producto-1").content.decode()

    assert guest_page.count('name="csrfmiddlewaretoken"') == 2  # add to cart, notify me
    assert len(hidden_csrf_tokens(ana_page)) == len(hidden_csrf_tokens(guest_page)) == 1
    assert hidden_csrf_tokens(ana_page) != hidden_csrf_tokens(guest_page)
    assert same_secret(hidden_csrf_tokens(ana_page).pop(), ana.cookies["tienda_csrf"].value)
    assert same_secret(csrf_of(guest_page), guest.cookies["tienda_csrf"].value)
    assert 'autocomplete="email" value="ana@example.com"' in ana_page
    assert 'autocomplete="email" value=""' in guest_page
    assert "\ue000" not in ana_page + guest_page
    assert guest_again.count('class="card"') == guest_page.count('class="card"')


def test_the_fragment_cache_is_per_language(client, version_checked_hourly):
    a_shop({"TEE-M": 5})

    spanish = client.get("/p/producto-1?lang=es").content.decode()
    english = client.get("/p/producto-1?lang=en").content.decode()

    assert "<h1>Camiseta TEE-M</h1>" in spanish
    assert "<h1>T-shirt TEE-M</h1>" in english


def test_a_warm_page_only_reads_the_version_again_once_the_recheck_interval_passed(
        client, settings):
    a_shop({"TEE-M": 5})
    settings.CATALOG_VERSION_RECHECK_SECONDS = 0
    client.get("/c/ropa")

    with CaptureQueriesContext(connection) as queries:
        client.get("/c/ropa")

    assert len(queries) >= 1
    assert all("catalog_version" in query["sql"] for query in queries)
