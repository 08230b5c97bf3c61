"""Template helpers for the storefront: {% load storefront %}.

- `{{ obj|tr:"name" }}`: obj.name_en or obj.name_es, in the active language.
- `{{ minor|money:currency }}`: an amount as the active language writes it (Babel).
- `{% options_label labels attributes %}` / `{% option_label labels name value %}`: variant
  options as shoppers read them (attribute labels; a value without one reads as stored).
- `{{ text|highlight:terms }}`: the text, escaped, with words starting with a term in <mark>.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from shop.catalog import rules
from shop.orders.money import format_money

register = template.Library()


def current_locale() -> str:
    return "en" if (get_language() or "").startswith("en") else "es"


@register.filter
def tr(obj: object, name: str) -> str:
    """The English or Spanish field; English left blank by staff reads in Spanish."""
    text = getattr(obj, f"{name}_{current_locale()}", "") or getattr(obj, f"{name}_es", "")
    return str(text or "")


@register.filter
def money(minor: int | None, currency: str) -> str:
    return "" if minor is None else _money(int(minor), currency, current_locale())


@lru_cache(maxsize=20_000)
def _money(minor: int, currency: str, locale: str) -> str:
    """Babel's formatting costs ~0.3 ms; a shop shows the same few thousand prices."""
    return format_money(minor, currency, locale)


@register.simple_tag
def options_label(labels: rules.Labels, attributes: Mapping[str, object]) -> str:
    return rules.options_label(labels or {}, attributes or {}, current_locale())


@register.simple_tag
def option_label(labels: rules.Labels, name: str, value: str) -> str:
    return rules.option_label(labels or {}, name, value, current_locale())


@register.filter
def highlight(value: str, terms: list[str] | tuple[str, ...]) -> SafeString:
    if not terms:
        return escape(value)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\w*")
    folded = _fold(value)
    parts, last = [], 0
    for match in pattern.finditer(folded):
        parts.append(escape(value[last:match.start()]))
        parts.append(f"<mark>{escape(value[match.start():match.end()])}</mark>")
        last = match.end()
    parts.append(escape(value[last:]))
    return mark_safe("".join(parts))  # every piece of text was escaped above


def _fold(value: str) -> str:
    """Accents off and lower case, one character for one, so positions fit the original."""
    return "".join(unicodedata.normalize("NFKD", ch)[0] for ch in value).lower()


@register.filter
def get_item(mapping: Mapping[str, object] | None, key: str) -> object:
    return (mapping or {}).get(key, "")
