"""Templates, gettext catalogs, locale negotiation, and money and date formatting.

Messages are written in English in the templates (``_("...")``) and in Python; Spanish comes
from ``i18n/es/LC_MESSAGES/messages.po``. The compiled ``.mo`` is committed next to it
(``make i18n`` or the commands in i18n/README.md rebuild both) and a unit test fails when
the two disagree, so a running shop never compiles anything."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.support import NullTranslations, Translations
from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape

from tienda.adapters.documents.money_format import BABEL_LOCALES, format_money
from tienda.domain.catalog import LOCALES
from tienda.domain.money import Money

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
I18N = Path(__file__).parent / "i18n"
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


@cache
def translations(locale: str) -> NullTranslations:
    if locale == "en":
        return NullTranslations()
    return Translations.load(str(I18N), [locale], domain="messages")


def N_(message: str) -> str:  # gettext's marker: "translate later"
    return message


def gettext(locale: str, message: str, **values: object) -> str:
    translated = translations(locale).gettext(message)
    return translated % values if values else translated


@pass_context
def _template_gettext(context: Context, message: str, **values: object) -> str:
    return gettext(context.get("locale", "es"), message, **values)


def money(value: Money | None, locale: str) -> str:
    return "" if value is None else _money(value.minor, value.currency, locale)


@lru_cache(maxsize=20_000)
def _money(minor: int, currency: str, locale: str) -> str:
    """Babel's formatting costs ~0.3 ms; a shop shows the same few thousand prices."""
    return format_money(Money(minor, currency), locale)


def when(value: datetime, locale: str, timezone: str = "Europe/Madrid") -> str:
    return format_datetime(value, "medium", tzinfo=ZoneInfo(timezone),
                           locale=BABEL_LOCALES.get(locale, "es_ES"))


def highlight(value: str, terms: list[str]) -> Markup:
    """The text, escaped, with words that start with a search term in <mark>."""
    if not terms:
        return Markup(escape(value))
    folded = _fold(value)
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\w*",
                         re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(folded):
        parts.append(escape(value[last:match.start()]))
        parts.append(Markup("<mark>%s</mark>") % value[match.start():match.end()])
        last = match.end()
    parts.append(escape(value[last:]))
    return Markup("").join(parts)


def _fold(value: str) -> str:
    """Accents off, one character for one, so match positions fit the original text."""
    return "".join(unicodedata.normalize("NFKD", ch)[0] for ch in value).lower()


def templates() -> Jinja2Templates:
    # Templates ship with the code: checking every file's mtime on each render (Jinja's
    # auto_reload) cost a sixth of a product page's CPU. Restart to see a template edit.
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                      auto_reload=False)
    engine = Jinja2Templates(env=env)
    env.globals.update(_=_template_gettext, money=money, when=when, highlight=highlight)
    return engine
