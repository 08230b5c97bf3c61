"""Spanish covers every message of the catalog templates and pages, the committed .mo is the
compiled .po, money reads per language, and the language is chosen by ?lang=, then the
tienda_lang cookie, then Accept-Language, then the default.
(Ported from legacy tests/integration/storefront/test_i18n_catalog.py.)"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.template import engines
from django.utils.translation import override
from django.utils.translation.template import templatize

from storefront.templatetags.storefront import money
from tests.storefront.catalog.builders import a_shop

ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "storefront" / "locale" / "es" / "LC_MESSAGES"
TEMPLATES = ROOT / "storefront" / "templates" / "storefront"
OURS = [TEMPLATES / name for name in ("base.html", "_cart_status.html", "_field.html",
                                      "_notice.html", "_pager.html", "error.html")]
OURS += sorted((TEMPLATES / "catalog").glob("*.html"))
OURS += [TEMPLATES.parent / "404.html", TEMPLATES.parent / "500.html"]
PYTHON = [ROOT / "storefront" / "views" / "catalog.py"]
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "_": None}


def catalog() -> dict[str, object]:
    with (LOCALE / "django.po").open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0]: m
                for m in read_po(handle) if m.id and not m.fuzzy}


def as_key(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def our_msgids() -> set[str]:
    sources = [templatize(path.read_text(), origin=str(path)) for path in OURS]
    sources += [path.read_text() for path in PYTHON]
    found = set()
    for source in sources:
        for _, _, message, _ in extract_python(io.BytesIO(source.encode()), KEYWORDS, [], {}):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_of_our_templates_and_pages_has_a_spanish_translation():
    translated = catalog()

    missing = sorted(msgid for msgid in our_msgids()
                     if msgid not in translated or not all(
                         translated[msgid].string if isinstance(translated[msgid].string, tuple)
                         else [translated[msgid].string]))

    assert len(our_msgids()) > 60
    assert missing == []


def test_translations_keep_their_placeholders():
    for msgid, message in catalog().items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(
                re.findall(r"%\(\w+\)s", string)), msgid


def test_the_committed_mo_is_the_compiled_po():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = {as_key(m.id): as_key(m.string) for m in read_mo(handle) if m.id}

    assert compiled == {as_key(m.id): as_key(m.string) for m in catalog().values()}


def test_money_is_written_per_language():
    with override("es"):
        spanish = money(123456, "EUR")
    with override("en"):
        english = money(123456, "EUR")

    assert (spanish, english) == ("1.234,56\xa0€", "€1,234.56")


def test_our_templates_all_compile():
    for path in OURS:
        engines["django"].from_string(path.read_text())


@pytest.mark.django_db
def test_lang_in_the_address_chooses_the_language_and_is_remembered(client):
    a_shop({"TEE-M": 5})

    chosen = client.get("/p/producto-1?lang=en")
    later = client.get("/p/producto-1")

    assert chosen.cookies["tienda_lang"].value == "en"
    assert chosen.cookies["tienda_lang"]["max-age"] == 365 * 24 * 3600
    assert "<h1>T-shirt TEE-M</h1>" in chosen.content.decode()
    assert "<h1>T-shirt TEE-M</h1>" in later.content.decode()
    assert '<html lang="en">' in later.content.decode()


@pytest.mark.django_db
def test_the_cookie_wins_over_accept_language_which_wins_over_the_default(client):
    a_shop({"TEE-M": 5})

    default = client.get("/p/producto-1").content.decode()
    browser = client.get("/p/producto-1", headers={"Accept-Language": "en-GB,en;q=0.8"})
    client.cookies["tienda_lang"] = "es"
    cookie = client.get("/p/producto-1", headers={"Accept-Language": "en"}).content.decode()

    assert "<h1>Camiseta TEE-M</h1>" in default
    assert "<h1>T-shirt TEE-M</h1>" in browser.content.decode()
    assert "<h1>Camiseta TEE-M</h1>" in cookie


@pytest.mark.django_db
def test_an_unknown_lang_is_ignored(client):
    a_shop({"TEE-M": 5})

    page = client.get("/p/producto-1?lang=fr")

    assert "tienda_lang" not in page.cookies
    assert '<html lang="es">' in page.content.decode()


@pytest.mark.django_db
def test_the_language_switch_links_keep_the_page(client):
    a_shop({"TEE-M": 5})

    page = client.get("/p/producto-1?lang=en").content.decode()

    assert 'href="/p/producto-1?lang=es" hreflang="es"' in page
    assert 'href="/p/producto-1?lang=en" hreflang="en" lang="en" aria-current="true"' in page
