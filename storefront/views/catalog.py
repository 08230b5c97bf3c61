"""Catalog pages: home, category listing, search, product page, the back-in-stock form, the
media route, robots.txt, the sitemap and the favicon. Thin: selectors read (cached),
storefront/context.py caches the drawn page, shop/inventory/back_in_stock.py writes."""

from __future__ import annotations

import mimetypes
from urllib.parse import urlencode

from azure.core.exceptions import ResourceNotFoundError
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.sitemaps.views import sitemap
from django.core.files.storage import storages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from shop.catalog import rules, search, selectors
from shop.core.errors import ShopError
from shop.inventory.back_in_stock import stock_subscription_create
from storefront.context import listing_params, render_catalog
from storefront.sitemaps import SITEMAPS
from storefront.templatetags.storefront import current_locale, tr

app_name = "catalog"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    def values() -> dict[str, object]:
        return {"title": _("Home") + " · Tienda", "home": selectors.home(),
                "categories": selectors.nav_categories(locale=current_locale())}

    return render_catalog(request, "storefront/catalog/home.html", values)


def listing_query(request: HttpRequest, *, terms: tuple[str, ...] = (),
                  default_sort: str = "featured") -> rules.ListingQuery:
    """The filters of a listing page; InvalidListing names the first one that is wrong."""
    params = request.GET
    return rules.ListingQuery(
        terms=terms,
        min_price=rules.price_minor(params.get("min_price"), "min_price"),
        max_price=rules.price_minor(params.get("max_price"), "max_price"),
        attributes=tuple((name, params[name][:60]) for name in rules.FACETS if params.get(name)),
        in_stock_only=params.get("in_stock") == "1",
        sort=rules.sort_order(params.get("sort"), default_sort),
        page=rules.page_number(params.get("page")))


def page_base(request: HttpRequest) -> str:
    """This page's address with its other listing parameters, ready for "page=N"."""
    kept = [(name, value) for name, value in listing_params(request) if name != "page"]
    return f"{request.path}?{urlencode(kept)}{'&' if kept else ''}"


def bad_listing(request: HttpRequest, error: rules.InvalidListing) -> HttpResponse:
    return render(request, "storefront/error.html", {
        "heading": _("We could not apply those filters"),
        "message": _("Please check the filters: prices and pages are numbers."),
        "detail": str(error)}, status=400)


@require_safe
def category(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        query = listing_query(request)
    except rules.InvalidListing as error:
        return bad_listing(request, error)

    def values() -> dict[str, object]:
        found = selectors.category_listing(slug, query)
        if found is None:
            raise Http404("no such category")
        node, trail, listing = found
        return {"title": f"{tr(node, 'name')} · Tienda", "category": node, "trail": trail,
                "listing": listing, "labels": selectors.attribute_labels(),
                "params": dict(listing_params(request)), "base": page_base(request)}

    return render_catalog(request, "storefront/catalog/category.html", values)


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:search.MAX_TEXT]
    terms = tuple(search.search_terms(text))
    try:
        query = listing_query(request, terms=terms, default_sort="relevance")
    except rules.InvalidListing as error:
        return bad_listing(request, error)

    def values() -> dict[str, object]:
        listing = selectors.listing(query) if terms else None
        return {"title": _("Search") + " · Tienda", "q": text, "terms": terms,
                "listing": listing, "params": dict(listing_params(request)),
                "base": page_base(request),
                "categories": selectors.nav_categories(locale=current_locale())}

    return render_catalog(request, "storefront/catalog/search.html", values, q=text)


@require_safe
def product(request: HttpRequest, slug: str) -> HttpResponse:
    def values() -> dict[str, object]:
        page = selectors.product_page(slug)
        if page is None:
            raise Http404("no such product")
        return {"title": f"{tr(page, 'name')} · Tienda", "product": page,
                "labels": selectors.attribute_labels()}

    return render_catalog(request, "storefront/catalog/product.html", values)


class NotifyForm(forms.Form):
    sku = forms.CharField(max_length=64)
    email = forms.EmailField(max_length=320)


@require_POST
def notify(request: HttpRequest, slug: str) -> HttpResponse:
    """"Tell me when it is back" for a sold-out variant; asking twice is asking once."""
    ok, message = _subscribe(request, slug)
    if request.headers.get("HX-Request") == "true":
        return render(request, "storefront/_notice.html", {"ok": ok, "text": message})
    (messages.success if ok else messages.error)(request, message)
    return redirect("catalog:product", slug=slug)


def _subscribe(request: HttpRequest, slug: str) -> tuple[bool, str]:
    page = selectors.product_page(slug)
    if page is None:
        raise Http404("no such product")
    form = NotifyForm(request.POST)
    if not form.is_valid():
        if "email" in form.errors:
            return False, _("Please enter a valid e-mail address.")
        return False, _("That product is not on sale.")
    variant = next((v for v in page.variants if v.sku == form.cleaned_data["sku"]), None)
    if variant is None:
        return False, _("That product is not on sale.")
    if variant.available > 0:
        return False, _("Good news: this one is in stock now.")
    try:
        stock_subscription_create(variant=variant, email=form.cleaned_data["email"],
                                  locale=current_locale())
    except ShopError:
        return False, _("That product is not on sale.")
    return True, _("We will e-mail you when it is back in stock.")


IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def media(request: HttpRequest, key: str) -> HttpResponse:
    """Product pictures from the private media container. Keys never change content (a new
    upload gets a new key), so browsers and CDNs may keep them for a year."""
    if ".." in key.split("/") or "\\" in key or not key.startswith("products/"):
        raise Http404("no such image")
    blob = storages["media"].open(key, "rb")
    try:
        blob.file  # noqa: B018 - downloads the blob now, so a missing one is a 404, not a 500
    except (ResourceNotFoundError, FileNotFoundError):
        raise Http404("no such image") from None
    content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    response = FileResponse(blob, content_type=content_type)
    response["Cache-Control"] = IMMUTABLE
    return response


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in
                                ("/cart", "/checkout", "/account", "/orders", "/search",
                                 "/api/")),
             f"Sitemap: {settings.PUBLIC_BASE_URL.rstrip('/')}{reverse('catalog:sitemap')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(static("storefront/favicon.svg"))


urlpatterns = [
    path("", home, name="home"),
    path("c/<slug:slug>", category, name="category"),
    path("search", search_page, name="search"),
    path("p/<slug:slug>", product, name="product"),
    path("p/<slug:slug>/notify", notify, name="notify"),
    path("media/<path:key>", media, name="media"),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("favicon.ico", favicon, name="favicon"),
]
