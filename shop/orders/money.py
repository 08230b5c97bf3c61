"""Money as a person in each of the shop's languages reads it (Babel; no Django)."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision

BABEL_LOCALES = {"es": "es_ES", "en": "en_IE"}


def format_money(minor: int, currency: str, locale: str) -> str:
    amount = Decimal(minor).scaleb(-get_currency_precision(currency))
    return format_currency(amount, currency, locale=BABEL_LOCALES.get(locale, "es_ES"))


def format_rate_bp(rate_bp: int) -> str:
    """2100 → "21", 1050 → "10.5": a VAT rate in per cent."""
    return format(Decimal(rate_bp) / 100, "f").rstrip("0").rstrip(".")
