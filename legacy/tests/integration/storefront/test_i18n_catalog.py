"""The Spanish catalog covers every message, the committed .mo matches the .po, and money
and dates read the way each language writes them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from babel.messages.mofile import read_mo

from tienda.domain.money import Money
from tienda.entrypoints.frontoffice.i18n import MO, extract, read_catalog
from tienda.entrypoints.frontoffice.rendering import money, when


def test_every_message_of_the_templates_and_pages_has_a_spanish_translation():
    catalog = read_catalog()
    translated = {m.id: m.string for m in catalog if m.id}

    missing = sorted(msgid for msgid in extract() if not translated.get(msgid))

    assert missing == []


def test_translations_keep_their_placeholders():
    for message in read_catalog():
        if message.id:
            assert sorted(re.findall(r"%\(\w+\)s", message.id)) == sorted(
                re.findall(r"%\(\w+\)s", message.string)), message.id


def test_the_committed_mo_is_the_compiled_po():
    with MO.open("rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}

    assert compiled == {m.id: m.string for m in read_catalog() if m.id}


def test_money_and_dates_are_written_per_language():
    moment = datetime(2026, 3, 5, 17, 30, tzinfo=UTC)

    assert money(Money(123456, "EUR"), "es") == "1.234,56\xa0€"
    assert money(Money(123456, "EUR"), "en") == "€1,234.56"
    assert when(moment, "es") == "5 mar 2026, 18:30:00"
    assert when(moment, "en") == "5 Mar 2026, 18:30:00"
