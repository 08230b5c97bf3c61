"""Storefront pages: home and product."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from tienda.entrypoints.frontoffice.rendering import negotiate_locale
from tienda.service_layer.catalog import home_page, product_page

router = APIRouter()


def render(request: Request, template: str, **context: object) -> HTMLResponse:
    tienda = request.app.state.tienda
    locale = negotiate_locale(request, tienda.settings.default_locale)
    nav = context.pop("nav_categories", None) or tienda.catalog.categories()
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, {"locale": locale, "nav_categories": nav, **context}
    )
    if request.query_params.get("lang") == locale:
        response.set_cookie("tienda_lang", locale, max_age=31536000, samesite="lax",
                            httponly=True)
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    page = home_page(request.app.state.tienda.catalog)
    return render(request, "home.html", featured=page.featured, nav_categories=page.categories)


@router.get("/p/{slug}", response_class=HTMLResponse)
def product(request: Request, slug: str) -> HTMLResponse:
    return render(request, "product.html", product=product_page(request.app.state.tienda.catalog,
                                                                 slug))
