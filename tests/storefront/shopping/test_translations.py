"""The cart, checkout and order pages are fully Spanish for a Spanish browser: every msgid of
their templates and views is in shop/checkout's catalog, translated, with the same
placeholders, and the compiled .mo matches the .po."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.storefront.shopping.conftest import a_browser, csrf

ROOT = Path(__file__).resolve().parents[3]
CATALOG = ROOT / "shop" / "checkout" / "locale" / "es" / "LC_MESSAGES"
TEMPLATES = [ROOT / "storefront" / "templates" / "storefront" / name for name in (
    "cart.html", "_cart.html", "checkout.html", "review.html", "order.html",
    "_order_status.html", "shopping/form_expired.html")]
VIEWS = [ROOT / "storefront" / "views" / name for name in ("cart.py", "checkout.py")]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _catalog() -> dict[str, str]:
    with (CATALOG / "django.po").open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id}


def _msgids() -> set[str]:
    found: set[str] = set()
    for template in TEMPLATES:
        text = template.read_text()
        found |= set(re.findall(r'{% translate "([^"]+)" %}', text))
        found |= set(re.findall(r"{% translate '([^']+)' %}", text))
        for body in re.findall(r"{% blocktranslate[^%]*%}(.*?){% endblocktranslate %}", text):
            found.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", body))
    for view in VIEWS:
        text = view.read_text()
        found |= set(re.findall(r'(?:gettext_lazy|_)\(\s*"([^"]+)"\s*\)', text))
    return found


def test_every_msgid_of_the_pages_is_translated_with_the_same_placeholders():
    catalog = _catalog()

    missing = sorted(_msgids() - set(catalog))
    untranslated = sorted(msgid for msgid, text in catalog.items() if not text)
    wrong = sorted(msgid for msgid, text in catalog.items()
                   if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text)))

    assert (missing, untranslated, wrong) == ([], [], [])


def test_the_compiled_catalog_matches_the_po():
    with (CATALOG / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    assert {msgid: compiled.gettext(msgid) for msgid in _catalog()} == _catalog()


@pytest.mark.django_db
def test_the_checkout_form_reads_in_spanish(small_shop):
    client = a_browser("es")
    token = csrf(client)
    client.post("/cart/lines", {"csrfmiddlewaretoken": token, "sku": "TEE-M", "quantity": "1"})

    html = client.get("/checkout").content.decode()

    assert '<option value="ES" selected>España</option>' in html
    assert "Tarjeta de prueba: aprobada" in html
    assert "Estándar (de 2 a 4 días) — 4,95\xa0€" in html
