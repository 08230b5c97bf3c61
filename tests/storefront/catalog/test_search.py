"""Full-text search per database vendor: ranking, accents, prefixes, plurals, category names,
highlighting, the no-results page, and search syntax read as words.
(Ported from legacy tests/integration/storefront/test_search_and_security.py, search part.)"""

from __future__ import annotations

import pytest

from shop.catalog import search
from shop.catalog.models import Category, Product
from tests.storefront.catalog.builders import a_category, a_product, a_variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    """A jacket, a bag whose description mentions a jacket, a mug and a book."""
    clothing, home = a_category("ropa", "Ropa", "Clothing"), a_category("hogar", "Hogar", "Home")
    books = a_category("libros", "Libros", "Books")
    made = [
        a_product("chaqueta", category=clothing, name_es="Chaqueta vaquera Brisa",
                  name_en="Brisa Denim jacket", description_es="Algodón grueso"),
        a_product("bolso", category=clothing, name_es="Bolso de piel Duna",
                  name_en="Duna Leather bag", description_es="Cabe una chaqueta doblada"),
        a_product("taza", category=home, name_es="Taza de cerámica", name_en="Ceramic mug",
                  description_es="Para el café"),
        a_product("novela", category=books, name_es="Novela del mar", name_en="Sea novel"),
    ]
    for product in made:
        a_variant(product, f"SKU-{product.slug}")
    return {product.slug: product.pk for product in made}


def found(text: str) -> list[int]:
    return search.ranked_product_ids(search.search_terms(text))


def test_a_name_match_ranks_above_a_description_match(shop):
    assert found("chaqueta") == [shop["chaqueta"], shop["bolso"]]


def test_search_ignores_accents_and_matches_word_prefixes_in_both_languages(shop):
    for text, expected in (("ceramica", ["taza"]), ("CERÁMICA", ["taza"]),
                           ("algodon", ["chaqueta"]), ("leath", ["bolso"]),
                           ("denim brisa", ["chaqueta"]), ("mug zzz", [])):
        assert found(text) == [shop[slug] for slug in expected], text


def test_plurals_find_the_singular_products(shop):
    assert found("chaquetas") == [shop["chaqueta"], shop["bolso"]]
    assert found("tazas") == [shop["taza"]]
    assert found("mugs") == [shop["taza"]]
    assert found("novelas") == [shop["novela"]]


def test_category_names_are_searchable_in_both_languages(shop):
    assert found("libros") == [shop["novela"]]
    assert found("books") == [shop["novela"]]
    assert found("hogar") == [shop["taza"]]


def test_a_renamed_product_or_category_is_found_by_its_new_name(shop):
    Product.objects.filter(slug="taza").update(name_es="Jarra azul", name_en="Blue jug")
    Category.objects.filter(slug="libros").update(name_es="Lecturas", name_en="Reading")

    assert found("jarra") == [shop["taza"]]
    assert found("ceramica") == []
    assert found("lecturas") == [shop["novela"]]
    assert found("libros") == []


def test_a_deleted_product_is_no_longer_found(shop):
    Product.objects.filter(slug="novela").delete()

    assert found("novela") == []


def test_search_text_with_search_syntax_is_only_words(shop):
    for text in ('"', "a AND OR NOT", "chaq*) OR (", "'; DROP TABLE products; --",
                 "NEAR(a b)", "col:umn ^x", "a & b | !c :*"):
        assert isinstance(found(text), list), text
    assert found('"chaqueta" OR taza') == []  # every word must match: "or" matches nothing
    assert found("chaq*") == [shop["chaqueta"], shop["bolso"]]


def test_the_query_keeps_at_most_eight_terms_of_the_first_hundred_characters():
    assert search.search_terms("uno dos tres cuatro cinco seis siete ocho nueve diez") == [
        "uno", "dos", "tre", "cuatro", "cinco", "sei", "siete", "ocho"]
    assert search.search_terms("x" * 99 + " abc") == ["x" * 99]


def test_the_results_page_highlights_the_matches_and_counts_them(client, shop):
    page = client.get("/search?q=chaq&lang=es").content.decode()

    assert "<mark>Chaqueta</mark> vaquera Brisa" in page
    assert "2 productos" in page


def test_one_result_is_counted_in_the_singular(client, shop):
    spanish = client.get("/search?q=taza&lang=es").content.decode()
    english = client.get("/search?q=taza&lang=en").content.decode()

    assert "1 producto</p>" in spanish
    assert "1 product</p>" in english


def test_highlighting_escapes_the_text_first(client, shop):
    Product.objects.filter(slug="taza").update(name_en="<b>Ceramic</b> mug")

    page = client.get("/search?q=ceramic&lang=en").content.decode()

    assert "&lt;b&gt;<mark>Ceramic</mark>&lt;/b&gt; mug" in page


def test_no_results_is_a_friendly_page_listing_the_categories(client, shop):
    page = client.get("/search?q=unicornio&lang=en").content.decode()

    assert "We found nothing for “unicornio”" in page
    main = page.split('<main id="main">')[1]
    assert 'href="/c/ropa"' in main and 'href="/c/libros"' in main


def test_an_empty_query_asks_for_words(client, shop):
    page = client.get("/search?q=&lang=en").content.decode()

    assert "Type what you are looking for in the search box." in page


def test_search_results_can_be_sorted_by_price(client, shop):
    page = client.get("/search?q=chaqueta&sort=price_desc&lang=en")

    assert page.status_code == 200
    assert page.content.decode().count('class="card"') == 2


def test_a_search_for_an_unknown_sort_is_a_400_page_naming_it(client, shop):
    page = client.get("/search?q=chaqueta&sort=cheapest&lang=en")

    assert page.status_code == 400
    assert "sort must be one of" in page.content.decode()
