"""What every storefront page needs, and the fragment cache of the catalog pages.

`storefront` (a context processor) adds the top-level categories for the navigation bar, read
through the catalog cache when a template first uses them, so a warm page costs no catalog
query for them and a page without the navigation (the admin) none at all.

`render_catalog` draws a catalog page's title and main part once per (template, language,
path, whitelisted query parameters, catalog version) and keeps it in the catalog cache; each
request then only fills in what differs per visitor (the CSRF token, the signed-in e-mail) and
draws the layout around it (cart count, account links: base.html)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import mark_safe

from shop.catalog.cache import cached
from shop.catalog.selectors import nav_categories
from storefront.templatetags.storefront import current_locale


def storefront(request: HttpRequest) -> dict[str, object]:
    # Lazy: templates that never show the navigation (the admin's) cost no catalog read.
    return {"nav_categories": SimpleLazyObject(lambda: nav_categories(locale=current_locale()))}


# The query parameters a catalog page reads; any other is ignored, so it can neither change
# the page nor make new cache entries (a flood of made-up parameters would empty the cache).
LISTING_PARAMS = ("q", "sort", "min_price", "max_price", "color", "size", "in_stock", "page")
# Drawn into shared fragments in place of what differs per visitor; replaced per request.
CSRF_HOLE = "\ue000csrf\ue000"
EMAIL_HOLE = "\ue000email\ue000"


def listing_params(request: HttpRequest) -> tuple[tuple[str, str], ...]:
    return tuple((name, request.GET[name][:100]) for name in LISTING_PARAMS
                 if name in request.GET)


@dataclass(frozen=True)
class Fragment:
    title: str
    main: str


def render_catalog(request: HttpRequest, template: str,
                   values: Callable[[], dict[str, Any]], **layout: Any) -> HttpResponse:
    """`template`'s main part from the cache (`values()` computes what it shows, on a miss;
    its "title" entry is the page title); `layout` is for base.html, drawn every time."""
    key = ("fragment", template, current_locale(), request.path, listing_params(request))
    fragment = cached(key, lambda: _draw(template, values()))
    user = getattr(request, "user", None)
    email = user.email if user is not None and user.is_authenticated else ""
    main = fragment.main.replace(CSRF_HOLE, get_token(request)).replace(EMAIL_HOLE, escape(email))
    return render(request, "storefront/catalog/page.html",
                  {"title": fragment.title, "main": mark_safe(main), **layout})


def _draw(template: str, values: dict[str, Any]) -> Fragment:
    main = render_to_string(template, {"terms": (), **values, "csrf_hole": CSRF_HOLE,
                                       "email_hole": EMAIL_HOLE})
    return Fragment(str(values["title"]), main)
