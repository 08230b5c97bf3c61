"""The catalog pages: home shelves, category listings with filters, sorting and pages, the
product page and its forms. (Covers PARITY §1.1 rows /, /c/{slug}, /p/{slug}; attribute
labels ported from legacy tests/integration/storefront/test_attribute_labels.py.)"""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from shop.catalog.models import Product, Variant
from tests.storefront.catalog.builders import (
    a_category,
    a_label,
    a_product,
    a_shop,
    a_variant,
    an_image,
    an_order_of,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


def main_of(response) -> str:
    return text_of(response).split('<main id="main">')[1].split("</main>")[0]


def card_names(response) -> list[str]:
    return re.findall(r'<span class="name">([^<]+)</span>', main_of(response))


def section(page: str, heading_id: str) -> str:
    return page.split(f'id="{heading_id}"')[1].split("</section>")[0]


# --- home -------------------------------------------------------------------------------------

def test_home_shows_featured_new_and_best_selling_shelves(client):
    variants = a_shop({"A": 5, "B": 5, "C": 5})
    Product.objects.filter(slug="producto-2").update(is_featured=False)
    an_order_of(variants["C"], 3)
    an_order_of(variants["A"], 1)
    an_order_of(variants["B"], 9, status="cancelled")
    an_order_of(variants["B"], 9, status="refunded")

    page = text_of(client.get("/?lang=en"))

    assert re.findall(r"T-shirt (\w)", section(page, "featured")) == ["A", "C"]
    assert re.findall(r"T-shirt (\w)", section(page, "newest")) == ["C", "B", "A"]
    assert re.findall(r"T-shirt (\w)", section(page, "best")) == ["C", "A"]
    assert 'href="/c/ropa"' in section(page, "shop-by")


def test_home_shelves_show_each_products_first_thumbnail_through_the_media_route(
        client, azurite):
    a_shop({"A": 5})
    product = Product.objects.get()
    second, first = an_image(product, 2), an_image(product, 1)
    storages["media"].save(first.thumbnail_key, ContentFile(b"\xff\xd8small"))

    pictures = re.findall(r'<img src="([^"]+)"', section(text_of(client.get("/")), "featured"))
    served = client.get(pictures[0])

    assert pictures == [f"/media/{first.thumbnail_key}"]
    assert second.thumbnail_key not in pictures[0]
    assert b"".join(served.streaming_content) == b"\xff\xd8small"
    assert served["Content-Type"] == "image/jpeg"


def test_an_empty_shop_says_how_to_seed_it(client):
    page = text_of(client.get("/?lang=en"))

    assert "No products yet. Run `python manage.py seed_demo`" in page


def test_unpublished_products_and_products_without_variants_are_not_on_sale(client):
    a_shop({"A": 5})
    hidden = a_product("oculto", category=a_category("otra", "Otra", "Other"),
                       name_es="Oculto", published=False)
    a_variant(hidden, "HIDDEN")
    a_product("sin-variantes", category=hidden.category, name_es="Sin variantes")

    page = client.get("/?lang=es")

    assert card_names(page).count("Camiseta A") == 2  # featured and new in
    assert "Oculto" not in text_of(page) and "Sin variantes" not in text_of(page)
    assert client.get("/p/oculto").status_code == 404


# --- category listing ---------------------------------------------------------------------------

@pytest.fixture
def clothing():
    """Ropa > Camisetas; shirts red and blue in S and M, a jacket in the parent category."""
    ropa = a_category("ropa", "Ropa", "Clothing")
    camisetas = a_category("camisetas", "Camisetas", "T-shirts", parent=ropa)
    made = {}
    for n, (name, price, colour, size, stock) in enumerate([
            ("Camiseta roja", 1500, "Rojo", "M", 3), ("Camiseta azul", 2500, "Azul", "S", 0),
            ("Camiseta verde", 1999, "Verde", "M", 1)], start=1):
        product = a_product(f"camiseta-{n}", category=camisetas, name_es=name, featured=n == 3)
        made[name] = a_variant(product, f"TEE-{n}", price=price, stock=stock, color=colour,
                               size=size)
    jacket = a_product("chaqueta", category=ropa, name_es="Chaqueta", featured=False)
    made["Chaqueta"] = a_variant(jacket, "JACKET", price=5000, stock=2, size="L")
    a_label("color", "Rojo", "en", "Red")
    return made


def test_a_category_lists_its_descendants_with_a_breadcrumb_and_count(client, clothing):
    parent = client.get("/c/ropa?lang=es")
    child = client.get("/c/camisetas?lang=es")

    assert card_names(parent) == ["Camiseta verde", "Camiseta roja", "Camiseta azul", "Chaqueta"]
    assert "4 productos" in text_of(parent)
    assert card_names(child) == ["Camiseta verde", "Camiseta roja", "Camiseta azul"]
    assert ('<a href="/c/ropa">Ropa</a></li>\n    <li><span aria-current="page">Camisetas'
            in text_of(child))


@pytest.mark.parametrize(("sort", "expected"), [
    ("price_asc", ["Camiseta roja", "Camiseta verde", "Camiseta azul", "Chaqueta"]),
    ("price_desc", ["Chaqueta", "Camiseta azul", "Camiseta verde", "Camiseta roja"]),
    ("newest", ["Chaqueta", "Camiseta verde", "Camiseta azul", "Camiseta roja"]),
    ("featured", ["Camiseta verde", "Camiseta roja", "Camiseta azul", "Chaqueta"]),
])
def test_a_listing_sorts_by_price_newest_and_featured(client, clothing, sort, expected):
    assert card_names(client.get(f"/c/ropa?sort={sort}&lang=es")) == expected


def test_a_listing_sorts_by_units_sold_without_cancelled_or_refunded_orders(client, clothing):
    an_order_of(clothing["Chaqueta"], 2)
    an_order_of(clothing["Camiseta azul"], 5)
    an_order_of(clothing["Camiseta roja"], 50, status="refunded")

    names = card_names(client.get("/c/ropa?sort=best_selling&lang=es"))

    assert names == ["Camiseta azul", "Chaqueta", "Camiseta roja", "Camiseta verde"]


def test_price_filters_accept_a_decimal_comma(client, clothing):
    page = client.get("/c/ropa?min_price=15,50&max_price=25&lang=es")

    assert card_names(page) == ["Camiseta verde", "Camiseta azul"]
    assert 'value="15,50"' in text_of(page)


def test_in_stock_only_leaves_out_sold_out_products(client, clothing):
    names = card_names(client.get("/c/ropa?in_stock=1&lang=es"))

    assert names == ["Camiseta verde", "Camiseta roja", "Chaqueta"]


def test_filters_show_labels_and_filter_by_the_stored_value_in_both_languages(client, clothing):
    english = client.get("/c/ropa?lang=en&color=Rojo")
    spanish = client.get("/c/ropa?lang=es&color=Rojo")

    assert '<option value="Rojo" selected>Red</option>' in text_of(english)
    assert '<option value="Azul">Azul</option>' in text_of(english)  # no label: as stored
    assert '<option value="Rojo" selected>Rojo</option>' in text_of(spanish)
    assert card_names(english) == card_names(spanish) == ["Camiseta roja"]


def test_size_facets_read_in_size_order(client, clothing):
    page = text_of(client.get("/c/ropa?lang=en"))

    sizes = re.findall(r'<option value="(\w+)"', page.split('name="size"')[1].split("</select>")[0])
    assert sizes == ["S", "M", "L"]


def test_a_listing_shows_24_per_page_with_a_pager(client):
    a_shop({f"TEE-{n:02d}": 1 for n in range(30)})

    first = client.get("/c/ropa?sort=price_asc&utm=x")
    second = client.get("/c/ropa?sort=price_asc&page=2")

    assert len(card_names(first)) == 24
    assert len(card_names(second)) == 6
    assert '<a rel="next" href="/c/ropa?sort=price_asc&amp;page=2">' in text_of(first)
    assert '<a rel="prev" href="/c/ropa?sort=price_asc&amp;page=1">' in text_of(second)
    assert "Página 2 de 2" in text_of(second)


def test_a_page_past_the_end_is_the_empty_state(client, clothing):
    page = client.get("/c/ropa?page=9&lang=en")

    assert page.status_code == 200
    assert "No products match these filters." in text_of(page)
    assert '<a href="/c/ropa">Clear the filters</a>' in text_of(page)


@pytest.mark.parametrize(("query", "problem"), [
    ("min_price=cheap", "min_price must be a number"),
    ("max_price=-1", "max_price must be a number from 0 to 1000000"),
    ("page=0", "page must be a whole number from 1 to 1000"),
    ("page=1001", "page must be a whole number from 1 to 1000"),
    ("page=dos", "page must be a whole number from 1 to 1000"),
    ("sort=random", "sort must be one of featured, relevance, price_asc"),
])
def test_a_bad_filter_is_a_400_page_naming_the_problem(client, clothing, query, problem):
    page = client.get(f"/c/ropa?{query}&lang=en")

    assert page.status_code == 400
    assert "We could not apply those filters" in text_of(page)
    assert problem in text_of(page)


def test_an_unknown_category_is_a_404(client, clothing):
    assert client.get("/c/no-such-thing").status_code == 404


# --- product page -----------------------------------------------------------------------------

@pytest.fixture
def tee():
    """A T-shirt in red M (3 units), blue M (sold out) and green L; two pictures; 5 others."""
    ropa = a_category("ropa", "Ropa", "Clothing")
    product = a_product("camiseta", category=ropa, name_es="Camiseta lisa",
                        name_en="Plain T-shirt", description_es="Algodón orgánico")
    a_variant(product, "TEE-R", price=1995, stock=3, color="Rojo", size="M")
    a_variant(product, "TEE-B", price=1795, stock=0, color="Azul", size="M")
    a_variant(product, "TEE-G", price=2195, stock=1, color="Verde", size="L")
    an_image(product, 1)
    an_image(product, 2)
    for n in range(5):
        a_variant(a_product(f"otra-{n}", category=ropa, name_es=f"Otra {n}"), f"OTHER-{n}")
    a_label("color", "Rojo", "en", "Red")
    return product


def option_texts(page: str) -> list[str]:
    return re.findall(r'<span class="option">([^<]+)</span>', page)


def test_the_product_page_shows_gallery_price_variants_and_related(client, tee):
    page = text_of(client.get("/p/camiseta?lang=en"))

    assert f'<img class="main" src="/media/products/{tee.pk}/1.jpg" alt="Picture 1"' in page
    assert page.count('<ul class="thumbs">') == 1 and page.count("-thumb.jpg") == 2
    assert '<p class="price">From €17.95</p>' in page
    assert option_texts(page) == ["Red / M", "Azul / M", "Verde / L"]
    assert '<input type="radio" name="sku" value="TEE-R" checked>' in page
    assert '<input type="radio" name="sku" value="TEE-B" disabled>' in page
    assert "3 available" in page
    assert '<p class="description">Algodón orgánico</p>' in page  # no English text: Spanish
    assert page.count('class="card"') == 4


def test_the_variant_picker_reads_in_the_shoppers_language(client, tee):
    spanish = text_of(client.get("/p/camiseta?lang=es"))

    assert option_texts(spanish) == ["Rojo / M", "Azul / M", "Verde / L"]
    assert "Algodón orgánico" in spanish
    assert "3 disponibles" in spanish
    assert '<p class="price">Desde 17,95\xa0€</p>' in spanish


def test_the_add_to_cart_form_posts_to_the_cart_through_htmx(client, tee):
    page = text_of(client.get("/p/camiseta"))

    assert ('<form class="add" action="/cart/lines" method="post" hx-post="/cart/lines" '
            'hx-target="#cart-status" hx-swap="outerHTML">') in page
    assert 'name="quantity" type="number" min="1" max="99" value="1"' in page


def test_sold_out_variants_offer_the_back_in_stock_form(client, tee):
    page = text_of(client.get("/p/camiseta?lang=en"))
    notify = page.split('<form class="notify"')[1].split("</form>")[0]

    assert 'action="/p/camiseta/notify"' in notify
    assert re.findall(r'<option value="([^"]+)">', notify) == ["TEE-B"]


def test_a_product_without_stock_has_no_add_to_cart_form(client, tee):
    Variant.objects.filter(product=tee).update(is_published=False)
    a_variant(tee, "TEE-X", stock=0)

    page = text_of(client.get("/p/camiseta?lang=en"))

    assert '<form class="add"' not in page
    assert '<p class="badge out">Sold out</p>' in page


def test_an_unknown_product_is_a_404(client, tee):
    assert client.get("/p/no-such-thing").status_code == 404
