"""The frontoffice: server-rendered shop pages and the public JSON API, in one app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import HTTPException
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from tienda.bootstrap import Tienda, bootstrap
from tienda.config import Settings, load_settings
from tienda.entrypoints import health
from tienda.entrypoints.frontoffice.api import v1
from tienda.entrypoints.frontoffice.api.errors import install_api_errors
from tienda.entrypoints.frontoffice.pages import catalog, media
from tienda.entrypoints.frontoffice.rendering import STATIC, negotiate_locale, templates
from tienda.service_layer.catalog import ProductNotFound


def create_app(settings: Settings | None = None, tienda: Tienda | None = None) -> FastAPI:
    tienda = tienda or bootstrap(settings or load_settings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        tienda.close()

    app = FastAPI(title="Tienda storefront API", version="1", lifespan=lifespan)
    app.state.tienda = tienda
    app.state.templates = templates()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(health.router)
    app.include_router(media.router)
    app.include_router(catalog.router)
    app.include_router(v1.router)
    install_api_errors(app)
    app.add_exception_handler(ProductNotFound, _not_found)
    app.add_exception_handler(HTTPException, _http_error)
    return app


def _error_page(request: Request, status: int, es: tuple[str, str], en: tuple[str, str]
                ) -> HTMLResponse:
    locale = negotiate_locale(request, request.app.state.tienda.settings.default_locale)
    heading, message = es if locale == "es" else en
    page: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, "error.html",
        {"locale": locale, "nav_categories": [], "status": status, "heading": heading,
         "message": message},
        status_code=status,
    )
    return page


async def _not_found(request: Request, exc: Exception) -> HTMLResponse | JSONResponse:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": str(exc)}, status_code=404)
    return _error_page(
        request, 404,
        ("No encontramos esa página", "Quizá el producto ya no está a la venta."),
        ("We could not find that page", "The product may no longer be on sale."),
    )


async def _http_error(request: Request, exc: Exception) -> HTMLResponse | JSONResponse:
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
    if exc.status_code == 404:
        return await _not_found(request, exc)
    return _error_page(request, exc.status_code, ("Algo salió mal", str(exc.detail)),
                       ("Something went wrong", str(exc.detail)))
