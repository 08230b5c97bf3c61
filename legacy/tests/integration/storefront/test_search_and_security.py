"""Full-text search with ranking and highlighting; security headers and cookie flags."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.builders import make_shop
from tests.integration.storefront.helpers import csrf, shop_client
from tienda.adapters.db.tables import products
from tienda.service_layer.storefront import ListingQuery

pytestmark = pytest.mark.azurite


@pytest.fixture
def shop(tienda):
    make_shop(tienda.engine, {"A-1": 1, "B-1": 1, "C-1": 1})
    texts = {1: ("Chaqueta vaquera Brisa", "Brisa Denim jacket", "Algodón grueso"),
             2: ("Bolso de piel Duna", "Duna Leather bag", "Cabe una chaqueta doblada"),
             3: ("Taza de cerámica", "Ceramic mug", "Para el café")}
    with tienda.engine.begin() as conn:
        for product_id, (es, en, description) in texts.items():
            conn.execute(sa.update(products).where(products.c.id == product_id).values(
                name_es=es, name_en=en, description_es=description))
    return tienda


def test_a_name_match_ranks_above_a_description_match(shop):
    items, total = shop.catalog.listing(ListingQuery(text="chaqueta"))

    assert total == 2
    assert [card.id for card in items] == [1, 2]


def test_search_ignores_accents_and_matches_word_prefixes_in_both_languages(shop):
    for text, expected in (("ceramica", [3]), ("algodon", [1]), ("leath", [2]),
                           ("denim brisa", [1]), ("mug zzz", [])):
        items, _ = shop.catalog.listing(ListingQuery(text=text))
        assert [card.id for card in items] == expected, text


def test_the_results_page_highlights_the_matches(shop):
    with shop_client(shop) as client:
        page = client.get("/search?q=chaq&lang=es")

    assert page.status_code == 200
    assert "<mark>Chaqueta</mark> vaquera Brisa" in page.text
    assert "2 productos" in page.text


def test_no_results_is_a_friendly_page_with_categories(shop):
    with shop_client(shop) as client:
        page = client.get("/search?q=unicornio&lang=en")

    assert page.status_code == 200
    assert "We found nothing for “unicornio”" in page.text
    assert 'href="/c/ropa"' in page.text


def test_search_text_with_fts_syntax_is_only_words(shop):
    for text in ('"', "a AND OR NOT", "chaq*) OR (", "'; DROP TABLE products; --"):
        items, _ = shop.catalog.listing(ListingQuery(text=text))
        assert isinstance(items, list)


def test_pages_carry_a_strict_csp_and_security_headers(tienda):
    with shop_client(tienda) as client:
        page = client.get("/")

    headers = page.headers
    assert headers["content-security-policy"].startswith("default-src 'self'; script-src 'self';")
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "<script>" not in page.text
    assert " on" + "click=" not in page.text


def test_the_session_cookie_is_httponly_samesite_and_secure_under_https(tienda):
    make_shop(tienda.engine, {"A-1": 1})
    with shop_client(tienda, base_url="https://shop.test") as client:
        page = client.get("/p/producto-1")

    cookie = page.headers["set-cookie"]
    assert cookie.startswith("tienda_session=")
    assert "; HttpOnly" in cookie
    assert "; SameSite=Lax" in cookie
    assert "; Secure" in cookie
    assert page.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_the_session_cookie_is_not_secure_over_plain_http(tienda):
    with shop_client(tienda) as client:
        cookie = client.get("/").headers["set-cookie"]
        assert csrf(client)

    assert "; Secure" not in cookie
