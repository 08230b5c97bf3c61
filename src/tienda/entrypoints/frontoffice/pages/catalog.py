"""Catalog pages: home, category listings with filters, search, product pages and the
back-in-stock subscription."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tienda.adapters.db.search import search_terms
from tienda.entrypoints.frontoffice.pages.context import (
    is_htmx,
    listing_params,
    locale_of,
    render,
    render_catalog,
    shop,
    t,
)
from tienda.entrypoints.frontoffice.pages.session import require_csrf, session_of
from tienda.service_layer.storefront import (
    SORTS,
    InvalidListing,
    ListingQuery,
    subscribe_when_back,
)

router = APIRouter()
ATTRIBUTES = ("color", "size")


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    storefront = shop(request).storefront
    return render_catalog(request, "home.html", lambda: {"home": storefront.home()})


def _price(raw: str | None, name: str) -> int | None:
    if not raw:
        return None
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise InvalidListing(f"{name} must be a number") from None
    if not value.is_finite() or value < 0 or value > 1_000_000:
        raise InvalidListing(f"{name} must be a number") from None
    return int(value * 100)


def _page(raw: str | None) -> int:
    if not raw:
        return 1
    if not raw.isdigit():
        raise InvalidListing("page must be a number")
    return int(raw)


def listing_query(request: Request, text: str | None = None) -> ListingQuery:
    params = request.query_params
    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        raise InvalidListing(f"unknown sort {sort!r}")
    attributes = tuple((name, params[name][:60]) for name in ATTRIBUTES if params.get(name))
    return ListingQuery(
        text=text, min_price_minor=_price(params.get("min_price"), "min_price"),
        max_price_minor=_price(params.get("max_price"), "max_price"), attributes=attributes,
        in_stock_only=params.get("in_stock") == "1", sort=sort,
        page=_page(params.get("page")))


def _listing_error(request: Request, error: InvalidListing) -> HTMLResponse:
    return render(request, "error.html", status_code=400, status=400,
                  heading=t(request, "We could not apply those filters"),
                  message=t(request, "Please check the filters: prices and pages are numbers."),
                  detail=str(error))


def _page_base(request: Request) -> str:
    kept = [(k, v) for k, v in listing_params(request) if k != "page"]
    return f"{request.url.path}?{urlencode(kept)}{'&' if kept else ''}"


@router.get("/c/{slug}", response_class=HTMLResponse)
def category(request: Request, slug: str) -> HTMLResponse:
    storefront = shop(request).storefront

    def values() -> dict[str, object]:
        view = storefront.category(slug, listing_query(request))
        return {"view": view, "listing": view.listing, "labels": storefront.attribute_labels(),
                "params": request.query_params, "base": _page_base(request)}

    try:
        return render_catalog(request, "category.html", values)
    except InvalidListing as error:
        return _listing_error(request, error)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str = "") -> HTMLResponse:
    text = q.strip()[:100]
    storefront = shop(request).storefront

    def values() -> dict[str, object]:
        return {"listing": storefront.search(listing_query(request, text or None)), "q": text,
                "terms": search_terms(text), "params": request.query_params,
                "base": _page_base(request)}

    try:
        return render_catalog(request, "search.html", values, q=text)
    except InvalidListing as error:
        return _listing_error(request, error)


@router.get("/p/{slug}", response_class=HTMLResponse)
def product(request: Request, slug: str) -> HTMLResponse:
    storefront = shop(request).storefront

    def values() -> dict[str, object]:
        view = storefront.product(slug)
        return {"product": view.product, "related": view.related,
                "labels": storefront.attribute_labels()}

    return render_catalog(request, "product.html", values)


@router.post("/p/{slug}/notify", response_class=HTMLResponse,
             dependencies=[Depends(require_csrf)])
def notify_when_back(request: Request, slug: str, sku: Annotated[str, Form(max_length=64)],
                     email: Annotated[str, Form(max_length=320)]) -> Response:
    s = shop(request)
    outcome = subscribe_when_back(s.storefront, s.subscriptions, slug, sku, email,
                                  locale_of(request))
    message = t(request, outcome.message)
    if is_htmx(request):
        return render(request, "_notice.html", notice_text=message, ok=outcome.ok)
    session_of(request).set("notice", outcome.message)
    return RedirectResponse(f"/p/{slug}", status_code=303)
