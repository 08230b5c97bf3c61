"""The frontoffice: server-rendered shop pages and the public JSON API, in one app."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from tienda.bootstrap import Tienda, bootstrap
from tienda.config import Settings, load_settings
from tienda.entrypoints import health
from tienda.entrypoints.frontoffice.api import v1
from tienda.entrypoints.frontoffice.api.errors import _invalid_request, install_api_errors
from tienda.entrypoints.frontoffice.pages import account, cart, catalog, checkout, media
from tienda.entrypoints.frontoffice.pages.context import build_shop, is_htmx, render
from tienda.entrypoints.frontoffice.pages.security import (
    FormSizeLimitMiddleware,
    SecurityHeadersMiddleware,
)
from tienda.entrypoints.frontoffice.pages.session import SessionMiddleware
from tienda.entrypoints.frontoffice.rendering import N_, STATIC, templates
from tienda.service_layer.catalog import ProductNotFound

log = logging.getLogger("tienda.frontoffice")
# English originals; the pages show them in the shopper's language.
PAGE_ERRORS = {
    403: (N_("This form has expired"),
          N_("The form was not sent from this page of our shop, or it is too old. Nothing "
             "was changed: reload the page and try again.")),
    404: (N_("We could not find that page"), N_("The product may no longer be on sale.")),
    413: (N_("That form is too large"), N_("Nothing was changed. Please send less text.")),
    422: (N_("Some details are missing or wrong"),
          N_("Nothing was changed. Please go back and check the form.")),
    500: (N_("Something went wrong on our side"),
          N_("Nothing was charged. Please try again in a moment.")),
}


def create_app(settings: Settings | None = None, tienda: Tienda | None = None,
               catalog_recheck_seconds: float = 1.0) -> FastAPI:
    tienda = tienda or bootstrap(settings or load_settings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Everything loaded by now (modules, the app, SQLAlchemy's and Jinja's caches) lives
        # as long as the process: frozen, a full collection no longer walks it, and those
        # walks were the storefront's slowest requests (100-400 ms stalls under load).
        gc.collect()
        gc.freeze()
        yield
        tienda.close()

    app = FastAPI(title="Tienda storefront API", version="1", lifespan=lifespan)
    app.state.tienda = tienda
    app.state.shop = build_shop(tienda, catalog_recheck_seconds)
    app.state.templates = templates()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in (health.router, media.router, catalog.router, cart.router,
                   checkout.router, account.router, account.unsubscribe_router, v1.router):
        app.include_router(router)
    install_api_errors(app)
    app.add_exception_handler(ProductNotFound, _not_found)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(Exception, _server_error)
    app.add_middleware(FormSizeLimitMiddleware)
    app.add_middleware(SessionMiddleware, secret=tienda.settings.secret_key)
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_page(request: Request, status: int) -> HTMLResponse:
    heading, message = PAGE_ERRORS.get(status, PAGE_ERRORS[422])
    template = "_notice.html" if is_htmx(request) else "error.html"
    return render(request, template, status_code=status, status=status, heading=heading,
                  message=message, notice_text=heading, ok=False)


async def _not_found(request: Request, exc: Exception) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": str(exc)}, status_code=404)
    return _error_page(request, 404)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    wants_html = "text/html" in request.headers.get("accept", "") or is_htmx(request)
    if _is_api(request) or not (wants_html or request.method == "POST"):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
    return _error_page(request, exc.status_code)


async def _invalid(request: Request, exc: Exception) -> Response:
    if _is_api(request):
        return await _invalid_request(request, exc)
    return _error_page(request, 422)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    if _is_api(request):
        return JSONResponse({"detail": "internal error"}, status_code=500)
    return _error_page(request, 500)
