"""Acceptance, ported from legacy/tests/e2e/storefront/test_shopping_flow.py: a new visitor
searches, filters a category, opens a product, adds two variants, checks out as a guest,
watches the order turn confirmed in the background, finds the e-mail, registers, signs out
and in again and sees the order in the history. In both languages, in Debian's Chromium,
against gunicorn + runworker + Azurite + the SMTP capture, with a screenshot of every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from shop.catalog import selectors
from shop.catalog.demo.catalog import attribute_labels
from shop.catalog.models import Product
from tests.conftest import poll
from tests.e2e.browser import Shots

pytestmark = [pytest.mark.browser, pytest.mark.azurite, pytest.mark.slow,
              pytest.mark.django_db(transaction=True)]
WORDS = {
    "es": {"search": "Buscar", "in_stock": "Solo disponibles", "add": "Añadir a la cesta",
           "checkout": "Finalizar compra", "review": "Revisar el pedido",
           "place": "Realizar el pedido", "confirmed": "Confirmado",
           "register": "Crear la cuenta", "sign_in": "Iniciar sesión",
           "sign_out": "Cerrar sesión", "subject": "Pedido {number} confirmado",
           "mail_text": "confirmado tu pedido {number}"},
    "en": {"search": "Search", "in_stock": "In stock only", "add": "Add to cart",
           "checkout": "Checkout", "review": "Review the order", "place": "Place order",
           "confirmed": "Confirmed", "register": "Create the account",
           "sign_in": "Sign in", "sign_out": "Sign out",
           "subject": "Order {number} confirmed",
           "mail_text": "confirmed your order {number}"},
}
# The demo colours stored in Spanish whose English label differs ("Rojo" reads "Red").
SPANISH_COLOURS = re.compile(
    r"\b(?:" + "|".join(re.escape(value) for _, value, _, _ in attribute_labels()) + r")\b")
PASSWORD = "a long enough password"


def assert_colours_read_in(locale: str, text: str, colour: str) -> None:
    """``colour`` (a stored value) shows in ``text`` as ``locale`` writes it, and in English
    no Spanish colour name shows at all."""
    labels = {(value, loc): label for _, value, loc, label in attribute_labels()}
    assert labels.get((colour, locale), colour) in text
    if locale == "en":
        assert SPANISH_COLOURS.findall(text) == []


def a_product_with_two_variants_in_stock(locale: str):  # type: ignore[no-untyped-def]
    """A product of the seeded shop to buy whose first colour reads differently in English,
    and a word of its name to search for."""
    translated = {value for _, value, _, _ in attribute_labels()}
    for slug in Product.objects.order_by("id").values_list("slug", flat=True):
        page = selectors.product_page(slug)
        if page is None:  # not on sale
            continue
        in_stock = [v for v in page.variants if v.available >= 2]
        word = max(re.findall(r"\w+", page.name_es if locale == "es" else page.name_en),
                   key=len)
        if (len(in_stock) >= 2 and len(word) >= 4
                and in_stock[0].attributes.get("color") in translated):
            return page, in_stock[:2], word
    raise AssertionError("the seeded shop has no product with two variants in stock")


@pytest.mark.parametrize("locale", ["es", "en"])
def test_a_visitor_buys_two_variants_as_a_guest_then_registers_and_finds_the_order(
        chromium_browser, live_shop, locale):
    base, words = live_shop.base, WORDS[locale]
    product, (first, second), word = a_product_with_two_variants_in_stock(locale)
    colour, email = first.attributes["color"], f"guest-{locale}@example.com"
    context = chromium_browser.new_context(locale="es-ES" if locale == "es" else "en-GB")
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
    assert_colours_read_in(locale, page.locator("form.filters").inner_text(), colour)
    shot("category-filtered")

    page.goto(f"{base}/p/{product.slug}")
    for count, variant in ((1, first), (2, second)):
        page.check(f"input[name=sku][value='{variant.sku}']")
        page.get_by_role("button", name=words["add"]).click()
        expect(page.locator("#cart-status .count")).to_have_text(str(count))
    assert page.url == f"{base}/p/{product.slug}"  # added without leaving the page
    assert_colours_read_in(locale, page.locator("fieldset.variants").inner_text(), colour)
    shot("product-two-variants-added")

    page.goto(f"{base}/cart")
    assert page.locator("table.lines tbody tr").count() == 2
    assert_colours_read_in(locale, page.locator("table.lines").inner_text(), colour)
    shot("cart")
    page.get_by_role("link", name=words["checkout"], exact=True).click()
    page.fill("#id_email", email)
    page.fill("#id_name", "Ana García")
    page.fill("#id_line1", "Calle Mayor 1")
    page.fill("#id_city", "Madrid")
    page.fill("#id_postal_code", "28013")
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
    mails = poll(lambda: [m for m in live_shop.mailbox() if m.subject == subject], 30,
                 "the confirmation e-mail")
    assert [m.to for m in mails] == [email]
    assert words["mail_text"].format(number=number) in mails[0].text()

    page.goto(f"{base}/account/register")
    page.fill("#id_name", "Ana García")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=words["register"]).click()
    page.wait_for_url(f"{base}/account")
    page.get_by_role("button", name=words["sign_out"]).click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/account/signin")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    shot("sign-in")
    page.locator("main").get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_url(f"{base}/account")
    expect(page.locator("#order-history")).to_contain_text(number, timeout=1_000)
    shot("account-history")
    context.close()
