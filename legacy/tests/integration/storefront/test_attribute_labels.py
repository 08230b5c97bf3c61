"""Variant attributes read in the shopper's language: stored values stay the filter keys,
labels come from the attribute_labels table, and a value without a label reads as stored."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.builders import make_shop
from tests.integration.storefront.helpers import csrf, shop_client
from tienda.adapters.db.tables import attribute_labels, variants

pytestmark = pytest.mark.azurite


@pytest.fixture
def red_and_blue(tienda):
    """Two T-shirts, red and blue (stored in Spanish); only red has an English label."""
    make_shop(tienda.engine, {"TEE-R": 5, "TEE-B": 5})
    with tienda.engine.begin() as conn:
        for sku, colour in (("TEE-R", "Rojo"), ("TEE-B", "Azul")):
            conn.execute(sa.update(variants).where(variants.c.sku == sku)
                         .values(attributes={"color": colour, "size": "M"}))
        conn.execute(attribute_labels.insert().values(attribute="color", value="Rojo",
                                                      locale="en", label="Red"))
    return tienda


def option_texts(page: str) -> list[str]:
    return [part.split("</span>")[0] for part in page.split('<span class="option">')[1:]]


def test_the_variant_picker_reads_in_the_shoppers_language(red_and_blue):
    with shop_client(red_and_blue) as client:
        english = client.get("/p/producto-1?lang=en").text
        spanish = client.get("/p/producto-1?lang=es").text

    assert option_texts(english) == ["Red / M"]
    assert option_texts(spanish) == ["Rojo / M"]


def test_filters_show_labels_and_filter_by_the_stored_value_in_both_languages(red_and_blue):
    with shop_client(red_and_blue) as client:
        english = client.get("/c/ropa?lang=en&color=Rojo")
        spanish = client.get("/c/ropa?lang=es&color=Rojo")

    assert '<option value="Rojo" selected>Red</option>' in english.text
    assert '<option value="Azul" >Azul</option>' in english.text  # no label: as stored
    assert '<option value="Rojo" selected>Rojo</option>' in spanish.text
    assert english.text.count('class="card"') == spanish.text.count('class="card"') == 1


def test_cart_and_review_lines_name_the_options_in_the_shoppers_language(red_and_blue):
    with shop_client(red_and_blue) as client:
        token = csrf(client, "/p/producto-1?lang=en")
        client.post("/cart/lines", data={"csrf_token": token, "sku": "TEE-R", "quantity": "1"})
        cart = client.get("/cart").text

    assert "Red / M · TEE-R" in cart
    assert "Rojo" not in cart


def test_a_label_added_later_shows_on_the_next_page_view(red_and_blue):
    with shop_client(red_and_blue) as client:
        before = client.get("/p/producto-2?lang=en").text
        with red_and_blue.engine.begin() as conn:
            conn.execute(attribute_labels.insert().values(attribute="color", value="Azul",
                                                          locale="en", label="Blue"))
        after = client.get("/p/producto-2?lang=en").text

    assert option_texts(before) == ["Azul / M"]
    assert option_texts(after) == ["Blue / M"]
