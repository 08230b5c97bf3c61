"""Templates, locale negotiation and money formatting for the storefront pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from tienda.adapters.documents.money_format import format_money
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
    return "" if value is None else format_money(value, locale)


def templates() -> Jinja2Templates:
    engine = Jinja2Templates(directory=str(TEMPLATES))
    engine.env.globals["money"] = money
    return engine
