"""Templates, locale negotiation and money formatting for the storefront pages."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from babel.numbers import format_currency, get_currency_precision
from fastapi import Request
from fastapi.templating import Jinja2Templates

from tienda.domain.catalog import LOCALES
from tienda.domain.money import Money

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
LOCALE_COOKIE = "tienda_lang"


def negotiate_locale(request: Request, default: str) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LOCALE_COOKIE)
    if chosen in LOCALES:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        language = part.split(";")[0].strip()[:2].lower()
        if language in LOCALES:
            return language
    return default


def money(value: Money | None, locale: str) -> str:
    if value is None:
        return ""
    amount = Decimal(value.minor).scaleb(-get_currency_precision(value.currency))
    return format_currency(amount, value.currency, locale="es_ES" if locale == "es" else "en_IE")


def templates() -> Jinja2Templates:
    engine = Jinja2Templates(directory=str(TEMPLATES))
    engine.env.globals["money"] = money
    return engine
