"""The backoffice API: the staff SPA's JSON API, a separate deployable from the storefront.

Every route declares one permission (see ``service_layer.backoffice.permissions``); the
OpenAPI document shows it as ``x-permission`` on each operation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from tienda.bootstrap import Tienda, bootstrap
from tienda.config import Settings, load_settings
from tienda.entrypoints import health
from tienda.entrypoints.backoffice_api.auth import declared_permission, public
from tienda.entrypoints.backoffice_api.errors import install_errors
from tienda.entrypoints.backoffice_api.routes import auth, catalog, operations, orders, reports
from tienda.entrypoints.backoffice_api.wiring import build_backoffice


def create_app(settings: Settings | None = None, tienda: Tienda | None = None) -> FastAPI:
    tienda = tienda or bootstrap(settings or load_settings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        tienda.close()

    app = FastAPI(title="Tienda backoffice API", version="1", lifespan=lifespan)
    app.state.tienda = tienda
    app.state.backoffice = build_backoffice(tienda)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[tienda.settings.backoffice_ui_origin],
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=["ETag", "Content-Disposition"],
    )
    install_errors(app)
    for router in ROUTERS:
        app.include_router(router)
    return app


def _health_router() -> APIRouter:
    router = APIRouter(tags=["health"])
    router.add_api_route("/healthz", health.healthz, methods=["GET"], dependencies=[public()])
    return router


ROUTERS: tuple[APIRouter, ...] = (_health_router(), auth.router, catalog.router, orders.router,
                                  operations.router, reports.router)


def api_routes() -> list[APIRoute]:
    """The route table: every API route the app serves."""
    return [route for router in ROUTERS for route in router.routes
            if isinstance(route, APIRoute)]


def _document_permissions() -> None:
    for route in api_routes():
        route.openapi_extra = {**(route.openapi_extra or {}),
                               "x-permission": declared_permission(route)}


_document_permissions()
