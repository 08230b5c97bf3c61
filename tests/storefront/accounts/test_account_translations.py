"""Every message of the account pages is translated into Spanish, placeholders are kept, and
the committed .mo is the compiled .po."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from babel.messages.extract import extract_python
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "shop" / "customers" / "locale" / "es" / "LC_MESSAGES"
TEMPLATES = ROOT / "storefront" / "templates" / "storefront" / "account"
PYTHON = [ROOT / "storefront" / "views" / "account.py", ROOT / "shop" / "customers" / "forms.py",
          ROOT / "shop" / "customers" / "services.py"]
TEMPLATE_MESSAGES = re.compile(
    r'{% translate "([^"]+)"|{% blocktranslate[^%]*%}(.*?){% endblocktranslate %}', re.S)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|{{\s*\w+\s*}}")


def catalog() -> dict[str, str]:
    with (LOCALE / "django.po").open("rb") as po:
        return {message.id: message.string for message in read_po(po) if message.id}


def used_messages() -> set[str]:
    found = set()
    for template in TEMPLATES.glob("*.html"):
        for plain, block in TEMPLATE_MESSAGES.findall(template.read_text()):
            found.add(plain or re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", block))
    for module in PYTHON:
        with module.open("rb") as source:
            found |= {message for _, _, message, _ in extract_python(
                source, {"_": None, "gettext": None, "gettext_lazy": None}, [], {})}
    return found


def test_the_spanish_catalog_holds_exactly_the_messages_the_account_pages_use():
    used = used_messages()

    assert len(used) > 70  # the extraction itself works
    assert (used - set(catalog()), set(catalog()) - used) == (set(), set())


def test_every_spanish_message_is_translated_with_its_placeholders():
    problems = [msgid for msgid, translated in catalog().items()
                if not translated
                or sorted(PLACEHOLDER.findall(translated)) != sorted(PLACEHOLDER.findall(msgid))]

    assert problems == []


def test_the_compiled_catalog_is_the_current_po():
    with (LOCALE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]

    assert {k: v for k, v in compiled.items() if k} == catalog()
