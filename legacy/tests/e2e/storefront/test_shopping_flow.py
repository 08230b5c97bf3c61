"""Acceptance: a new visitor searches, filters a category, opens a product, adds two
variants, checks out as a guest, watches the order turn confirmed, finds the e-mail,
registers, signs out and in again and sees the order in the history. In both languages,
in a real Chromium, with a screenshot of every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Shots
from tests.waiting import poll
from tienda.adapters.db.demo_shop_catalog import attribute_labels
from tienda.adapters.mail.capture import read_mailbox
from tienda.service_layer.storefront import ListingQuery

pytestmark = [pytest.mark.browser, pytest.mark.azurite]
WORDS = {
    "es": {"search": "Buscar", "in_stock": "Solo disponibles", "add": "Añadir a la cesta",
           "checkout": "Finalizar compra", "review": "Revisar el pedido",
           "place": "Realizar el pedido", "confirmed": "Confirmado",
           "register": "Crear la cuenta", "sign_in": "Iniciar sesión",
           "sign_out": "Cerrar sesión", "subject": "Pedido {number} confirmado"},
    "en": {"search": "Search", "in_stock": "In stock only", "add": "Add to cart",
           "checkout": "Checkout", "review": "Review the order", "place": "Place order",
           "confirmed": "Confirmed", "register": "Create the account",
           "sign_in": "Sign in", "sign_out": "Sign out",
           "subject": "Order {number} confirmed"},
}
# The demo colours stored in Spanish whose English label differs ("Rojo" reads "Red").
SPANISH_COLOURS = re.compile(
    r"\b(?:" + "|".join(re.escape(value) for _, value, _, _ in attribute_labels()) + r")\b")


def assert_colours_read_in(locale: str, text: str, colour: str) -> None:
    """``colour`` (a stored value) shows in ``text`` as ``locale`` writes it, and in English
    no Spanish colour name shows at all."""
    labels = {(value, loc): label for _, value, loc, label in attribute_labels()}
    assert labels.get((colour, locale), colour) in text
    if locale == "en":
        assert SPANISH_COLOURS.findall(text) == []


def a_product_with_two_variants_in_stock(tienda, locale: str):
    """A product of the seeded catalog to buy, and a word of its name to search for."""
    cards, _ = tienda.catalog.listing(ListingQuery(in_stock_only=True, per_page=200))
    for card in cards:
        product = tienda.catalog.product_by_slug(card.slug)
        in_stock = [v for v in product.variants if v.available >= 2]
        word = max(re.findall(r"\w+", product.name.get(locale)), key=len)
        if len(in_stock) >= 2 and len(word) >= 4:
            return product, in_stock[:2], word
    raise AssertionError("the seeded shop has no product with two variants in stock")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("locale", ["es", "en"])
def test_a_visitor_buys_two_variants_as_a_guest_then_registers_and_finds_the_order(
        chromium, live_shop, locale):
    base, mailbox, tienda = live_shop
    words = WORDS[locale]
    product, (first, second), word = a_product_with_two_variants_in_stock(tienda, locale)
    email = f"guest-{locale}@example.com"
    context = chromium.new_context(locale="es-ES" if locale == "es" else "en-GB")
    page = context.new_page()
    shot = Shots(page, f"shopping-flow-{locale}")

    page.goto(f"{base}/?lang={locale}")
    assert page.locator("html").get_attribute("lang") == locale
    shot("home")

    page.fill("#q", word)
    page.get_by_role("button", name=words["search"], exact=True).click()
    page.wait_for_url(re.compile(r"/search\?q="))
    assert page.locator("mark").first.inner_text().lower().startswith(word.lower()[:4])
    shot("search")

    page.goto(f"{base}/c/{product.category.slug}")
    page.get_by_label(words["in_stock"]).check()
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"in_stock=1"))
    assert page.locator("#result-count").is_visible()
    assert_colours_read_in(locale, page.locator("form.filters").inner_text(),
                           first.attributes["color"])
    shot("category-filtered")

    page.goto(f"{base}/p/{product.slug}")
    for count, variant in ((1, first), (2, second)):
        page.check(f"input[name=sku][value='{variant.sku}']")
        page.get_by_role("button", name=words["add"]).click()
        expect(page.locator("#cart-status .count")).to_have_text(str(count))
    assert page.url == f"{base}/p/{product.slug}"  # added without leaving the page
    assert_colours_read_in(locale, page.locator("fieldset.variants").inner_text(),
                           first.attributes["color"])
    shot("product-two-variants-added")

    page.goto(f"{base}/cart")
    assert page.locator("table.lines tbody tr").count() == 2
    assert_colours_read_in(locale, page.locator("table.lines").inner_text(),
                           first.attributes["color"])
    shot("cart")
    page.get_by_role("link", name=words["checkout"]).click()
    page.fill("#f-email", email)
    page.fill("#f-name", "Ana García")
    page.fill("#f-line1", "Calle Mayor 1")
    page.fill("#f-city", "Madrid")
    page.fill("#f-postal_code", "28013")
    shot("checkout-details")
    page.get_by_role("button", name=words["review"]).click()
    shot("review")
    page.get_by_role("button", name=words["place"]).click()
    page.wait_for_url(re.compile(r"/orders/"))
    number = re.search(r"T-\d{6}-[0-9A-F]{6}", page.locator("h1").inner_text()).group(0)
    shot("order-pending")

    expect(page.locator("[data-status=confirmed]")).to_be_visible(timeout=45_000)
    assert page.locator("#order-status").inner_text().startswith(words["confirmed"])
    assert page.locator("#invoice-link").is_visible()
    shot("order-confirmed")

    subject = words["subject"].format(number=number)
    mail = poll(lambda: [m for m in read_mailbox(mailbox) if m.subject == subject], 30,
                "the confirmation e-mail")
    assert mail[0].to == email

    page.goto(f"{base}/account/register")
    page.fill("#r-name", "Ana García")
    page.fill("#r-email", email)
    page.fill("#r-password", "a long enough password")
    page.get_by_role("button", name=words["register"]).click()
    page.wait_for_url(f"{base}/account")
    page.get_by_role("button", name=words["sign_out"]).click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/account/signin")
    page.fill("#s-email", email)
    page.fill("#s-password", "a long enough password")
    shot("sign-in")
    page.locator("main").get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_url(f"{base}/account")
    assert page.locator("#order-history").get_by_text(number).is_visible()
    shot("account-history")
    context.close()
