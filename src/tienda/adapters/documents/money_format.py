"""Money and dates as a person in each of the shop's languages reads them."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision

from tienda.domain.money import Money

BABEL_LOCALES = {"es": "es_ES", "en": "en_IE"}


def format_money(value: Money, locale: str) -> str:
    amount = Decimal(value.minor).scaleb(-get_currency_precision(value.currency))
    return format_currency(amount, value.currency, locale=BABEL_LOCALES.get(locale, "es_ES"))
