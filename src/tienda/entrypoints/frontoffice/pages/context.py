"""What every page needs: the storefront's use cases wired to adapters, and ``render``,
which adds the locale, navigation, CSRF token, cart count and signed-in customer.

Catalog pages go through ``render_catalog``: their title and main block are drawn once per
catalog version, language and address and kept in the catalog cache (so a product, price or
stock change drops them with the data); each request only fills in its CSRF token and
e-mail and draws the layout around them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from tienda.adapters import passwords
from tienda.adapters.db.accounts import SqlAccountStore, SqlStockSubscriptions
from tienda.bootstrap import Tienda
from tienda.entrypoints.frontoffice.pages.session import ShopSession, session_of
from tienda.entrypoints.frontoffice.rendering import LOCALE_COOKIE, gettext, negotiate_locale
from tienda.service_layer.accounts import Accounts, Customer
from tienda.service_layer.storefront import CatalogCache, Storefront


@dataclass(frozen=True)
class Shop:
    tienda: Tienda
    storefront: Storefront
    accounts: Accounts
    subscriptions: SqlStockSubscriptions


def build_shop(tienda: Tienda, recheck_seconds: float = 1.0) -> Shop:
    queries = tienda.catalog
    return Shop(
        tienda,
        Storefront(queries, CatalogCache(queries.catalog_version, recheck_seconds)),
        Accounts(SqlAccountStore(tienda.engine), passwords, tienda.relay, tienda.policy),
        tienda.stock_alerts,
    )


def shop(request: Request) -> Shop:
    found: Shop = request.app.state.shop
    return found


def locale_of(request: Request) -> str:
    cached = getattr(request.state, "locale", None)
    if cached is None:
        cached = negotiate_locale(request, shop(request).tienda.settings.default_locale)
        request.state.locale = cached
    return str(cached)


def t(request: Request, message: str, **values: object) -> str:
    return gettext(locale_of(request), message, **values)


def customer_of(request: Request) -> Customer | None:
    if not hasattr(request.state, "customer"):
        token = session_of(request).auth
        request.state.customer = shop(request).accounts.current(token) if token else None
    found: Customer | None = request.state.customer
    return found


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(request: Request, template: str, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    session: ShopSession = session_of(request)
    locale = locale_of(request)
    notice = session.pop_notice()
    if session.tampered:
        notice = "Your session could not be verified, so we started a new one."
    base = {
        "locale": locale, "nav_categories": shop(request).storefront.categories(),
        "csrf_token": session.csrf_token, "cart_count": session.cart_count,
        "customer": customer_of(request), "path": request.url.path,
        "notice": gettext(locale, notice) if notice else None,
    }
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, {**base, **context}, status_code=status_code)
    if request.query_params.get("lang") == locale:
        response.set_cookie(LOCALE_COOKIE, locale, max_age=31536000, samesite="lax",
                            httponly=True, secure=request.url.scheme == "https")
    return response


# Drawn into shared fragments in place of what differs per visitor; replaced per request.
CSRF_HOLE = "\ue000csrf\ue000"
EMAIL_HOLE = "\ue000email\ue000"


@dataclass(frozen=True)
class _AnyVisitor:
    email: str = EMAIL_HOLE


@dataclass(frozen=True)
class Fragment:
    title: str
    main: str


# The query parameters a catalog page reads; any other is ignored, so it can neither change
# the page nor make new cache entries (a flood of made-up parameters would empty the cache).
LISTING_PARAMS = ("q", "sort", "min_price", "max_price", "color", "size", "in_stock", "page")


def listing_params(request: Request) -> tuple[tuple[str, str], ...]:
    params = request.query_params
    return tuple((name, params[name]) for name in LISTING_PARAMS if name in params)


def render_catalog(request: Request, template: str, values: Callable[[], dict[str, Any]],
                   **context: Any) -> HTMLResponse:
    """``template``'s title and main block from the catalog cache (``values`` computes what
    they show, on a miss); ``context`` is for the layout, drawn on every request."""
    locale = locale_of(request)
    key = ("fragment", template, locale, request.url.path, listing_params(request))
    fragment = shop(request).storefront.cache.get(
        key, lambda: _draw(request, template, {"locale": locale, **values()}))
    customer = customer_of(request)
    main = fragment.main.replace(CSRF_HOLE, session_of(request).csrf_token).replace(
        EMAIL_HOLE, str(escape(customer.email)) if customer else "")
    return render(request, "_fragment.html", title=Markup(fragment.title), main=Markup(main),
                  **context)


def _draw(request: Request, template: str, values: dict[str, Any]) -> Fragment:
    page = request.app.state.templates.get_template(template)
    context = page.new_context({**values, "csrf_token": CSRF_HOLE, "customer": _AnyVisitor()})
    return Fragment("".join(page.blocks["title"](context)),
                    "".join(page.blocks["main"](context)))
