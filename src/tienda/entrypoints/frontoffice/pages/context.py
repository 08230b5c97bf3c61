"""What every page needs: the storefront's use cases wired to adapters, and ``render``,
which adds the locale, navigation, CSRF token, cart count and signed-in customer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

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
        SqlStockSubscriptions(tienda.engine),
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
